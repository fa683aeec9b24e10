package search

import (
	"math"
	"sync"
)

// Scoring reads a document's field lengths as one byte each, a code for
// the length rounded up (Lucene keeps its norms in a byte the same way),
// and a query's BM25F turns each code into the field's weight over its
// length normalisation once, in a table of 256 (bm25f.inv). Reading the
// exact 16-bit lengths and dividing, per document and term, was a fifth
// of the CPU time of the slowest queries at 2.5 million papers, most of
// it waiting on memory; the codes take half the memory (3 bytes a
// paper), and at 2.5 million papers they cut the mean lexical top 100 of
// hybrid search by a fifth (docs/semantic.md; keyword search's top 10s,
// which score far fewer candidates, measured no different) and moved
// SciFact train's nDCG@10 by 0.0004 (lexical, up) and 0.0004 (hybrid,
// down).
//
// Codes below 64 are the length itself; above, each stands for 5.18% more
// than the one before, up to the last, which stands for any length past
// 989,498 (an infinite one: the field then adds nothing). As codes
// round up, a document scores at most what its exact lengths give, so the
// block and term bounds, computed from exact lengths, stay bounds.
const (
	lenCodes      = 256
	lenExactBelow = 64
	lenStep       = 1.0518
)

// codeLen is the length each code stands for.
var codeLen = func() (out [lenCodes]float64) {
	for c := range lenCodes {
		out[c] = float64(c)
		if c >= lenExactBelow {
			out[c] = math.Ceil(lenExactBelow * math.Pow(lenStep, float64(c-lenExactBelow+1)))
		}
	}
	out[lenCodes-1] = math.Inf(1)
	return out
}()

// shortCodes is lenCode of every length a segment stores in 16 bits.
var shortCodes = sync.OnceValue(func() []uint8 {
	out := make([]uint8, lenEscape)
	c := 0
	for l := range out {
		for codeLen[c] < float64(l) {
			c++
		}
		out[l] = uint8(c)
	}
	return out
})

// lenCode returns the least code that stands for l or more.
func lenCode(l uint32) uint8 {
	if l < lenEscape {
		return shortCodes()[l]
	}
	c := lenCodes - 1
	for c > 0 && codeLen[c-1] >= float64(l) {
		c--
	}
	return uint8(c)
}

// lenCodesOf returns the codes of a segment's field lengths, by document
// and field as lens has them.
func lenCodesOf(s *segment) []uint8 {
	out := make([]uint8, s.n*numFields)
	short := shortCodes()
	for i, l := range s.lens {
		if l != lenEscape {
			out[i] = short[l]
		}
	}
	for j := 0; j < len(s.longLens); j += 2 {
		out[s.longLens[j]] = lenCode(s.longLens[j+1])
	}
	return out
}
