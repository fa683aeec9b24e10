package vector

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"paperboy"
)

// BenchmarkANN builds HNSW and IVF indexes of the same clustered vectors
// and measures, side by side with exact search, query latency (p50, p99)
// and recall@10. Queries are held-out vectors of the same topics, like a
// related-papers query. PAPERBOY_VECTOR_N sets the number of vectors
// (default 100,000), PAPERBOY_VECTOR_DIM the dimension (256),
// PAPERBOY_VECTOR_Q the number of queries (500), PAPERBOY_HNSW_M and
// PAPERBOY_HNSW_EFC the graph's M and efConstruction. Build rate, memory per
// vector and save/load times are logged.
func BenchmarkANN(b *testing.B) {
	n, dim, nq := envInt("PAPERBOY_VECTOR_N", 100000), envInt("PAPERBOY_VECTOR_DIM", 256), envInt("PAPERBOY_VECTOR_Q", 500)
	all := clustered(n+nq, dim, max(100, n/100), 1)
	data, queries := all[:n], all[n:]
	before := heapBytes()
	h := NewHNSW(dim, HNSWOptions{M: envInt("PAPERBOY_HNSW_M", 0), EfConstruction: envInt("PAPERBOY_HNSW_EFC", 0), Int8: true})
	began := time.Now()
	h.Add(data...)
	took := time.Since(began)
	perVec := float64(heapBytes()-before) / float64(n)
	f32 := perVec - float64(dim) - 4 // less the int8 codes and their scale
	b.Logf("hnsw M=%d efC=%d: built %d×%d in %v (%.0f vectors/s, %d cores); bytes/vector %.0f with int8 codes, %.0f without; 2.5M ≈ %.2f / %.2f GiB",
		h.opts.M, h.opts.EfConstruction, n, dim, took.Round(time.Millisecond), float64(n)/took.Seconds(), runtime.GOMAXPROCS(0),
		perVec, f32, perVec*2.5e6/(1<<30), f32*2.5e6/(1<<30))
	logPersistence(b, h)
	began = time.Now()
	ivf := New(dim, Options{})
	ivf.Add(data...)
	b.Logf("ivf: built in %v", time.Since(began).Round(time.Millisecond))

	// Novel queries come from other topics than the papers: a question
	// unlike any paper, the hard case for both ANN indexes.
	for _, set := range []struct {
		name    string
		queries []paperboy.PaperVector
	}{{"held-out", queries}, {"novel", clustered(nq, dim, max(100, n/100), 2)}} {
		compare(b, n, set.name, set.queries, h, ivf)
	}
}

// compare runs the queries on each index in turn.
func compare(b *testing.B, n int, set string, queries []paperboy.PaperVector, h *HNSW, ivf *Index) {
	truth := make([][]Hit, len(queries))
	for i, q := range queries {
		truth[i] = h.Exact(q.Vec, 10)
	}
	run := func(name string, search func(q []float32) []Hit) {
		b.Run(fmt.Sprintf("%s/%s/n=%d", set, name, n), func(b *testing.B) {
			var rec float64
			for i, q := range queries {
				rec += overlap(truth[i], search(q.Vec))
			}
			lat := make([]time.Duration, 0, 1024)
			i := 0
			for b.Loop() {
				t := time.Now()
				search(queries[i%len(queries)].Vec)
				lat = append(lat, time.Since(t))
				i++
			}
			b.ReportMetric(rec/float64(len(queries)), "recall@10")
			b.ReportMetric(float64(percentile(lat, 0.5).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
		})
	}
	for _, m := range []struct {
		name       string
		beam, int8 bool
		efs        []int
	}{
		{"f32", false, false, []int{32, 64, 128}},
		{"int8", false, true, []int{64, 128}},
		{"beam", true, false, []int{64, 128, 256}},
		{"beam-int8", true, true, []int{128, 256}},
	} {
		for _, ef := range m.efs {
			run(fmt.Sprintf("hnsw-%s-ef%d", m.name, ef), func(q []float32) []Hit {
				h.opts.Beam, h.opts.Int8 = m.beam, m.int8
				return h.SearchEf(q, 10, ef)
			})
		}
	}
	run("ivf-probe10%", func(q []float32) []Hit { return ivf.Search(q, 10) })
	run("exact", func(q []float32) []Hit { return h.Exact(q, 10) })
}

func logPersistence(b *testing.B, h *HNSW) {
	path := filepath.Join(b.TempDir(), "vectors.hnsw")
	began := time.Now()
	if err := h.SaveFile(path); err != nil {
		b.Fatal(err)
	}
	saved := time.Since(began)
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	began = time.Now()
	y, err := LoadHNSWFile(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("hnsw: saved %.1f MiB in %v, loaded %d vectors in %v", float64(fi.Size())/(1<<20),
		saved.Round(time.Millisecond), y.Len(), time.Since(began).Round(time.Millisecond))
}

func heapBytes() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
