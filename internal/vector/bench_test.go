package vector

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

// BenchmarkSearch measures approximate and exact top-10 search; set
// PAPERBOY_VECTOR_N to change the number of vectors (default 100,000) and
// PAPERBOY_VECTOR_DIM the dimension (default 256).
func BenchmarkSearch(b *testing.B) {
	n, dim := envInt("PAPERBOY_VECTOR_N", 100000), envInt("PAPERBOY_VECTOR_DIM", 256)
	vecs := clustered(n, dim, 1000, 1)
	x := New(dim, Options{})
	began := time.Now()
	x.Add(vecs...)
	b.Logf("built %d×%d in %v (%d clusters)", n, dim, time.Since(began), len(x.lists))
	queries := clustered(500, dim, 1000, 2)
	b.Logf("recall@10 %.3f", recallAt10(x, queries[:200]))
	for _, mode := range []string{"ivf", "exact"} {
		b.Run(fmt.Sprintf("%s/n=%d", mode, n), func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			i := 0
			for b.Loop() {
				q := queries[i%len(queries)].Vec
				t := time.Now()
				if mode == "ivf" {
					x.Search(q, 10)
				} else {
					x.Exact(q, 10)
				}
				lat = append(lat, time.Since(t))
				i++
			}
			b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
		})
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}
