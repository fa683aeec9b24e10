package search

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
)

// runner executes one compiled query over a view.
type runner struct {
	v       *view
	p       *plan
	m       *bm25f
	idf     []float64       // of each score term, over the view
	at      [][]segTerm     // each score term's stats in each segment
	words   map[string]bool // terms of the words
	contrib []float64
	top     *topk
	pinned  map[[2]uint32]bool // (segment, doc) of the pins
	// multi are the multi-term matchers (phrases) an AND match must
	// contain, checked per candidate; multiCi their terms' places in
	// plan.scoreTerms. byTerm, multiIts and lists are scratch for them.
	multi    []matcher
	multiCi  [][]int
	byTerm   []*postIter
	multiIts []*postIter
	lists    [][]uint32
	blockUB  []float64 // scratch for probe
	noPrune  bool      // score every match (for tests)
	slack    float64   // above 1: prune documents below slack times the threshold (see RankOptions)
	workers  int       // goroutines for the segment searches (see RankOptions)
	from, to uint32    // the documents [from, to) of the segment being searched
	pruned   bool      // some document was skipped unscored
	count    int       // matches scored
}

func newRunner(v *view, p *plan, prm Params, n int) *runner {
	r := &runner{v: v, p: p, m: newBM25F(prm, v.docs, v.totalLen), words: map[string]bool{},
		contrib: make([]float64, len(p.scoreTerms)), pinned: map[[2]uint32]bool{}, to: noDoc}
	for _, t := range p.scoreTerms {
		idf := r.m.idf(v.df(p, t))
		if prm.TitleAffinity > 0 {
			idf *= v.affinity(p, t, prm.TitleAffinity)
		}
		r.idf = append(r.idf, idf)
		r.at = append(r.at, v.terms(p, t))
	}
	for _, w := range p.words {
		for _, qt := range w {
			r.words[qt.term] = true
		}
	}
	r.top = &topk{k: min(n, v.live), ranked: p.ranked()}
	r.multi = multiTerm(p.words, p.phrases)
	r.byTerm = make([]*postIter, len(p.scoreTerms))
	longest := 0
	for _, m := range r.multi {
		ci := make([]int, len(m))
		for j, qt := range m {
			ci[j] = slices.Index(p.scoreTerms, qt.term)
		}
		r.multiCi = append(r.multiCi, ci)
		longest = max(longest, len(m))
	}
	r.multiIts, r.lists = make([]*postIter, longest), make([][]uint32, longest)
	return r
}

// run returns the first n documents matching p, best first, and the
// number of matches: exact when every match was scored, otherwise (when
// dynamic pruning skipped documents that could not make the top n) a lower
// bound.
func (v *view) run(p *plan, prm Params, n int) ([]vhit, int) {
	hits, total, _ := v.exec(p, prm, n, false, RankOptions{})
	return hits, total
}

// runWith is run, or with noPrune, scoring every match; pruned reports
// whether pruning skipped any document.
func (v *view) runWith(p *plan, prm Params, n int, noPrune bool) (hits []vhit, total int, pruned bool) {
	return v.exec(p, prm, n, noPrune, RankOptions{})
}

// exec is runWith with options.
func (v *view) exec(p *plan, prm Params, n int, noPrune bool, o RankOptions) (hits []vhit, total int, pruned bool) {
	if p.id != "" {
		if si, doc, ok := v.find(p.id); ok {
			return []vhit{v.hitOf(si, doc, 0, 0)}, 1, false
		}
		return nil, 0, false
	}
	if p.empty || v.live == 0 {
		return nil, 0, false
	}
	p = v.rarestOf(p, o.MaxTerms)
	if few := v.rarestOf(p, o.Rescore); few != p && v.common(p, o.RescoreAbove) {
		o.Rescore = 0
		hits, total, _ = v.exec(few, prm, n, noPrune, o)
		v.rescore(p, prm, hits, nil, o.Workers)
		slices.SortFunc(hits, func(a, b vhit) int { return orderHits(&a, &b, true) })
		return hits, total, true
	}
	r := newRunner(v, p, prm, n)
	r.noPrune, r.slack, r.workers = noPrune, o.Slack, min(o.Workers, runtime.GOMAXPROCS(0))
	pins := r.pins()
	switch {
	case !p.ranked():
		r.unranked()
	case p.anyWord:
		r.each((*runner).orSegment, p.phrases)
	case len(p.words) > 1 && !r.anyAll():
		r.fallback()
	default:
		r.each((*runner).andSegment, nil)
	}
	out := append(pins, r.top.sorted()...)
	return out[:min(n, len(out))], r.count + len(pins), r.pruned
}

// common reports whether p's words are found, together, in more than
// share times the documents (their document frequencies summed): what
// ranking them costs grows with that sum.
func (v *view) common(p *plan, share float64) bool {
	sum := 0
	for _, w := range p.words {
		sum += v.df(p, w[0].term)
	}
	return float64(sum) > share*float64(v.docs)
}

// rarest returns a copy of the long query p that keeps its n words found
// in the fewest documents (ties: the earlier word), in query order.
func (v *view) rarest(p *plan, n int) *plan {
	df := make(map[string]int, len(p.words))
	byDF := slices.Clone(p.words)
	for _, w := range byDF {
		df[w[0].term] = v.df(p, w[0].term)
	}
	slices.SortStableFunc(byDF, func(a, b matcher) int { return cmp.Compare(df[a[0].term], df[b[0].term]) })
	keep := map[string]bool{}
	for _, w := range byDF[:n] {
		keep[w[0].term] = true
	}
	q := *p
	q.words, q.scoreTerms = nil, nil
	for _, w := range p.words {
		if keep[w[0].term] {
			q.words = append(q.words, w)
			q.scoreTerms = append(q.scoreTerms, w[0].term)
		}
	}
	return &q
}

func (v *view) hitOf(si int, doc uint32, score float64, pin int) vhit {
	s := v.segs[si].seg
	return vhit{seg: si, doc: doc, score: score, pin: pin, submitted: s.sub(doc), id: s.id(doc)}
}

func (r *runner) threshold() float64 {
	if r.noPrune {
		return math.Inf(-1)
	}
	th := r.top.threshold()
	if r.slack > 1 && th > 0 {
		th *= r.slack
	}
	return th
}

func (r *runner) offer(si int, doc uint32, score float64) {
	if r.pinned[[2]uint32{uint32(si), doc}] {
		return
	}
	r.count++
	if r.top.ranked && score < r.top.threshold() {
		return // cannot enter: spare looking up its ID and date
	}
	r.top.offer(r.v.hitOf(si, doc, score, 2))
}

// each runs a segment search over every segment, sharing the top k. With
// workers, the segments are cut into parts of about equal size, dealt out
// in turn to that many goroutines, each with a top k of its own, and their
// tops merged: the same top k (pruning against a part of the documents'
// threshold is safe for all of them) and, as the parts are dealt out in a
// fixed way, the same results with slack too.
func (r *runner) each(search func(r *runner, si int, f *segFilter), required []matcher) {
	parts := r.parts(required)
	if r.workers < 2 {
		for _, pt := range parts {
			search(r, pt.seg, pt.f)
		}
		return
	}
	forks := make([]*runner, min(r.workers, len(parts)))
	var wg sync.WaitGroup
	for w := range forks {
		fr := r.fork()
		forks[w] = fr
		wg.Go(func() {
			for i := w; i < len(parts); i += len(forks) {
				pt := parts[i]
				fr.from, fr.to = pt.from, pt.to
				search(fr, pt.seg, pt.f)
			}
		})
	}
	wg.Wait()
	for _, fr := range forks {
		r.count += fr.count
		r.pruned = r.pruned || fr.pruned
		for _, h := range fr.top.h {
			r.top.offer(h)
		}
	}
}

// part is a range of documents of one segment, searched on its own.
type part struct {
	seg      int
	f        *segFilter
	from, to uint32
}

// minPart is the fewest documents worth a part of their own (a variable
// for tests).
var minPart = 20000

// parts returns the segments to search with their filters, in order, as
// whole parts for one worker; for several, cut into parts of at most a
// quarter of a worker's share of the documents, largest first.
func (r *runner) parts(required []matcher) []part {
	var out []part
	for si, sv := range r.v.segs {
		if sv.live() == 0 {
			continue
		}
		if f := filterFor(sv, r.p, required, true); !f.none {
			out = append(out, part{seg: si, f: f, to: noDoc})
		}
	}
	if r.workers < 2 {
		return out
	}
	total := 0
	for _, sv := range r.v.segs {
		total += sv.seg.n
	}
	size := max(minPart, (total+4*r.workers-1)/(4*r.workers))
	var cut []part
	for _, pt := range out {
		n := r.v.segs[pt.seg].seg.n
		pieces := (n + size - 1) / size
		for i := range pieces {
			cut = append(cut, part{seg: pt.seg, f: pt.f, from: uint32(i * n / pieces), to: uint32((i + 1) * n / pieces)})
		}
	}
	slices.SortStableFunc(cut, func(a, b part) int { return cmp.Compare(b.to-b.from, a.to-a.from) })
	return cut
}

// fork returns a runner for another goroutine: the same query, with its
// own top k and scratch.
func (r *runner) fork() *runner {
	fr := *r
	fr.top = &topk{k: r.top.k, ranked: r.top.ranked}
	fr.contrib = make([]float64, len(r.contrib))
	fr.byTerm = make([]*postIter, len(r.byTerm))
	fr.multiIts, fr.lists = make([]*postIter, len(r.multiIts)), make([][]uint32, len(r.lists))
	fr.blockUB = nil
	fr.count, fr.pruned = 0, false
	return &fr
}

// pins returns the live papers whose title is the whole query, scored if
// they match it, and marks them so the search proper skips them.
func (r *runner) pins() []vhit {
	if r.p.titleKey == "" {
		return nil
	}
	h := hashTitle(r.p.titleKey)
	var out []vhit
	for si, sv := range r.v.segs {
		for _, doc := range sv.seg.withTitle(h) {
			if !sv.isLive(doc) {
				continue
			}
			r.pinned[[2]uint32{uint32(si), doc}] = true
			out = append(out, r.v.hitOf(si, doc, r.pinScore(si, doc), 1))
		}
	}
	slices.SortFunc(out, func(a, b vhit) int { return orderHits(&a, &b, r.p.ranked()) })
	return out
}

// pinScore is the score of a pinned document, 0 unless it matches the query.
func (r *runner) pinScore(si int, doc uint32) float64 {
	sv := r.v.segs[si]
	if !r.p.ranked() {
		return 0
	}
	fallback := !r.p.anyWord && len(r.p.words) > 1 && !r.anyAll()
	required := multiTerm(r.p.words, r.p.phrases)
	if r.p.anyWord || fallback {
		required = r.p.phrases
	}
	if !filterFor(sv, r.p, required, true).ok(doc) {
		return 0
	}
	cs, all := r.cursors(si)
	for _, c := range cs {
		c.it.nextGEQ(doc)
	}
	score, word := r.score(sv.seg, doc, cs)
	switch {
	case fallback:
		if matched := r.wordsMatched(sv.seg, doc); matched > 0 {
			return score * float64(matched) / float64(len(r.p.words))
		}
		return 0
	case r.p.anyWord:
		if word {
			return score
		}
		return 0
	}
	for _, c := range cs {
		if c.it.doc != doc {
			return 0
		}
	}
	if !all {
		return 0
	}
	return score
}

// unranked lists the documents that pass the filters, newest first.
func (r *runner) unranked() {
	for si, sv := range r.v.segs {
		f := filterFor(sv, r.p, nil, true)
		for doc := range uint32(sv.seg.n) {
			if f.ok(doc) && sv.isLive(doc) {
				r.offer(si, doc, 0)
			}
		}
	}
}
