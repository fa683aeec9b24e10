package hybrid

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"paperboy/internal/embed"
	"paperboy/internal/vector"
)

// BenchmarkGraphOptions links the built-in embedder's vectors of a corpus
// into HNSW graphs of several options and checks each against exact
// search, with the query vectors of BenchmarkHybridScale (questions as
// embedded, the same with feedback, papers). PAPERBOY_HYBRID_CORPUS and
// PAPERBOY_HYBRID_CACHE are as there (the cache keeps the lexical index
// and the model, not the graphs); PAPERBOY_GRAPH_OPTIONS is a JSON list of
// vector.HNSWOptions, each linked in turn (default: serve's). Run with
// -benchtime=1x -timeout=0.
func BenchmarkGraphOptions(b *testing.B) {
	variants := []vector.HNSWOptions{DefaultHNSW()}
	if s := os.Getenv("PAPERBOY_GRAPH_OPTIONS"); s != "" {
		variants = nil
		if err := json.Unmarshal([]byte(s), &variants); err != nil {
			b.Fatalf("PAPERBOY_GRAPH_OPTIONS: %v", err)
		}
	}
	mem, lex, cache := scaleCorpus(b)
	n := len(mem.papers)
	texts := paperTexts(mem)
	m := scaleModel(b, n, texts, cache)
	vecs := embedParallel(embed.NewBuiltin(m, 1), mem.papers, texts())
	queries := scaleQueries(b)
	for _, o := range variants {
		idx := vector.NewHNSW(m.Dim, o)
		began := time.Now()
		idx.Add(vecs...)
		took := time.Since(began)
		b.Logf("graph %+v: %d vectors linked in %v (%.0f vectors/s), %.1f links a node on layer 0",
			o, n, took.Round(time.Second), float64(n)/took.Seconds(), idx.MeanDegree())
		s, sem := scaleSearcher(mem, lex, embed.NewBuiltin(m, 1), idx)
		graphRecall(b, idx, recallSets(b, s, sem.active, mem, queries))
	}
}

// BenchmarkGraphWalks checks serve's graph of BenchmarkHybridScale's corpus
// (linked by it, or loaded from its cache) against exact search twice in
// one run: walked on the float32 vectors, and on their int8 codes with the
// candidates re-ranked on the floats (HNSWOptions.Int8). Both are the one
// graph file, linked with serve's options and loaded twice; only the walk
// differs.
// PAPERBOY_GRAPH_EFS sets the beams. Run with -benchtime=1x -timeout=0.
func BenchmarkGraphWalks(b *testing.B) {
	mem, lex, cache := scaleCorpus(b)
	emb, idx := scaleVectors(b, mem, cache)
	if cache == "" {
		b.Fatal("BenchmarkGraphWalks loads the graph a second time: set PAPERBOY_HYBRID_CACHE")
	}
	s, sem := scaleSearcher(mem, lex, emb, idx)
	sets := recallSets(b, s, sem.active, mem, scaleQueries(b))
	for _, codes := range []bool{false, true} {
		g := idx
		if o := DefaultHNSW(); o.Int8 != codes {
			o.Int8 = codes
			var err error
			if g, _, err = vector.LoadHNSWFile(graphPath(cache, len(mem.papers)), o); err != nil {
				b.Fatal(err)
			}
		}
		b.Logf("walks on int8 codes: %v", codes)
		graphRecall(b, g, sets)
	}
}
