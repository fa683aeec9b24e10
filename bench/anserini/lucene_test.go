package main

import (
	"math"
	"slices"
	"testing"

	"paperboy/internal/search/beir"
)

func TestAnalyze(t *testing.T) {
	got := analyze("The patient's IL-6 levels were 3.5-fold higher (p<0.05) in U.S. mice; it doesn't")
	want := []string{"patient", "il", "6", "level", "were", "3.5", "fold", "higher", "p", "0.05", "u.", "mice", "doesn't"}
	if !slices.Equal(got, want) {
		t.Errorf("analyze = %q\nwant      %q", got, want)
	}
}

// TestStoredLength checks Lucene's one-byte lengths: exact below 24, then
// rounded down to four significant bits.
func TestStoredLength(t *testing.T) {
	for n := range 24 {
		if got := storedLength(n); got != n {
			t.Errorf("storedLength(%d) = %d, want it exact", n, got)
		}
	}
	// 100: 100-24 = 76 = 0b1001100, four bits 1001 shifted by 3: 72; 24+72.
	if got := storedLength(100); got != 96 {
		t.Errorf("storedLength(100) = %d, want 96", got)
	}
	prev := 0
	for n := 1; n < 100000; n++ {
		got := storedLength(n)
		if got > n || float64(n-got) > float64(n)/8 || got < prev {
			t.Fatalf("storedLength(%d) = %d (previous %d): not a monotone rounding down within 1/8", n, got, prev)
		}
		prev = got
	}
}

// TestBM25 checks the scores of a three-document flat index by hand.
func TestBM25(t *testing.T) {
	corpus := []beir.Doc{
		{ID: "a", Title: "Gut microbiome", Text: "obese mice"},
		{ID: "b", Title: "Mice", Text: "mice and more mice"},
		{ID: "c", Title: "Coffee", Text: "liver"},
	}
	p := params{K1: 0.9, B: 0.4}
	x := newIndex(corpus, false, p)
	// Lengths 4, 4 ("and" is a stop word), 2; average 10/3.
	avg := 10.0 / 3
	idf := func(df float64) float64 { return math.Log(1 + (3-df+0.5)/(df+0.5)) }
	bm25 := func(tf, dl, df float64) float64 { return idf(df) * tf / (tf + 0.9*(1-0.4+0.4*dl/avg)) }
	query := map[string]int{"mice": 1, "obes": 1}
	for _, c := range []struct {
		doc  int
		want float64
	}{
		{0, bm25(1, 4, 2) + bm25(1, 4, 1)},
		{1, bm25(3, 4, 2)},
		{2, 0},
	} {
		if got := x.fields[0].score(c.doc, x.fields[0].clauses(query), p); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("score of %s = %.6f, want %.6f", corpus[c.doc].ID, got, c.want)
		}
	}
	if got := x.search("Obese mice", 10); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("search = %v, want [a b]", got)
	}
	// Multifield: "mice" is in one title of three and two texts.
	m := newIndex(corpus, true, p)
	if got, want := m.fields[0].df["mice"], 1; got != want {
		t.Errorf("title df of mice = %d, want %d", got, want)
	}
	if got := m.search("mice", 10); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("multifield search = %v, want [b a]", got)
	}
}
