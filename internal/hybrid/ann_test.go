package hybrid

import (
	"os"
	"testing"

	"paperboy"
	"paperboy/internal/embed"
	"paperboy/internal/search"
	"paperboy/internal/search/beir"
	"paperboy/internal/vector"
)

// TestSciFactHNSW measures the HNSW graph on real vectors: the built-in
// embedder's SciFact documents and train queries, graph forced on at 5k
// vectors, against exact search (recall@10 and semantic nDCG@10). It runs
// only with PAPERBOY_TUNE=1.
func TestSciFactHNSW(t *testing.T) {
	if os.Getenv("PAPERBOY_TUNE") == "" {
		t.Skip("set PAPERBOY_TUNE=1")
	}
	r := sciFactRuns(t, embed.DefaultTrainOptions(), search.DefaultParams())
	for _, c := range []struct {
		ef   int
		beam bool
	}{{32, false}, {64, false}, {96, false}, {64, true}} {
		ef := c.ef
		x := vector.NewHNSW(len(r.docs[0]), vector.HNSWOptions{ExactBelow: 1, Beam: c.beam})
		for i, d := range r.docs {
			x.Add(paperboy.PaperVector{ID: paperboy.ArxivID(r.ids[i]), Vec: d})
		}
		var rec, ndcg float64
		for _, q := range r.queries {
			got := x.SearchEf(r.qv[q.ID], 10, ef)
			ids := make([]string, len(got))
			for i, h := range got {
				ids[i] = string(h.ID)
				for _, w := range r.sem[q.ID][:10] {
					if w.ID == h.ID {
						rec++
					}
				}
			}
			ndcg += beir.NDCG(ids, r.qrels[q.ID], 10)
		}
		n := float64(len(r.queries))
		rec /= 10 * n
		t.Logf("ef=%d beam=%v: recall@10 %.4f, semantic nDCG@10 %.4f (exact %.4f)", ef, c.beam, rec, ndcg/n, r.eval(Fusion{Method: "semantic"}, r.queries))
		if rec < 0.9 {
			t.Errorf("ef=%d: recall@10 = %.3f on SciFact vectors, want >= 0.9", ef, rec)
		}
	}
}
