package search

import (
	"slices"
	"sort"
)

// segFilter says which documents of a segment a query may return, besides
// matching its words: live, in its categories and dates, by its authors,
// without its exclusions, containing its phrases.
type segFilter struct {
	allow          bitset // nil: every document
	seg            *segment
	from, to       int64
	hasFrom, hasTo bool
	// lo and hi bound the documents in the dates, in a segment in date
	// order (0 and noDoc otherwise); none says no document passes.
	lo, hi uint32
	none   bool
}

// next returns the first document at or after doc that the categories,
// authors, exclusions and (in a segment in date order) dates allow, or
// noDoc: the dates of other segments are left to ok.
func (f *segFilter) next(doc uint32) uint32 {
	doc = max(doc, f.lo)
	if f.allow != nil && doc < noDoc {
		doc = f.allow.next(doc)
	}
	if doc >= f.hi {
		return noDoc
	}
	return doc
}

func (f *segFilter) ok(doc uint32) bool {
	if f.allow != nil && !f.allow.has(doc) {
		return false
	}
	if f.hasFrom && f.seg.sub(doc) < f.from || f.hasTo && f.seg.sub(doc) >= f.to {
		return false
	}
	return true
}

// filterFor builds a segment's filter. phraseLike lists the multi-term
// matchers a document must contain; with filters false, only deletions and
// phraseLike apply (to ask whether any document matches the words at all).
func filterFor(sv *segView, p *plan, phraseLike []matcher, filters bool) *segFilter {
	s := sv.seg
	f := &segFilter{seg: s, hi: noDoc}
	if filters {
		f.from, f.to, f.hasFrom, f.hasTo = p.from, p.to, p.hasFrom, p.hasTo
		f.dates(s)
		if f.none {
			return f
		}
	}
	need := sv.deleted != nil || len(phraseLike) > 0 ||
		filters && len(p.cats)+len(p.notCats)+len(p.authors)+len(p.notAuthors)+len(p.excluded) > 0
	if !need {
		return f
	}
	if sv.deleted == nil && len(phraseLike) == 0 && len(p.cats) == 1 &&
		len(p.notCats)+len(p.authors)+len(p.notAuthors)+len(p.excluded) == 0 {
		f.allow = catBits(s, p.cats[0]) // read only: shared with other queries
		return f
	}
	f.allow = fullBitset(s.n)
	if sv.deleted != nil {
		for i := range f.allow {
			f.allow[i] &^= sv.deleted[i]
		}
	}
	for _, m := range phraseLike {
		f.allow.and(docsFor(s, m, allFields))
	}
	if !filters {
		return f
	}
	for _, c := range p.cats {
		f.allow.andBits(catBits(s, c))
	}
	for _, c := range p.notCats {
		f.allow.andNotBits(catBits(s, c))
	}
	for _, m := range p.authors {
		f.allow.and(docsFor(s, m, authorField))
	}
	for _, m := range p.notAuthors {
		f.allow.andNot(docsFor(s, m, authorField))
	}
	for _, m := range p.excluded {
		f.allow.andNot(docsFor(s, m, allFields))
	}
	return f
}

// dates narrows f to the documents of s in its dates, where the segment's
// date range or order tells.
func (f *segFilter) dates(s *segment) {
	if !f.hasFrom && !f.hasTo || s.n == 0 {
		return
	}
	if f.hasFrom && s.subMax < f.from || f.hasTo && s.subMin >= f.to {
		f.none = true
		return
	}
	if !s.subSorted {
		return
	}
	if f.hasFrom {
		f.lo = uint32(sort.Search(s.n, func(d int) bool { return s.sub(uint32(d)) >= f.from }))
	}
	if f.hasTo {
		f.hi = uint32(sort.Search(s.n, func(d int) bool { return s.sub(uint32(d)) >= f.to }))
	}
	f.none = f.lo >= f.hi
}

// catBits returns the documents of s in category want or, for an archive,
// in any of its categories. The bitset is shared: callers must not change
// it. A segment keeps those of the categories asked for most recently.
func catBits(s *segment, want string) bitset {
	s.catMu.Lock()
	b, ok := s.catCache[want]
	s.catMu.Unlock()
	if ok {
		return b
	}
	b = categoryBits(s, want)
	s.catMu.Lock()
	if len(s.catCache) >= catCached {
		clear(s.catCache) // a burst of rare categories: start afresh
	}
	if s.catCache == nil {
		s.catCache = map[string]bitset{}
	}
	s.catCache[want] = b
	s.catMu.Unlock()
	return b
}

// catCached is the most category bitsets a segment keeps (about n/8 bytes
// each).
const catCached = 64

func categoryBits(s *segment, want string) bitset {
	out := newBitset(s.n)
	for i := range s.numCats() {
		if categoryMatches(s.cat(i), want) {
			for d := range s.catDocList(i) {
				out.set(d)
			}
		}
	}
	return out
}

// multiTerm returns the matchers of more than one term.
func multiTerm(ms ...[]matcher) []matcher {
	var out []matcher
	for _, m := range slices.Concat(ms...) {
		if len(m) > 1 {
			out = append(out, m)
		}
	}
	return out
}
