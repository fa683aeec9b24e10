package hybrid

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"paperboy"
	"paperboy/internal/demo"
	"paperboy/internal/embed"
	"paperboy/internal/ingest"
	"paperboy/internal/search"
	"paperboy/internal/store/sqlite"
)

// TestMeasureRelatedCategories measures, on the bundled arXiv sample, how
// often a paper's top 10 related papers share its primary category, for
// paperboy's related papers and for arxiv-sanity's TF-IDF cosine baseline;
// it also prints the top 5 of a natural-language query in hybrid and
// keyword mode. Run with PAPERBOY_MEASURE=1 -v.
func TestMeasureRelatedCategories(t *testing.T) {
	if os.Getenv("PAPERBOY_MEASURE") != "1" {
		t.Skip("set PAPERBOY_MEASURE=1 to measure")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "m.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := (&ingest.Importer{Store: st}).Import(ctx, demo.SampleName, demo.Sample()); err != nil {
		t.Fatal(err)
	}
	changes, err := st.Changes(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var papers []*paperboy.Paper
	var texts []string
	for _, ch := range changes {
		papers = append(papers, ch.Paper)
		texts = append(texts, embed.PaperText(ch.Paper))
	}
	lex := search.New(st, nil)
	if _, err := lex.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	m, err := embed.Train(ctx, texts, embed.DefaultTrainOptions(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sem := NewSemantic(st, st, nil)
	if err := sem.Use(ctx, embed.NewBuiltin(m, 1), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := sem.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	s := New(lex, sem, st, nil)

	tfidf := newTFIDF(texts)
	var ours, base, n float64
	for i, p := range papers {
		res, err := s.Related(ctx, p.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Paper.PrimaryCategory() == p.PrimaryCategory() {
				ours++
			}
		}
		for _, j := range tfidf.nearest(i, 10) {
			if papers[j].PrimaryCategory() == p.PrimaryCategory() {
				base++
			}
		}
		n += 10
	}
	t.Logf("related top 10 sharing the primary category, %d papers: paperboy %.4f, TF-IDF cosine %.4f", len(papers), ours/n, base/n)

	q := "how to keep training stable at large learning rates"
	for _, mode := range []string{paperboy.ModeHybrid, paperboy.ModeKeyword, paperboy.ModeSemantic} {
		res, _, rep, err := s.SearchReport(ctx, paperboy.SearchQuery{Text: q, Limit: 5, Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%q in mode %s (answered %s %s):", q, mode, rep.Mode, rep.Fallback)
		for _, r := range res {
			t.Logf("  %s [%s] %s", r.Paper.ID, r.Paper.PrimaryCategory(), strings.Join(strings.Fields(r.Paper.Title), " "))
		}
	}
}

// tfidf is arxiv-sanity's representation: TF-IDF of title and abstract
// words (sublinear tf, smoothed idf, l2-normalised), compared by cosine.
type tfidf struct{ docs []map[string]float64 }

func newTFIDF(texts []string) *tfidf {
	df := map[string]int{}
	tfs := make([]map[string]float64, len(texts))
	for i, text := range texts {
		tfs[i] = map[string]float64{}
		for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len(w) > 1 {
				tfs[i][w]++
			}
		}
		for w := range tfs[i] {
			df[w]++
		}
	}
	n := float64(len(texts))
	for _, tf := range tfs {
		var norm float64
		for w, c := range tf {
			tf[w] = (1 + math.Log(c)) * (math.Log((1+n)/(1+float64(df[w]))) + 1)
			norm += tf[w] * tf[w]
		}
		for w := range tf {
			tf[w] /= math.Sqrt(norm)
		}
	}
	return &tfidf{docs: tfs}
}

// nearest returns the k documents most like document i, i excluded.
func (x *tfidf) nearest(i, k int) []int {
	type scored struct {
		j int
		s float64
	}
	var all []scored
	for j, d := range x.docs {
		if j == i {
			continue
		}
		var s float64
		for w, v := range x.docs[i] {
			s += v * d[w]
		}
		all = append(all, scored{j, s})
	}
	slices.SortFunc(all, func(a, b scored) int {
		if a.s != b.s {
			if a.s > b.s {
				return -1
			}
			return 1
		}
		return a.j - b.j
	})
	out := make([]int, 0, k)
	for _, sc := range all[:min(k, len(all))] {
		out = append(out, sc.j)
	}
	return out
}
