package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"paperboy"
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
