package systems

import (
	"context"
	"os"
	"slices"
	"testing"

	"paperboy/bench/corpus"
	"paperboy/bench/queries"
	"paperboy/bench/ref"
)

// TestSystemsAgreeWithReference builds each system on a small corpus and
// checks that it answers every query, returns only matching documents'
// IDs, and mostly agrees with the exact reference: a broken query
// translation (wrong syntax, a missing filter, OR for AND) fails here.
// PostgreSQL runs when PAPERBOY_TEST_POSTGRES_DSN is set.
func TestSystemsAgreeWithReference(t *testing.T) {
	m, err := corpus.SampleModel()
	if err != nil {
		t.Fatal(err)
	}
	g, err := corpus.New(m, 1500, 4)
	if err != nil {
		t.Fatal(err)
	}
	qs, err := queries.Generate(g, 4, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := reference(g, qs)
	dsn := os.Getenv("PAPERBOY_TEST_POSTGRES_DSN")
	for _, name := range Names {
		t.Run(name, func(t *testing.T) {
			if name == "postgres" && dsn == "" {
				t.Skip("PAPERBOY_TEST_POSTGRES_DSN not set")
			}
			ctx := context.Background()
			sys, err := Open(ctx, name, t.TempDir(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer sys.Close()
			if _, err := sys.Build(ctx, g); err != nil {
				t.Fatal(err)
			}
			checkAnswers(t, name, sys, qs, want)
		})
	}
}

// checkAnswers requires every returned ID to be among the reference's
// matches (filters and AND respected) and an average overlap@10 of at
// least 0.6 (analyzers and ranking formulas differ). paperboy treats a
// query of five words or more as natural language, matching any word, so
// its 5-word answers are held to the overlap only.
func checkAnswers(t *testing.T, name string, sys System, qs []queries.Query, want []refAnswer) {
	t.Helper()
	var overlap float64
	for i, q := range qs {
		got, err := sys.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("%q: %v", q.Text(), err)
		}
		n := 0
		for _, id := range got {
			if !want[i].matches[id] && !(name == "paperboy" && q.Set == "5w") {
				t.Errorf("%q returned %s, which does not match", q.Text(), id)
			}
			if slices.Contains(want[i].top, id) {
				n++
			}
		}
		overlap += float64(n) / float64(len(want[i].top))
	}
	if overlap /= float64(len(qs)); overlap < 0.6 {
		t.Errorf("mean overlap@10 with the reference = %.2f, want at least 0.6", overlap)
	}
}

type refAnswer struct {
	top     []string
	matches map[string]bool
}

// reference returns each query's exact top 10 and, with k = corpus size,
// every matching document.
func reference(g *corpus.Generator, qs []queries.Query) []refAnswer {
	a := ref.NewAnalyzer()
	compiled := make([]ref.Query, len(qs))
	for i, q := range qs {
		compiled[i] = a.Compile(q)
	}
	doc := func(i int, a *ref.Analyzer) ref.Doc { return a.AnalyzePaper(g.Paper(i)) }
	out := make([]refAnswer, len(qs))
	for i, r := range ref.Run(g.Len(), doc, compiled, ref.DefaultParams(), g.Len(), 2) {
		out[i].matches = map[string]bool{}
		for j, h := range r.Top {
			id := string(g.ID(h.Doc))
			out[i].matches[id] = true
			if j < K {
				out[i].top = append(out[i].top, id)
			}
		}
	}
	return out
}
