package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"paperboy"
)

func TestTopKMatchesFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{0, 1, 5, 50, 1000} {
		for _, k := range []int{1, 3, 20, 2000} {
			hits := make([]vhit, size)
			for i := range hits {
				hits[i] = vhit{doc: uint32(i), score: float64(rng.IntN(10)), submitted: int64(rng.IntN(3)),
					id: paperboy.ArxivID(fmt.Sprintf("2301.%05d", i)), pin: 2 - rng.IntN(2)}
			}
			want := slices.Clone(hits)
			slices.SortFunc(want, func(a, b vhit) int { return orderHits(&a, &b, true) })
			want = want[:min(k, size)]
			top := &topk{k: k, ranked: true}
			for _, h := range hits {
				top.offer(h)
			}
			if got := top.sorted(); !slices.Equal(got, want) {
				t.Errorf("top %d of %d hits = %v, want %v", k, size, got, want)
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
