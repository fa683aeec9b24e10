package search

import (
	"math"
	"math/bits"
	"slices"

	"paperboy"
)

// segView is a segment with its deleted documents. A published segView is
// never modified: deleting makes a new one with a copied bitset.
type segView struct {
	seg     *segment
	deleted bitset // nil when none
	ndel    int
	file    string // its file in the index directory; "" in memory
}

func (sv *segView) live() int { return sv.seg.n - sv.ndel }

func (sv *segView) isLive(doc uint32) bool { return sv.deleted == nil || !sv.deleted.has(doc) }

// withDeleted returns sv with docs deleted too.
func (sv *segView) withDeleted(docs []uint32) *segView {
	out := *sv
	if out.deleted == nil {
		out.deleted = newBitset(sv.seg.n)
	} else {
		out.deleted = slices.Clone(sv.deleted)
	}
	for _, d := range docs {
		if !out.deleted.has(d) {
			out.deleted.set(d)
			out.ndel++
		}
	}
	return &out
}

// view is one consistent state of the index, swapped atomically: searches
// read it without locks while Sync prepares the next.
type view struct {
	segs     []*segView
	docs     int // documents in all segments, deleted ones included
	live     int
	totalLen [numFields]uint64
	seq      int64 // the last change applied
}

func newView(segs []*segView, seq int64) *view {
	v := &view{segs: segs, seq: seq}
	for _, sv := range segs {
		v.docs += sv.seg.n
		v.live += sv.live()
		for f := range numFields {
			v.totalLen[f] += sv.seg.totalLen[f]
		}
	}
	return v
}

// find returns the live document with the given ID.
func (v *view) find(id paperboy.ArxivID) (seg int, doc uint32, ok bool) {
	for i := len(v.segs) - 1; i >= 0; i-- {
		sv := v.segs[i]
		if d, ok := sv.seg.find(id); ok && sv.isLive(d) {
			return i, d, true
		}
	}
	return 0, 0, false
}

// df is a term of p's document frequency over all segments (p nil: a
// term of no plan); like the document count and lengths BM25F uses, it
// counts deleted documents until a merge drops them, as Lucene does.
func (v *view) df(p *plan, term string) int {
	df := 0
	for _, t := range v.terms(p, term) {
		df += t.st.df
	}
	return df
}

// affinity is the weight TitleAffinity gives a term of p: the share of
// the papers holding it in their title or abstract that hold it in their
// title (each count plus one), over the share of the two fields' words
// that titles have, to the power pow. A word spread through papers at
// random weighs about 1; one of titles more, one only abstracts use less.
// A term of authors alone weighs 1.
func (v *view) affinity(p *plan, term string, pow float64) float64 {
	var title, text int
	for _, t := range v.terms(p, term) {
		title, text = title+t.st.titleDF, text+t.st.textDF
	}
	if text == 0 || v.totalLen[fieldTitle] == 0 {
		return 1
	}
	chance := float64(v.totalLen[fieldTitle]) / float64(v.totalLen[fieldTitle]+v.totalLen[fieldAbstract])
	return math.Pow(float64(title+1)/float64(text+1)/chance, pow)
}

// segTerm is a term's stats in one segment; ok is false where the segment
// lacks it.
type segTerm struct {
	st termStats
	ok bool
}

// termMemo is where a query's terms are in each segment of a view. Ranking
// one query consults them several times (its words' document
// frequencies, its rarest words, each part's cursors, rescoring); at 2.5
// million papers in 17 segments, looking them up again each time was an
// eighth of a hybrid query's CPU time.
type termMemo struct {
	v  *view
	at map[string][]segTerm
}

// terms returns a term of p's stats in each segment, looked up once per
// plan and view (p nil: every time). It is not safe for concurrent use: a
// ranking looks up its plan's terms before it searches segments in
// parallel.
func (v *view) terms(p *plan, term string) []segTerm { return v.termsIn(p, term, nil) }

// termsIn is terms looked up only in the segments marked in (in nil: all;
// not ok in the others). Only a lookup in all segments is kept in p's
// memo, but any is taken from it.
func (v *view) termsIn(p *plan, term string, in []bool) []segTerm {
	var m *termMemo
	if p != nil && p.memo != nil {
		m = p.memo
		if m.v != v {
			m.v, m.at = v, map[string][]segTerm{}
		}
		if at, ok := m.at[term]; ok {
			return at
		}
	}
	at := make([]segTerm, len(v.segs))
	for i, sv := range v.segs {
		if in == nil || in[i] {
			at[i].st, at[i].ok = sv.seg.lookup(term)
		}
	}
	if m != nil && in == nil {
		m.at[term] = at
	}
	return at
}

// The fields a matcher may match in.
var (
	allFields   = []int{fieldTitle, fieldAbstract, fieldAuthors}
	authorField = []int{fieldAuthors}
)

// bitset is a set of documents of one segment.
type bitset []uint64

func newBitset(n int) bitset       { return make(bitset, (n+63)/64) }
func (b bitset) has(d uint32) bool { return b[d>>6]&(1<<(d&63)) != 0 }
func (b bitset) set(d uint32)      { b[d>>6] |= 1 << (d & 63) }
func (b bitset) clear(d uint32)    { b[d>>6] &^= 1 << (d & 63) }
func (b bitset) count() (n int) {
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// next returns the first document at or after d in b, or noDoc.
func (b bitset) next(d uint32) uint32 {
	i := int(d >> 6)
	if i >= len(b) {
		return noDoc
	}
	if w := b[i] >> (d & 63); w != 0 {
		return d + uint32(bits.TrailingZeros64(w))
	}
	for i++; i < len(b); i++ {
		if b[i] != 0 {
			return uint32(i)<<6 + uint32(bits.TrailingZeros64(b[i]))
		}
	}
	return noDoc
}

func fullBitset(n int) bitset {
	b := newBitset(n)
	for i := range b {
		b[i] = ^uint64(0)
	}
	if r := n % 64; r != 0 {
		b[len(b)-1] = 1<<r - 1
	}
	return b
}

func (b bitset) and(docs []uint32) {
	keep := newBitset(len(b) * 64)
	for _, d := range docs {
		keep.set(d)
	}
	for i := range b {
		b[i] &= keep[i]
	}
}

func (b bitset) andBits(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b bitset) andNotBits(o bitset) {
	for i := range b {
		b[i] &^= o[i]
	}
}

func (b bitset) andNot(docs []uint32) {
	for _, d := range docs {
		b.clear(d)
	}
}

// docsFor returns the documents of a segment in which m matches in one of
// fields: its term, or its terms as a phrase within one field.
func docsFor(s *segment, m matcher, fields []int) []uint32 {
	its := make([]*postIter, len(m))
	for i, qt := range m {
		st, ok := s.lookup(qt.term)
		if !ok {
			return nil
		}
		its[i] = newPostIter(s, st)
	}
	var out []uint32
	var lists [][]uint32
	if len(m) > 1 {
		lists = make([][]uint32, len(m))
	}
	for d := its[0].doc; d != noDoc; {
		all := true
		for _, it := range its[1:] {
			if it.nextGEQ(d); it.doc != d {
				all = false
				d = it.doc
				break
			}
		}
		if !all {
			if its[0].nextGEQ(d); d == noDoc {
				break
			}
			d = its[0].doc
			continue
		}
		if inFields(its, fields, m, lists) {
			out = append(out, d)
		}
		its[0].next()
		d = its[0].doc
	}
	return out
}

// inFields reports whether, at the iterators' common document, m's terms
// occur in one of fields (at their offsets, for several terms).
func inFields(its []*postIter, fields []int, m matcher, lists [][]uint32) bool {
	for _, f := range fields {
		all := true
		for _, it := range its {
			if it.freqs()[f] == 0 {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		if len(m) == 1 {
			return true
		}
		for i, it := range its {
			lists[i] = it.positions(f, lists[i][:0])
		}
		if phraseAt(lists, m) {
			return true
		}
	}
	return false
}

func phraseAt(lists [][]uint32, m matcher) bool {
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
