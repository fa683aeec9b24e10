package search

import (
	"context"
	"math"
	"runtime"
	"slices"
	"unicode/utf8"

	"paperboy"
)

// Likelihoods returns the log-likelihood of the query's words under each
// paper's language model, in the order of ids: its title and abstract's
// words smoothed by the corpus's with a Dirichlet prior (Zhai and
// Lafferty, 2001; see Params.Dirichlet). Ranking by it is ranking by
// query likelihood. Unlike BM25 it charges a paper for each word it
// lacks, the more the shorter the paper. Every word counts, however long
// the query, and a hyphenated compound counts as its parts
// (likelihoodTerms). With tr not nil, a word's related words stand in
// part for it (Translation). -Inf for a paper not in the index or
// filtered out, and for every paper when the query ranks nothing (an ID,
// filters alone). Rank fusion uses it to favour, among its best papers,
// those that hold all of a question's words.
func (pq *Prepared) Likelihoods(ctx context.Context, ids []paperboy.ArxivID, tr *Translation) ([]float64, error) {
	v := pq.e.cur.Load()
	out := make([]float64, len(ids))
	for i := range out {
		out[i] = math.Inf(-1)
	}
	if !pq.p.rankedIn(v) {
		return out, nil
	}
	hits, at := v.findAll(ids)
	for j, ll := range v.likelihoods(pq.p, pq.e.params, hits, tr) {
		out[at[j]] = ll
	}
	runtime.KeepAlive(v)
	return out, ctx.Err()
}

// Translation lets the words related to a query's word stand in part for
// it in Likelihoods, a translation language model (Berger and Lafferty,
// 1999): a word's count in a paper is (1 - Share) times its own count plus
// Share times its related words' counts, each weighed by its share of
// their weights. A paper that says "cellular clocks" then holds some of
// "circadian". A word Related gives nothing for keeps its own count.
type Translation struct {
	// Related returns the words related to a term, as the index has its
	// terms (stemmed, lower-case). It is called once per term and query.
	Related func(term string) []Related
	Share   float64 // in [0, 1]
}

// Related is a word related to another and its weight, at least 0.
type Related struct {
	Term   string
	Weight float64
}

// related returns, for each of p's likelihood terms, its related terms'
// stats in each segment of hits and their weights, summing to 1 (nil for a
// term with none). A related term is looked up only in the segments
// holding hits: a query's 10 related words per word are most of its
// dictionary lookups.
func (v *view) related(p *plan, tr *Translation, hits []vhit) [][]relatedTerm {
	if tr == nil || tr.Related == nil || tr.Share <= 0 {
		return nil
	}
	in := make([]bool, len(v.segs))
	for _, h := range hits {
		in[h.seg] = true
	}
	out := make([][]relatedTerm, len(p.likeTerms))
	for ci, t := range p.likeTerms {
		var sum float64
		for _, r := range tr.Related(t) {
			if r.Weight > 0 && r.Term != t {
				out[ci] = append(out[ci], relatedTerm{at: v.termsIn(p, r.Term, in), w: r.Weight})
				sum += r.Weight
			}
		}
		for j := range out[ci] {
			out[ci][j].w /= sum
		}
	}
	return out
}

// relatedTerm is a related word's stats in each segment and its weight.
type relatedTerm struct {
	at []segTerm
	w  float64
}

// likelihoodTerms returns the distinct terms of texts analyzed as papers
// are, without a hyphenated compound's joined form and without terms of
// one character: the words whose likelihood Prepared.Likelihoods gives.
// "double-strand" counts as "double" and "strand", which papers writing
// "double strand" hold too; its joined form, which they lack, would
// charge them for a word they have. A lone digit or letter ("1 in 5",
// "type 2") says little of a paper's subject and would charge papers
// for lacking it (on SciFact train, nDCG@10 0.7212 without them, 0.7204
// with them).
func likelihoodTerms(texts []string) []string {
	var out []string
	for _, s := range texts {
		toks := analyze(s, docText)
		for i, t := range toks {
			if joinedForm(toks, i) || utf8.RuneCountInString(t.term) < 2 || slices.Contains(out, t.term) {
				continue
			}
			out = append(out, t.term)
		}
	}
	return out
}

// joinedForm reports whether toks[i] is a compound's joined form: it
// shares its position with the compound's parts and spans them all.
func joinedForm(toks []token, i int) bool {
	t := toks[i]
	parts := 0
	start, end := t.start, t.end
	for _, o := range toks {
		if o.pos == t.pos {
			parts++
			start, end = min(start, o.start), max(end, o.end)
		}
	}
	return parts > 1 && t.start == start && t.end == end
}

// likelihoods returns the query's likelihood under each hit's words (see
// Prepared.Likelihoods): -Inf for a hit p's filters exclude. A term's corpus
// probability is its document frequency plus one over the words of all
// titles and abstracts: the index keeps no collection frequencies, and a
// term's papers stand for its occurrences.
func (v *view) likelihoods(p *plan, prm Params, hits []vhit, tr *Translation) []float64 {
	mu := prm.Dirichlet
	if mu <= 0 {
		mu = DefaultParams().Dirichlet
	}
	words := float64(v.totalLen[fieldTitle] + v.totalLen[fieldAbstract] + 1)
	at := make([][]segTerm, len(p.likeTerms)) // each term's stats in each segment
	muP := make([]float64, len(p.likeTerms))  // each term's corpus probability times mu
	var base float64                          // what a paper without any of the terms has before its length's share
	for ci, t := range p.likeTerms {
		at[ci] = v.terms(p, t)
		muP[ci] = mu * float64(v.df(p, t)+1) / words
		base += math.Log(muP[ci])
	}
	rel := v.related(p, tr, hits)
	out := make([]float64, len(hits))
	its := make([]*postIter, len(at))
	relIts := make([][]*postIter, len(rel))
	// One iterator per term, reset in each segment: with related words a
	// query has a hundred terms or more, and allocating their iterators
	// anew in every segment cost as much as reading them.
	size := len(at)
	for _, rs := range rel {
		size += len(rs)
	}
	pool := make([]postIter, size)
	var free []postIter // the pool's iterators not yet opened in this segment
	// open returns an iterator over t's postings in sv, before its first
	// block (nextGEQ finds a hit's block without decoding the first).
	open := func(sv *segView, t segTerm) *postIter {
		if !t.ok {
			return nil
		}
		it := &free[0]
		free = free[1:]
		sv.seg.reset(it, t.st)
		return it
	}
	for _, g := range bySegment(hits) {
		si := hits[g[0]].seg
		sv := v.segs[si]
		f := filterFor(sv, p, nil, true)
		free = pool
		for ci := range at {
			its[ci] = open(sv, at[ci][si])
		}
		for ci, rs := range rel {
			relIts[ci] = relIts[ci][:0]
			for _, r := range rs {
				relIts[ci] = append(relIts[ci], open(sv, r.at[si]))
			}
		}
		for _, i := range g {
			doc := hits[i].doc
			if f.none || !f.ok(doc) {
				out[i] = math.Inf(-1)
				continue
			}
			ll := base
			for ci, it := range its {
				tf := textFreq(it, doc)
				if ci < len(rel) && len(rel[ci]) > 0 {
					var other float64
					for j, rit := range relIts[ci] {
						other += rel[ci][j].w * textFreq(rit, doc)
					}
					tf = (1-tr.Share)*tf + tr.Share*other
				}
				if tf > 0 {
					ll += math.Log1p(tf / muP[ci])
				}
			}
			length := sv.seg.fieldLen(fieldTitle, doc) + sv.seg.fieldLen(fieldAbstract, doc)
			out[i] = ll - float64(len(muP))*math.Log(float64(length)+mu)
		}
	}
	return out
}

// textFreq returns how often doc holds the iterator's term in its title and
// abstract, moving it to doc (it nil: 0). Successive calls must ask for
// documents in increasing order.
func textFreq(it *postIter, doc uint32) float64 {
	if it == nil {
		return 0
	}
	if it.nextGEQ(doc); it.doc != doc {
		return 0
	}
	tfs := it.freqs()
	return float64(tfs[fieldTitle] + tfs[fieldAbstract])
}
