package search

import (
	"cmp"
	"context"
	"runtime"
	"slices"

	"paperboy"
)

// Score scores the papers ids for the query q as RankWith with o ranks
// them (o.Rescore aside), and returns the scores in the order of ids: 0
// for a paper not in the index, not matching the query, or filtered out
// by it. Rank fusion uses it to score lexically the papers another ranking
// found.
func (e *Engine) Score(ctx context.Context, q paperboy.SearchQuery, ids []paperboy.ArxivID, o RankOptions) ([]float64, error) {
	query, err := ParseQuery(q.Text)
	if err != nil {
		return nil, err
	}
	p := compile(query, e.rankParams(o))
	v := e.cur.Load()
	out := make([]float64, len(ids))
	if p.id != "" || p.empty || !p.ranked() || v.live == 0 {
		return out, nil
	}
	p = v.rarestOf(p, o.MaxTerms)
	hits := make([]vhit, 0, len(ids))
	at := make([]int, 0, len(ids)) // the place in ids of each hit
	for i, id := range ids {
		if si, doc, ok := v.find(id); ok {
			hits = append(hits, vhit{seg: si, doc: doc})
			at = append(at, i)
		}
	}
	v.rescore(p, e.params, hits)
	for j, h := range hits {
		out[at[j]] = h.score
	}
	runtime.KeepAlive(v)
	return out, ctx.Err()
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
// it. The hits keep their order.
func (v *view) rescore(p *plan, prm Params, hits []vhit) {
	order := make([]int, len(hits))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(hits[a].seg, hits[b].seg), cmp.Compare(hits[a].doc, hits[b].doc))
	})
	r := newRunner(v, p, prm, 1)
	required := p.phrases
	if !p.anyWord {
		required = multiTerm(p.words, p.phrases)
	}
	for start := 0; start < len(order); {
		si := hits[order[start]].seg
		end := start
		for end < len(order) && hits[order[end]].seg == si {
			end++
		}
		sv := v.segs[si]
		f := filterFor(sv, p, required, true)
		cs, _ := r.cursors(si)
		for _, i := range order[start:end] {
			h := &hits[i]
			h.score = 0
			if f.none || !f.ok(h.doc) {
				continue
			}
			all := len(cs) == len(p.scoreTerms)
			for _, c := range cs {
				c.it.nextGEQ(h.doc)
				all = all && c.it.doc == h.doc
			}
			if score, word := r.score(sv.seg, h.doc, cs); word && (p.anyWord || all) {
				h.score = score
			}
		}
		start = end
	}
}
