package search

import (
	"cmp"
	"container/heap"
	"slices"
)

// hit is one matching document.
type hit struct {
	doc   uint32
	score float64
	pin   int // 0 for the ID asked for, 1 for exact-title matches, 2 otherwise
}

var (
	allFields   = []int{fieldTitle, fieldAbstract, fieldAuthors}
	authorField = []int{fieldAuthors}
)

// run returns the first n documents matching p, best first, and the number
// of matches.
func (x *index) run(p *plan, prm Params, n int) ([]hit, int) {
	if p.id != "" {
		if doc, ok := x.byID[p.id]; ok {
			return []hit{{doc: doc}}, 1
		}
		return nil, 0
	}
	cands, coord := x.candidates(p)
	hits := make([]hit, len(cands), len(cands)+1)
	scores := x.score(cands, p.scoreTerms, prm)
	for i, d := range cands {
		hits[i] = hit{doc: d, score: scores[i] * coord[i], pin: 2}
	}
	for _, d := range x.titles[p.titleKey] {
		if i, ok := slices.BinarySearch(cands, d); ok {
			hits[i].pin = 1
		} else if p.passes(&x.docs[d]) {
			hits = append(hits, hit{doc: d, pin: 1})
		}
	}
	return topN(hits, n, x.order(p.ranked())), len(hits)
}

// order returns the comparison of results: pinned first, then by score when
// ranked, then newest first, then by ID.
func (x *index) order(ranked bool) func(a, b hit) int {
	return func(a, b hit) int {
		if c := cmp.Compare(a.pin, b.pin); c != 0 {
			return c
		}
		if ranked {
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
		}
		da, db := &x.docs[a.doc], &x.docs[b.doc]
		if c := cmp.Compare(db.submitted, da.submitted); c != 0 {
			return c
		}
		return cmp.Compare(da.id, db.id)
	}
}

// topN returns the n first hits in order, sorted, without sorting them all.
func topN(hits []hit, n int, order func(a, b hit) int) []hit {
	if len(hits)/2 <= n {
		slices.SortFunc(hits, order)
		return hits[:min(n, len(hits))]
	}
	// hits[:n] is a heap whose root is the worst of the best n so far.
	h := &hitHeap{hits: hits[:n], less: func(a, b hit) bool { return order(a, b) > 0 }}
	heap.Init(h)
	for _, c := range hits[n:] {
		if order(c, h.hits[0]) < 0 {
			h.hits[0] = c
			heap.Fix(h, 0)
		}
	}
	top := h.hits
	slices.SortFunc(top, order)
	return top
}

type hitHeap struct {
	hits []hit
	less func(a, b hit) bool
}

func (h *hitHeap) Len() int           { return len(h.hits) }
func (h *hitHeap) Less(i, j int) bool { return h.less(h.hits[i], h.hits[j]) }
func (h *hitHeap) Swap(i, j int)      { h.hits[i], h.hits[j] = h.hits[j], h.hits[i] }
func (h *hitHeap) Push(any)           { panic("hitHeap is fixed-size") }
func (h *hitHeap) Pop() any           { panic("hitHeap is fixed-size") }

// candidates returns the matching documents and, for each, the factor its
// score is scaled by. A keyword query must match every word and phrase;
// when no paper does, papers matching any word and every phrase are ranked
// instead, scaled by the fraction of the words they match, so that papers
// matching more words come first. A long, natural-language query (see
// Params.LongQuery) ranks papers matching any term by BM25F alone: requiring
// every word of a sentence finds nothing useful, and BM25F's IDF already
// favours papers matching more of the rarer words.
func (x *index) candidates(p *plan) ([]uint32, []float64) {
	if p.empty {
		return nil, nil
	}
	var cands []uint32
	wordSets, phraseSets := x.sets(p.words), x.sets(p.phrases)
	switch {
	case !p.ranked():
		cands = x.allLive()
	case !p.anyWord:
		cands = intersectAll(slices.Concat(wordSets, phraseSets))
	}
	fallback := !p.anyWord && len(cands) == 0 && len(p.words) > 1
	if p.anyWord || fallback {
		var orCands []uint32
		for _, s := range wordSets {
			orCands = union(orCands, s)
		}
		cands = intersectAll(append([][]uint32{orCands}, phraseSets...))
	}
	for _, m := range p.excluded {
		cands = subtract(cands, x.docsFor(m, allFields))
	}
	for _, m := range p.authors {
		cands = intersect(cands, x.docsFor(m, authorField))
	}
	for _, m := range p.notAuthors {
		cands = subtract(cands, x.docsFor(m, authorField))
	}
	cands = slices.DeleteFunc(cands, func(d uint32) bool { return !p.passes(&x.docs[d]) })
	coord := make([]float64, len(cands))
	for i := range coord {
		coord[i] = 1
	}
	if fallback {
		coordinate(wordSets, cands, coord)
	}
	return cands, coord
}

func intersectAll(sets [][]uint32) []uint32 {
	if len(sets) == 0 {
		return nil
	}
	out := sets[0]
	for _, s := range sets[1:] {
		out = intersect(out, s)
	}
	return out
}

// coordinate sets each candidate's factor to the fraction of the words
// it matches.
func coordinate(wordSets [][]uint32, cands []uint32, coord []float64) {
	for i, d := range cands {
		matched := 0
		for _, set := range wordSets {
			if _, ok := slices.BinarySearch(set, d); ok {
				matched++
			}
		}
		coord[i] = float64(matched) / float64(len(wordSets))
	}
}

func (x *index) sets(ms []matcher) [][]uint32 {
	out := make([][]uint32, len(ms))
	for i, m := range ms {
		out[i] = x.docsFor(m, allFields)
	}
	return out
}

func (x *index) allLive() []uint32 {
	out := make([]uint32, 0, x.live)
	for d := range x.docs {
		if x.docs[d].live {
			out = append(out, uint32(d))
		}
	}
	return out
}

// docsFor returns the documents in which m matches in one of fields: its
// term, or its terms as a phrase within one field.
func (x *index) docsFor(m matcher, fields []int) []uint32 {
	var set []uint32
	for i, qt := range m {
		tp := x.terms[qt.term]
		if tp == nil {
			return nil
		}
		var s []uint32
		for _, f := range fields {
			s = union(s, tp.fields[f].docs)
		}
		if i == 0 {
			set = s
		} else {
			set = intersect(set, s)
		}
	}
	if len(m) > 1 {
		lists := make([][]uint32, len(m))
		set = slices.DeleteFunc(set, func(d uint32) bool {
			return !slices.ContainsFunc(fields, func(f int) bool { return x.phraseIn(d, m, f, lists) })
		})
	}
	return set
}

// phraseIn reports whether m's terms occur in field f of doc at their
// offsets from one another. lists is scratch space, one slot per term.
func (x *index) phraseIn(doc uint32, m matcher, f int, lists [][]uint32) bool {
	for i, qt := range m {
		p := &x.terms[qt.term].fields[f]
		j := p.find(doc)
		if j < 0 {
			return false
		}
		lists[i] = p.positions(j)
	}
	for _, p0 := range lists[0] {
		all := true
		for i := 1; i < len(m) && all; i++ {
			_, all = slices.BinarySearch(lists[i], p0+m[i].off)
		}
		if all {
			return true
		}
	}
	return false
}
