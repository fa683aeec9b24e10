package search

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"sync"

	"paperboy"
)

// Score scores the papers ids for the query q as RankWith with o ranks
// them (o.Rescore aside), and returns the scores in the order of ids: 0
// for a paper not in the index, not matching the query, or filtered out
// by it. Rank fusion uses it to score lexically the papers another ranking
// found.
func (e *Engine) Score(ctx context.Context, q paperboy.SearchQuery, ids []paperboy.ArxivID, o RankOptions) ([]float64, error) {
	pq, err := e.Prepare(q.Text, o)
	if err != nil {
		return nil, err
	}
	return pq.Score(ctx, ids)
}

// Score is Engine.Score of the prepared query and options.
func (pq *Prepared) Score(ctx context.Context, ids []paperboy.ArxivID) ([]float64, error) {
	ms, err := pq.match(ctx, ids, false)
	out := make([]float64, len(ms))
	for i, m := range ms {
		out[i] = m.Score
	}
	return out, err
}

// Match is how one paper matches a prepared query.
type Match struct {
	// Score is the paper's score, as Score gives it.
	Score float64
	// Coverage is the share of the query's words the paper holds in any
	// field, each word weighted by its idf: 1 when it holds them all, 0
	// when none, or when it is not in the index or filtered out. Words no
	// paper holds are left out. A long query counts only the words its
	// ranking keeps (RankOptions.MaxTerms).
	Coverage float64
}

// Matches is Score with each paper's coverage of the query's words.
// Rank fusion uses it to favour the papers that hold more of a
// question's words among those found by meaning.
func (pq *Prepared) Matches(ctx context.Context, ids []paperboy.ArxivID) ([]Match, error) {
	return pq.match(ctx, ids, true)
}

func (pq *Prepared) match(ctx context.Context, ids []paperboy.ArxivID, coverage bool) ([]Match, error) {
	p := pq.p
	v := pq.e.cur.Load()
	out := make([]Match, len(ids))
	if !p.rankedIn(v) {
		return out, nil
	}
	p = v.rarestOf(p, pq.o.MaxTerms)
	hits, at := v.findAll(ids)
	var cover []float64
	if coverage {
		cover = make([]float64, len(hits))
	}
	v.rescore(p, pq.e.params, hits, cover, pq.o.Workers)
	for j, h := range hits {
		out[at[j]].Score = h.score
		if coverage {
			out[at[j]].Coverage = cover[j]
		}
	}
	runtime.KeepAlive(v)
	return out, ctx.Err()
}

// rankedIn reports whether p ranks papers in v: it is no ID lookup, asks
// for something, ranks by score, and v holds papers.
func (p *plan) rankedIn(v *view) bool {
	return p.id == "" && !p.empty && p.ranked() && v.live > 0
}

// findAll returns the hits of the papers ids that v holds, and the place
// in ids of each.
func (v *view) findAll(ids []paperboy.ArxivID) (hits []vhit, at []int) {
	hits, at = make([]vhit, 0, len(ids)), make([]int, 0, len(ids))
	for i, id := range ids {
		if si, doc, ok := v.find(id); ok {
			hits = append(hits, vhit{seg: si, doc: doc})
			at = append(at, i)
		}
	}
	return hits, at
}

// rankParams are the engine's parameters as a ranking with o compiles
// its query.
func (e *Engine) rankParams(o RankOptions) Params {
	prm := e.params
	if o.AnyWord {
		prm.LongQuery = 2
	}
	return prm
}

// rarestOf is p with only its n rarest words when it is an any-word query
// without phrases of more than n words (n > 0); otherwise p.
func (v *view) rarestOf(p *plan, n int) *plan {
	if n > 0 && p.anyWord && len(p.phrases) == 0 && len(p.words) > n {
		return v.rarest(p, n)
	}
	return p
}

// rescore sets the score of each hit (its segment and document given) to
// its score under p: 0 when it does not match p or p's filters exclude
// it. The hits keep their order. With cover not nil, it also sets cover[i]
// to hits[i]'s coverage of p's terms (see Match). With workers above 1,
// the segments' hits are scored on that many goroutines at most, for the
// same scores.
func (v *view) rescore(p *plan, prm Params, hits []vhit, cover []float64, workers int) {
	groups := bySegment(hits)
	r := newRunner(v, p, prm, 1) // looks up the terms before any goroutine starts
	var total float64            // the idf of p's terms that some document holds
	if cover != nil {
		for ci, idf := range r.idf {
			if v.df(p, p.scoreTerms[ci]) > 0 {
				total += idf
			}
		}
	}
	required := p.phrases
	if !p.anyWord {
		required = multiTerm(p.words, p.phrases)
	}
	sc := func(r *runner, g []int) { r.rescoreSegment(required, hits, g, cover, total) }
	workers = max(1, min(workers, len(groups), runtime.GOMAXPROCS(0)))
	if workers == 1 {
		for _, g := range groups {
			sc(r, g)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		fr := r.fork()
		wg.Go(func() {
			for i := w; i < len(groups); i += workers {
				sc(fr, groups[i])
			}
		})
	}
	wg.Wait()
}

// bySegment returns the places of hits in segment and document order, cut
// by segment.
func bySegment(hits []vhit) [][]int {
	order := make([]int, len(hits))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(hits[a].seg, hits[b].seg), cmp.Compare(hits[a].doc, hits[b].doc))
	})
	var groups [][]int
	for start := 0; start < len(order); {
		end := start + 1
		for end < len(order) && hits[order[end]].seg == hits[order[start]].seg {
			end++
		}
		groups = append(groups, order[start:end])
		start = end
	}
	return groups
}

// rescoreSegment scores the hits at the places g, all of one segment, in
// document order, and with cover not nil sets their coverage: the idf of
// the terms each holds over total.
func (r *runner) rescoreSegment(required []matcher, hits []vhit, g []int, cover []float64, total float64) {
	p := r.p
	si := hits[g[0]].seg
	sv := r.v.segs[si]
	f := filterFor(sv, p, required, true)
	cs, _ := r.cursors(si)
	for _, i := range g {
		h := &hits[i]
		h.score = 0
		if f.none || !f.ok(h.doc) {
			continue
		}
		all := len(cs) == len(p.scoreTerms)
		held := 0.0
		for _, c := range cs {
			c.it.nextGEQ(h.doc)
			all = all && c.it.doc == h.doc
			if c.it.doc == h.doc {
				held += c.idf
			}
		}
		if cover != nil && total > 0 {
			cover[i] = held / total
		}
		if score, word := r.score(sv.seg, h.doc, cs); word && (p.anyWord || all) {
			h.score = score
		}
	}
}
