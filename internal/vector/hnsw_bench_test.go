package vector

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"paperboy"
)

// BenchmarkANN builds an HNSW index (and an IVF one) of the same vectors
// and measures, side by side with exact search, query latency (p50, p99)
// and recall@10. PAPERBOY_VECTOR_DATA picks the vectors: lsa (the default:
// like the built-in embedder's, see lsaParams), with held-out papers
// (related-papers queries) and search questions as queries; or clustered
// (Gaussian topics, far easier), with held-out papers and papers of other
// topics. PAPERBOY_VECTOR_N sets the number of vectors (default 100,000),
// PAPERBOY_VECTOR_DIM the dimension (256, the built-in embedder's),
// PAPERBOY_VECTOR_Q the number of queries (500), PAPERBOY_HNSW_M and
// PAPERBOY_HNSW_EFC the graph's M and efConstruction, PAPERBOY_HNSW_EFS
// the beam widths searched (comma-separated; 32,64,128,256 by default);
// PAPERBOY_HNSW_FILE keeps the built graph in that file and loads it from
// there on the next run (the same vectors and options, or the figures are
// wrong); PAPERBOY_VECTOR_IVF=0 leaves IVF out (its clustering takes long
// at millions). Build rate, memory per vector and save/load times are
// logged. Exact search is timed
// while it computes the true neighbours, once per query; run at millions
// with -benchtime=1x -timeout=0.
func BenchmarkANN(b *testing.B) {
	n, dim, nq := envInt("PAPERBOY_VECTOR_N", 100000), envInt("PAPERBOY_VECTOR_DIM", 256), envInt("PAPERBOY_VECTOR_Q", 500)
	began := time.Now()
	data, sets := annData(n, nq, dim)
	b.Logf("%s vectors: %d×%d and %d queries made in %v", cmp.Or(os.Getenv("PAPERBOY_VECTOR_DATA"), "lsa"), n, dim, nq,
		time.Since(began).Round(time.Millisecond))
	h := annGraph(b, data, dim, os.Getenv("PAPERBOY_HNSW_FILE"))
	var ivf *Index
	if os.Getenv("PAPERBOY_VECTOR_IVF") != "0" {
		began = time.Now()
		ivf = New(dim, Options{})
		ivf.Add(data...)
		b.Logf("ivf: built in %v", time.Since(began).Round(time.Millisecond))
	}
	for _, set := range sets {
		compare(b, n, set.name, set.queries, h, ivf)
	}
}

type querySet struct {
	name    string
	queries []paperboy.PaperVector
}

// annData returns BenchmarkANN's vectors and query sets.
func annData(n, nq, dim int) ([]paperboy.PaperVector, []querySet) {
	if os.Getenv("PAPERBOY_VECTOR_DATA") == "clustered" {
		all := clustered(n+nq, dim, max(100, n/100), 1)
		// Novel queries come from other topics than the papers: a
		// question unlike any paper, the hard case for both ANN indexes.
		return all[:n], []querySet{{"held-out", all[n:]}, {"novel", clustered(nq, dim, max(100, n/100), 2)}}
	}
	docs, held, questions := lsaLike(n, nq, dim, 1)
	return docs, []querySet{{"held-out", held}, {"questions", questions}}
}

// annGraph builds BenchmarkANN's graph, or loads it from file when that
// exists (and saves it there after building).
func annGraph(b *testing.B, data []paperboy.PaperVector, dim int, file string) *HNSW {
	opts := HNSWOptions{M: envInt("PAPERBOY_HNSW_M", 0), EfConstruction: envInt("PAPERBOY_HNSW_EFC", 0)}
	if file != "" {
		if _, err := os.Stat(file); err == nil {
			began := time.Now()
			h, _, err := LoadHNSWFile(file, opts)
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("hnsw M=%d efC=%d: loaded %d vectors from %s in %v", h.opts.M, h.opts.EfConstruction, h.Len(), file,
				time.Since(began).Round(time.Millisecond))
			return h
		}
	}
	n := len(data)
	before := heapBytes()
	h := NewHNSW(dim, opts)
	began := time.Now()
	h.Add(data...)
	took := time.Since(began)
	perVec := float64(heapBytes()-before) / float64(n)
	b.Logf("hnsw M=%d efC=%d: built %d×%d in %v (%.0f vectors/s, %d cores); %.0f bytes a vector, 2.5M ≈ %.2f GiB",
		h.opts.M, h.opts.EfConstruction, n, dim, took.Round(time.Millisecond), float64(n)/took.Seconds(), runtime.GOMAXPROCS(0),
		perVec, perVec*2.5e6/(1<<30))
	logPersistence(b, h)
	if file != "" {
		if err := h.SaveFile(file, nil); err != nil {
			b.Fatal(err)
		}
	}
	return h
}

// efList is PAPERBOY_HNSW_EFS as numbers, or def.
func efList(def []int) []int {
	var efs []int
	for _, f := range strings.Split(os.Getenv("PAPERBOY_HNSW_EFS"), ",") {
		if ef, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && ef > 0 {
			efs = append(efs, ef)
		}
	}
	if len(efs) == 0 {
		return def
	}
	return efs
}

// compare runs the queries on each index in turn.
func compare(b *testing.B, n int, set string, queries []paperboy.PaperVector, h *HNSW, ivf *Index) {
	truth := make([][]Hit, len(queries))
	exact := make([]time.Duration, len(queries))
	var s1, s10, s100 float64 // how far apart the exact scores are
	for i, q := range queries {
		t := time.Now()
		truth[i] = h.Exact(q.Vec, 100)
		exact[i] = time.Since(t)
		s1, s10, s100 = s1+float64(truth[i][0].Score), s10+float64(truth[i][9].Score), s100+float64(truth[i][99].Score)
		truth[i] = truth[i][:10]
	}
	nq := float64(len(queries))
	b.Logf("%s/exact/n=%d: recall@10 1, p50 %.2f ms, p99 %.2f ms over %d queries; mean 1st, 10th, 100th scores %.3f, %.3f, %.3f",
		set, n, ms(percentile(exact, 0.5)), ms(percentile(exact, 0.99)), len(queries), s1/nq, s10/nq, s100/nq)
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
			b.ReportMetric(ms(percentile(lat, 0.5)), "p50-ms")
			b.ReportMetric(ms(percentile(lat, 0.99)), "p99-ms")
		})
	}
	for _, m := range []struct {
		name string
		beam bool
		efs  []int
	}{
		{"f32", false, efList([]int{32, 64, 128, 256})},
		{"beam", true, efList([]int{64, 128, 256})},
	} {
		for _, ef := range m.efs {
			run(fmt.Sprintf("hnsw-%s-ef%d", m.name, ef), func(q []float32) []Hit {
				h.opts.Beam = m.beam
				return h.SearchEf(q, 10, ef)
			})
		}
	}
	if ivf != nil {
		run("ivf-probe10%", func(q []float32) []Hit { return ivf.Search(q, 10) })
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func logPersistence(b *testing.B, h *HNSW) {
	path := filepath.Join(b.TempDir(), "vectors.hnsw")
	began := time.Now()
	if err := h.SaveFile(path, nil); err != nil {
		b.Fatal(err)
	}
	saved := time.Since(began)
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	began = time.Now()
	y, _, err := LoadHNSWFile(path, h.opts)
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
