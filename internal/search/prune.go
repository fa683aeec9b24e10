package search

import (
	"cmp"
	"math"
	"slices"
)

// orSegment ranks the documents of a segment matching any word with
// MaxScore (Turtle and Flood, 1995): terms sorted by their bound; the
// longest prefix whose bounds sum below the top k's threshold is
// "non-essential": a document matching only those cannot enter, so
// candidates come from the other lists alone, and the non-essential ones
// are only probed, most promising first, until the bound of what is left
// falls short.
func (r *runner) orSegment(si int, f *segFilter) {
	s := r.v.segs[si].seg
	cs, _ := r.cursors(si)
	if len(cs) == 0 {
		return
	}
	r.seek(cs)
	slices.SortFunc(cs, func(a, b *cursor) int { return cmp.Compare(a.ub, b.ub) })
	prefix := make([]float64, len(cs)) // prefix[i]: sum of the bounds of cs[:i+1]
	sum := 0.0
	for i, c := range cs {
		sum += c.ub
		prefix[i] = sum
	}
	checked := int64(-1) // the block bounds up to this document were checked, and did not prune
	for {
		th := r.threshold()
		e := 0
		for e < len(cs) && prunes(prefix[e], th) {
			e++
		}
		if e == len(cs) {
			r.pruned = true
			return
		}
		if e > 0 {
			r.pruned = true
		}
		doc := uint32(noDoc)
		for _, c := range cs[e:] {
			doc = min(doc, c.it.doc)
		}
		if doc >= r.to {
			return
		}
		if !r.noPrune && th > math.Inf(-1) && int64(doc) > checked {
			next, skip := r.orBlockSkip(cs, doc, th)
			if !skip {
				checked = int64(next)
			} else {
				r.pruned = true
				if next == noDoc {
					return
				}
				for _, c := range cs[e:] {
					c.it.nextGEQ(next)
				}
				continue
			}
		}
		if f.ok(doc) {
			if score, word, ok := r.probe(s, doc, cs, e, prefix, th); ok && word {
				r.offer(si, doc, score)
			}
		}
		for _, c := range cs[e:] {
			if c.it.doc == doc {
				c.it.next()
			}
		}
	}
}

// seek moves the cursors to the first document of the range searched.
func (r *runner) seek(cs []*cursor) {
	if r.from > 0 {
		for _, c := range cs {
			c.it.nextGEQ(r.from)
		}
	}
}

// orBlockSkip checks the blocks every cursor holds doc in, or would: when
// their bounds sum below th, no document up to the first of those blocks'
// ends can enter, and it reports skip with the document after that end
// (noDoc when no list goes further); otherwise it returns that end, up to
// which the same blocks hold.
func (r *runner) orBlockSkip(cs []*cursor, doc uint32, th float64) (next uint32, skip bool) {
	ub, last, _ := r.blockRegion(cs, doc)
	if !prunes(ub, th) {
		return last, false
	}
	if last >= noDoc-1 {
		return noDoc, true
	}
	return last + 1, true
}

// blockRegion sums the bounds of the blocks the cursors hold doc in, or
// would, and returns the first of those blocks' ends: up to there, no
// document can score more than ub. all is false when some cursor has no
// block left (it adds nothing).
func (r *runner) blockRegion(cs []*cursor, doc uint32) (ub float64, last uint32, all bool) {
	last, all = noDoc, true
	for _, c := range cs {
		if !c.it.shallow(doc) {
			all = false
			continue
		}
		ub += c.it.blockBound(r.m, c.idf)
		last = min(last, c.it.lastDoc(c.it.block))
	}
	return ub, last, all
}

// probe scores doc: it moves the non-essential cursors cs[:e] to doc,
// best bound first, and reports false as soon as doc cannot reach the
// threshold th; otherwise it returns doc's score, summed in query order as
// score does, and whether a word matched.
func (r *runner) probe(s *segment, doc uint32, cs []*cursor, e int, prefix []float64, th float64) (score float64, word, ok bool) {
	contrib := r.contrib
	clear(contrib)
	partial := 0.0
	add := func(c *cursor) {
		x := r.m.sat(c.idf, r.m.tf(s, doc, c.it.freqs()))
		contrib[c.ci] = x
		partial += x
		word = word || c.word
	}
	for _, c := range cs[e:] {
		if c.it.doc == doc {
			add(c)
		}
	}
	// The blocks the non-essential cursors hold doc in bound them tighter
	// than their terms do, at the cost of no decoding.
	bb := r.blockUB[:0]
	sum := 0.0
	for _, c := range cs[:e] {
		if c.it.shallow(doc) {
			sum += c.it.blockBound(r.m, c.idf)
		}
		bb = append(bb, sum)
	}
	r.blockUB = bb
	for j := e - 1; j >= 0; j-- {
		if prunes(partial+min(prefix[j], bb[j]), th) {
			return 0, false, false
		}
		c := cs[j]
		if c.it.nextGEQ(doc); c.it.doc == doc {
			add(c)
		}
	}
	for _, x := range contrib {
		score += x
	}
	return score, word, true
}

// andSegment ranks the documents of a segment containing every query term,
// led by the rarest term, with block-max skipping: where the bounds of the
// blocks the terms are in sum below the threshold, every document up to
// the first of those blocks' ends is skipped undecoded.
func (r *runner) andSegment(si int, f *segFilter) {
	s := r.v.segs[si].seg
	cs, all := r.cursors(si)
	if !all || len(cs) == 0 {
		return
	}
	slices.SortFunc(cs, func(a, b *cursor) int { return cmp.Compare(a.it.st.df, b.it.st.df) })
	lead := cs[0].it
	r.seek(cs[:1])
	var hi impactGate
	hi.init(cs)
	for doc := lead.doc; doc < r.to; doc = lead.doc {
		if !f.ok(doc) { // on to the next document the filters allow
			if next := f.next(doc + 1); next != noDoc {
				lead.nextGEQ(next)
				continue
			}
			return
		}
		if th := r.threshold(); !r.noPrune && th > -1e308 {
			if next := hi.next(cs, doc, th); next != doc {
				r.pruned = true
				if next == noDoc {
					return
				}
				lead.nextGEQ(next)
				continue
			}
			if skip, ok := r.blockSkip(cs, doc, th); !ok {
				return
			} else if skip {
				continue
			}
		}
		if next, ok := r.align(cs, doc); !ok {
			return
		} else if next != doc {
			lead.nextGEQ(next)
			continue
		}
		if f.ok(doc) {
			if score, _ := r.score(s, doc, cs); r.phrasesAfter(score, cs) {
				r.offer(si, doc, score)
			}
		}
		lead.next()
	}
}

// impactGate keeps an AND search to the documents of the high-impact
// lists (see impact.go) that can still enter the top k: when a document
// in no such list, or missing from one, cannot reach the threshold, the
// next candidate is the next document of their union, or of the
// intersection of those it must be in.
type impactGate struct {
	any      bool
	total    float64 // the terms' bounds
	rest     float64 // a document in no high-impact list scores at most rest
	th       float64 // what required and union were worked out for
	required []*cursor
	union    bool
}

func (g *impactGate) init(cs []*cursor) {
	g.th = math.NaN()
	for _, c := range cs {
		g.total += c.ub
		if c.hi != nil {
			g.rest, g.any = g.rest+c.rest, true
		} else {
			g.rest += c.ub
		}
	}
}

// next returns doc if it may enter at threshold th, or else the next
// document that may (noDoc for none).
func (g *impactGate) next(cs []*cursor, doc uint32, th float64) uint32 {
	if !g.any {
		return doc
	}
	if th != g.th {
		g.th, g.required = th, g.required[:0]
		for _, c := range cs {
			// Without c's high-impact list, a document scores at most:
			if c.hi != nil && prunes(g.total-c.ub+c.rest, th) {
				g.required = append(g.required, c)
			}
		}
		g.union = prunes(g.rest, th)
	}
	switch {
	case len(g.required) > 0: // leapfrog through the lists doc must be in
		for moved := true; moved; {
			moved = false
			for _, c := range g.required {
				if c.hi.nextGEQ(doc); c.hi.doc != doc {
					if doc = c.hi.doc; doc == noDoc {
						return noDoc
					}
					moved = true
				}
			}
		}
		return doc
	case g.union:
		next := uint32(noDoc)
		for _, c := range cs {
			if c.hi != nil {
				c.hi.nextGEQ(doc)
				next = min(next, c.hi.doc)
			}
		}
		return next
	}
	return doc
}

// phrasesAfter reports whether the document the cursors are on, scoring
// score, contains the query's multi-term matchers. Positions are read last
// and only for a document whose score can still enter the top k: checking
// a phrase of common words costs far more than scoring.
func (r *runner) phrasesAfter(score float64, cs []*cursor) bool {
	if len(r.multi) == 0 {
		return true
	}
	if prunes(score, r.threshold()) {
		r.pruned = true
		return false
	}
	return r.phrasesAt(cs)
}

// phrasesAt reports whether the document the cursors are all on contains
// every multi-term matcher of the query, in one field.
func (r *runner) phrasesAt(cs []*cursor) bool {
	byTerm := r.byTerm
	for _, c := range cs {
		byTerm[c.ci] = c.it
	}
	for i, m := range r.multi {
		its := r.multiIts[:len(m)]
		for j, ci := range r.multiCi[i] {
			its[j] = byTerm[ci]
		}
		if !inFields(its, allFields, m, r.lists[:len(m)]) {
			return false
		}
	}
	return true
}

// blockSkip checks the block bounds at doc: it moves the lead past the
// blocks and reports skip when they cannot reach th; ok is false when a
// term has no more documents.
func (r *runner) blockSkip(cs []*cursor, doc uint32, th float64) (skip, ok bool) {
	ub, last, all := r.blockRegion(cs, doc)
	if !all {
		return false, false
	}
	if !prunes(ub, th) {
		return false, true
	}
	r.pruned = true
	if last == noDoc-1 {
		return false, false
	}
	cs[0].it.nextGEQ(last + 1)
	return true, true
}

// align moves the other cursors to doc and returns doc if they all have
// it, or else the first document where the next one might.
func (r *runner) align(cs []*cursor, doc uint32) (uint32, bool) {
	for _, c := range cs[1:] {
		c.it.nextGEQ(doc)
		if c.it.doc == noDoc {
			return 0, false
		}
		if c.it.doc != doc {
			return c.it.doc, true
		}
	}
	return doc, true
}

// anyAll reports whether some live document contains every word and
// phrase, ignoring the filters: when none does, a keyword query falls back
// to ranking documents matching any word.
func (r *runner) anyAll() bool {
	for si, sv := range r.v.segs {
		if sv.live() == 0 {
			continue
		}
		cs, all := r.cursors(si)
		if !all || len(cs) == 0 {
			continue
		}
		f := filterFor(sv, r.p, nil, false)
		lead := cs[0].it
		for doc := lead.doc; doc != noDoc; doc = lead.doc {
			next, ok := r.align(cs, doc)
			if !ok {
				break
			}
			if next != doc {
				lead.nextGEQ(next)
				continue
			}
			if f.ok(doc) && r.phrasesAt(cs) {
				return true
			}
			lead.next()
		}
	}
	return false
}

// fallback ranks, exhaustively, the documents matching any word and every
// phrase, each score scaled by the fraction of the words it matches.
func (r *runner) fallback() {
	for si, sv := range r.v.segs {
		if sv.live() == 0 {
			continue
		}
		s := sv.seg
		f := filterFor(sv, r.p, r.p.phrases, true)
		sets := make([][]uint32, len(r.p.words))
		var cands []uint32
		for i, w := range r.p.words {
			sets[i] = docsFor(s, w, allFields)
			cands = union(cands, sets[i])
		}
		cs, _ := r.cursors(si)
		for _, doc := range cands {
			if !f.ok(doc) {
				continue
			}
			matched := 0
			for _, set := range sets {
				if _, ok := slices.BinarySearch(set, doc); ok {
					matched++
				}
			}
			for _, c := range cs {
				c.it.nextGEQ(doc)
			}
			score, _ := r.score(s, doc, cs)
			r.offer(si, doc, score*float64(matched)/float64(len(r.p.words)))
		}
	}
}

// wordsMatched counts the words that match doc.
func (r *runner) wordsMatched(s *segment, doc uint32) int {
	n := 0
	for _, w := range r.p.words {
		if _, ok := slices.BinarySearch(docsFor(s, w, allFields), doc); ok {
			n++
		}
	}
	return n
}
