package embed

import (
	"cmp"
	"slices"
	"testing"
)

func TestTopTerms(t *testing.T) {
	ids, cos := make([]int32, 3), make([]float32, 3)
	topTerms([]float32{0.2, -0.5, 0.9, 0.2, 0.4, 0}, ids, cos)
	if want := []int32{2, 4, 0}; !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want %v (ties: the lower place first)", ids, want)
	}
	if want := []float32{0.9, 0.4, 0.2}; !slices.Equal(cos, want) {
		t.Errorf("cos = %v, want %v", cos, want)
	}
	topTerms([]float32{0, 0.3, -1}, ids, cos)
	if want := []int32{1, -1, -1}; !slices.Equal(ids, want) {
		t.Errorf("with one positive: ids = %v, want %v", ids, want)
	}
}

// TestRelated checks each term's related terms against an exact search of
// the model's vectors, and that they survive encoding and are rebuilt for a
// model saved without them.
func TestRelated(t *testing.T) {
	b := train(t, 1)
	m := b.m
	for i, term := range m.Vocab {
		type pair struct {
			term string
			cos  float32
		}
		var want []pair
		exact := map[string]float32{} // each other term's cosine with term
		a := unitVec(m, i)
		for j, u := range m.Vocab {
			if c := Dot(a, unitVec(m, j)); j != i {
				exact[u] = c
				if c > 0 {
					want = append(want, pair{u, c})
				}
			}
		}
		slices.SortStableFunc(want, func(x, y pair) int { return cmp.Compare(y.cos, x.cos) })
		want = want[:min(len(want), RelatedTerms)]
		got := b.Related(term)
		if len(got) != len(want) {
			t.Fatalf("%s: %d related terms, want %d", term, len(got), len(want))
		}
		for k := range got {
			// Another term than want's is right only when tied with it.
			if d := exact[got[k].Term] - want[k].cos; got[k].Term != want[k].term && (d > 1e-5 || d < -1e-5) {
				t.Errorf("%s: related %d is %v, want %v", term, k, got[k], want[k])
			}
			if d := got[k].Cosine - want[k].cos; d > 1e-5 || d < -1e-5 {
				t.Errorf("%s: cosine of %s = %v, want %v", term, got[k].Term, got[k].Cosine, want[k].cos)
			}
		}
	}
	// The two topics' words relate to their own topic's.
	protein := []string{"protein", "fold", "structur", "molecular", "dynam", "energi", "landscap", "residu", "bind", "enzym", "simul"}
	for _, r := range b.Related("protein")[:3] {
		if !slices.Contains(protein, r.Term) {
			t.Errorf("protein's nearest terms are %v, want words of its topic", b.Related("protein"))
			break
		}
	}
	if got := b.Related("unknownword"); got != nil {
		t.Errorf("a term the model lacks relates to %v", got)
	}

	back := roundTrip(t, m)
	old := *m
	old.Near, old.NearCos = nil, nil
	rebuilt := roundTrip(t, &old)
	for _, term := range m.Vocab {
		if !slices.Equal(back.Related(term), m.Related(term)) {
			t.Errorf("%s: decoded model relates %v, want %v", term, back.Related(term), m.Related(term))
		}
		if !slices.Equal(rebuilt.Related(term), m.Related(term)) {
			t.Errorf("%s: a model saved without related terms relates %v once decoded, want %v", term, rebuilt.Related(term), m.Related(term))
		}
	}
}

// roundTrip returns m encoded and decoded.
func roundTrip(t *testing.T, m *Model) *Model {
	t.Helper()
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalModel(data)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// unitVec returns term i's vector at unit length.
func unitVec(m *Model, i int) []float32 {
	return Normalize(slices.Clone(m.Vecs[i*m.Dim : (i+1)*m.Dim]))
}
