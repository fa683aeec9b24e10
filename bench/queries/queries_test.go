package queries_test

import (
	"reflect"
	"testing"

	"paperboy/bench/corpus"
	"paperboy/bench/queries"
	"paperboy/bench/ref"
)

func generator(t *testing.T, n int) *corpus.Generator {
	t.Helper()
	m, err := corpus.SampleModel()
	if err != nil {
		t.Fatal(err)
	}
	g, err := corpus.New(m, n, 1)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestGenerate(t *testing.T) {
	g := generator(t, 3000)
	qs, err := queries.Generate(g, 6, 9)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := queries.Generate(g, 6, 9)
	if !reflect.DeepEqual(qs, again) {
		t.Fatal("the same seed gave different queries")
	}
	if other, _ := queries.Generate(g, 6, 10); reflect.DeepEqual(qs, other) {
		t.Fatal("seeds 9 and 10 gave the same queries")
	}
	if len(qs) != 6*len(queries.Sets) {
		t.Fatalf("got %d queries, want %d", len(qs), 6*len(queries.Sets))
	}
	want := map[string]int{"1w": 1, "2w": 2, "3w": 3, "5w": 5, "phrase": 0, "cat": 2, "date": 2}
	for i, q := range qs {
		if q.Set != queries.Sets[i/6] {
			t.Errorf("query %d is in set %s, want %s", i, q.Set, queries.Sets[i/6])
		}
		if len(q.Words) != want[q.Set] {
			t.Errorf("%s query %q has %d words, want %d", q.Set, q.Text(), len(q.Words), want[q.Set])
		}
		if (q.Set == "phrase") != (len(q.Phrase) == 2) || (q.Set == "cat") != (q.Category != "") || (q.Set == "date") != (q.Year != 0) {
			t.Errorf("%s query %q has the wrong parts", q.Set, q.Text())
		}
		wantClass := []string{"high", "mid"}[i%2]
		if q.Class != wantClass {
			t.Errorf("query %d %q is of class %s, want %s", i, q.Text(), q.Class, wantClass)
		}
		for _, w := range q.Words {
			if got := g.Model().Class(w); got != q.Class {
				t.Errorf("%s query %q: word %q is of class %q", q.Class, q.Text(), w, got)
			}
		}
	}
}

// TestEveryQueryMatches checks, with the exact reference, that every query
// finds the document it was drawn from or others.
func TestEveryQueryMatches(t *testing.T) {
	g := generator(t, 2000)
	qs, err := queries.Generate(g, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	a := ref.NewAnalyzer()
	compiled := make([]ref.Query, len(qs))
	for i, q := range qs {
		compiled[i] = a.Compile(q)
	}
	doc := func(i int, a *ref.Analyzer) ref.Doc { return a.AnalyzePaper(g.Paper(i)) }
	for i, r := range ref.Run(g.Len(), doc, compiled, ref.DefaultParams(), 10, 2) {
		if r.Matches == 0 {
			t.Errorf("query %q matches nothing", qs[i].Text())
		}
	}
}

func TestText(t *testing.T) {
	for _, c := range []struct {
		q    queries.Query
		want string
	}{
		{queries.Query{Words: []string{"quantum", "error"}}, "quantum error"},
		{queries.Query{Phrase: []string{"neural", "network"}}, `"neural network"`},
		{queries.Query{Words: []string{"spin"}, Category: "cond-mat.str-el"}, "spin cat:cond-mat.str-el"},
		{queries.Query{Words: []string{"spin", "glass"}, Year: 2019}, "spin glass year:2019"},
	} {
		if got := c.q.Text(); got != c.want {
			t.Errorf("Text() = %q, want %q", got, c.want)
		}
	}
}
