package embed

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/viterin/vek/vek32"
)

// RelatedTerms is how many related terms a model keeps for each term.
const RelatedTerms = 10

// Related is a term the model relates to another: one of its nearest
// terms by the cosine of their vectors.
type Related struct {
	Term   string
	Cosine float32
}

// Related returns the terms nearest to term by the cosine of their
// vectors, nearest first, at most RelatedTerms and only those above 0;
// nil for a term the model lacks. Terms are as the model tokenizes them
// (lower-case, Snowball-stemmed). Terms that occur in the same papers, or
// with the same words, lie near each other: trained on SciFact,
// "circadian" is nearest "clock", "rhythm" and "bmal1", and "atr" nearest
// "chk1", "rad3" and "checkpoint". Hybrid search lets them stand in part
// for a query's words (search.Translation).
func (m *Model) Related(term string) []Related {
	i, ok := m.index[term]
	if !ok || len(m.Near) != len(m.Vocab)*RelatedTerms {
		return nil
	}
	var out []Related
	for k := range RelatedTerms {
		at := int(i)*RelatedTerms + k
		if m.Near[at] < 0 {
			break
		}
		out = append(out, Related{Term: m.Vocab[m.Near[at]], Cosine: m.NearCos[at]})
	}
	return out
}

// relate finds each term's RelatedTerms nearest terms (Model.Near): an
// exact search over all pairs, on all cores. Its cost grows with the
// square of the vocabulary.
func (m *Model) relate(ctx context.Context) error {
	n, dim := len(m.Vocab), m.Dim
	unit := slices.Clone(m.Vecs)
	for i := range n {
		Normalize(unit[i*dim : (i+1)*dim])
	}
	near := make([]int32, n*RelatedTerms)
	cos := make([]float32, n*RelatedTerms)
	var next atomic.Int64 // the next term to relate
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			dots := make([]float32, n)
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				a := unit[i*dim : (i+1)*dim]
				for j := range n {
					dots[j] = vek32.Dot(a, unit[j*dim:(j+1)*dim])
				}
				dots[i] = 0
				topTerms(dots, near[i*RelatedTerms:(i+1)*RelatedTerms], cos[i*RelatedTerms:(i+1)*RelatedTerms])
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("train: relate terms: %w", err)
	}
	m.Near, m.NearCos = near, cos
	return nil
}

// topTerms sets ids and cos to the places and values of the len(ids)
// largest of dots above 0, largest first (ties: the lower place first),
// and the rest of ids to -1.
func topTerms(dots []float32, ids []int32, cos []float32) {
	k := 0
	for j, d := range dots {
		if d <= 0 || k == len(ids) && d <= cos[k-1] {
			continue
		}
		at := min(k, len(ids)-1)
		for at > 0 && cos[at-1] < d {
			ids[at], cos[at] = ids[at-1], cos[at-1]
			at--
		}
		ids[at], cos[at] = int32(j), d
		k = min(k+1, len(ids))
	}
	for ; k < len(ids); k++ {
		ids[k], cos[k] = -1, 0
	}
}
