package search

import (
	"slices"
	"strings"

	"paperboy"
)

// The indexed fields of a paper.
const (
	fieldTitle = iota
	fieldAbstract
	fieldAuthors
	numFields
)

// authorGap separates the positions of consecutive author names, so that a
// phrase never spans two authors.
const authorGap = 16

// postings lists the documents containing a term in one field, in document
// order, with the term's positions in each.
type postings struct {
	docs  []uint32
	start []uint32 // start[i] indexes pos for docs[i]; its positions end at start[i+1] or len(pos)
	pos   []uint32
}

func (p *postings) positions(i int) []uint32 {
	end := len(p.pos)
	if i+1 < len(p.start) {
		end = int(p.start[i+1])
	}
	return p.pos[p.start[i]:end]
}

// count returns the number of positions of p.docs[i]: the term's frequency.
func (p *postings) count(i int) int {
	end := len(p.pos)
	if i+1 < len(p.start) {
		end = int(p.start[i+1])
	}
	return end - int(p.start[i])
}

// find returns the index of doc in p.docs, or -1.
func (p *postings) find(doc uint32) int {
	i, ok := slices.BinarySearch(p.docs, doc)
	if !ok {
		return -1
	}
	return i
}

func (p *postings) add(doc uint32, pos []uint32) {
	p.docs = append(p.docs, doc)
	p.start = append(p.start, uint32(len(p.pos)))
	p.pos = append(p.pos, pos...)
}

func (p *postings) remove(doc uint32) {
	i := p.find(doc)
	if i < 0 {
		return
	}
	from, n := int(p.start[i]), len(p.positions(i))
	p.pos = slices.Delete(p.pos, from, from+n)
	p.docs = slices.Delete(p.docs, i, i+1)
	p.start = slices.Delete(p.start, i, i+1)
	for j := i; j < len(p.start); j++ {
		p.start[j] -= uint32(n)
	}
}

// termPostings are a term's postings in each field, and its document
// frequency over all fields, for BM25F's IDF.
type termPostings struct {
	fields [numFields]postings
	df     int
}

// docInfo is what the index keeps of a paper to filter, rank and remove it.
type docInfo struct {
	id        paperboy.ArxivID
	live      bool
	submitted int64 // Unix seconds of first submission
	cats      []string
	lens      [numFields]uint32
	terms     []string // distinct terms over all fields
	titleKey  string
}

// analyzedDoc is a paper analyzed for indexing, prepared outside the lock.
type analyzedDoc struct {
	info   docInfo
	fields [numFields]fieldTerms
}

// fieldTerms are the distinct terms of one field of a document, in order of
// first occurrence, with their positions: those of terms[i] are
// pos[start[i]:start[i+1]] (or to the end for the last).
type fieldTerms struct {
	terms []string
	start []uint32
	pos   []uint32
}

func (ft *fieldTerms) positions(i int) []uint32 {
	end := len(ft.pos)
	if i+1 < len(ft.start) {
		end = int(ft.start[i+1])
	}
	return ft.pos[ft.start[i]:end]
}

func analyzePaper(p *paperboy.Paper, st *stemmer) *analyzedDoc {
	d := &analyzedDoc{info: docInfo{
		id:        p.ID,
		live:      true,
		submitted: p.Submitted.Unix(),
		titleKey:  titleKey(p.Title),
	}}
	for _, c := range p.Categories {
		d.info.cats = append(d.info.cats, strings.ToLower(c))
	}
	if len(st.cache) >= maxStemCache {
		st.reset()
	}
	st.docGen++
	st.fieldToks = append(st.fieldToks[:0], analyzeWith(p.Title, docText, st)...)
	d.setField(fieldTitle, st)
	st.fieldToks = append(st.fieldToks[:0], analyzeWith(p.Abstract, docText, st)...)
	d.setField(fieldAbstract, st)
	st.fieldToks = st.fieldToks[:0]
	base := 0
	for _, a := range p.Authors {
		toks := analyzeWith(a.Name, docAuthors, st)
		for _, t := range toks {
			t.pos += base
			st.fieldToks = append(st.fieldToks, t)
		}
		if len(toks) > 0 {
			base += toks[len(toks)-1].pos + authorGap
		}
	}
	d.setField(fieldAuthors, st)
	return d
}

// setField groups st.fieldToks, the tokens of field f, by term, and adds the
// terms not seen in earlier fields to the document's terms. Terms are
// told apart by number, which spares hashing them again.
func (d *analyzedDoc) setField(f int, st *stemmer) {
	toks := st.fieldToks
	ft := &d.fields[f]
	st.gen++
	if n := len(st.ids); len(st.slot) < n {
		st.slot = slices.Grow(st.slot, n-len(st.slot))[:n]
		st.slotGen = slices.Grow(st.slotGen, n-len(st.slotGen))[:n]
		st.seenGen = slices.Grow(st.seenGen, n-len(st.seenGen))[:n]
	}
	counts := st.counts[:0]
	for _, t := range toks {
		if st.slotGen[t.id] != st.gen {
			st.slotGen[t.id] = st.gen
			st.slot[t.id] = int32(len(ft.terms))
			ft.terms = append(ft.terms, t.term)
			counts = append(counts, 0)
			if st.seenGen[t.id] != st.docGen {
				st.seenGen[t.id] = st.docGen
				d.info.terms = append(d.info.terms, t.term)
			}
		}
		counts[st.slot[t.id]]++
	}
	ft.start = make([]uint32, len(ft.terms))
	var at uint32
	for i, c := range counts {
		ft.start[i] = at
		at += c
		counts[i] = ft.start[i] // next free slot of term i
	}
	ft.pos = make([]uint32, len(toks))
	for _, t := range toks {
		i := st.slot[t.id]
		ft.pos[counts[i]] = uint32(t.pos)
		counts[i]++
	}
	st.counts = counts
	d.info.lens[f] = uint32(len(toks))
}

// index is the in-memory inverted index. Documents get increasing numbers,
// so postings stay sorted by appending; a changed paper is removed and added
// again under a new number.
type index struct {
	terms    map[string]*termPostings
	docs     []docInfo
	byID     map[paperboy.ArxivID]uint32
	titles   map[string][]uint32
	live     int
	totalLen [numFields]uint64
}

func newIndex() *index {
	return &index{
		terms:  make(map[string]*termPostings),
		byID:   make(map[paperboy.ArxivID]uint32),
		titles: make(map[string][]uint32),
	}
}

func (x *index) add(d *analyzedDoc) {
	x.remove(d.info.id)
	doc := uint32(len(x.docs))
	x.docs = append(x.docs, d.info)
	for _, term := range d.info.terms {
		tp := x.terms[term]
		if tp == nil {
			tp = new(termPostings)
			x.terms[term] = tp
		}
		tp.df++
	}
	for f := range numFields {
		ft := &d.fields[f]
		for i, term := range ft.terms {
			x.terms[term].fields[f].add(doc, ft.positions(i))
		}
		x.totalLen[f] += uint64(d.info.lens[f])
	}
	x.byID[d.info.id] = doc
	if d.info.titleKey != "" {
		x.titles[d.info.titleKey] = append(x.titles[d.info.titleKey], doc)
	}
	x.live++
}

func (x *index) remove(id paperboy.ArxivID) {
	doc, ok := x.byID[id]
	if !ok {
		return
	}
	info := &x.docs[doc]
	for _, term := range info.terms {
		tp := x.terms[term]
		for f := range numFields {
			tp.fields[f].remove(doc)
		}
		if tp.df--; tp.df == 0 {
			delete(x.terms, term)
		}
	}
	for f := range numFields {
		x.totalLen[f] -= uint64(info.lens[f])
	}
	if t := slices.DeleteFunc(x.titles[info.titleKey], func(d uint32) bool { return d == doc }); len(t) > 0 {
		x.titles[info.titleKey] = t
	} else {
		delete(x.titles, info.titleKey)
	}
	delete(x.byID, id)
	*info = docInfo{id: id}
	x.live--
}
