package vector

import (
	"cmp"
	"container/heap"
	"slices"
	"sync"

	"github.com/viterin/vek/vek32"

	"paperboy"
)

// Hit is one neighbour: a paper and its dot product with the query.
type Hit struct {
	ID    paperboy.ArxivID
	Score float32
}

// Options tune an Index; zero fields take the defaults.
type Options struct {
	// MinTrain is the size from which the index clusters its vectors;
	// below it, search is exact (about 1 ms at 20,000 vectors of 256).
	MinTrain int
	// Probe is the fraction of clusters a search scans (at least 8).
	Probe float64
	Seed  uint64
}

func (o Options) withDefaults() Options {
	if o.MinTrain <= 0 {
		o.MinTrain = 20000
	}
	if o.Probe <= 0 {
		o.Probe = 0.1
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// Index is an IVF index of unit vectors of one dimension, safe for
// concurrent use. It re-clusters itself when it has grown fourfold since it
// last did.
type Index struct {
	dim  int
	opts Options

	mu        sync.RWMutex
	vecs      []float32 // slot i at [i·dim, (i+1)·dim)
	ids       []paperboy.ArxivID
	slotOf    map[paperboy.ArxivID]int32
	free      []int32
	centroids []float32 // nlist·dim; empty until trained
	lists     [][]int32 // slots per cluster
	listOf    []int32   // cluster of each slot; -1 when free
	trainedAt int       // Len when last trained
}

// New returns an empty index of dim-dimensional vectors.
func New(dim int, opts Options) *Index {
	return &Index{dim: dim, opts: opts.withDefaults(), slotOf: map[paperboy.ArxivID]int32{}}
}

// Dim returns the dimension of the index's vectors.
func (x *Index) Dim() int { return x.dim }

// Len returns the number of vectors.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.slotOf)
}

// Add inserts or replaces the vectors of papers.
func (x *Index) Add(vecs ...paperboy.PaperVector) {
	x.mu.Lock()
	for _, v := range vecs {
		x.add(v.ID, v.Vec)
	}
	grown := len(x.centroids) == 0 && len(x.slotOf) >= x.opts.MinTrain ||
		len(x.centroids) > 0 && len(x.slotOf) >= 4*x.trainedAt
	x.mu.Unlock()
	if grown {
		x.Train()
	}
}

func (x *Index) add(id paperboy.ArxivID, v []float32) {
	if len(v) != x.dim {
		return
	}
	if s, ok := x.slotOf[id]; ok {
		x.unlist(s)
		copy(x.vecs[int(s)*x.dim:], v)
		x.list(s)
		return
	}
	var s int32
	if n := len(x.free); n > 0 {
		s, x.free = x.free[n-1], x.free[:n-1]
		copy(x.vecs[int(s)*x.dim:], v)
		x.ids[s] = id
	} else {
		s = int32(len(x.ids))
		x.vecs = append(x.vecs, v...)
		x.ids = append(x.ids, id)
		x.listOf = append(x.listOf, -1)
	}
	x.slotOf[id] = s
	x.list(s)
}

// list files slot s under its nearest cluster.
func (x *Index) list(s int32) {
	if len(x.centroids) == 0 {
		x.listOf[s] = 0
		return
	}
	c := nearest(x.centroids, x.dim, x.vec(s))
	x.listOf[s] = int32(c)
	x.lists[c] = append(x.lists[c], s)
}

func (x *Index) unlist(s int32) {
	if c := x.listOf[s]; c >= 0 && len(x.lists) > 0 {
		l := x.lists[c]
		if i := slices.Index(l, s); i >= 0 {
			l[i] = l[len(l)-1]
			x.lists[c] = l[:len(l)-1]
		}
	}
	x.listOf[s] = -1
}

func (x *Index) vec(s int32) []float32 { return x.vecs[int(s)*x.dim : int(s+1)*x.dim] }

// Remove deletes the vectors of the given papers; unknown IDs are ignored.
func (x *Index) Remove(ids ...paperboy.ArxivID) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, id := range ids {
		s, ok := x.slotOf[id]
		if !ok {
			continue
		}
		x.unlist(s)
		delete(x.slotOf, id)
		x.ids[s] = ""
		x.free = append(x.free, s)
	}
}

// Vector returns a copy of a paper's vector.
func (x *Index) Vector(id paperboy.ArxivID) ([]float32, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s, ok := x.slotOf[id]
	if !ok {
		return nil, false
	}
	return slices.Clone(x.vec(s)), true
}

// Search returns the k vectors with the highest dot product with q, best
// first, scanning the clusters nearest q (all vectors while untrained).
func (x *Index) Search(q []float32, k int) []Hit {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(q) != x.dim || k <= 0 {
		return nil
	}
	top := &topK{k: k}
	if len(x.centroids) == 0 {
		x.scanAll(q, top)
		return x.hits(top)
	}
	nlist := len(x.lists)
	nprobe := min(nlist, max(8, int(float64(nlist)*x.opts.Probe+0.5)))
	cs := &topK{k: nprobe}
	for c := range nlist {
		cs.push(int32(c), dot(q, x.centroids[c*x.dim:(c+1)*x.dim]))
	}
	for _, c := range cs.items {
		for _, s := range x.lists[c.slot] {
			top.push(s, dot(q, x.vec(s)))
		}
	}
	return x.hits(top)
}

// Exact returns the true k nearest vectors by scanning them all, the
// baseline of the approximate Search.
func (x *Index) Exact(q []float32, k int) []Hit {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(q) != x.dim || k <= 0 {
		return nil
	}
	top := &topK{k: k}
	x.scanAll(q, top)
	return x.hits(top)
}

func (x *Index) scanAll(q []float32, top *topK) {
	for s, id := range x.ids {
		if id != "" {
			top.push(int32(s), dot(q, x.vec(int32(s))))
		}
	}
}

func (x *Index) hits(top *topK) []Hit {
	items := top.items
	slices.SortFunc(items, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(x.ids[a.slot], x.ids[b.slot])
	})
	out := make([]Hit, len(items))
	for i, it := range items {
		out[i] = Hit{ID: x.ids[it.slot], Score: it.score}
	}
	return out
}

type scored struct {
	slot  int32
	score float32
}

// topK keeps the k best scores seen, in a min-heap.
type topK struct {
	k     int
	items []scored
}

func (t *topK) Len() int           { return len(t.items) }
func (t *topK) Less(i, j int) bool { return t.items[i].score < t.items[j].score }
func (t *topK) Swap(i, j int)      { t.items[i], t.items[j] = t.items[j], t.items[i] }
func (t *topK) Push(v any)         { t.items = append(t.items, v.(scored)) }
func (t *topK) Pop() any {
	v := t.items[len(t.items)-1]
	t.items = t.items[:len(t.items)-1]
	return v
}

func (t *topK) push(slot int32, s float32) {
	if len(t.items) < t.k {
		heap.Push(t, scored{slot, s})
	} else if s > t.items[0].score {
		t.items[0] = scored{slot, s}
		heap.Fix(t, 0)
	}
}

// dot is the dot product of two vectors of the same length, with AVX2
// and FMA where the CPU has them (vek falls back to plain Go elsewhere):
// three to four times the speed of a plain loop at 256 dimensions, and
// most of an HNSW search or insert is dot products.
func dot(a, b []float32) float32 { return vek32.Dot(a, b[:len(a)]) }

// nearest returns the index of the centroid with the highest dot product
// with v.
func nearest(centroids []float32, dim int, v []float32) int {
	best, bestS := 0, float32(-1e30)
	for c := 0; c*dim < len(centroids); c++ {
		if s := dot(v, centroids[c*dim:(c+1)*dim]); s > bestS {
			best, bestS = c, s
		}
	}
	return best
}
