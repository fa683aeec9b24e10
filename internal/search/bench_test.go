package search

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"paperboy"
	"paperboy/internal/demo"
	"paperboy/internal/ingest"
	"paperboy/internal/store"
)

// syntheticCorpus returns n papers whose words follow a Zipf distribution
// over a fixed vocabulary, the shape of real abstracts.
func syntheticCorpus(n int) []*paperboy.Paper {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := strings.Fields(`learning neural network model data graph training language deep
		image transformer attention representation optimization robust adversarial generative
		quantum field theory spectral convergence stochastic gradient bound kernel inference
		bayesian causal reinforcement policy agent reward vision segmentation detection
		embedding retrieval search ranking sparse dense compression pruning distillation`)
	zipf := rand.NewZipf(rng, 1.1, 2, uint64(len(vocab)-1))
	text := func(words int) string {
		w := make([]string, words)
		for i := range w {
			w[i] = vocab[zipf.Uint64()]
		}
		return strings.Join(w, " ")
	}
	cats := []string{"cs.LG", "cs.CL", "cs.CV", "stat.ML", "math.OC", "hep-th", "quant-ph"}
	papers := make([]*paperboy.Paper, n)
	for i := range papers {
		papers[i] = paper(fmt.Sprintf("2301.%05d", i+1), text(10), text(150),
			fmt.Sprintf("Author%d Smith, Author%d Jones", i%97, i%89), cats[i%len(cats)]+" "+cats[(i+3)%len(cats)],
			fmt.Sprintf("2023-01-%02d", 1+i%28))
	}
	return papers
}

func BenchmarkSearch(b *testing.B) {
	e, _ := newSynced(b, syntheticCorpus(5000)...)
	ctx := context.Background()
	for _, q := range []string{
		"graph",
		"neural network training",
		`"neural network" -quantum`,
		"spectral distillation pruning",
		"learning cat:cs.LG year:2023",
		"cat:stat.ML",
	} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := e.Search(ctx, paperboy.SearchQuery{Text: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSync(b *testing.B) {
	papers := syntheticCorpus(5000)
	s := newFakeStore(papers...)
	for b.Loop() {
		if _, err := New(s, nil).Sync(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSyncDemo builds the index of the 2,631-paper demo sample, as
// `paperboy serve --demo` does at start-up: from SQLite (what serve pays)
// and from the in-memory fake store (analysis and indexing alone).
func BenchmarkSyncDemo(b *testing.B) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(b.TempDir(), "paperboy.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	im := &ingest.Importer{Store: s, Logger: slog.New(slog.DiscardHandler)}
	if _, err := im.Import(ctx, "demo", demo.Sample()); err != nil {
		b.Fatal(err)
	}
	b.Run("sqlite", func(b *testing.B) {
		for b.Loop() {
			if _, err := New(s, nil).Sync(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	papers, _, err := s.Papers(ctx, paperboy.PaperFilter{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("fake", func(b *testing.B) {
		f := newFakeStore(papers...)
		for b.Loop() {
			if _, err := New(f, nil).Sync(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
