package hybrid

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/arxiv"
	"paperboy/internal/demo"
	"paperboy/internal/embed"
	"paperboy/internal/search"
	"paperboy/internal/search/beir"
	"paperboy/internal/vector"
)

// BenchmarkHybridScale measures hybrid queries end to end on a large
// corpus: the query's embedding, the lexical ranking, the feedback vector,
// the HNSW search, fusion and the page of papers, as SearchReport runs
// them, one query at a time after a warm-up pass. PAPERBOY_HYBRID_CORPUS
// names the corpus in Kaggle JSON lines, plain or gzipped (bench's
// `go run . -docs N -kaggle FILE` writes a synthetic arXiv-like one);
// without it the benchmark is skipped. PAPERBOY_HYBRID_CACHE, a directory,
// keeps the lexical index, the trained model and the built graph for the
// next run of the same corpus. The papers are held in memory (not SQLite),
// so loading a page costs less than in serve. Queries: 150 SciFact
// training questions and 150 titles of the arXiv sample, none of them in
// the corpus. PAPERBOY_HYBRID_PROFILE, a file, gets a CPU profile of three
// passes of default hybrid queries. PAPERBOY_HYBRID_KEYWORD=1 times
// keyword search's rows alone (and profiles keyword queries) and links no
// graph (keyword search does not use it). Run with -benchtime=1x
// -timeout=0.
func BenchmarkHybridScale(b *testing.B) {
	mem, lex, cache := scaleCorpus(b)
	ctx := context.Background()
	n := len(mem.papers)
	keywordOnly := os.Getenv("PAPERBOY_HYBRID_KEYWORD") == "1"
	var emb *embed.Builtin
	var idx *vector.HNSW
	if keywordOnly {
		m := scaleModel(b, n, paperTexts(mem), cache)
		emb, idx = embed.NewBuiltin(m, 1), vector.NewHNSW(m.Dim, DefaultHNSW())
	} else {
		emb, idx = scaleVectors(b, mem, cache)
	}
	s, sem := scaleSearcher(mem, lex, emb, idx)
	queries := scaleQueries(b)
	type modeRun struct {
		mode, name string
		s          *Searcher
	}
	modes := []modeRun{
		{paperboy.ModeHybrid, "", s},
		{paperboy.ModeSemantic, "", s},
		{paperboy.ModeKeyword, "", s},
	}
	modes = append(modes, modeRun{paperboy.ModeHybrid, ", without translation (likelihood 0.5, as before)",
		New(lex, sem, mem, nil, WithFusion(untranslated()))},
		modeRun{paperboy.ModeKeyword, ", likelihood untranslated (as with an external embedder)", New(lex, sem, mem, nil, WithFusion(untranslated()))},
		modeRun{paperboy.ModeKeyword, ", the lexical engine's ranking alone (no likelihood, as before)", New(lex, sem, mem, nil, WithFusion(unlikely()))})
	for _, m := range modes {
		if keywordOnly && m.mode != paperboy.ModeKeyword {
			continue
		}
		lat := timeQueries(b, queries, func(q string) {
			_, _, rep, err := m.s.SearchReport(ctx, paperboy.SearchQuery{Text: q, Mode: m.mode})
			if err != nil || rep.Mode != m.mode {
				b.Fatalf("%s search %q: %v, report %+v", m.mode, q, err, rep)
			}
		})
		logLatency(b, fmt.Sprintf("%s search%s, n=%d", m.mode, m.name, n), lat)
		if m.mode == paperboy.ModeHybrid && m.s == s {
			logSlowest(b, queries, lat, 5)
		}
	}
	if out := os.Getenv("PAPERBOY_HYBRID_PROFILE"); out != "" {
		profiled := paperboy.ModeHybrid
		if keywordOnly {
			profiled = paperboy.ModeKeyword
		}
		profileQueries(b, out, queries, func(q string) {
			if _, _, _, err := s.SearchReport(ctx, paperboy.SearchQuery{Text: q, Mode: profiled}); err != nil {
				b.Fatal(err)
			}
		})
	}
	if keywordOnly {
		return
	}
	// Hybrid search as it was before each of its lexical options, and how
	// much of the top 10 each shares with the first, whose lexical ranking
	// is keyword search's (exact, every word).
	exact := DefaultFusion()
	exact.Slack, exact.AnyWord, exact.MaxTerms, exact.Rescore = 0, false, 0, 0
	noRescore := rescoring(0)
	var first [][]paperboy.ArxivID
	for i, v := range []struct {
		name string
		s    *Searcher
	}{
		{"keyword search's exact ranking, one lexical worker", New(lex, sem, mem, nil, WithLexicalWorkers(1), WithFusion(exact))},
		{"any word, slack 2, 12 words at most, one lexical worker", New(lex, sem, mem, nil, WithLexicalWorkers(1), WithFusion(noRescore))},
		{"any word, slack 2, 12 words at most, serve's lexical workers", New(lex, sem, mem, nil, WithFusion(noRescore))},
		{"the default (those and rescoring), one lexical worker", New(lex, sem, mem, nil, WithLexicalWorkers(1))},
		{"the default, serve's lexical workers", s},
		{"the default without translation (likelihood 0.5, as before)", New(lex, sem, mem, nil, WithFusion(untranslated()))},
		{"the default without query likelihood (semantic weight 0.3, coverage 0.2, as before)", New(lex, sem, mem, nil, WithFusion(unlikely()))},
		{"the default without the coverage boost and query likelihood (semantic weight 0.2, as before)", New(lex, sem, mem, nil, WithFusion(uncovered()))},
		{"rescoring from 4 words, serve's lexical workers", New(lex, sem, mem, nil, WithFusion(rescoring(4)))},
		{"rescoring from 6 words, serve's lexical workers", New(lex, sem, mem, nil, WithFusion(rescoring(6)))},
		{"the default, graph walked from its top (as before)", New(lex, sem, mem, nil, WithFusion(walking(false, 0)))},
		{"the default, graph walked with ef 128", New(lex, sem, mem, nil, WithFusion(walking(true, 128)))},
		{"the default, graph walked with ef 512", New(lex, sem, mem, nil, WithFusion(walking(true, 512)))},
		{"the default, graph walked with ef 1024", New(lex, sem, mem, nil, WithFusion(walking(true, 1024)))},
	} {
		tops := make([][]paperboy.ArxivID, len(queries))
		for j, q := range queries {
			res, _, _, err := v.s.SearchReport(ctx, paperboy.SearchQuery{Text: q, Limit: 10})
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range res {
				tops[j] = append(tops[j], r.Paper.ID)
			}
		}
		if i == 0 {
			first = tops
		}
		logLatency(b, fmt.Sprintf("hybrid search, %s (top 10 shared with the first: %.3f)", v.name, shared(first, tops)), timeQueries(b, queries, func(q string) {
			if _, _, _, err := v.s.SearchReport(ctx, paperboy.SearchQuery{Text: q}); err != nil {
				b.Fatal(err)
			}
		}))
	}
	// Where a hybrid query's time goes.
	others := make(map[string][]paperboy.ArxivID, len(queries)) // each query's HNSW top 100
	for _, q := range queries {
		v, _ := emb.EmbedQuery(ctx, q)
		for _, h := range idx.Search(v, DefaultFusion().Depth) {
			others[q] = append(others[q], h.ID)
		}
	}
	type part struct {
		name string
		run  func(q string)
	}
	parts := []part{
		{"query embedding", func(q string) { emb.EmbedQuery(ctx, q) }},
		{"lexical ranking (top 100, exact, one worker)", func(q string) {
			lex.RankWith(ctx, paperboy.SearchQuery{Text: q, Limit: search.MaxLimit}, search.RankOptions{Workers: 1})
		}},
		{"lexical ranking (top 100, hybrid's options, one worker)", func(q string) {
			lex.RankWith(ctx, paperboy.SearchQuery{Text: q, Limit: search.MaxLimit}, DefaultFusion().lexical(1))
		}},
		{"lexical ranking (top 100, hybrid's options without rescoring, one worker)", func(q string) {
			lex.RankWith(ctx, paperboy.SearchQuery{Text: q, Limit: search.MaxLimit}, noRescore.lexical(1))
		}},
		{"lexical ranking (top 100, hybrid's options, serve's workers)", func(q string) {
			lex.RankWith(ctx, paperboy.SearchQuery{Text: q, Limit: search.MaxLimit}, DefaultFusion().lexical(0))
		}},
		{"hnsw search (top 100, default beam)", func(q string) {
			v, _ := emb.EmbedQuery(ctx, q)
			idx.Search(v, DefaultFusion().Depth)
		}},
		{"the HNSW top 100 scored by the words (Prepared.Score, serve's workers)", func(q string) {
			words, _ := lex.Prepare(q, DefaultFusion().lexical(0))
			words.Score(ctx, others[q])
		}},
		{"the likelihood of the HNSW top 50 (Prepared.Likelihoods)", func(q string) {
			words, _ := lex.Prepare(q, DefaultFusion().lexical(0))
			words.Likelihoods(ctx, others[q][:min(len(others[q]), DefaultFusion().LikelihoodDepth)], nil)
		}},
		{"the likelihood of the HNSW top 50, translated (Prepared.Likelihoods)", func(q string) {
			words, _ := lex.Prepare(q, DefaultFusion().lexical(0))
			words.Likelihoods(ctx, others[q][:min(len(others[q]), DefaultFusion().LikelihoodDepth)], DefaultFusion().translation(emb))
		}},
	}
	for _, part := range parts {
		logLatency(b, part.name, timeQueries(b, queries, part.run))
	}
	graphRecall(b, idx, recallSets(b, s, sem.active, mem, queries))
}

// scaleCorpus reads the corpus PAPERBOY_HYBRID_CORPUS names (skipping the
// benchmark without it) and builds its lexical index, or loads it from
// the directory PAPERBOY_HYBRID_CACHE, which it returns.
func scaleCorpus(b *testing.B) (*memStore, *search.Engine, string) {
	path := os.Getenv("PAPERBOY_HYBRID_CORPUS")
	if path == "" {
		b.Skip("set PAPERBOY_HYBRID_CORPUS")
	}
	began := time.Now()
	mem, err := readCorpus(path)
	if err != nil {
		b.Fatal(err)
	}
	n := len(mem.papers)
	b.Logf("corpus: %d papers read in %v", n, time.Since(began).Round(time.Millisecond))

	began = time.Now()
	opts := []search.Option{search.WithWorkers(search.ParallelWorkers())}
	cache := os.Getenv("PAPERBOY_HYBRID_CACHE")
	if cache != "" {
		opts = append(opts, search.WithDir(lexicalDir(cache, n)))
	}
	lex := search.New(mem, nil, opts...)
	if _, err := lex.Sync(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Logf("lexical index: built or loaded in %v", time.Since(began).Round(time.Millisecond))
	return mem, lex, cache
}

// lexicalDir is where the cache keeps the lexical index of n papers.
func lexicalDir(cache string, n int) string {
	return filepath.Join(cache, fmt.Sprintf("lexical-%d", n))
}

// querySet is a set of query vectors for graphRecall; self, when set,
// names the paper each vector is of, left out of both top 10s; near, when
// set, the papers each vector was moved towards or is of, from which the
// graph is also walked (vector.HNSW.SearchFrom), as hybrid search and
// related papers walk it.
type querySet struct {
	name string
	vecs [][]float32
	self []paperboy.ArxivID
	near [][]paperboy.ArxivID
}

// recallSets returns the query vectors the graph is checked with: the
// queries as embedded (semantic search), the same moved towards their
// lexical top 3 (what hybrid search looks up) and the vectors of as many
// papers of the corpus, spread evenly (related papers).
func recallSets(b *testing.B, s *Searcher, g *generation, mem *memStore, queries []string) []querySet {
	ctx := context.Background()
	sets := []querySet{{name: "queries as embedded"}, {name: "queries with feedback, as hybrid search"}, {name: "papers, as related papers"}}
	f := s.fusion
	for _, q := range queries {
		v, err := g.emb.EmbedQuery(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		lex, _, err := s.lex.RankWith(ctx, paperboy.SearchQuery{Text: q, Limit: f.PRFDocs}, f.lexical(0))
		if err != nil {
			b.Fatal(err)
		}
		top := make([]paperboy.ArxivID, len(lex))
		for i, r := range lex {
			top[i] = r.ID
		}
		sets[0].vecs = append(sets[0].vecs, v)
		sets[1].vecs = append(sets[1].vecs, feedback(g, v, top, f.PRFWeight))
		sets[1].near = append(sets[1].near, top)
	}
	for i := range len(queries) {
		p := mem.papers[i*len(mem.papers)/len(queries)]
		v, ok := g.idx.Vector(p.ID)
		if !ok {
			b.Fatalf("paper %s has no vector", p.ID)
		}
		sets[2].vecs = append(sets[2].vecs, v)
		sets[2].self = append(sets[2].self, p.ID)
		sets[2].near = append(sets[2].near, []paperboy.ArxivID{p.ID})
	}
	return sets
}

// graphRecall logs, for each set of query vectors, the share of the exact
// top 10 that the graph finds, how long exact search takes, and how far
// apart the exact scores are: when the 100th is nearly the 10th, the top
// 10 is one draw from many near ties, and recall says little about
// quality.
func graphRecall(b *testing.B, idx *vector.HNSW, sets []querySet) {
	for _, set := range sets {
		// others is hits without the i-th vector's own paper.
		others := func(hits []vector.Hit, i int) []vector.Hit {
			if set.self == nil {
				return hits
			}
			return slices.DeleteFunc(hits, func(h vector.Hit) bool { return h.ID == set.self[i] })
		}
		truth := make([][]vector.Hit, len(set.vecs))
		lat := make([]time.Duration, len(set.vecs))
		var s1, s10, s100 float64
		for i, v := range set.vecs {
			t := time.Now()
			hits := idx.Exact(v, 101)
			lat[i] = time.Since(t)
			hits = others(hits, i)
			s1, s10, s100 = s1+float64(hits[0].Score), s10+float64(hits[9].Score), s100+float64(hits[99].Score)
			truth[i] = hits[:10]
		}
		nq := float64(len(set.vecs))
		logLatency(b, "exact vector search (top 100), "+set.name, lat)
		b.Logf("exact scores, mean over the %s: 1st %.3f, 10th %.3f, 100th %.3f", set.name, s1/nq, s10/nq, s100/nq)
		walks := []string{"from the top"}
		if set.near != nil {
			walks = append(walks, "seeded")
		}
		for _, walk := range walks {
			for _, ef := range graphEfs(b) {
				var found int
				var tenth float64
				lat := make([]time.Duration, len(set.vecs))
				for i, v := range set.vecs {
					var near []paperboy.ArxivID
					if walk == "seeded" {
						near = set.near[i]
					}
					t := time.Now()
					got := others(idx.SearchFrom(v, 100, ef, near), i)
					lat[i] = time.Since(t)
					got = got[:min(10, len(got))]
					for _, h := range got {
						if slices.ContainsFunc(truth[i], func(w vector.Hit) bool { return w.ID == h.ID }) {
							found++
						}
					}
					tenth += float64(got[len(got)-1].Score)
				}
				b.Logf("hnsw ef %d %s, %s: recall@10 %.4f against exact search; its 10th score %.3f", ef, walk, set.name, float64(found)/(10*nq), tenth/nq)
				logLatency(b, fmt.Sprintf("hnsw top 100, ef %d %s, %s", ef, walk, set.name), lat)
			}
		}
	}
}

// graphEfs returns the beams graphRecall walks with:
// PAPERBOY_GRAPH_EFS, a comma-separated list, or 128, 256 and 512.
func graphEfs(b *testing.B) []int {
	env := os.Getenv("PAPERBOY_GRAPH_EFS")
	if env == "" {
		return []int{128, 256, 512}
	}
	var efs []int
	for f := range strings.SplitSeq(env, ",") {
		ef, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || ef <= 0 {
			b.Fatalf("PAPERBOY_GRAPH_EFS: %q is not a beam width", f)
		}
		efs = append(efs, ef)
	}
	return efs
}

// rescoring is the default fusion rescoring from n words.
func rescoring(n int) Fusion {
	f := DefaultFusion()
	f.Rescore = n
	return f
}

// uncovered is the default fusion as it was before the coverage boost.
func uncovered() Fusion {
	f := unlikely()
	f.Weight, f.Coverage = 0.2, 0
	return f
}

// untranslated is the default fusion as it was before the likelihood's
// translation (Fusion.Translate): semantic weight 0.4, coverage 0.3,
// likelihood 0.5.
func untranslated() Fusion {
	f := DefaultFusion()
	f.Weight, f.Coverage, f.Likelihood, f.Translate = 0.4, 0.3, 0.5, 0
	return f
}

// unlikely is the default fusion as it was before query likelihood
// (Fusion.Likelihood): semantic weight 0.3, coverage 0.2.
func unlikely() Fusion {
	f := DefaultFusion()
	f.Weight, f.Coverage, f.Likelihood = 0.3, 0.2, 0
	return f
}

// walking is the default fusion with the graph walked from the feedback
// papers or not, with a beam of ef (0: the index's).
func walking(seeded bool, ef int) Fusion {
	f := DefaultFusion()
	f.Seeded, f.Ef = seeded, ef
	return f
}

// shared is the mean share of a's lists found in b's (a's and b's i-th
// lists being one query's top 10).
func shared(a, b [][]paperboy.ArxivID) float64 {
	var sum float64
	for i := range a {
		if len(a[i]) == 0 {
			sum++
			continue
		}
		n := 0
		for _, id := range b[i] {
			if slices.Contains(a[i], id) {
				n++
			}
		}
		sum += float64(n) / float64(len(a[i]))
	}
	return sum / float64(len(a))
}

// profileQueries writes a CPU profile of three passes of the queries to
// the file out.
func profileQueries(b *testing.B, out string, queries []string, run func(q string)) {
	f, err := os.Create(out)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	for range 3 {
		for _, q := range queries {
			run(q)
		}
	}
	pprof.StopCPUProfile()
}

// timeQueries runs every query once to warm up, then once timed.
func timeQueries(b *testing.B, queries []string, run func(q string)) []time.Duration {
	for _, q := range queries {
		run(q)
	}
	lat := make([]time.Duration, len(queries))
	for i, q := range queries {
		t := time.Now()
		run(q)
		lat[i] = time.Since(t)
	}
	return lat
}

func logLatency(b *testing.B, what string, lat []time.Duration) {
	s := slices.Clone(lat)
	slices.Sort(s)
	at := func(p float64) float64 {
		return float64(s[min(len(s)-1, int(p*float64(len(s))))].Microseconds()) / 1000
	}
	b.Logf("%s: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms over %d queries", what, at(0.5), at(0.95), at(0.99), at(1), len(s))
}

// logSlowest logs the n slowest queries and their times.
func logSlowest(b *testing.B, queries []string, lat []time.Duration, n int) {
	order := make([]int, len(queries))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return cmp.Compare(lat[j], lat[i]) })
	for _, i := range order[:min(n, len(order))] {
		b.Logf("  %.2f ms: %q", float64(lat[i].Microseconds())/1000, queries[i])
	}
}

// scaleVectors trains the built-in embedder on the corpus and indexes
// every paper's vector with serve's HNSW options, or loads both from
// cache.
func scaleVectors(b *testing.B, mem *memStore, cache string) (*embed.Builtin, *vector.HNSW) {
	n := len(mem.papers)
	indexPath := graphPath(cache, n)
	texts := paperTexts(mem)
	m := scaleModel(b, n, texts, cache)
	emb := embed.NewBuiltin(m, 1)
	if cache != "" {
		began := time.Now()
		idx, _, err := vector.LoadHNSWFile(indexPath, DefaultHNSW())
		if err == nil && idx.Len() == n {
			b.Logf("graph of %d vectors loaded from %s in %v", idx.Len(), cache, time.Since(began).Round(time.Millisecond))
			return emb, idx
		}
	}
	var embedding, linking time.Duration
	idx := vector.NewHNSW(m.Dim, DefaultHNSW())
	for start := 0; start < n; start += 20000 {
		end := min(n, start+20000)
		t := time.Now()
		vecs := embedParallel(emb, mem.papers[start:end], texts()[start:end])
		embedding += time.Since(t)
		t = time.Now()
		idx.Add(vecs...)
		linking += time.Since(t)
		if end%200000 == 0 || end == n {
			fmt.Fprintf(os.Stderr, "indexed %d\n", end)
			b.Logf("indexed %d: embedding %v, graph %v (%.0f vectors/s)", end, embedding.Round(time.Second),
				linking.Round(time.Second), float64(end)/linking.Seconds())
		}
	}
	if cache != "" {
		if err := idx.SaveFile(indexPath, nil); err != nil {
			b.Fatal(err)
		}
	}
	return emb, idx
}

// graphPath is where scaleVectors keeps the graph of n papers in cache.
func graphPath(cache string, n int) string {
	return filepath.Join(cache, fmt.Sprintf("hybrid-%d.hnsw", n))
}

// paperTexts returns a function giving each paper's text as the embedder
// reads it, built on the first call only (2.5M papers' texts take
// gigabytes, and a run that loads its model and graph needs none).
func paperTexts(mem *memStore) func() []string {
	return sync.OnceValue(func() []string {
		texts := make([]string, len(mem.papers))
		for i, p := range mem.papers {
			texts[i] = embed.PaperText(p)
		}
		return texts
	})
}

// scaleModel trains the built-in embedder on the texts of n papers, or
// loads it from cache.
func scaleModel(b *testing.B, n int, texts func() []string, cache string) *embed.Model {
	modelPath := filepath.Join(cache, fmt.Sprintf("hybrid-%d.model", n))
	if cache != "" {
		if raw, err := os.ReadFile(modelPath); err == nil {
			m, err := embed.UnmarshalModel(raw)
			if err != nil {
				b.Fatal(err)
			}
			return m
		}
	}
	began := time.Now()
	m, err := embed.Train(context.Background(), texts(), embed.DefaultTrainOptions(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built-in embedder: trained (dim %d) in %v", m.Dim, time.Since(began).Round(time.Millisecond))
	if cache != "" {
		raw, err := m.MarshalBinary()
		if err == nil {
			err = os.WriteFile(modelPath, raw, 0o644)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	return m
}

// embedParallel embeds papers on every core.
func embedParallel(emb *embed.Builtin, papers []*paperboy.Paper, texts []string) []paperboy.PaperVector {
	out := make([]paperboy.PaperVector, len(papers))
	w := runtime.GOMAXPROCS(0)
	per := (len(papers) + w - 1) / w
	var wg sync.WaitGroup
	for from := 0; from < len(papers); from += per {
		to := min(len(papers), from+per)
		wg.Go(func() {
			vecs, _ := emb.EmbedDocuments(context.Background(), texts[from:to])
			for i, v := range vecs {
				out[from+i] = paperboy.PaperVector{ID: papers[from+i].ID, Vec: v}
			}
		})
	}
	wg.Wait()
	return out
}

// scaleSearcher returns a searcher of the corpus that embeds with emb and
// looks vectors up in idx, and its semantic service.
func scaleSearcher(mem *memStore, lex *search.Engine, emb *embed.Builtin, idx *vector.HNSW) (*Searcher, *Semantic) {
	sem := NewSemantic(mem, nil, nil)
	sem.active = &generation{emb: emb, idx: idx}
	return New(lex, sem, mem, nil), sem
}

// scaleQueries returns 150 SciFact training questions and 150 titles of
// the arXiv sample.
func scaleQueries(b *testing.B) []string {
	ds, err := beir.Load(sciFactDir, "qrels/train.tsv")
	if err != nil {
		b.Fatal(err)
	}
	var out []string
	for _, q := range ds.Queries[:150] {
		out = append(out, beir.PlainText(q.Text))
	}
	zr, err := gzip.NewReader(demo.Sample())
	if err != nil {
		b.Fatal(err)
	}
	rd := arxiv.NewKaggleReader(zr)
	for i := 0; len(out) < 300; i++ {
		p, err := rd.Next()
		if err != nil {
			b.Fatal(err)
		}
		if i%17 == 0 {
			out = append(out, beir.PlainText(strings.Join(strings.Fields(p.Title), " ")))
		}
	}
	return out
}

// memStore is a read-only paperboy.PaperStore over papers held in memory,
// their change sequence their order.
type memStore struct {
	papers []*paperboy.Paper
	byID   map[paperboy.ArxivID]*paperboy.Paper
}

func readCorpus(path string) (*memStore, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	var r io.Reader = br
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		r = zr
	}
	s := &memStore{byID: map[paperboy.ArxivID]*paperboy.Paper{}}
	rd := arxiv.NewKaggleReader(r)
	for {
		p, err := rd.Next()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return nil, err
		}
		p.Seq = int64(len(s.papers) + 1)
		s.papers = append(s.papers, p)
		s.byID[p.ID] = p
	}
}

var errReadOnly = errors.New("memStore is read-only")

func (s *memStore) UpsertPapers(context.Context, []*paperboy.Paper) ([]paperboy.MergeOutcome, error) {
	return nil, errReadOnly
}

func (s *memStore) DeletePaper(context.Context, paperboy.ArxivID) error { return errReadOnly }

func (s *memStore) Paper(_ context.Context, id paperboy.ArxivID) (*paperboy.Paper, error) {
	if p := s.byID[id]; p != nil {
		return p, nil
	}
	return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s not found.", id)
}

func (s *memStore) Papers(_ context.Context, f paperboy.PaperFilter) ([]*paperboy.Paper, int, error) {
	var out []*paperboy.Paper
	for _, id := range f.IDs {
		if p := s.byID[id]; p != nil {
			out = append(out, p)
		}
	}
	return out, len(out), nil
}

func (s *memStore) Changes(_ context.Context, after int64, limit int) ([]paperboy.Change, error) {
	from := int(min(max(after, 0), int64(len(s.papers))))
	to := len(s.papers)
	if limit > 0 {
		to = min(to, from+limit)
	}
	out := make([]paperboy.Change, 0, to-from)
	for _, p := range s.papers[from:to] {
		out = append(out, paperboy.Change{Seq: p.Seq, ID: p.ID, Paper: p})
	}
	return out, nil
}

func (s *memStore) LastSeq(context.Context) (int64, error) { return int64(len(s.papers)), nil }

func (s *memStore) Days(context.Context, time.Time) (paperboy.DayNeighbours, error) {
	return paperboy.DayNeighbours{}, nil
}

func (s *memStore) CountPapers(context.Context) (int, error) { return len(s.papers), nil }

func (s *memStore) Close() error { return nil }
