package ref

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/bench/queries"
)

func TestAnalyze(t *testing.T) {
	for _, c := range []struct {
		text string
		stop bool
		want string
	}{
		{"Neural Networks for the training", true, "neural@0 network@1 train@4"},
		{"Schrödinger equations, 2019", true, "schroding@0 equat@1 2019@2"},
		{"pre-training", true, "pre@0 train@1"},
		{"Will An", false, "will@0 an@1"},
		{"Will An", true, ""},
	} {
		var got []string
		for _, tok := range NewAnalyzer().Analyze(c.text, c.stop) {
			got = append(got, fmt.Sprintf("%s@%d", tok.Term, tok.Pos))
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("Analyze(%q, %v) = %q, want %q", c.text, c.stop, strings.Join(got, " "), c.want)
		}
	}
}

func paper(title, abstract string, cats ...string) *paperboy.Paper {
	return &paperboy.Paper{Title: title, Abstract: abstract, Categories: cats,
		Submitted: time.Date(2019, 10, 1, 0, 0, 0, 0, time.UTC)}
}

func run(papers []*paperboy.Paper, qs []queries.Query, p Params, workers int) []Result {
	a := NewAnalyzer()
	compiled := make([]Query, len(qs))
	for i, q := range qs {
		compiled[i] = a.Compile(q)
	}
	doc := func(i int, a *Analyzer) Doc { return a.AnalyzePaper(papers[i]) }
	return Run(len(papers), doc, compiled, p, 10, workers)
}

// TestScoresByHand checks the scores against figures worked out by hand
// for one field: N = 3, "cat" in 2 documents of abstract lengths 3, 1, 4
// (average 8/3), so idf = ln(1 + 1.5/2.5) = ln 1.6 = 0.470004.
//
//	doc 0, tf 2, len 3: 0.470004 * 2*2.2 / (2 + 1.2*(0.25 + 0.75*3/(8/3))) = 0.624307
//	doc 1, tf 1, len 1: 0.470004 * 2.2 / (1 + 1.2*(0.25 + 0.75*1/(8/3)))   = 0.631455
//
// so the shorter document wins despite its lower frequency.
func TestScoresByHand(t *testing.T) {
	papers := []*paperboy.Paper{paper("", "cat cat dog"), paper("", "cat"), paper("", "dog dog dog bird")}
	res := run(papers, []queries.Query{{Words: []string{"cats"}}}, DefaultParams(), 1)
	want := []Hit{{1, 0.631455}, {0, 0.624307}}
	got := res[0].Top
	if len(got) != len(want) || res[0].Matches != 2 {
		t.Fatalf("got %+v (%d matches), want %+v", got, res[0].Matches, want)
	}
	for i := range want {
		if got[i].Doc != want[i].Doc || math.Abs(got[i].Score-want[i].Score) > 1e-6 {
			t.Errorf("hit %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestFieldWeights(t *testing.T) {
	// The same word in the title of one paper and the abstract of another,
	// each field of the same length and frequency: the title (weight 2)
	// scores exactly twice as much.
	papers := []*paperboy.Paper{paper("quark gluon", "plasma boson"), paper("plasma boson", "quark gluon")}
	got := run(papers, []queries.Query{{Words: []string{"quark"}}}, DefaultParams(), 1)[0].Top
	if len(got) != 2 || got[0].Doc != 0 || math.Abs(got[0].Score-2*got[1].Score) > 1e-12 {
		t.Errorf("got %+v, want doc 0 scoring twice doc 1", got)
	}
}

func TestMatching(t *testing.T) {
	papers := []*paperboy.Paper{
		paper("", "neural network training", "cs.LG"),
		paper("", "network of neural cells", "q-bio.NC", "cs.LG"),
		paper("", "neural network", "cs.CV"),
	}
	papers[2].Submitted = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		q    queries.Query
		want []int
	}{
		{queries.Query{Words: []string{"neural", "network"}}, []int{0, 1, 2}},
		{queries.Query{Words: []string{"neural", "training"}}, []int{0}},
		{queries.Query{Phrase: []string{"neural", "network"}}, []int{0, 2}},
		{queries.Query{Phrase: []string{"network", "neural"}}, nil},
		{queries.Query{Words: []string{"network"}, Category: "cs.LG"}, []int{0, 1}},
		{queries.Query{Words: []string{"network"}, Year: 2021}, []int{2}},
	} {
		var got []int
		for _, h := range run(papers, []queries.Query{c.q}, DefaultParams(), 1)[0].Top {
			got = append(got, h.Doc)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%+v matched %v, want %v", c.q, got, c.want)
		}
	}
}

// TestAgainstNaive compares Run with a direct, document-at-a-time
// computation of the same definition on random corpora, and checks that the
// number of workers does not change the result.
func TestAgainstNaive(t *testing.T) {
	vocab := strings.Fields("alpha beta gamma delta epsilon zeta eta theta iota kappa")
	r := rand.New(rand.NewPCG(1, 1))
	text := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = vocab[r.IntN(len(vocab))]
		}
		return strings.Join(ws, " ")
	}
	for round := range 20 {
		var papers []*paperboy.Paper
		for range 50 + r.IntN(100) {
			papers = append(papers, paper(text(1+r.IntN(5)), text(r.IntN(30)), []string{"a", "b"}[r.IntN(2)]))
		}
		qs := []queries.Query{
			{Words: []string{vocab[r.IntN(10)]}},
			{Words: []string{vocab[r.IntN(10)], vocab[r.IntN(10)]}, Category: "a"},
			{Phrase: []string{vocab[r.IntN(10)], vocab[r.IntN(10)]}},
		}
		got1, got3 := run(papers, qs, DefaultParams(), 1), run(papers, qs, DefaultParams(), 3)
		if !reflect.DeepEqual(got1, got3) {
			t.Fatalf("round %d: 1 and 3 workers disagree", round)
		}
		for i, q := range qs {
			want := naive(papers, q)
			if !reflect.DeepEqual(got1[i].Top, want) {
				t.Fatalf("round %d, query %+v:\n got %v\nwant %v", round, q, got1[i].Top, want)
			}
		}
	}
}
