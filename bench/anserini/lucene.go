package main

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"

	porter "github.com/blevesearch/go-porterstemmer"
	"github.com/blevesearch/segment"

	"paperboy/internal/search/beir"
)

// stopWords is Lucene's EnglishAnalyzer.ENGLISH_STOP_WORDS_SET.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields("a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with") {
		stopWords[w] = true
	}
}

// analyze returns text's terms as Anserini's default English analyzer
// does: StandardTokenizer, EnglishPossessiveFilter, LowerCaseFilter,
// StopFilter, PorterStemFilter.
func analyze(text string) []string {
	var terms []string
	seg := segment.NewWordSegmenterDirect([]byte(text))
	for seg.Segment() {
		if seg.Type() == segment.None { // spaces and punctuation
			continue
		}
		w := string(seg.Bytes())
		for _, s := range []string{"'s", "'S", "\u2019s", "\u2019S", "\uff07s", "\uff07S"} {
			if strings.HasSuffix(w, s) {
				w = w[:len(w)-len(s)]
				break
			}
		}
		if w = strings.ToLower(w); w == "" || stopWords[w] {
			continue
		}
		terms = append(terms, porter.StemString(w))
	}
	return terms
}

// Lucene stores a document's length in one byte (SmallFloat.intToByte4):
// exact below 24, then four significant bits.
const numFreeValues = 255 - 231 // 255 - longToInt4(math.MaxInt32)

func longToInt4(i uint64) int {
	n := 64 - bits.LeadingZeros64(i)
	if n < 4 {
		return int(i)
	}
	shift := n - 4
	return int(i>>uint(shift))&7 | (shift+1)<<3
}

func int4ToLong(i int) uint64 {
	b, shift := uint64(i&7), i>>3-1
	if shift == -1 {
		return b
	}
	return (b | 8) << uint(shift)
}

// storedLength is the length BM25Similarity reads back for a document of
// n terms.
func storedLength(n int) int {
	if n < numFreeValues {
		return n
	}
	code := numFreeValues + longToInt4(uint64(n-numFreeValues))
	return numFreeValues + int(int4ToLong(code-numFreeValues))
}

type params struct{ K1, B float64 }

// field is one indexed field: each document's term counts and stored
// length, and each term's document frequency.
type field struct {
	tf     []map[string]int
	length []int
	df     map[string]int
	avg    float64 // average length: total terms over documents
}

func newField(texts []string) *field {
	f := &field{df: map[string]int{}}
	total := 0
	for _, t := range texts {
		terms := analyze(t)
		tf := map[string]int{}
		for _, w := range terms {
			tf[w]++
		}
		for w := range tf {
			f.df[w]++
		}
		f.tf = append(f.tf, tf)
		f.length = append(f.length, storedLength(len(terms)))
		total += len(terms)
	}
	f.avg = float64(total) / float64(max(len(texts), 1))
	return f
}

// clause is a query term with its weight in a field: its count in the
// query (the clause's boost) times its idf there.
type clause struct {
	term   string
	weight float64
}

// clauses weighs query's terms (each with its count) for f, in term order
// so that scores add up the same way every time.
func (f *field) clauses(query map[string]int) []clause {
	n := float64(len(f.tf))
	var cs []clause
	for w, boost := range query {
		if df := float64(f.df[w]); df > 0 {
			cs = append(cs, clause{w, float64(boost) * math.Log(1+(n-df+0.5)/(df+0.5))})
		}
	}
	slices.SortFunc(cs, func(a, b clause) int { return strings.Compare(a.term, b.term) })
	return cs
}

// score is BM25Similarity's score of document d for the clauses, in
// float32 per clause as Lucene adds them.
func (f *field) score(d int, cs []clause, p params) float64 {
	norm := p.K1 * (1 - p.B + p.B*float64(f.length[d])/f.avg)
	var s float64
	for _, c := range cs {
		if tf := float64(f.tf[d][c.term]); tf > 0 {
			s += float64(float32(c.weight * tf / (tf + norm)))
		}
	}
	return s
}

// index is a corpus indexed flat (one field) or multifield (title, text).
type index struct {
	ids    []string
	fields []*field
	p      params
}

func newIndex(corpus []beir.Doc, multi bool, p params) *index {
	x := &index{p: p}
	var flat, titles, texts []string
	for _, d := range corpus {
		x.ids = append(x.ids, d.ID)
		flat = append(flat, d.Title+" "+d.Text)
		titles, texts = append(titles, d.Title), append(texts, d.Text)
	}
	if multi {
		x.fields = []*field{newField(titles), newField(texts)}
	} else {
		x.fields = []*field{newField(flat)}
	}
	return x
}

// search returns the IDs of the k best documents for text, ties broken as
// trec_eval breaks them (by document ID, descending).
func (x *index) search(text string, k int) []string {
	query := map[string]int{}
	for _, w := range analyze(text) {
		query[w]++
	}
	cs := make([][]clause, len(x.fields))
	for i, f := range x.fields {
		cs[i] = f.clauses(query)
	}
	type hit struct {
		id    string
		score float64
	}
	var hits []hit
	for d, id := range x.ids {
		var s float64
		for i, f := range x.fields {
			s += f.score(d, cs[i], x.p)
		}
		if s > 0 {
			hits = append(hits, hit{id, float64(float32(s))})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(b.score, a.score), strings.Compare(b.id, a.id))
	})
	ids := make([]string, 0, k)
	for _, h := range hits[:min(k, len(hits))] {
		ids = append(ids, h.id)
	}
	return ids
}
