package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"paperboy"
	"paperboy/internal/search/beir"
)

// sciFactDir is the SciFact copy the eval command's docs point at.
var sciFactDir = filepath.Join("..", "..", "testdata", "beir", "scifact")

// sciFact loads SciFact with its train qrels and an engine synced over it.
func sciFact(t testing.TB) (*beir.Dataset, *Engine, map[paperboy.ArxivID]string) {
	t.Helper()
	ds, err := beir.Load(sciFactDir, "qrels/train.tsv")
	if err != nil {
		t.Fatal(err)
	}
	papers, back := beir.Papers(ds.Corpus)
	e, _ := newSynced(t, papers...)
	return ds, e, back
}

// evaluate scores e on queries the way `paperboy eval beir` does.
func evaluate(t testing.TB, e *Engine, back map[paperboy.ArxivID]string, queries []beir.Query, qrels beir.Qrels) beir.Result {
	t.Helper()
	search := func(ctx context.Context, text string) ([]string, error) {
		res, _, err := e.Search(ctx, paperboy.SearchQuery{Text: beir.PlainText(text), Limit: beir.Depth})
		if err != nil {
			return nil, err
		}
		out := make([]string, len(res))
		for i, r := range res {
			out[i] = back[r.Paper.ID]
		}
		return out, nil
	}
	r, err := beir.Evaluate(context.Background(), queries, qrels, search, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// sciFactTrainFloor is the train nDCG@10 below which a ranking change is a
// regression.
const sciFactTrainFloor = 0.69

func TestSciFactTrain(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 5,183 abstracts")
	}
	ds, e, back := sciFact(t)
	r := evaluate(t, e, back, ds.Queries, ds.Qrels)
	t.Logf("SciFact train: %v", r)
	if r.NDCG10 < sciFactTrainFloor {
		t.Errorf("nDCG@10 = %.4f, want >= %.2f", r.NDCG10, sciFactTrainFloor)
	}
}

// TestTuneSciFact explores ranking parameters on SciFact train; it runs
// only with PAPERBOY_TUNE=1.
func TestTuneSciFact(t *testing.T) {
	if os.Getenv("PAPERBOY_TUNE") == "" {
		t.Skip("set PAPERBOY_TUNE=1")
	}
	ds, e, back := sciFact(t)
	try := func(name string, p Params) {
		e.params = p
		t.Logf("%-40s %v", name, evaluate(t, e, back, ds.Queries, ds.Qrels))
	}
	base := DefaultParams()
	try(fmt.Sprintf("default k1=%.1f", base.K1), base)
	// 2-fold check: tune on one half of the train queries, test on the other.
	var folds [2][]beir.Query
	for i, q := range ds.Queries {
		folds[i%2] = append(folds[i%2], q)
	}
	grid := []Params{}
	for _, k1 := range []float64{0.9, 1.2, 1.6} {
		for _, tw := range []float64{1, 2, 3, 4} {
			for _, b := range []float64{0.3, 0.5, 0.75} {
				p := base
				p.K1, p.TitleWeight, p.AbstractB, p.TitleB = k1, tw, b, b
				grid = append(grid, p)
			}
		}
	}
	for k := range folds {
		best, bestN := base, -1.0
		for _, p := range grid {
			e.params = p
			if r := evaluate(t, e, back, folds[k], ds.Qrels); r.NDCG10 > bestN {
				best, bestN = p, r.NDCG10
			}
		}
		e.params = best
		heldOut := evaluate(t, e, back, folds[1-k], ds.Qrels)
		e.params = base
		def := evaluate(t, e, back, folds[1-k], ds.Qrels)
		t.Logf("fold %d: best on it k1=%.1f titleW=%.0f b=%.2f nDCG@10 %.4f; on fold %d: tuned %.4f, defaults %.4f",
			k, best.K1, best.TitleWeight, best.AbstractB, bestN, 1-k, heldOut.NDCG10, def.NDCG10)
	}
}
