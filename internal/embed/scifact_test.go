package embed

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"paperboy/internal/search/beir"
)

var sciFactDir = filepath.Join("..", "..", "testdata", "beir", "scifact")

// exactSearch ranks docs by dot product with q and returns the IDs of the
// best n.
func exactSearch(q []float32, docs [][]float32, ids []string, n int) []string {
	type hit struct {
		i int
		s float32
	}
	hits := make([]hit, len(docs))
	for i, d := range docs {
		hits[i] = hit{i, Dot(q, d)}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.s != b.s {
			if a.s > b.s {
				return -1
			}
			return 1
		}
		return a.i - b.i
	})
	out := make([]string, 0, n)
	for _, h := range hits[:min(n, len(hits))] {
		out = append(out, ids[h.i])
	}
	return out
}

// evalSemantic trains with opts on the SciFact corpus and scores exact
// vector search on the train queries.
func evalSemantic(t *testing.T, ds *beir.Dataset, opts TrainOptions) beir.Result {
	t.Helper()
	texts := make([]string, len(ds.Corpus))
	ids := make([]string, len(ds.Corpus))
	for i, d := range ds.Corpus {
		texts[i], ids[i] = d.Title+"\n"+d.Text, d.ID
	}
	m, err := Train(context.Background(), texts, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := NewBuiltin(m, 1)
	docs, _ := b.EmbedDocuments(context.Background(), texts)
	run := func(ctx context.Context, text string) ([]string, error) {
		q, _ := b.EmbedQuery(ctx, text)
		return exactSearch(q, docs, ids, beir.Depth), nil
	}
	r, err := beir.Evaluate(context.Background(), ds.Queries, ds.Qrels, run, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestTuneBuiltin compares embedding methods on SciFact train; it runs only
// with PAPERBOY_TUNE=1.
func TestTuneBuiltin(t *testing.T) {
	if os.Getenv("PAPERBOY_TUNE") == "" {
		t.Skip("set PAPERBOY_TUNE=1")
	}
	ds, err := beir.Load(sciFactDir, "qrels/train.tsv")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []TrainOptions{
		{Weighting: "bm25", Dim: 512, SigmaPower: 0.001},
		{Weighting: "bm25", Dim: 256, SigmaPower: 0.5},
		{Weighting: "bm25", Dim: 256, SigmaPower: 0.001},
		{Weighting: "bm25", Dim: 384, SigmaPower: 0.5},
	} {
		t.Logf("%-8s dim=%d sigma^%.1f  %v", o.Weighting, o.Dim, o.SigmaPower, evalSemantic(t, ds, o))
	}
}
