package vector

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"paperboy"
)

// clustered returns n unit vectors around topics random centres, like the
// embeddings of papers on a few hundred topics.
func clustered(n, dim, topics int, seed uint64) []paperboy.PaperVector {
	rng := rand.New(rand.NewPCG(seed, 7))
	centres := make([][]float64, topics)
	for i := range centres {
		centres[i] = make([]float64, dim)
		for j := range centres[i] {
			centres[i][j] = rng.NormFloat64()
		}
	}
	out := make([]paperboy.PaperVector, n)
	for i := range out {
		c := centres[rng.IntN(topics)]
		v := make([]float32, dim)
		var norm float64
		for j := range v {
			x := c[j] + 0.5*rng.NormFloat64()
			v[j] = float32(x)
			norm += x * x
		}
		for j := range v {
			v[j] /= float32(math.Sqrt(norm))
		}
		out[i] = paperboy.PaperVector{ID: paperboy.ArxivID(fmt.Sprintf("2401.%05d", i)), Vec: v}
	}
	return out
}

// recallAt10 is the mean share of the exact top 10 that Search finds.
func recallAt10(x *Index, queries []paperboy.PaperVector) float64 {
	var sum float64
	for _, q := range queries {
		want := x.Exact(q.Vec, 10)
		got := x.Search(q.Vec, 10)
		found := 0
		for _, w := range want {
			if slices.ContainsFunc(got, func(h Hit) bool { return h.ID == w.ID }) {
				found++
			}
		}
		sum += float64(found) / float64(len(want))
	}
	return sum / float64(len(queries))
}

// recallFloor is well below the goal of 0.95, so that the test catches a
// broken index, not noise.
const recallFloor = 0.8

func TestRecallAgainstExact(t *testing.T) {
	vecs := clustered(5000, 64, 100, 1)
	x := New(64, Options{MinTrain: 1000})
	x.Add(vecs...)
	if len(x.centroids) == 0 {
		t.Fatal("index did not cluster itself at 5000 vectors")
	}
	queries := clustered(200, 64, 100, 2)
	if got := recallAt10(x, queries); got < recallFloor {
		t.Errorf("recall@10 = %.3f, want >= %.2f", got, recallFloor)
	} else {
		t.Logf("recall@10 = %.3f over %d clusters", got, len(x.lists))
	}
}

func TestAddReplaceRemove(t *testing.T) {
	for _, minTrain := range []int{1 << 30, 8} { // exact, then clustered
		t.Run(fmt.Sprint("minTrain=", minTrain), func(t *testing.T) {
			vecs := clustered(50, 8, 4, 3)
			x := New(8, Options{MinTrain: minTrain})
			x.Add(vecs...)
			q := vecs[10]
			if got := x.Search(q.Vec, 1); len(got) != 1 || got[0].ID != q.ID {
				t.Fatalf("Search(own vector) = %v, want %s", got, q.ID)
			}
			// Replace vector 10 by vector 20's; both now match 20's.
			x.Add(paperboy.PaperVector{ID: q.ID, Vec: vecs[20].Vec})
			got := x.Search(vecs[20].Vec, 2)
			ids := []paperboy.ArxivID{got[0].ID, got[1].ID}
			slices.Sort(ids)
			if want := []paperboy.ArxivID{q.ID, vecs[20].ID}; !slices.Equal(ids, want) {
				t.Errorf("after replace: top 2 = %v, want %v", ids, want)
			}
			x.Remove(q.ID, "9999.99999")
			if got := x.Search(vecs[20].Vec, 50); len(got) != 49 || slices.ContainsFunc(got, func(h Hit) bool { return h.ID == q.ID }) {
				t.Errorf("after remove: %d hits (want 49), removed paper present: %v", len(got), got)
			}
			if x.Len() != 49 {
				t.Errorf("Len = %d, want 49", x.Len())
			}
			x.Add(paperboy.PaperVector{ID: "2402.00001", Vec: vecs[5].Vec}) // reuses the freed slot
			if v, ok := x.Vector("2402.00001"); !ok || !slices.Equal(v, vecs[5].Vec) {
				t.Errorf("Vector(new) = %v, %v", v, ok)
			}
		})
	}
}

func TestSaveLoad(t *testing.T) {
	vecs := clustered(3000, 32, 50, 4)
	x := New(32, Options{MinTrain: 1000})
	x.Add(vecs...)
	x.Remove(vecs[0].ID)
	var buf bytes.Buffer
	if err := x.Save(&buf); err != nil {
		t.Fatal(err)
	}
	y, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if y.Len() != x.Len() || len(y.lists) != len(x.lists) {
		t.Fatalf("loaded %d vectors in %d clusters, want %d in %d", y.Len(), len(y.lists), x.Len(), len(x.lists))
	}
	for _, q := range clustered(20, 32, 50, 5) {
		if got, want := y.Search(q.Vec, 10), x.Search(q.Vec, 10); !slices.Equal(got, want) {
			t.Errorf("loaded index answers %v, want %v", got, want)
		}
	}
	if _, err := Load(bytes.NewReader([]byte("junk"))); err == nil {
		t.Error("Load(junk) succeeded")
	}
}

func TestTrainDeterministic(t *testing.T) {
	vecs := clustered(2000, 16, 20, 6)
	a, b := New(16, Options{MinTrain: 500}), New(16, Options{MinTrain: 500})
	a.Add(vecs...)
	b.Add(vecs...)
	if !slices.Equal(a.centroids, b.centroids) {
		t.Error("two indexes of the same vectors clustered differently")
	}
}
