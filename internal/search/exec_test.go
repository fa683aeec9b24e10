package search

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestTopNMatchesFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	order := func(a, b hit) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc)
	}
	for _, size := range []int{0, 1, 5, 50, 1000} {
		for _, n := range []int{1, 3, 20, 2000} {
			hits := make([]hit, size)
			for i := range hits {
				hits[i] = hit{doc: uint32(i), score: float64(rng.IntN(10))}
			}
			want := slices.Clone(hits)
			slices.SortFunc(want, order)
			want = want[:min(n, size)]
			if got := topN(hits, n, order); !slices.Equal(got, want) {
				t.Errorf("topN(%d hits, %d) = %v, want %v", size, n, got, want)
			}
		}
	}
}

func TestSetOperations(t *testing.T) {
	a, b := []uint32{1, 3, 5, 7}, []uint32{3, 4, 5, 8}
	if got, want := intersect(a, b), []uint32{3, 5}; !slices.Equal(got, want) {
		t.Errorf("intersect = %v, want %v", got, want)
	}
	if got, want := union(a, b), []uint32{1, 3, 4, 5, 7, 8}; !slices.Equal(got, want) {
		t.Errorf("union = %v, want %v", got, want)
	}
	if got, want := subtract(a, b), []uint32{1, 7}; !slices.Equal(got, want) {
		t.Errorf("subtract = %v, want %v", got, want)
	}
}
