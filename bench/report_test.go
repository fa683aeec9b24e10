package main

import (
	"math"
	"testing"
)

func TestPercentile(t *testing.T) {
	xs := []float64{5, 1, 4, 2, 3, 6, 7, 8, 9, 10}
	for _, c := range []struct{ p, want float64 }{{50, 5}, {95, 10}, {99, 10}, {10, 1}, {11, 2}} {
		if got := percentile(xs, c.p); got != c.want {
			t.Errorf("percentile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("percentile of nothing = %v", got)
	}
}

func TestOverlap(t *testing.T) {
	for _, c := range []struct {
		got, want []string
		o         float64
		ok        bool
	}{
		{[]string{"a", "b", "c"}, []string{"c", "a", "d", "e"}, 0.5, true},
		{[]string{"a"}, []string{"a"}, 1, true},
		{nil, []string{"a", "b"}, 0, true},
		{[]string{"a"}, nil, 0, false},
	} {
		o, ok := Overlap(c.got, c.want)
		if math.Abs(o-c.o) > 1e-12 || ok != c.ok {
			t.Errorf("Overlap(%v, %v) = %v, %v; want %v, %v", c.got, c.want, o, ok, c.o, c.ok)
		}
	}
	got := meanOverlap([][]string{{"a"}, {"x"}, {}}, [][]string{{"a"}, {"y", "x"}, nil}, func(int) bool { return true })
	if math.Abs(got-0.75) > 1e-12 {
		t.Errorf("meanOverlap = %v, want 0.75 (the query without matches left out)", got)
	}
}

func TestParseFlags(t *testing.T) {
	for _, args := range [][]string{{"-docs", "0"}, {"-docs", "2700001"}, {"-queries", "0"}} {
		if _, err := parseFlags(args); err == nil {
			t.Errorf("parseFlags(%v) accepted", args)
		}
	}
	o, err := parseFlags([]string{"-docs", "2500000", "-systems", "fts5"})
	if err != nil || o.docs != 2_500_000 || o.systems != "fts5" {
		t.Errorf("parseFlags = %+v, %v", o, err)
	}
}
