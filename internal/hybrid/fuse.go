package hybrid

import (
	"cmp"
	"math"
	"slices"

	"paperboy"
	"paperboy/internal/embed"
	"paperboy/internal/search"
)

// Hit is one ranked paper of one retriever, or of their fusion.
type Hit struct {
	ID    paperboy.ArxivID
	Score float64
}

// Fusion says how the lexical and semantic rankings combine.
type Fusion struct {
	// Method is "linear" (weighted sum of each ranking's scores scaled to
	// [0, 1] by its best score) or "rrf" (reciprocal rank fusion).
	Method string
	// Weight is the semantic ranking's share, in [0, 1]: its weight in
	// "linear", the factor on its reciprocal ranks in "rrf" (the lexical
	// ranking's being 1-Weight).
	Weight float64
	// K is RRF's rank constant (60 in Cormack et al., 2009).
	K float64
	// Depth is how many results each retriever contributes.
	Depth int
	// PRFDocs is how many of the best lexical results move the query's
	// vector towards theirs (Rocchio feedback; 0: none), and PRFWeight how
	// far: the query vector plus PRFWeight times their mean.
	PRFDocs   int
	PRFWeight float64
	// Slack is the lexical ranking's pruning slack (search.RankOptions):
	// above 1 it may miss lexical results below Slack times the
	// Depth-th score, for speed.
	Slack float64
	// AnyWord ranks lexically the papers matching any of the query's
	// words, however few (search.RankOptions.AnyWord).
	AnyWord bool
	// MaxTerms caps the words of the lexical ranking fused
	// (search.RankOptions.MaxTerms; 0: no cap).
	MaxTerms int
	// Rescore, when above 0, ranks a query of more words lexically by its
	// Rescore rarest words and scores what that finds by all of them
	// (search.RankOptions.Rescore); and, for every query, adds the
	// semantic ranking's papers that match its words to the lexical
	// ranking, with their scores (withOthers).
	Rescore int
	// RescoreAbove limits Rescore to queries whose words' document
	// frequencies sum to more than RescoreAbove times the papers
	// (search.RankOptions.RescoreAbove; 0: every query).
	RescoreAbove float64
	// Ef is the beam width of the semantic ranking's walk of the graph (0:
	// the index's, vector.HNSWOptions.EfSearch).
	Ef int
	// Coverage, when above 0, adds to each fused paper's score Coverage
	// times its coverage of the query's words: the share of them it
	// holds, each weighted by its idf (search.Match). Papers found by
	// meaning that lack a question's rare words sink; papers holding all
	// of them rise.
	Coverage float64
	// Likelihood, when above 0, adds to the score of each of the fused
	// ranking's first LikelihoodDepth papers (after Coverage) Likelihood
	// times the query's likelihood under the paper's words
	// (search.Prepared.Likelihoods), scaled to [0, 1] over those papers, and
	// re-sorts them: query likelihood charges a paper for each word it
	// lacks, where BM25 only rewards the words it holds.
	Likelihood      float64
	LikelihoodDepth int
	// Translate, when above 0, lets each query word's related words, by
	// the built-in embedder's word vectors (embed.Model.Related), stand in
	// part for it in that likelihood: Translate is their share of the
	// word's count in a paper, and TranslateTerms how many of its nearest
	// words count (search.Translation). An embedder without word vectors
	// (an external service) leaves the likelihood plain.
	Translate      float64
	TranslateTerms int
	// Seeded starts that walk from the papers feedback moved the query's
	// vector towards, which lie near it, instead of from the graph's top
	// (vector.HNSW.SearchFrom). At 2.5 million papers it found 0.875 of
	// the exact top 10 at ef 256 in p99 5.6 ms, against 0.716 in 8.1 ms
	// from the top (BenchmarkHybridScale; docs/semantic.md).
	Seeded bool
}

// DefaultFusion is the fusion tuned on SciFact train (see TestTuneFusion).
// Its slack left train nDCG@10 where exact ranking has it (0.7048 exact,
// 0.7049 at slack 1.5 and 2, 0.7056 at 3; Recall@100 0.942 -> 0.940 at 2)
// and halves the median time of five-word lexical top 100s. Ranking any
// word's papers for short queries too (AnyWord) took it to 0.7073 (exact:
// 0.7072) and spares them the all-words search and its exhaustive
// fallback. Capping long queries at their 12 rarest words (MaxTerms) left
// nDCG@10 at 0.7073 (8 words: 0.7009, 10: 0.7055) and Recall@100 at 0.938
// (from 0.941), and cuts the p95 of their lexical top 100 at 2.5M papers
// by a fifth. With only true pins pinned (a fix) it is 0.7069. Ranking
// queries of more than 5 words by their 5 rarest and rescoring by all
// (Rescore) left it at 0.7071 (3 words: 0.7043, 4: 0.7066, 6: 0.7070)
// and took Recall@100 from 0.938 to 0.953, as the semantic ranking's
// papers are scored by the words too. Rescoring only queries whose words'
// document frequencies sum to more than 0.2 times the papers
// (RescoreAbove), the costly ones, gave 0.7074 (0.1: 0.7069, 0.3: 0.7074,
// 0.5 and 1: 0.7071) and Recall@100 0.949. Walking the graph from the
// feedback papers (Seeded) leaves SciFact as it is (its 5,183 papers are
// searched exactly) and finds more of the exact semantic top 10 in less
// time at scale. Field lengths read as one-byte codes (search/norms.go)
// gave 0.7070. Boosting each paper by 0.2 times its idf-weighted
// coverage of the query's words (Coverage), with the semantic weight
// raised from 0.2 to 0.3, gave 0.7112 (weight 0.3 alone: 0.7085); chosen
// by 5-fold cross-validation on train over weights 0.2 to 0.35 and
// coverages 0 to 0.4, it scores 0.7102 on the held-out folds, against
// 0.7078 for the weight alone and 0.7070 for the fusion before. Weighing
// the query's words by their title affinity (search.Params, 0.25) gave
// 0.7147, and feedback moving the query's vector by once the top 3's mean
// instead of three times 0.7172; chosen by 5-fold cross-validation over
// title affinities 0, 0.25 and 0.5 and TestTuneFusion's 112 fusions, it
// scores 0.7164 on the held-out folds, and 0.7129 over the seven
// affinities from 0 to 0.5. Boosting the fused top 50 by half the
// query's likelihood under each paper's words (Likelihood) gave 0.7212,
// and with the semantic weight raised to 0.4 and coverage to 0.3, 0.7224;
// chosen by 5-fold cross-validation over TestTuneFusion's 216 fusions,
// 72 of them with the likelihood, it scores 0.7207 on the held-out folds.
// Translating the likelihood's words, each half by its 10 nearest words
// in the built-in embedder's space (Translate, TranslateTerms), at
// likelihood 1 gave 0.7302; with the semantic weight lowered to 0.25 and
// no coverage boost (which the translated likelihood supersedes: 0.7317
// with coverage 0.2, 0.7314 with 0.3), 0.7327. Chosen by 5-fold
// cross-validation over TestTuneFusion's 360 fusions, 144 of them
// translated, it scores 0.7273 on the held-out folds (see
// docs/semantic.md).
func DefaultFusion() Fusion {
	return Fusion{Method: "linear", Weight: 0.25, K: 60, Depth: 100, PRFDocs: 3, PRFWeight: 1, Slack: 2, AnyWord: true, MaxTerms: 12,
		Rescore: 5, RescoreAbove: 0.2, Coverage: 0, Likelihood: 1, LikelihoodDepth: 50, Translate: 0.5, TranslateTerms: 10, Seeded: true}
}

// lexical returns the options of the lexical ranking fused.
func (f Fusion) lexical(workers int) search.RankOptions {
	return search.RankOptions{Slack: f.Slack, AnyWord: f.AnyWord, MaxTerms: f.MaxTerms, Rescore: f.Rescore, RescoreAbove: f.RescoreAbove, Workers: workers}
}

// boostCoverage adds to the score of each paper of fused, best first, w
// times its coverage (by coverage) and re-sorts it, so that its first n
// are as they would be were every paper's score boosted. Only the papers
// that could reach the first n are looked up: those within w of the n-th
// score, a prefix of fused.
func boostCoverage(fused []Hit, n int, w float64, coverage func(ids []paperboy.ArxivID) ([]float64, error)) ([]Hit, error) {
	if w <= 0 || n <= 0 || len(fused) == 0 {
		return fused, nil
	}
	floor := fused[min(n, len(fused))-1].Score - w
	m := len(fused)
	for m > 0 && fused[m-1].Score < floor {
		m--
	}
	cov, err := coverage(idsOf(fused[:m]))
	if err != nil {
		return nil, err
	}
	out := slices.Clone(fused)
	for i := range m {
		out[i].Score += w * cov[i]
	}
	slices.SortFunc(out[:m], byScore)
	return out, nil
}

// translation returns the translation of Likelihood's words by emb's
// related words, or nil where f or emb has none.
func (f Fusion) translation(emb embed.Embedder) *search.Translation {
	r, ok := emb.(embed.TermRelater)
	if !ok || f.Translate <= 0 || f.TranslateTerms <= 0 {
		return nil
	}
	return &search.Translation{Share: f.Translate, Related: func(term string) []search.Related {
		near := r.Related(term)
		out := make([]search.Related, 0, min(len(near), f.TranslateTerms))
		for _, x := range near[:min(len(near), f.TranslateTerms)] {
			out = append(out, search.Related{Term: x.Term, Weight: float64(x.Cosine)})
		}
		return out
	}}
}

// boostLikelihood adds to the score of each of the first n papers of
// fused, best first, w times its likelihood (by likelihood) scaled to
// [0, 1] over them, and re-sorts them. A paper without one (-Inf: not in
// the lexical index) gains nothing.
func boostLikelihood(fused []Hit, n int, w float64, likelihood func(ids []paperboy.ArxivID) ([]float64, error)) ([]Hit, error) {
	n = min(n, len(fused))
	if w <= 0 || n <= 1 {
		return fused, nil
	}
	ll, err := likelihood(idsOf(fused[:n]))
	if err != nil {
		return nil, err
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range ll {
		if !math.IsInf(x, -1) {
			lo, hi = min(lo, x), max(hi, x)
		}
	}
	if !(hi > lo) {
		return fused, nil
	}
	out := slices.Clone(fused)
	for i, x := range ll {
		if !math.IsInf(x, -1) {
			out[i].Score += w * (x - lo) / (hi - lo)
		}
	}
	slices.SortFunc(out[:n], byScore)
	return out, nil
}

// idsOf returns the papers of hits, in order.
func idsOf(hits []Hit) []paperboy.ArxivID {
	ids := make([]paperboy.ArxivID, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// byScore orders hits best first, ties by ID.
func byScore(a, b Hit) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// Fuse combines two rankings, each best first, into one, best first. Ties
// break by ID, so the order is deterministic.
func Fuse(f Fusion, lexical, semantic []Hit) []Hit {
	scores := make(map[paperboy.ArxivID]float64, len(lexical)+len(semantic))
	add := func(hits []Hit, w float64) {
		if f.Method == "rrf" {
			for r, h := range hits {
				scores[h.ID] += w / (f.K + float64(r+1))
			}
			return
		}
		lo, hi := bounds(hits)
		for _, h := range hits {
			s := 1.0
			if hi > lo {
				s = (h.Score - lo) / (hi - lo)
			}
			scores[h.ID] += w * s
		}
	}
	add(lexical, 1-f.Weight)
	add(semantic, f.Weight)
	out := make([]Hit, 0, len(scores))
	for id, s := range scores {
		out = append(out, Hit{ID: id, Score: s})
	}
	slices.SortFunc(out, byScore)
	return out
}

// bounds returns the lowest and highest score of hits; a ranking's lowest
// score stands for the papers it did not return, so it maps to 0.
func bounds(hits []Hit) (lo, hi float64) {
	if len(hits) == 0 {
		return 0, 0
	}
	lo, hi = hits[0].Score, hits[0].Score
	for _, h := range hits[1:] {
		lo, hi = min(lo, h.Score), max(hi, h.Score)
	}
	return lo, hi
}
