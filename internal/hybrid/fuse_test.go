package hybrid

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"paperboy"
	"paperboy/internal/search"
)

func TestFuse(t *testing.T) {
	lex := []Hit{{"a", 10}, {"b", 5}, {"c", 0}}
	sem := []Hit{{"c", 0.9}, {"d", 0.5}, {"a", 0.1}}
	tests := []struct {
		name string
		f    Fusion
		want string
	}{
		// linear, w=0.5: a=.5·1+.5·0=.5, b=.25, c=0+.5=.5, d=.5·0.5=.25
		{"linear half", Fusion{Method: "linear", Weight: 0.5}, "[{a 0.5} {c 0.5} {b 0.25} {d 0.25}]"},
		{"linear lexical only", Fusion{Method: "linear", Weight: 0}, "[{a 1} {b 0.5} {c 0} {d 0}]"},
		// rrf, k=1, w=0.5: a=.5/2+.5/4=.375, b=.5/3, c=.5/4+.5/2=.375, d=.5/3
		{"rrf", Fusion{Method: "rrf", Weight: 0.5, K: 1}, "[{a 0.375} {c 0.375} {b 0.16666666666666666} {d 0.16666666666666666}]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(Fuse(tt.f, lex, sem)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestPinTitle(t *testing.T) {
	fused := []Hit{{ID: "a", Score: 0.9}, {ID: "b", Score: 0.8}, {ID: "c", Score: 0.1}}
	tests := []struct {
		name string
		lex  []search.Ranked
		want string
	}{
		{"pinned lexical top moves first", []search.Ranked{{ID: "b", Score: 3, Pinned: true}, {ID: "a", Score: 2}}, "[{b 1.9} {a 0.9} {c 0.1}]"},
		{"unpinned lexical top stays", []search.Ranked{{ID: "b", Score: 3}, {ID: "a", Score: 2}}, "[{a 0.9} {b 0.8} {c 0.1}]"},
		{"no lexical results", nil, "[{a 0.9} {b 0.8} {c 0.1}]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(pinTitle(slices.Clone(fused), tt.lex)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestWithOthers(t *testing.T) {
	lex := []Hit{{"a", 10}, {"b", 5}}
	sem := []Hit{{"c", 0.9}, {"a", 0.5}, {"d", 0.4}, {"e", 0.3}}
	words := map[paperboy.ArxivID]float64{"c": 7, "d": 0, "e": 2}
	var asked []paperboy.ArxivID
	got, err := withOthers(lex, sem, func(ids []paperboy.ArxivID) ([]float64, error) {
		asked = ids
		out := make([]float64, len(ids))
		for i, id := range ids {
			out[i] = words[id]
		}
		return out, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(asked) != "[c d e]" {
		t.Errorf("scored %v, want the semantic hits the lexical ranking lacks, [c d e]", asked)
	}
	// d matches no word: left out.
	if want := "[{a 10} {c 7} {b 5} {e 2}]"; fmt.Sprint(got) != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if fmt.Sprint(lex) != "[{a 10} {b 5}]" {
		t.Errorf("the lexical ranking given changed: %v", lex)
	}
	boom := errors.New("boom")
	if _, err := withOthers(lex, sem, func([]paperboy.ArxivID) ([]float64, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the scorer's", err)
	}
}
