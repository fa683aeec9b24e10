package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"paperboy"
)

// scaleDocs is the corpus size of BenchmarkScale: PAPERBOY_BENCH_DOCS, or
// 200,000.
func scaleDocs() int {
	if n, err := strconv.Atoi(os.Getenv("PAPERBOY_BENCH_DOCS")); err == nil && n > 0 {
		return n
	}
	return 200_000
}

// scaleVocab returns n pronounceable pseudo-words, so that the analyzer
// and stemmer see word-like input with a realistic vocabulary size.
func scaleVocab(rng *rand.Rand, n int) []string {
	syl := strings.Fields("ka lo mi ne ru ta si ve do pa gri stra ne tion ing al er ic ous ment")
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// scaleCorpus returns n papers with Zipf-distributed words over a 20,000-word
// vocabulary (10-word titles, 150-word abstracts), 3 authors from 10,000
// surnames, 1-2 of 50 categories and dates over 2010-2024; the vocabulary
// comes back too, most frequent first.
func scaleCorpus(n int) ([]*paperboy.Paper, []string) {
	rng := rand.New(rand.NewPCG(7, 11))
	vocab := scaleVocab(rng, 20_000)
	zipf := rand.NewZipf(rng, 1.07, 3, uint64(len(vocab)-1))
	text := func(words int) string {
		w := make([]string, words)
		for i := range w {
			w[i] = vocab[zipf.Uint64()]
		}
		return strings.Join(w, " ")
	}
	names := scaleVocab(rng, 10_000)
	papers := make([]*paperboy.Paper, n)
	base := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range papers {
		p := &paperboy.Paper{
			ID:       paperboy.ArxivID(fmt.Sprintf("%02d%02d.%05d", 15+i/99999/12, 1+i/99999%12, i%99999+1)),
			Version:  1,
			Title:    text(10),
			Abstract: text(150),
		}
		for range 3 {
			p.Authors = append(p.Authors, paperboy.Author{Name: "A. " + names[rng.IntN(len(names))]})
		}
		p.Categories = []string{fmt.Sprintf("cs.c%d", rng.IntN(40))}
		if rng.IntN(2) == 0 {
			p.Categories = append(p.Categories, fmt.Sprintf("math.m%d", rng.IntN(10)))
		}
		p.Submitted = base.Add(time.Duration(rng.IntN(15*365*24)) * time.Hour)
		p.Updated = p.Submitted
		papers[i] = p
	}
	return papers, vocab
}

// scaleQuery is one benchmark query and its class: 1w, 2w, 3w, 5w, phrase
// or filter.
type scaleQuery struct{ class, text string }

// scaleClasses are the query classes, in report order.
var scaleClasses = []string{"1w", "2w", "3w", "5w", "phrase", "filter"}

// scaleQueries are the query sets of the issue: 1-, 2-, 3- and 5-word
// queries of high- and mid-frequency words, phrases, and filters.
func scaleQueries(vocab []string) []scaleQuery {
	rng := rand.New(rand.NewPCG(5, 6))
	high, mid := vocab[:100], vocab[100:3000]
	pick := func(from []string, k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = from[rng.IntN(len(from))]
		}
		return strings.Join(w, " ")
	}
	var qs []scaleQuery
	for range 20 {
		qs = append(qs,
			scaleQuery{"1w", pick(high, 1)}, scaleQuery{"1w", pick(mid, 1)},
			scaleQuery{"2w", pick(high, 2)}, scaleQuery{"2w", pick(mid, 2)}, scaleQuery{"2w", pick(high, 1) + " " + pick(mid, 1)},
			scaleQuery{"3w", pick(high, 3)}, scaleQuery{"3w", pick(mid, 3)},
			scaleQuery{"5w", pick(high, 5)}, scaleQuery{"5w", pick(mid, 5)},
			scaleQuery{"phrase", `"` + pick(high, 2) + `"`},
			scaleQuery{"filter", pick(mid, 2) + " cat:cs.c3"}, scaleQuery{"filter", pick(high, 2) + " year:2019"})
	}
	return qs
}

// BenchmarkScale builds an index of scaleDocs synthetic papers and reports
// the build rate and the single-thread top-10 latency over scaleQueries.
// Run: go test ./internal/search -run '^$' -bench Scale -benchtime 1x.
func BenchmarkScale(b *testing.B) {
	papers, vocab := scaleCorpus(scaleDocs())
	s := newFakeStore(papers...)
	ctx := context.Background()
	var e *Engine
	dir := b.TempDir()
	for b.Loop() {
		os.RemoveAll(dir)
		began := time.Now()
		e = New(s, nil, WithDir(dir))
		if _, err := e.Sync(ctx); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(papers))/time.Since(began).Seconds(), "build_docs/s")
	}
	raw, size := 0, int64(0)
	for _, p := range papers {
		raw += len(p.Title) + len(p.Abstract)
		for _, a := range p.Authors {
			raw += len(a.Name)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, en := range entries {
		if fi, err := en.Info(); err == nil {
			size += fi.Size()
		}
	}
	b.ReportMetric(float64(size)/float64(raw), "index/raw")
	began := time.Now()
	e = New(s, nil, WithDir(dir))
	if _, err := e.Sync(ctx); err != nil || e.Len() != len(papers) {
		b.Fatalf("reload: %d papers, %v", e.Len(), err)
	}
	b.ReportMetric(time.Since(began).Seconds()*1000, "load_ms")
	qs := scaleQueries(vocab)
	lat := map[string][]time.Duration{}
	for range 3 {
		for _, q := range qs {
			began := time.Now()
			if _, _, err := e.Search(ctx, paperboy.SearchQuery{Text: q.text, Limit: 10}); err != nil {
				b.Fatal(err)
			}
			d := time.Since(began)
			lat[q.class] = append(lat[q.class], d)
			lat[""] = append(lat[""], d)
		}
	}
	for _, c := range append([]string{""}, scaleClasses...) {
		prefix := ""
		if c != "" {
			prefix = c + "_"
		}
		l := lat[c]
		slices.Sort(l)
		b.ReportMetric(float64(l[len(l)/2].Microseconds())/1000, prefix+"p50_ms")
		b.ReportMetric(float64(l[len(l)*99/100].Microseconds())/1000, prefix+"p99_ms")
	}
}
