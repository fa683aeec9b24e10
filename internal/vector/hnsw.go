package vector

import (
	"cmp"
	"hash/fnv"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"paperboy"
)

// HNSWOptions tune an HNSW index; zero fields take the defaults.
type HNSWOptions struct {
	// M is the number of links a node keeps per layer (2·M on layer 0);
	// 24 by default.
	M int
	// EfConstruction is the beam width of the search that links a new
	// node; 200 by default. At 500,000 LSA-like vectors (BenchmarkANN),
	// M 24 and efConstruction 200 took recall@10 at ef 128 from 0.89 to
	// 0.99 against M 16 and 100, for 2.2 times the linking time and 5% more
	// bytes a vector.
	EfConstruction int
	// EfSearch is the beam width of a query (at least k); 256 by default.
	// The recall it buys depends on the vectors and the graph: with the
	// default M and efConstruction, recall@10 0.93 (held-out papers) and
	// 0.92 (search questions) at 2.5 million LSA-like vectors of 256, p99
	// 5.6 and 7.7 ms, and with Beam 0.97 and 0.96, p99 6.4 and 7.3 ms
	// (BenchmarkANN, 2 cores, under load). Among the built-in embedder's
	// own vectors of 2.5 million synthetic papers, where a query's top 100
	// are near ties, the same graph finds 0.52 of the exact top 10 at ef
	// 256 and 0.74 at 2,048, and a graph of M 32 with Fill 0.71 at ef 256
	// (BenchmarkHybridScale; docs/semantic.md).
	EfSearch int
	// ExactBelow is the size below which search scans every vector and no
	// graph is kept: exact, and about 3 ms at 20,000 vectors of 256.
	ExactBelow int
	// Workers is how many goroutines link a batch of new vectors; more than
	// one makes the graph depend on scheduling (levels never do).
	Workers int
	// Beam seeds layer 0 with a beam of width EfSearch on layer 1 instead
	// of one greedy entry point: dearer, but queries unlike any vector
	// (between clusters) find more of their true neighbours.
	Beam bool
	// Int8 keeps int8 codes of the vectors (a quarter of a vector's bytes,
	// made again on loading: the file holds the floats) and walks the
	// graph on them, to search and to link, re-ranking the candidates on
	// the float32 vectors. A walk at scale waits on memory, and a node's
	// links' codes are a quarter of the lines to fetch; the int8 dot
	// product uses AVX2 where the CPU has it. Among 2.5 million of the
	// built-in embedder's vectors (BenchmarkGraphWalks, one graph walked
	// both ways), walks on codes took 0.64 to 0.87 of the time of walks
	// on the floats at equal beams (p50), for the same recall (within
	// 0.004). Linking 300,000 of them on codes took 3m35s against 4m13s on
	// the floats (BenchmarkGraphOptions), for the same links and recall.
	// It costs 260 more bytes a vector in memory.
	Int8 bool
	// Fill fills a node's links up to M (2·M on layer 0) with the nearest
	// candidates the heuristic left out (keepPrunedConnections in the
	// HNSW paper). Where many vectors are near ties, as among the built-in
	// embedder's vectors of papers of one topic, the heuristic keeps few
	// links (20.6 of 48 on layer 0 at 300,000 such vectors) and the walk
	// stops short of the true neighbours; filling finds more of them, for
	// 1.5 times the linking time (BenchmarkGraphOptions). Relaxing the
	// heuristic instead (Vamana's α of 1.15 and 1.3) found fewer.
	Fill bool
	Seed uint64
}

func (o HNSWOptions) withDefaults() HNSWOptions {
	o.M = cmp.Or(o.M, 24)
	o.EfConstruction = cmp.Or(o.EfConstruction, 200)
	o.EfSearch = cmp.Or(o.EfSearch, 256)
	o.ExactBelow = cmp.Or(o.ExactBelow, 20000)
	o.Workers = cmp.Or(o.Workers, runtime.GOMAXPROCS(0))
	o.Seed = cmp.Or(o.Seed, 1)
	return o
}

// maxLevel caps the layers of the graph.
const maxLevel = 24

// HNSW is a hierarchical navigable small-world graph (Malkov & Yashunin)
// over unit vectors, ranked by dot product. It is safe for concurrent use:
// searches share a read lock, and a batch of inserts holds the write lock a
// chunk at a time, so searches interleave with a long Add. Removed vectors
// stay in the graph as tombstones, to route through but never returned,
// until they make up a quarter of it and the graph is rebuilt: beside the
// current graph, which searches keep using, and swapped in at the end (so
// for a while the index holds two graphs).
type HNSW struct {
	dim  int
	opts HNSWOptions
	m0   int // links per node on layer 0

	// writeMu serializes the writers (Add, Remove, Rebuild), so that a
	// rebuild can read the graph without mu while searches go on.
	writeMu sync.Mutex
	// mu guards the graph: searches read-lock it, writers lock it to change
	// it.
	mu      sync.RWMutex
	vecs    []float32 // slot i at [i·dim, (i+1)·dim)
	ids     []paperboy.ArxivID
	dead    []bool
	nDead   int
	slotOf  map[paperboy.ArxivID]int32
	levels  []uint8
	links0  []int32   // slot i at [i·(m0+1), (i+1)·(m0+1)): count, then links
	upper   [][]int32 // layer l ≥ 1 of slot i at upper[i][(l-1)·(M+1):]: count, then links
	entry   int32     // -1 while there is no graph
	top     int       // the entry's level
	built   bool
	codes   []int8          // slot i at [i·dim, (i+1)·dim) when Int8
	scales  []float32       // of each slot's codes
	locks   [256]sync.Mutex // striped over slots while a batch is linked in parallel
	entryMu sync.Mutex      // guards entry and top while a batch is linked
	scratch sync.Pool       // of *searchBuf

	onRebuild func() // called when a rebuilt graph is ready to swap in; tests
}

// NewHNSW returns an empty index of dim-dimensional vectors.
func NewHNSW(dim int, opts HNSWOptions) *HNSW {
	o := opts.withDefaults()
	return &HNSW{dim: dim, opts: o, m0: 2 * o.M, slotOf: map[paperboy.ArxivID]int32{}, entry: -1}
}

// Dim returns the dimension of the index's vectors.
func (x *HNSW) Dim() int { return x.dim }

// Len returns the number of live vectors.
func (x *HNSW) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.slotOf)
}

// Vector returns a copy of a paper's vector.
func (x *HNSW) Vector(id paperboy.ArxivID) ([]float32, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	s, ok := x.slotOf[id]
	if !ok {
		return nil, false
	}
	return slices.Clone(x.vec(s)), true
}

func (x *HNSW) vec(s int32) []float32 { return x.vecs[int(s)*x.dim : int(s+1)*x.dim] }

// level draws a paper's layer from a hash of the seed and its ID, so the
// layers of the graph do not depend on the order papers arrive in.
func (x *HNSW) level(id paperboy.ArxivID) uint8 {
	h := fnv.New64a()
	h.Write([]byte(id))
	z := h.Sum64() ^ x.opts.Seed*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9 // splitmix64 finaliser
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	u := (float64(z>>11) + 0.5) / (1 << 53)
	return uint8(min(maxLevel, int(-math.Log(u)/math.Log(float64(x.opts.M)))))
}

// Add inserts or replaces the vectors of papers; vectors of another
// dimension are ignored.
func (x *HNSW) Add(vecs ...paperboy.PaperVector) {
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	chunk := 32 * x.opts.Workers
	for len(vecs) > 0 {
		n := min(len(vecs), chunk)
		x.mu.Lock()
		x.addLocked(vecs[:n])
		x.mu.Unlock()
		if x.stale() {
			x.rebuild()
		}
		vecs = vecs[n:]
	}
}

func (x *HNSW) addLocked(vecs []paperboy.PaperVector) {
	fresh := make([]int32, 0, len(vecs))
	for _, v := range vecs {
		if len(v.Vec) != x.dim {
			continue
		}
		if s, ok := x.slotOf[v.ID]; ok {
			if slices.Equal(x.vec(s), v.Vec) {
				continue
			}
			x.kill(s)
		}
		fresh = append(fresh, x.place(v.ID, v.Vec))
	}
	if x.built {
		x.link(fresh)
	}
}

// stale reports whether the graph is due a rebuild: tombstones make up a
// quarter of it, or it has grown to ExactBelow vectors without a graph.
func (x *HNSW) stale() bool {
	return x.nDead*4 > len(x.ids) && x.nDead > 64 || !x.built && len(x.slotOf) >= x.opts.ExactBelow
}

// place stores a vector in a new slot, unlinked.
func (x *HNSW) place(id paperboy.ArxivID, v []float32) int32 {
	s := int32(len(x.ids))
	x.vecs = append(x.vecs, v...)
	x.newSlot(id, x.level(id), false)
	x.slotOf[id] = s
	return s
}

// reserve makes room for n slots in all, so that a graph read from a file
// is not copied as its slices grow: at 300,000 vectors the copies took
// over a second of the load, most of it faulting fresh pages in.
//
// The collector is paused while the slices are allocated. A collection
// that starts then must stop the goroutine zeroing them, which cannot stop
// inside the zeroing: the collector signals it again and again until it
// can. On the 2-core VM of docs/semantic.md, `paperboy search` at
// 300,000 papers took 4.6 to 6.6 s without the pause, 3.1 to 3.4 s with it.
func (x *HNSW) reserve(n int) {
	defer pauseGC()()
	x.vecs = grow(x.vecs, n*x.dim)
	x.links0 = grow(x.links0, n*(x.m0+1))
	x.ids = grow(x.ids, n)
	x.dead = grow(x.dead, n)
	x.levels = grow(x.levels, n)
	x.upper = grow(x.upper, n)
	if x.opts.Int8 {
		x.codes = grow(x.codes, n*x.dim)
		x.scales = grow(x.scales, n)
	}
	if len(x.slotOf) == 0 {
		x.slotOf = make(map[paperboy.ArxivID]int32, n)
	}
}

// gcPause counts the pauseGC calls in progress.
var gcPause struct {
	sync.Mutex
	n    int
	prev int // the GC percent before the first
}

// pauseGC turns the garbage collector off until the function it returns is
// called; calls may overlap.
func pauseGC() (resume func()) {
	gcPause.Lock()
	if gcPause.n == 0 {
		gcPause.prev = debug.SetGCPercent(-1)
	}
	gcPause.n++
	gcPause.Unlock()
	return func() {
		gcPause.Lock()
		if gcPause.n--; gcPause.n == 0 {
			debug.SetGCPercent(gcPause.prev)
		}
		gcPause.Unlock()
	}
}

// grow returns s with room for c elements in all.
func grow[S ~[]E, E any](s S, c int) S { return slices.Grow(s, max(0, c-len(s))) }

// newSlot adds the rest of a slot whose vector was just appended to vecs:
// its code, ID, tombstone, level and empty link lists.
func (x *HNSW) newSlot(id paperboy.ArxivID, lv uint8, dead bool) {
	x.encode(x.vec(int32(len(x.ids))))
	x.ids = append(x.ids, id)
	x.dead = append(x.dead, dead)
	x.levels = append(x.levels, lv)
	x.links0 = append(x.links0, make([]int32, x.m0+1)...)
	var up []int32
	if lv > 0 {
		up = make([]int32, int(lv)*(x.opts.M+1))
	}
	x.upper = append(x.upper, up)
}

// encode appends the int8 codes of a new slot's vector, when Int8.
func (x *HNSW) encode(v []float32) {
	if !x.opts.Int8 {
		return
	}
	n := len(x.codes)
	x.codes = append(x.codes, make([]int8, x.dim)...)
	x.scales = append(x.scales, quantize(v, x.codes[n:]))
}

func (x *HNSW) kill(s int32) {
	delete(x.slotOf, x.ids[s])
	x.dead[s] = true
	x.nDead++
}

// Remove deletes the vectors of the given papers; unknown IDs are ignored.
func (x *HNSW) Remove(ids ...paperboy.ArxivID) {
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	x.mu.Lock()
	for _, id := range ids {
		if s, ok := x.slotOf[id]; ok {
			x.kill(s)
		}
	}
	x.mu.Unlock()
	if x.stale() {
		x.rebuild()
	}
}

// Rebuild drops the tombstones and, at ExactBelow vectors or more, links a
// new graph of the live vectors. Searches use the current graph until the
// new one is complete.
func (x *HNSW) Rebuild() {
	x.writeMu.Lock()
	defer x.writeMu.Unlock()
	x.rebuild()
}

// rebuild builds the new graph in a separate index, reading this one
// without its lock (the caller holds writeMu, so only searches run
// meanwhile, and they only read), then swaps it in.
func (x *HNSW) rebuild() {
	y := &HNSW{dim: x.dim, opts: x.opts, m0: x.m0, entry: -1, slotOf: make(map[paperboy.ArxivID]int32, len(x.slotOf))}
	y.vecs = make([]float32, 0, len(x.slotOf)*x.dim)
	fresh := make([]int32, 0, len(x.slotOf))
	for s, d := range x.dead {
		if !d {
			fresh = append(fresh, y.place(x.ids[s], x.vec(int32(s))))
		}
	}
	if len(fresh) >= x.opts.ExactBelow {
		y.link(fresh)
	}
	if x.onRebuild != nil {
		x.onRebuild()
	}
	x.mu.Lock()
	x.vecs, x.ids, x.dead, x.nDead, x.slotOf = y.vecs, y.ids, y.dead, y.nDead, y.slotOf
	x.levels, x.links0, x.upper, x.codes, x.scales = y.levels, y.links0, y.upper, y.codes, y.scales
	x.entry, x.top, x.built = y.entry, y.top, y.built
	x.mu.Unlock()
}

// link inserts the given slots into the graph, on Workers goroutines.
func (x *HNSW) link(slots []int32) {
	x.built = true
	w := min(x.opts.Workers, len(slots))
	if w <= 1 {
		for _, s := range slots {
			x.insert(s)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range w {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(len(slots)); i = next.Add(1) - 1 {
				x.insert(slots[i])
			}
		})
	}
	wg.Wait()
}

// Ef returns the beam width of Search (HNSWOptions.EfSearch).
func (x *HNSW) Ef() int { return x.opts.EfSearch }

// Search returns the k vectors with the highest dot product with q, best
// first: by walking the graph with a beam of EfSearch, or exactly below
// ExactBelow vectors.
func (x *HNSW) Search(q []float32, k int) []Hit { return x.SearchEf(q, k, x.opts.EfSearch) }

// SearchEf is Search with a beam width of ef instead of EfSearch.
func (x *HNSW) SearchEf(q []float32, k, ef int) []Hit { return x.SearchFrom(q, k, ef, nil) }

// SearchFrom is SearchEf with the walk of layer 0 also starting from the
// nodes of the papers near (those it holds): for a query known to lie near
// some papers, such as a vector moved towards them by feedback, they are
// better entry points than the layer-1 beam of Beam, which is then
// skipped.
func (x *HNSW) SearchFrom(q []float32, k, ef int, near []paperboy.ArxivID) []Hit {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(q) != x.dim || k <= 0 {
		return nil
	}
	if !x.built {
		return x.exact(q, k)
	}
	b := x.buf()
	defer x.scratch.Put(b)
	ef = max(ef, k)
	qq := &query{f: q}
	if x.opts.Int8 && len(x.codes) > 0 {
		b.codes = slices.Grow(b.codes[:0], x.dim)[:x.dim]
		qq.c, qq.scale = b.codes, quantize(q, b.codes)
	}
	b.eps = b.eps[:0]
	for _, id := range near {
		if s, ok := x.slotOf[id]; ok {
			b.eps = append(b.eps, s)
		}
	}
	if len(b.eps) > 0 || x.top < 1 || !x.opts.Beam {
		b.eps = append(b.eps, x.descend(b, qq, x.entry, x.top, 0, false))
	} else {
		b.eps = append(b.eps, x.descend(b, qq, x.entry, x.top, 1, false))
		for _, c := range x.searchLayer(b, qq, b.eps, ef, 1, false, false) {
			b.eps = append(b.eps, c.slot)
		}
	}
	res := x.searchLayer(b, qq, b.eps, ef, 0, false, true)
	if qq.c != nil { // re-rank on the float vectors
		x.rerank(b, q, res)
	}
	return x.hits(res, k)
}

// rerank scores res on the float vectors, asking for the rows of each 16
// before reading them.
func (x *HNSW) rerank(b *searchBuf, q []float32, res []scored) {
	for i := 0; i < len(res); i += 16 {
		part := res[i:min(i+16, len(res))]
		b.fresh = b.fresh[:0]
		for _, r := range part {
			b.fresh = append(b.fresh, r.slot)
		}
		x.prefetchFloats(b.fresh)
		for j := range part {
			part[j].score = dot(q, x.vec(part[j].slot))
		}
	}
}

// Exact returns the true k nearest vectors by scanning them all, the
// baseline of the approximate Search.
func (x *HNSW) Exact(q []float32, k int) []Hit {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(q) != x.dim || k <= 0 {
		return nil
	}
	return x.exact(q, k)
}

func (x *HNSW) exact(q []float32, k int) []Hit {
	var res minHeap
	for s, d := range x.dead {
		if d {
			continue
		}
		sc := dot(q, x.vec(int32(s)))
		if len(res) < k {
			res.push(scored{int32(s), sc})
		} else if sc > res[0].score {
			res[0] = scored{int32(s), sc}
			res.down(0)
		}
	}
	return x.hits(res, k)
}

// hits returns the best k of res, best first, ties broken by ID.
func (x *HNSW) hits(res []scored, k int) []Hit {
	slices.SortFunc(res, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(x.ids[a.slot], x.ids[b.slot])
	})
	res = res[:min(k, len(res))]
	out := make([]Hit, len(res))
	for i, r := range res {
		out[i] = Hit{ID: x.ids[r.slot], Score: r.score}
	}
	return out
}

// MeanDegree returns the mean number of links a node has on layer 0 (0
// while there is no graph): how much of its 2·M the linking heuristic
// kept.
func (x *HNSW) MeanDegree() float64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if !x.built || len(x.ids) == 0 {
		return 0
	}
	var sum int
	for s := range x.ids {
		sum += int(x.links0[s*(x.m0+1)])
	}
	return float64(sum) / float64(len(x.ids))
}
