package hybrid

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
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

// TestBoostCoverage checks that boostCoverage's first n are those of
// boosting every paper and sorting, on random rankings, and that it looks
// up only papers within w of the n-th score.
func TestBoostCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2))
	skipped := 0
	for range 500 {
		fused := make([]Hit, 1+rng.IntN(60))
		cov := map[paperboy.ArxivID]float64{}
		for i := range fused {
			id := paperboy.ArxivID(fmt.Sprintf("p%02d", i))
			// Scores on a coarse grid, so that ties occur.
			fused[i] = Hit{ID: id, Score: float64(rng.IntN(40)) / 40}
			cov[id] = float64(rng.IntN(5)) / 4
		}
		slices.SortFunc(fused, byScore)
		n, w := 1+rng.IntN(25), rng.Float64()*0.5
		var asked []paperboy.ArxivID
		got, err := boostCoverage(fused, n, w, func(ids []paperboy.ArxivID) ([]float64, error) {
			asked = ids
			out := make([]float64, len(ids))
			for i, id := range ids {
				out[i] = cov[id]
			}
			return out, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := slices.Clone(fused)
		for i := range want {
			want[i].Score += w * cov[want[i].ID]
		}
		slices.SortFunc(want, byScore)
		k := min(n, len(fused))
		if !slices.Equal(got[:k], want[:k]) || len(got) != len(fused) {
			t.Fatalf("n=%d w=%v: first %d are %v, want %v", n, w, k, got[:k], want[:k])
		}
		floor := fused[k-1].Score - w
		for _, h := range fused {
			if asked := slices.Contains(asked, h.ID); asked != (h.Score >= floor) {
				t.Fatalf("n=%d w=%v: %v looked up: %v; its score is %v, the floor %v", n, w, h.ID, asked, h.Score, floor)
			}
		}
		skipped += len(fused) - len(asked)
	}
	if skipped == 0 {
		t.Error("every paper was looked up; the test needs some that could not reach the first n")
	}
	boom := errors.New("boom")
	if _, err := boostCoverage([]Hit{{"a", 1}}, 1, 0.2, func([]paperboy.ArxivID) ([]float64, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the coverage's", err)
	}
	if got, _ := boostCoverage([]Hit{{"a", 1}}, 1, 0, nil); fmt.Sprint(got) != "[{a 1}]" {
		t.Errorf("with w 0: %v, want the ranking as it was", got)
	}
}

// TestBoostLikelihood checks boostLikelihood by hand: the first n papers
// gain w times their likelihood scaled to [0, 1] over them and are
// re-sorted, the rest stay as they were, and a paper without a likelihood
// (-Inf) gains nothing.
func TestBoostLikelihood(t *testing.T) {
	fused := []Hit{{"a", 1.0}, {"b", 0.9}, {"c", 0.8}, {"d", 0.7}, {"e", 0.75}}
	like := map[paperboy.ArxivID]float64{"a": -30, "b": -20, "c": -10, "d": 0, "e": 100}
	var asked []paperboy.ArxivID
	lookup := func(ids []paperboy.ArxivID) ([]float64, error) {
		asked = slices.Clone(ids)
		out := make([]float64, len(ids))
		for i, id := range ids {
			out[i] = like[id]
		}
		return out, nil
	}
	// Over a, b, c, d the likelihoods scale to 0, 1/3, 2/3, 1; e, 5th,
	// is not looked up however likely.
	got, err := boostLikelihood(fused, 4, 0.6, lookup)
	if err != nil {
		t.Fatal(err)
	}
	want := []Hit{{"d", 1.3}, {"c", 1.2}, {"b", 1.1}, {"a", 1.0}, {"e", 0.75}}
	if !slices.Equal(asked, []paperboy.ArxivID{"a", "b", "c", "d"}) {
		t.Errorf("looked up %v, want the first 4", asked)
	}
	for i := range want {
		if got[i].ID != want[i].ID || math.Abs(got[i].Score-want[i].Score) > 1e-12 {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if fused[0] != (Hit{"a", 1.0}) {
		t.Errorf("the ranking passed in changed: %v", fused)
	}
	// A paper without a likelihood gains nothing, and does not set the scale.
	like["b"] = math.Inf(-1)
	got, _ = boostLikelihood(fused, 3, 0.5, lookup)
	if fmt.Sprint(got) != "[{c 1.3} {a 1} {b 0.9} {d 0.7} {e 0.75}]" {
		t.Errorf("with b's likelihood -Inf: %v", got)
	}
	boom := errors.New("boom")
	if _, err := boostLikelihood(fused, 3, 0.5, func([]paperboy.ArxivID) ([]float64, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("err = %v, want the likelihood's", err)
	}
	if got, _ := boostLikelihood(fused, 3, 0, nil); !slices.Equal(got, fused) {
		t.Errorf("with w 0: %v, want the ranking as it was", got)
	}
}

// TestFusionTranslation checks the translation hybrid search gives the
// likelihood: the built-in embedder's nearest words, TranslateTerms of
// them weighed by their cosines; none for an embedder without word
// vectors or with Translate 0.
func TestFusionTranslation(t *testing.T) {
	fx := newFixture(t)
	f := DefaultFusion()
	f.TranslateTerms = 2
	tr := f.translation(fx.emb)
	if tr == nil || tr.Share != f.Translate {
		t.Fatalf("translation %+v, want share %v", tr, f.Translate)
	}
	near := fx.emb.Related("protein")
	if len(near) < 3 {
		t.Fatalf("protein relates to %v; the test wants 3 or more", near)
	}
	got := tr.Related("protein")
	want := []search.Related{{Term: near[0].Term, Weight: float64(near[0].Cosine)}, {Term: near[1].Term, Weight: float64(near[1].Cosine)}}
	if !slices.Equal(got, want) {
		t.Errorf("protein translates to %v, want %v", got, want)
	}
	if got := tr.Related("unknownword"); len(got) != 0 {
		t.Errorf("a word the model lacks translates to %v", got)
	}
	if tr := f.translation(slowEmbedder{fx.emb}); tr != nil {
		t.Errorf("an embedder without word vectors translates: %+v", tr)
	}
	f.Translate = 0
	if tr := f.translation(fx.emb); tr != nil {
		t.Errorf("Translate 0 translates: %+v", tr)
	}
}
