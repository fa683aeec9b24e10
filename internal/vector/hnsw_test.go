package vector

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"testing"

	"paperboy"
)

// uniform returns n unit vectors spread evenly over the sphere.
func uniform(n, dim int, seed uint64) []paperboy.PaperVector {
	rng := rand.New(rand.NewPCG(seed, 11))
	out := make([]paperboy.PaperVector, n)
	for i := range out {
		v := make([]float32, dim)
		var norm float64
		for j := range v {
			x := rng.NormFloat64()
			v[j] = float32(x)
			norm += x * x
		}
		for j := range v {
			v[j] /= float32(math.Sqrt(norm))
		}
		out[i] = paperboy.PaperVector{ID: paperboy.ArxivID(fmt.Sprintf("2402.%05d", i)), Vec: v}
	}
	return out
}

// searcher is what recall is measured on: Index or HNSW.
type searcher interface {
	Search(q []float32, k int) []Hit
	Exact(q []float32, k int) []Hit
}

// recall is the mean share of the exact top 10 that Search finds.
func recall(x searcher, queries []paperboy.PaperVector) float64 {
	var sum float64
	for _, q := range queries {
		sum += overlap(x.Exact(q.Vec, 10), x.Search(q.Vec, 10))
	}
	return sum / float64(len(queries))
}

func overlap(want, got []Hit) float64 {
	found := 0
	for _, w := range want {
		if slices.ContainsFunc(got, func(h Hit) bool { return h.ID == w.ID }) {
			found++
		}
	}
	return float64(found) / float64(len(want))
}

// hnswRecallFloor is well below the goal of 0.95, so that the test catches
// a broken graph, not noise.
const hnswRecallFloor = 0.9

func TestHNSWRecallAgainstExact(t *testing.T) {
	for _, tc := range []struct {
		name      string
		data, qry []paperboy.PaperVector
	}{
		{"clustered", clustered(4000, 64, 50, 1), clustered(4200, 64, 50, 1)[4000:]},
		{"uniform", uniform(4000, 32, 1), uniform(200, 32, 2)},
	} {
		x := NewHNSW(len(tc.data[0].Vec), HNSWOptions{ExactBelow: 1, EfSearch: 64, Int8: true})
		x.Add(tc.data...)
		if !x.built || len(x.codes) != len(x.vecs) {
			t.Fatalf("%s: graph built %v, %d codes for %d floats", tc.name, x.built, len(x.codes), len(x.vecs))
		}
		for _, mode := range []struct{ beam, int8 bool }{{false, false}, {true, false}, {false, true}} {
			t.Run(fmt.Sprintf("%s/beam=%v/int8=%v", tc.name, mode.beam, mode.int8), func(t *testing.T) {
				x.opts.Beam, x.opts.Int8 = mode.beam, mode.int8
				if got := recall(x, tc.qry); got < hnswRecallFloor {
					t.Errorf("recall@10 = %.3f, want >= %.2f", got, hnswRecallFloor)
				} else {
					t.Logf("recall@10 = %.3f", got)
				}
			})
		}
	}
}

// TestHNSWSearchFrom checks that a walk seeded from papers near the query
// finds more of the exact top 10 than the same narrow walk from the top of
// the graph, and that seeds the index lacks change nothing.
func TestHNSWSearchFrom(t *testing.T) {
	all := clustered(4200, 64, 50, 1)
	x := NewHNSW(64, HNSWOptions{ExactBelow: 1, Workers: 1})
	x.Add(all[:4000]...)
	var plain, seeded float64
	queries := all[4000:]
	for _, q := range queries {
		want := x.Exact(q.Vec, 10)
		near := []paperboy.ArxivID{want[0].ID, want[2].ID}
		plain += overlap(want, x.SearchEf(q.Vec, 10, 10))
		seeded += overlap(want, x.SearchFrom(q.Vec, 10, 10, near))
		unknown := []paperboy.ArxivID{"0000.00000"}
		if got, want := x.SearchFrom(q.Vec, 10, 40, unknown), x.SearchEf(q.Vec, 10, 40); !slices.Equal(got, want) {
			t.Fatalf("seeded from an unknown paper: %v, want %v", got, want)
		}
	}
	plain, seeded = plain/float64(len(queries)), seeded/float64(len(queries))
	t.Logf("recall@10 at ef 10: %.3f from the top, %.3f seeded", plain, seeded)
	if seeded <= plain || seeded < hnswRecallFloor {
		t.Errorf("recall@10 seeded %.3f, want above %.3f (from the top) and %.2f", seeded, plain, hnswRecallFloor)
	}
}

func TestHNSWExactBelowThreshold(t *testing.T) {
	vecs := uniform(300, 16, 3)
	x := NewHNSW(16, HNSWOptions{ExactBelow: 400})
	x.Add(vecs...)
	if x.built {
		t.Fatal("graph built below ExactBelow")
	}
	for _, q := range uniform(20, 16, 4) {
		if got, want := x.Search(q.Vec, 10), x.Exact(q.Vec, 10); !slices.Equal(got, want) {
			t.Fatalf("Search = %v, want exact %v", got, want)
		}
	}
	x.Add(uniform(400, 16, 5)[300:]...)
	if !x.built || x.Len() != 400 {
		t.Errorf("at 400 vectors: built %v, Len %d", x.built, x.Len())
	}
}

func TestHNSWDeletesNeverReturned(t *testing.T) {
	vecs := clustered(3000, 32, 30, 6)
	x := NewHNSW(32, HNSWOptions{ExactBelow: 1, Workers: 2})
	x.Add(vecs...)
	removed := map[paperboy.ArxivID]bool{}
	check := func(stage string) {
		t.Helper()
		for i := 0; i < len(vecs); i += 7 {
			for _, h := range x.Search(vecs[i].Vec, 20) {
				if removed[h.ID] {
					t.Fatalf("%s: removed %s returned", stage, h.ID)
				}
			}
		}
	}
	for i := 0; i < len(vecs); i += 5 { // 20%: tombstones, no rebuild yet
		x.Remove(vecs[i].ID)
		removed[vecs[i].ID] = true
	}
	if x.nDead != len(removed) {
		t.Fatalf("nDead = %d, want %d tombstones", x.nDead, len(removed))
	}
	check("tombstoned")
	if got := recall(x, vecs[1:400]); got < hnswRecallFloor {
		t.Errorf("recall@10 with 20%% tombstones = %.3f", got)
	}
	for i := 1; i < len(vecs); i += 5 { // 40%: a rebuild drops the tombstones
		x.Remove(vecs[i].ID)
		removed[vecs[i].ID] = true
	}
	if len(x.ids) >= len(vecs) || x.nDead*4 > len(x.ids) {
		t.Fatalf("no rebuild at 40%% removed: %d tombstones in %d slots", x.nDead, len(x.ids))
	}
	check("rebuilt")
	x.Rebuild()
	if x.nDead != 0 || len(x.ids) != len(vecs)-len(removed) {
		t.Fatalf("after Rebuild: %d tombstones, %d slots; want 0, %d", x.nDead, len(x.ids), len(vecs)-len(removed))
	}
	check("rebuilt again")
	if x.Len() != len(vecs)-len(removed) {
		t.Errorf("Len = %d, want %d", x.Len(), len(vecs)-len(removed))
	}
}

func TestHNSWReplace(t *testing.T) {
	vecs := clustered(1000, 16, 10, 7)
	x := NewHNSW(16, HNSWOptions{ExactBelow: 1})
	x.Add(vecs...)
	x.Add(paperboy.PaperVector{ID: vecs[10].ID, Vec: vecs[20].Vec})
	got := x.Search(vecs[20].Vec, 2)
	ids := []paperboy.ArxivID{got[0].ID, got[1].ID}
	slices.Sort(ids)
	if want := []paperboy.ArxivID{vecs[10].ID, vecs[20].ID}; !slices.Equal(ids, want) {
		t.Errorf("after replace: top 2 = %v, want %v", ids, want)
	}
	if hs := x.Search(vecs[10].Vec, 1); hs[0].ID == vecs[10].ID {
		t.Errorf("old vector of %s still found", vecs[10].ID)
	}
	if v, _ := x.Vector(vecs[10].ID); !slices.Equal(v, vecs[20].Vec) || x.Len() != 1000 {
		t.Errorf("Vector = %v…, Len %d", v[:2], x.Len())
	}
}

func TestHNSWDeterministic(t *testing.T) {
	vecs := clustered(2000, 16, 20, 8)
	build := func(seed uint64, vecs []paperboy.PaperVector) *HNSW {
		x := NewHNSW(16, HNSWOptions{ExactBelow: 1, Workers: 1, Seed: seed})
		x.Add(vecs...)
		return x
	}
	a, b, c := build(1, vecs), build(1, vecs), build(2, vecs)
	if !sameGraph(a, b) {
		t.Error("two graphs of the same seed and vectors differ")
	}
	if slices.Equal(a.levels, c.levels) {
		t.Error("seeds 1 and 2 drew the same levels")
	}
	rev := slices.Clone(vecs) // levels hang on IDs, not on arrival order
	slices.Reverse(rev)
	r := build(1, rev)
	for _, v := range vecs {
		if la, lr := a.levels[a.slotOf[v.ID]], r.levels[r.slotOf[v.ID]]; la != lr {
			t.Fatalf("level of %s: %d in order, %d reversed", v.ID, la, lr)
		}
	}
	high := 0
	for _, l := range a.levels {
		if l > 0 {
			high++
		}
	}
	if want := len(vecs) / 16; high < want/2 || high > want*2 { // P(level ≥ 1) = 1/M
		t.Errorf("%d of %d nodes above layer 0, want about %d", high, len(vecs), want)
	}
	for _, q := range clustered(20, 16, 20, 9) {
		if got, want := b.Search(q.Vec, 10), a.Search(q.Vec, 10); !slices.Equal(got, want) {
			t.Fatalf("same seed answers %v and %v", got, want)
		}
	}
}

func TestHNSWSaveLoad(t *testing.T) {
	vecs := clustered(3000, 32, 40, 10)
	opts := HNSWOptions{ExactBelow: 1, Int8: true, Beam: true}
	x := NewHNSW(32, opts)
	x.Add(vecs...)
	x.Remove(vecs[0].ID, vecs[5].ID)
	path := filepath.Join(t.TempDir(), "vectors.hnsw")
	if err := x.SaveFile(path, []byte(`{"seq":42}`)); err != nil {
		t.Fatal(err)
	}
	y, meta, err := LoadHNSWFile(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if string(meta) != `{"seq":42}` {
		t.Errorf("meta = %q, want the saved one", meta)
	}
	if y.Len() != x.Len() || y.nDead != 2 || !sameGraph(x, y) || y.opts != x.opts || !slices.Equal(y.codes, x.codes) {
		t.Fatalf("loaded %d vectors, %d tombstones; want %d, 2 and the same graph", y.Len(), y.nDead, x.Len())
	}
	for _, q := range clustered(30, 32, 40, 11) {
		if got, want := y.Search(q.Vec, 10), x.Search(q.Vec, 10); !slices.Equal(got, want) {
			t.Errorf("loaded index answers %v, want %v", got, want)
		}
	}
	y.Add(uniform(100, 32, 12)...) // a loaded index keeps growing
	if y.Len() != x.Len()+100 {
		t.Errorf("Len after Add = %d, want %d", y.Len(), x.Len()+100)
	}

	// Query-time options come from the loader; graph options must match.
	z, _, err := LoadHNSWFile(path, HNSWOptions{ExactBelow: 1, EfSearch: 200})
	if err != nil || z.opts.EfSearch != 200 || z.opts.Int8 || len(z.codes) != 0 {
		t.Errorf("load with EfSearch 200, no int8: %v, EfSearch %d, int8 %v with %d codes", err, z.opts.EfSearch, z.opts.Int8, len(z.codes))
	}
	// A graph saved without codes gets them on loading with Int8, and walks
	// on them as one linked with them.
	floats := filepath.Join(t.TempDir(), "floats.hnsw")
	if err := z.SaveFile(floats, nil); err != nil {
		t.Fatal(err)
	}
	w, _, err := LoadHNSWFile(floats, opts)
	if err != nil || !w.opts.Int8 || !slices.Equal(w.codes, x.codes) || !slices.Equal(w.scales, x.scales) {
		t.Fatalf("a graph without codes loaded with Int8: %v, int8 %v, %d codes (want %d, as linked with them)", err, w.opts.Int8, len(w.codes), len(x.codes))
	}
	for _, q := range clustered(30, 32, 40, 11) {
		if got, want := w.Search(q.Vec, 10), x.Search(q.Vec, 10); !slices.Equal(got, want) {
			t.Errorf("given codes on loading, the index answers %v, want %v", got, want)
		}
	}
	if _, _, err := LoadHNSWFile(path, HNSWOptions{ExactBelow: 1, M: 16}); err == nil {
		t.Error("an index of M 24 loaded as one of M 16")
	}
}

func TestHNSWLoadRejectsDamage(t *testing.T) {
	x := NewHNSW(8, HNSWOptions{ExactBelow: 1})
	x.Add(uniform(200, 8, 13)...)
	var buf bytes.Buffer
	if err := x.Save(&buf, []byte("meta")); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 0x10
	inMeta := slices.Clone(good)
	inMeta[len(hnswMagic)+5] ^= 0x01
	huge := slices.Clone(good) // a slot count no file of this size can hold
	binary.LittleEndian.PutUint32(huge[len(hnswMagic)+4+4+4*5+8:], 1<<30)
	for name, b := range map[string][]byte{
		"junk":      []byte("junk"),
		"truncated": good[:len(good)-9],
		"flipped":   flipped,
		"meta":      inMeta,
		"no crc":    good[:len(good)-4],
		"huge":      huge,
	} {
		path := filepath.Join(t.TempDir(), "x.hnsw")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := LoadHNSWFile(path, HNSWOptions{ExactBelow: 1}); err == nil {
			t.Errorf("LoadHNSWFile(%s) succeeded", name)
		}
		if name != "huge" { // from a reader of unknown size, only the checksum catches it
			if _, _, err := LoadHNSW(bytes.NewReader(b), HNSWOptions{ExactBelow: 1}); err == nil {
				t.Errorf("LoadHNSW(%s) succeeded", name)
			}
		}
	}
	if _, meta, err := LoadHNSW(bytes.NewReader(good), HNSWOptions{ExactBelow: 1}); err != nil || string(meta) != "meta" {
		t.Errorf("LoadHNSW(good) = %q, %v", meta, err)
	}
}

// TestHNSWConcurrent inserts, replaces and removes while others search;
// run it with -race.
func TestHNSWConcurrent(t *testing.T) {
	vecs := clustered(3000, 16, 20, 14)
	x := NewHNSW(16, HNSWOptions{ExactBelow: 500, Workers: 2})
	x.Add(vecs[:600]...)
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 600; i < len(vecs); i += 50 {
			x.Add(vecs[i : i+50]...)
			x.Remove(vecs[i-600].ID)
		}
	})
	for g := range 3 {
		wg.Go(func() {
			for i := range 300 {
				if hs := x.Search(vecs[(i*7+g)%len(vecs)].Vec, 10); len(hs) != 10 {
					t.Errorf("Search returned %d hits", len(hs))
					return
				}
			}
		})
	}
	wg.Wait()
	if want := len(vecs) - (len(vecs)-600)/50; x.Len() != want {
		t.Errorf("Len = %d, want %d", x.Len(), want)
	}
	if got := recall(x, vecs[len(vecs)-200:]); got < hnswRecallFloor {
		t.Errorf("recall@10 after concurrent build = %.3f", got)
	}
}

// TestHNSWRebuildOffLock checks that searches go on while the graph is
// rebuilt to drop its tombstones, and see the old graph (never a removed
// vector) until the new one is swapped in. Run it with -race.
func TestHNSWRebuildOffLock(t *testing.T) {
	vecs := clustered(4000, 16, 20, 15)
	x := NewHNSW(16, HNSWOptions{ExactBelow: 500, Workers: 2})
	x.Add(vecs...)
	var removed []paperboy.ArxivID
	gone := map[paperboy.ArxivID]bool{}
	for i := 0; i < len(vecs); i += 3 { // a third: past the rebuild threshold
		removed = append(removed, vecs[i].ID)
		gone[vecs[i].ID] = true
	}

	var searched atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Go(func() {
			for i := g; ; i += 2 {
				select {
				case <-stop:
					return
				default:
				}
				hs := x.Search(vecs[i%len(vecs)].Vec, 10)
				if len(hs) != 10 {
					t.Errorf("Search returned %d hits", len(hs))
					return
				}
				searched.Add(1)
			}
		})
	}
	rebuilds := 0
	x.onRebuild = func() {
		rebuilds++
		if !x.mu.TryRLock() {
			t.Error("searches are locked out while the graph is rebuilt")
			return
		}
		x.mu.RUnlock()
		for before := searched.Load(); searched.Load() < before+20; { // others search meanwhile
			runtime.Gosched()
		}
		for i := 0; i < len(vecs); i += 40 {
			for _, h := range x.Search(vecs[i].Vec, 10) {
				if gone[h.ID] {
					t.Fatalf("removed %s returned during the rebuild", h.ID)
				}
			}
		}
	}
	x.Remove(removed...)
	close(stop)
	wg.Wait()
	if rebuilds != 1 || x.nDead != 0 || len(x.ids) != len(vecs)-len(removed) || !x.built {
		t.Fatalf("after Remove: %d rebuilds, %d tombstones, %d slots, graph %v; want 1, 0, %d, true",
			rebuilds, x.nDead, len(x.ids), x.built, len(vecs)-len(removed))
	}
	if got := recall(x, vecs[1:300]); got < hnswRecallFloor {
		t.Errorf("recall@10 after the rebuild = %.3f", got)
	}
	for i := 0; i < len(vecs); i += 7 {
		for _, h := range x.Search(vecs[i].Vec, 10) {
			if gone[h.ID] {
				t.Fatalf("removed %s returned after the rebuild", h.ID)
			}
		}
	}
}

// sameGraph reports whether two indexes hold the same slots and links.
func sameGraph(a, b *HNSW) bool {
	if len(a.ids) != len(b.ids) || a.entry != b.entry || a.top != b.top || !slices.Equal(a.levels, b.levels) {
		return false
	}
	for s := range a.ids {
		for lev := 0; lev <= int(a.levels[s]); lev++ {
			la, lb := a.list(int32(s), lev), b.list(int32(s), lev)
			if !slices.Equal(la[:1+la[0]], lb[:1+lb[0]]) {
				return false
			}
		}
	}
	return true
}

// TestHNSWSelectNeighbours checks the linking heuristic on unit vectors
// in the plane, at known angles from the base node (angle 0): a candidate
// is left out when a kept one is nearer it than the base is, and Fill
// takes back the left-out ones, nearest first.
func TestHNSWSelectNeighbours(t *testing.T) {
	angles := []float64{10, 12, -50, 60} // degrees, nearest the base first
	vecs := make([]paperboy.PaperVector, len(angles))
	for i, a := range angles {
		r := a * math.Pi / 180
		vecs[i] = paperboy.PaperVector{ID: paperboy.ArxivID(fmt.Sprintf("2403.%05d", i)), Vec: []float32{float32(math.Cos(r)), float32(math.Sin(r))}}
	}
	for _, tc := range []struct {
		fill bool
		m    int
		want []int32
	}{
		// 12° is 2° from 10° and 60° is 50° from it, both nearer 10° than
		// the base; -50° is 60° from 10°, farther than from the base.
		{false, 4, []int32{0, 2}},
		{false, 1, []int32{0}},
		{true, 4, []int32{0, 2, 1, 3}},
		{true, 3, []int32{0, 2, 1}},
		{true, 2, []int32{0, 2}},
	} {
		x := NewHNSW(2, HNSWOptions{Fill: tc.fill, ExactBelow: 1000})
		x.Add(vecs...)
		var cands []scored
		for i, a := range angles {
			cands = append(cands, scored{int32(i), float32(math.Cos(a * math.Pi / 180))})
		}
		var got []int32
		for _, c := range x.selectNeighbours(&searchBuf{}, cands, tc.m, nil) {
			got = append(got, c.slot)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("fill %v, m %d: kept %v, want %v", tc.fill, tc.m, got, tc.want)
		}
	}
}

// TestHNSWFill builds a graph with the links filled: it keeps more links
// a node than the paper's heuristic, at least M, and finds the exact top
// 10.
func TestHNSWFill(t *testing.T) {
	all := clustered(4200, 64, 50, 3)
	var plain float64
	for _, fill := range []bool{false, true} {
		x := NewHNSW(64, HNSWOptions{ExactBelow: 1, Workers: 1, EfSearch: 64, Fill: fill})
		x.Add(all[:4000]...)
		deg, rec := x.MeanDegree(), recall(x, all[4000:])
		t.Logf("fill %v: %.1f links a node on layer 0, recall@10 %.3f", fill, deg, rec)
		if rec < hnswRecallFloor {
			t.Errorf("fill %v: recall@10 = %.3f, want >= %.2f", fill, rec, hnswRecallFloor)
		}
		if !fill {
			plain = deg
			continue
		}
		if deg <= plain || deg < float64(x.opts.M) {
			t.Errorf("filled graph: %.1f links a node, want more than the heuristic's %.1f and at least M = %d", deg, plain, x.opts.M)
		}
	}
}

// Overlapping pauses of the collector leave it as it was before the first,
// whatever order they end in.
func TestPauseGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(77))
	a := pauseGC()
	b := pauseGC()
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Errorf("GC percent during two pauses = %d; want -1 (off)", p)
	}
	a()
	if p := debug.SetGCPercent(-1); p != -1 {
		t.Errorf("GC percent after the first pause ended = %d; want -1 until the second ends", p)
	}
	b()
	if p := debug.SetGCPercent(77); p != 77 {
		t.Errorf("GC percent after both pauses = %d; want 77 back", p)
	}
}
