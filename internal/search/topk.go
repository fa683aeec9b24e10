package search

import (
	"cmp"
	"math"
	"slices"

	"paperboy"
)

// vhit is one matching document of a view.
type vhit struct {
	seg       int
	doc       uint32
	score     float64
	pin       int // 0 for the ID asked for, 1 for exact-title matches, 2 otherwise
	submitted int64
	id        paperboy.ArxivID
}

// orderHits compares results: pinned first, then by score when ranked,
// then newest first, then by ID.
func orderHits(a, b *vhit, ranked bool) int {
	if c := cmp.Compare(a.pin, b.pin); c != 0 {
		return c
	}
	if ranked {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(b.submitted, a.submitted); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// topk keeps the best k hits offered, in a heap whose root is the worst.
type topk struct {
	k      int
	ranked bool
	h      []vhit
}

// threshold is the score a document must reach to enter; -Inf while the
// heap is not full. A document scoring exactly the threshold may still
// enter by date or ID, so only a bound strictly below it prunes.
func (t *topk) threshold() float64 {
	if len(t.h) < t.k {
		return math.Inf(-1)
	}
	return t.h[0].score
}

func (t *topk) worse(i, j int) bool { return orderHits(&t.h[i], &t.h[j], t.ranked) > 0 }

func (t *topk) offer(h vhit) {
	if t.k <= 0 {
		return
	}
	if len(t.h) < t.k {
		t.h = append(t.h, h)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if !t.worse(i, p) {
				break
			}
			t.h[i], t.h[p] = t.h[p], t.h[i]
			i = p
		}
		return
	}
	if orderHits(&h, &t.h[0], t.ranked) >= 0 {
		return
	}
	t.h[0] = h
	for i := 0; ; {
		w, l, r := i, 2*i+1, 2*i+2
		if l < len(t.h) && t.worse(l, w) {
			w = l
		}
		if r < len(t.h) && t.worse(r, w) {
			w = r
		}
		if w == i {
			return
		}
		t.h[i], t.h[w] = t.h[w], t.h[i]
		i = w
	}
}

func (t *topk) sorted() []vhit {
	out := slices.Clone(t.h)
	slices.SortFunc(out, func(a, b vhit) int { return orderHits(&a, &b, t.ranked) })
	return out
}

// prunes reports whether a document whose score is at most ub cannot
// enter above threshold th; the margin absorbs rounding, since bounds and
// scores sum the same numbers in different orders.
func prunes(ub, th float64) bool { return ub+1e-9*(1+math.Abs(ub)) < th }

// cursor is one query term in one segment.
type cursor struct {
	ci   int // its place in plan.scoreTerms, the order scores are summed in
	idf  float64
	ub   float64 // bound over the segment
	word bool    // one of the words (in OR mode, a match needs one)
	it   *postIter
	// hi is the term's high-impact list (nil for none), and rest bounds
	// the documents not in it (see impact.go).
	hi   *impactIter
	rest float64
}

// cursors opens the query terms present in segment si, and reports
// whether all of them are.
func (r *runner) cursors(si int) ([]*cursor, bool) {
	var out []*cursor
	all := true
	s := r.v.segs[si].seg
	scale := r.m.boundScale(s)
	for ci, term := range r.p.scoreTerms {
		t := r.at[ci][si]
		if !t.ok {
			all = false
			continue
		}
		c := &cursor{ci: ci, idf: r.idf[ci], word: r.words[term], it: newPostIter(s, t.st)}
		c.ub = r.m.bound(c.idf, c.it.st.maxTF[:], c.it.st.minLen[:])
		if scale > 0 && c.it.st.nBlocks > 1 {
			c.it.scale = scale
			c.ub = min(c.ub, r.m.sat(c.idf, c.it.termDocBound()*scale))
			if hi, rest, ok := s.impactOf(c.it.st.block0); ok {
				c.hi, c.rest = hi, min(c.ub, r.m.sat(c.idf, rest*scale))
			}
		}
		out = append(out, c)
	}
	return out, all
}

// score sums the contributions of the cursors positioned on doc, in query
// order; it reports whether one of them is a word.
func (r *runner) score(s *segment, doc uint32, cs []*cursor) (float64, bool) {
	contrib := r.contrib
	clear(contrib)
	word := false
	for _, c := range cs {
		if c.it.doc == doc {
			contrib[c.ci] = r.m.sat(c.idf, r.m.tf(s, doc, c.it.freqs()))
			word = word || c.word
		}
	}
	var sum float64
	for _, x := range contrib {
		sum += x
	}
	return sum, word
}
