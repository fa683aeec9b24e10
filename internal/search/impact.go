package search

import (
	"encoding/binary"
	"math"
	"slices"
)

// A frequent term's documents are also split by impact (the "split lists"
// of Kane and Tompa, 2018): a segment keeps, beside the term's postings,
// the short list of its documents whose BM25F frequency under the
// segment's boundSpec is highest (about one in impactShare), and the
// largest frequency among the others. In an AND query the top k's
// threshold soon exceeds what a document can score without being in one
// of those lists (or in a particular one): from then on the search walks
// only those lists, skipping the bulk of the postings undecoded. Common
// words are where block bounds fail (nearly every block of a frequent
// word has a document with the word in its title) and where this works.
//
// OR (MaxScore) queries do not use the lists: a candidate from one still
// needs its term's frequencies, which means decoding the posting block it
// is in, and with one document in eight in the list that is nearly every
// block (measured at 2.5 million papers: five-word queries 10% slower).
// Keeping the frequencies in the list does not pay either: BM25F
// saturates, so the rest of a frequent term still bounds at 70-80% of the
// term, and MaxScore over each such term's list and rest as two lists
// turns the rests non-essential hardly sooner than it did the terms, with
// twice the lists to merge (five-word queries 15% slower, the index 2.5%
// larger).

// impactMinBlocks is the fewest blocks of postings a term needs for a
// high-impact list: a rarer term is cheap to walk whole. A variable so
// that tests can split the terms of small corpora.
var impactMinBlocks = 8

// impactShare: a high-impact list holds about 1/impactShare of the term's
// documents.
const impactShare = 8

// impactStride is the uint32s per term in a segment's impact directory:
// the term's first block in blockMeta (the key, ascending), the offset of
// its list in the impact section, the list's length, and the rest's
// largest frequency as float32 bits rounded up.
const impactStride = 4

// addImpact writes the high-impact list of a term whose documents have the
// BM25F frequencies ts, if it is long enough to have one.
func (w *segWriter) addImpact(block0 int, docs []uint32, ts []float64) {
	if !w.spec.valid() || nBlocks(len(docs)) < max(impactMinBlocks, 2) {
		return
	}
	cut := impactCut(ts, len(ts)/impactShare)
	rest, n := 0.0, 0
	off := len(w.impact)
	var prev uint32
	for i, t := range ts {
		if t < cut {
			rest = max(rest, t)
			continue
		}
		w.impact = binary.AppendUvarint(w.impact, uint64(docs[i]-prev))
		prev = docs[i]
		n++
	}
	if n == 0 || n == len(docs) {
		w.impact = w.impact[:off]
		return
	}
	w.impactDir = append(w.impactDir, uint32(block0), uint32(off), uint32(n), roundUp(rest))
}

// impactCut returns the frequency at or above which about want of ts lie
// (more when many tie at the cut), from a histogram of 1024 buckets.
func impactCut(ts []float64, want int) float64 {
	hi := slices.Max(ts)
	if hi <= 0 {
		return math.Inf(1)
	}
	const buckets = 1024
	var count [buckets]int
	bucket := func(t float64) int { return min(int(t/hi*buckets), buckets-1) }
	for _, t := range ts {
		count[bucket(t)]++
	}
	n := 0
	for b := buckets - 1; b > 0; b-- {
		if n += count[b]; n >= want {
			return float64(b) / buckets * hi
		}
	}
	return 0
}

// impactOf returns the high-impact list of the term whose blocks start at
// block0, and the rest's largest frequency.
func (s *segment) impactOf(block0 int) (it *impactIter, rest float64, ok bool) {
	d := s.impactDir
	lo, hi := 0, len(d)/impactStride
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if d[m*impactStride] < uint32(block0) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo == len(d)/impactStride || d[lo*impactStride] != uint32(block0) {
		return nil, 0, false
	}
	e := d[lo*impactStride : (lo+1)*impactStride]
	if int(e[1]) > len(s.impact) {
		return nil, 0, false
	}
	it = &impactIter{data: s.impact[e[1]:], left: int(e[2])}
	it.advance()
	return it, float64(math.Float32frombits(e[3])), true
}

// impactIter walks a high-impact list.
type impactIter struct {
	data []byte
	at   int
	left int
	doc  uint32 // noDoc past the end
}

func (it *impactIter) advance() {
	if it.left == 0 || it.at >= len(it.data) {
		it.doc = noDoc
		return
	}
	d, k := binary.Uvarint(it.data[it.at:])
	if k <= 0 {
		it.doc = noDoc
		return
	}
	it.at += k
	it.left--
	it.doc += uint32(d)
}

// nextGEQ moves to the first document at or after target.
func (it *impactIter) nextGEQ(target uint32) {
	for it.doc < target {
		it.advance()
	}
}
