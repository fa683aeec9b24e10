package hybrid

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"paperboy"
	"paperboy/internal/embed"
	"paperboy/internal/search"
	"paperboy/internal/search/beir"
	"paperboy/internal/store/sqlite"
)

var sciFactDir = filepath.Join("..", "..", "testdata", "beir", "scifact")

// runs are each train query's lexical and semantic rankings, in corpus IDs:
// lex as keyword search ranks, fuseLex as hybrid search ranks for fusion.
type runs struct {
	queries []beir.Query
	qrels   beir.Qrels
	lex     map[string][]Hit
	fuseLex map[string][]Hit
	sem     map[string][]Hit
	qv      map[string][]float32
	docs    [][]float32
	ids     []string
	byID    map[string]int
	engine  *search.Engine              // the lexical engine over the corpus
	emb     embed.Embedder              // the built-in embedder
	paperID map[string]paperboy.ArxivID // the engine's ID of a corpus ID
	back    map[paperboy.ArxivID]string // the corpus ID of an engine's ID
}

// prf re-ranks by the query vector moved towards the best k lexical hits'
// vectors (Rocchio feedback in the embedding space).
func (r *runs) prf(q string, k int, beta float64) []Hit {
	v := slices.Clone(r.qv[q])
	for _, h := range r.fuseLex[q][:min(k, len(r.fuseLex[q]))] {
		d := r.docs[r.byID[string(h.ID)]]
		for i := range v {
			v[i] += float32(beta/float64(k)) * d[i]
		}
	}
	embed.Normalize(v)
	return r.exact(v)
}

func (r *runs) exact(v []float32) []Hit {
	hits := make([]Hit, len(r.docs))
	for i, d := range r.docs {
		hits[i] = Hit{ID: paperboy.ArxivID(r.ids[i]), Score: float64(embed.Dot(v, d))}
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return 0
	})
	return hits[:beir.Depth]
}

// sciFactRuns indexes SciFact lexically, ranking with prm, and with the
// built-in embedder trained with opts, and ranks every train query both
// ways.
func sciFactRuns(t *testing.T, opts embed.TrainOptions, prm search.Params) *runs {
	t.Helper()
	ctx := context.Background()
	ds, err := beir.Load(sciFactDir, "qrels/train.tsv")
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sf.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	papers, back := beir.Papers(ds.Corpus)
	if _, err := st.UpsertPapers(ctx, papers); err != nil {
		t.Fatal(err)
	}
	lex := search.New(st, nil, search.WithParams(prm))
	if _, err := lex.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	texts := make([]string, len(papers))
	for i, p := range papers {
		texts[i] = embed.PaperText(p)
	}
	m, err := embed.Train(ctx, texts, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	emb := embed.NewBuiltin(m, 1)
	vecs, _ := emb.EmbedDocuments(ctx, texts)
	r := &runs{queries: ds.Queries, qrels: ds.Qrels, lex: map[string][]Hit{}, sem: map[string][]Hit{},
		qv: map[string][]float32{}, docs: vecs, byID: map[string]int{}, engine: lex, emb: emb, paperID: map[string]paperboy.ArxivID{}, back: back}
	for id, corpusID := range back {
		r.paperID[corpusID] = id
	}
	for i, d := range ds.Corpus {
		r.ids = append(r.ids, d.ID)
		r.byID[d.ID] = i
	}
	for _, q := range ds.Queries {
		text := beir.PlainText(q.Text)
		res, _, err := lex.Search(ctx, paperboy.SearchQuery{Text: text, Limit: beir.Depth})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range res {
			r.lex[q.ID] = append(r.lex[q.ID], Hit{ID: paperboy.ArxivID(back[x.Paper.ID]), Score: x.Score})
		}
		r.qv[q.ID], _ = emb.EmbedQuery(ctx, text)
		r.sem[q.ID] = r.exact(r.qv[q.ID])
	}
	r.fuseLex = r.rankFused(t, DefaultFusion())
	return r
}

// rankFused ranks every query as hybrid search ranks its lexical side
// under f.
func (r *runs) rankFused(t *testing.T, f Fusion) map[string][]Hit {
	out := map[string][]Hit{}
	for _, q := range r.queries {
		ranked, _, err := r.engine.RankWith(context.Background(), paperboy.SearchQuery{Text: beir.PlainText(q.Text), Limit: beir.Depth}, f.lexical(0))
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ranked {
			out[q.ID] = append(out[q.ID], Hit{ID: paperboy.ArxivID(r.back[x.ID]), Score: x.Score})
		}
	}
	return out
}

// eval scores a fusion on queries by nDCG@10.
func (r *runs) eval(f Fusion, queries []beir.Query) float64 {
	return r.metrics(f, queries).NDCG10
}

// metrics scores a fusion on queries by nDCG@10, Recall@100 and MRR@10.
func (r *runs) metrics(f Fusion, queries []beir.Query) beir.Result {
	res := beir.Result{Queries: len(queries)}
	for _, q := range queries {
		var fused []Hit
		switch f.Method {
		case "lexical":
			fused = r.lex[q.ID]
		case "semantic":
			fused = r.sem[q.ID]
		default:
			sem := r.sem[q.ID]
			if f.PRFDocs > 0 {
				sem = r.prf(q.ID, f.PRFDocs, f.PRFWeight)
			}
			lex := r.fuseLex[q.ID]
			if f.Rescore > 0 {
				lex = r.withOthers(q, f, sem[:f.Depth])
			}
			fused = Fuse(f, lex[:min(f.Depth, len(lex))], sem[:f.Depth])
			fused = r.boost(q, f, fused)
		}
		ids := make([]string, len(fused))
		for i, h := range fused {
			ids[i] = string(h.ID)
		}
		res.NDCG10 += beir.NDCG(ids, r.qrels[q.ID], 10)
		res.Recall100 += beir.Recall(ids, r.qrels[q.ID], 100)
		res.MRR10 += beir.ReciprocalRank(ids, r.qrels[q.ID], 10)
	}
	n := float64(max(len(queries), 1))
	res.NDCG10, res.Recall100, res.MRR10 = res.NDCG10/n, res.Recall100/n, res.MRR10/n
	return res
}

// boost is fused with f.Coverage and f.Likelihood applied, as Searcher
// has them.
func (r *runs) boost(q beir.Query, f Fusion, fused []Hit) []Hit {
	pq, err := r.engine.Prepare(beir.PlainText(q.Text), f.lexical(1))
	if err != nil {
		panic(err)
	}
	papers := func(ids []paperboy.ArxivID) []paperboy.ArxivID {
		in := make([]paperboy.ArxivID, len(ids))
		for i, id := range ids {
			in[i] = r.paperID[string(id)]
		}
		return in
	}
	m := &matchMemo{match: func(ids []paperboy.ArxivID) ([]search.Match, error) {
		return pq.Matches(context.Background(), papers(ids))
	}}
	out, err := boostCoverage(fused, beir.Depth, f.Coverage, m.coverage)
	if err == nil {
		out, err = boostLikelihood(out, f.LikelihoodDepth, f.Likelihood, func(ids []paperboy.ArxivID) ([]float64, error) {
			return pq.Likelihoods(context.Background(), papers(ids), f.translation(r.emb))
		})
	}
	if err != nil {
		panic(err)
	}
	return out
}

// withOthers is the fused lexical ranking of q with the papers of sem
// scored by the words, as Searcher has it with Fusion.Rescore.
func (r *runs) withOthers(q beir.Query, f Fusion, sem []Hit) []Hit {
	lex, err := withOthers(r.fuseLex[q.ID], sem, func(ids []paperboy.ArxivID) ([]float64, error) {
		in := make([]paperboy.ArxivID, len(ids))
		for i, id := range ids {
			in[i] = r.paperID[string(id)]
		}
		return r.engine.Score(context.Background(), paperboy.SearchQuery{Text: beir.PlainText(q.Text)}, in, f.lexical(1))
	})
	if err != nil {
		panic(err)
	}
	return lex
}

// fusionGrid is the fusions TestTuneFusion compares; their lexical
// ranking is the default fusion's, which runs.fuseLex holds.
func fusionGrid() []Fusion {
	var grid []Fusion
	add := func(method string, w float64, depth, prfDocs int, prfWeight, coverage, likelihood, translate float64) {
		f := DefaultFusion()
		f.Method, f.Weight, f.Depth, f.PRFDocs, f.PRFWeight, f.Coverage, f.Likelihood = method, w, depth, prfDocs, prfWeight, coverage, likelihood
		f.Translate = translate
		grid = append(grid, f)
	}
	for _, w := range []float64{0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5} {
		for _, d := range []int{20, 100} {
			add("linear", w, d, 0, 0, 0, 0, 0)
			add("rrf", w, d, 0, 0, 0, 0, 0)
		}
		for _, c := range []float64{0.2, 0.3} {
			add("linear", w, 100, 0, 0, c, 0, 0)
		}
		for _, k := range []int{3, 10} {
			for _, b := range []float64{1, 3} {
				for _, c := range []float64{0, 0.2, 0.3} {
					add("linear", w, 100, k, b, c, 0, 0)
				}
			}
		}
		for _, c := range []float64{0, 0.2, 0.3} {
			for _, l := range []float64{0.35, 0.5, 0.7} {
				add("linear", w, 100, 3, 1, c, l, 0)
			}
			for _, l := range []float64{0.7, 1, 1.5} {
				for _, tr := range []float64{0.3, 0.5} {
					add("linear", w, 100, 3, 1, c, l, tr)
				}
			}
		}
	}
	return grid
}

// TestTuneFusion measures lexical, semantic and hybrid search on SciFact
// train, with a 5-fold cross-validation of the fusion's tuning and of the
// lexical ranking's title affinity; it runs only with PAPERBOY_TUNE=1.
// PAPERBOY_TUNE_AFFINITY lists the title affinities compared (e.g.
// "0,0.25,0.5"; the default's alone without it). PAPERBOY_TUNE_DIMS picks
// the embedding dimensions, or PAPERBOY_TUNE_OPTS the embedders' training
// options, JSON objects separated by ";" (e.g.
// '{"Dim":512,"PowerIters":1};{"SigmaPower":0.5}').
func TestTuneFusion(t *testing.T) {
	if os.Getenv("PAPERBOY_TUNE") == "" {
		t.Skip("set PAPERBOY_TUNE=1")
	}
	for _, o := range tuneOptions(t) {
		dim := cmp.Or(o.Dim, embed.DefaultTrainOptions().Dim)
		t.Logf("%+v", o)
		// Each setting's nDCG@10 for each query, to score any set of
		// them: a setting is a title affinity and a fusion.
		var names []string
		var per [][]float64
		def := -1
		var lexNames []string
		var lexPer [][]float64 // keyword search's, by title affinity
		for _, a := range tuneAffinities(t) {
			prm := search.DefaultParams()
			prm.TitleAffinity = a
			r := sciFactRuns(t, o, prm)
			t.Logf(" title affinity %.2f", a)
			for _, f := range []Fusion{{Method: "lexical"}, {Method: "semantic"}, DefaultFusion()} {
				t.Logf("  %-8s %v", f.Method, r.metrics(f, r.queries))
			}
			var lex []float64
			for _, q := range r.queries {
				lex = append(lex, r.eval(Fusion{Method: "lexical"}, []beir.Query{q}))
			}
			lexNames, lexPer = append(lexNames, fmt.Sprintf("affinity %.2f", a)), append(lexPer, lex)
			for _, f := range fusionGrid() {
				if f == DefaultFusion() && a == search.DefaultParams().TitleAffinity {
					def = len(per)
				}
				var row []float64
				for _, q := range r.queries {
					row = append(row, r.eval(f, []beir.Query{q}))
				}
				names = append(names, fmt.Sprintf("affinity %.2f %s w=%.2f depth=%d prf=%d/%.0f coverage=%.1f likelihood=%.2f translate=%.1f", a, f.Method, f.Weight, f.Depth, f.PRFDocs, f.PRFWeight, f.Coverage, f.Likelihood, f.Translate))
				per = append(per, row)
				t.Logf("  %-6s w=%.2f depth=%3d prf=%d/%.0f coverage=%.1f likelihood=%.2f translate=%.1f  %.4f", f.Method, f.Weight, f.Depth, f.PRFDocs, f.PRFWeight, f.Coverage, f.Likelihood, f.Translate, meanOf(row, all))
			}
		}
		t.Logf("dim %d, keyword search: 5-fold cross-validated nDCG@10 %.4f over the title affinities", dim, crossValidate(t, lexNames, lexPer, -1))
		cv := crossValidate(t, names, per, def)
		t.Logf("dim %d, hybrid search: 5-fold cross-validated nDCG@10 %.4f over the title affinities and fusions", dim, cv)
	}
}

// crossValidate logs the best of settings (names, with each query's
// nDCG@10 in per) on all queries and returns their 5-fold
// cross-validated nDCG@10: the best setting on four fifths of the
// queries, scored on the fifth left out. With def, a setting's index, it
// also logs that setting's score on the same folds.
func crossValidate(t *testing.T, names []string, per [][]float64, def int) float64 {
	best := 0
	for i := range per {
		if meanOf(per[i], all) > meanOf(per[best], all) {
			best = i
		}
	}
	t.Logf("best on all train: %s %.4f", names[best], meanOf(per[best], all))
	const folds = 5
	var cv, cvDefault float64
	for k := range folds {
		in := func(i int) bool { return i%folds != k }
		out := func(i int) bool { return i%folds == k }
		b := 0
		for i := range per {
			if meanOf(per[i], in) > meanOf(per[b], in) {
				b = i
			}
		}
		cv += meanOf(per[b], out) / folds
		if def >= 0 {
			cvDefault += meanOf(per[def], out) / folds
		}
		t.Logf("fold %d: best %s, %.4f on the fold", k, names[b], meanOf(per[b], out))
	}
	if def >= 0 {
		t.Logf("the default, %s, on the same folds: %.4f", names[def], cvDefault)
	}
	return cv
}

// tuneAffinities returns the title affinities TestTuneFusion compares.
func tuneAffinities(t *testing.T) []float64 {
	env := os.Getenv("PAPERBOY_TUNE_AFFINITY")
	if env == "" {
		return []float64{search.DefaultParams().TitleAffinity}
	}
	var out []float64
	for f := range strings.SplitSeq(env, ",") {
		var a float64
		if _, err := fmt.Sscan(f, &a); err != nil {
			t.Fatalf("PAPERBOY_TUNE_AFFINITY: %q is not a number", f)
		}
		out = append(out, a)
	}
	return out
}

func all(int) bool { return true }

// meanOf is the mean of the values whose index keep accepts.
func meanOf(v []float64, keep func(i int) bool) float64 {
	var sum float64
	n := 0
	for i, x := range v {
		if keep(i) {
			sum, n = sum+x, n+1
		}
	}
	return sum / float64(max(n, 1))
}

// tuneOptions returns the training options TestTuneFusion compares.
func tuneOptions(t *testing.T) []embed.TrainOptions {
	if s := os.Getenv("PAPERBOY_TUNE_OPTS"); s != "" {
		var out []embed.TrainOptions
		for _, js := range strings.Split(s, ";") {
			var o embed.TrainOptions
			if err := json.Unmarshal([]byte(js), &o); err != nil {
				t.Fatalf("PAPERBOY_TUNE_OPTS %q: %v", js, err)
			}
			out = append(out, o)
		}
		return out
	}
	dims := []int{embed.DefaultTrainOptions().Dim}
	if s := os.Getenv("PAPERBOY_TUNE_DIMS"); s != "" {
		dims = splitInts(s)
	}
	out := make([]embed.TrainOptions, len(dims))
	for i, d := range dims {
		out[i] = embed.TrainOptions{Dim: d}
	}
	return out
}

func splitInts(s string) []int {
	var out []int
	var n int
	for _, f := range filepath.SplitList(s) {
		if _, err := fmt.Sscan(f, &n); err == nil {
			out = append(out, n)
		}
	}
	return out
}
