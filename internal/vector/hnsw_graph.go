package vector

import (
	"cmp"
	"slices"
	"unsafe"
)

// searchBuf is one goroutine's scratch for a walk of the graph: visited
// marks (a slot is visited when its mark equals epoch) and heaps.
type searchBuf struct {
	mark  []uint32
	epoch uint32
	cand  maxHeap
	res   minHeap
	nbr   []int32
	fresh []int32  // a node's links not yet visited
	codes []int8   // the query's
	eps   []int32  // entry points of layer 0
	sel   []scored // the new node's chosen links
	prune []scored // a full neighbour list being pruned
	kept  []scored
	left  []scored // candidates the heuristic left out, with Fill
}

func (x *HNSW) buf() *searchBuf {
	b, _ := x.scratch.Get().(*searchBuf)
	if b == nil {
		b = &searchBuf{}
	}
	if len(b.mark) < len(x.ids) {
		b.mark, b.epoch = make([]uint32, len(x.ids)+len(x.ids)/4+64), 0
	}
	return b
}

// list returns slot s's link list on layer lev: a count, then the links.
func (x *HNSW) list(s int32, lev int) []int32 {
	if lev == 0 {
		o := int(s) * (x.m0 + 1)
		return x.links0[o : o+x.m0+1]
	}
	o := (lev - 1) * (x.opts.M + 1)
	return x.upper[s][o : o+x.opts.M+1]
}

// friends returns s's links on layer lev; while a batch is being linked
// (locked), a copy taken under s's lock.
func (x *HNSW) friends(b *searchBuf, s int32, lev int, locked bool) []int32 {
	l := x.list(s, lev)
	if !locked {
		return l[1 : 1+l[0]]
	}
	mu := &x.locks[int(s)%len(x.locks)]
	mu.Lock()
	b.nbr = append(b.nbr[:0], l[1:1+l[0]]...)
	mu.Unlock()
	return b.nbr
}

// descend walks greedily from ep on layers from down to to+1 and returns
// the node nearest q it reaches.
func (x *HNSW) descend(b *searchBuf, q *query, ep int32, from, to int, locked bool) int32 {
	best := x.sim(q, ep)
	for lev := from; lev > to; lev-- {
		for changed := true; changed; {
			changed = false
			for _, n := range x.friends(b, ep, lev, locked) {
				if s := x.sim(q, n); s > best {
					best, ep, changed = s, n, true
				}
			}
		}
	}
	return ep
}

// query is a vector searched for, with its int8 codes when the graph is
// walked on codes.
type query struct {
	f     []float32
	c     []int8
	scale float32
}

// sim is q's dot product with slot s, estimated from the codes when q has
// them.
func (x *HNSW) sim(q *query, s int32) float32 {
	if q.c != nil {
		return float32(dotInt8(q.c, x.codes[int(s)*x.dim:int(s+1)*x.dim])) * q.scale * x.scales[s]
	}
	return dot(q.f, x.vec(s))
}

// prefetch asks for the rows sim will read of the slots, all at once: a
// node's links lie anywhere in memory, and reading their rows one after
// another as each dot product needs them waits on memory once a link.
func (x *HNSW) prefetch(q *query, slots []int32) {
	if len(slots) == 0 {
		return
	}
	if q.c != nil {
		prefetch(unsafe.Pointer(&x.codes[0]), slots, x.dim, (x.dim+63)/64)
		prefetch(unsafe.Pointer(&x.scales[0]), slots, 4, 1)
		return
	}
	x.prefetchFloats(slots)
}

// prefetchFloats asks for the float rows of the slots.
func (x *HNSW) prefetchFloats(slots []int32) {
	if len(slots) > 0 {
		prefetch(unsafe.Pointer(&x.vecs[0]), slots, 4*x.dim, (4*x.dim+63)/64)
	}
}

// searchLayer is the beam search of layer lev from ep: it returns up to ef
// nodes nearest q (in heap order, not sorted), tombstones left out when
// live is set.
func (x *HNSW) searchLayer(b *searchBuf, q *query, eps []int32, ef, lev int, locked, live bool) []scored {
	b.epoch++
	if b.epoch == 0 {
		clear(b.mark)
		b.epoch = 1
	}
	b.cand, b.res = b.cand[:0], b.res[:0]
	for _, ep := range eps {
		if b.mark[ep] == b.epoch {
			continue
		}
		s := x.sim(q, ep)
		b.mark[ep] = b.epoch
		b.cand.push(scored{ep, s})
		if !live || !x.dead[ep] {
			b.res.push(scored{ep, s})
			if len(b.res) > ef {
				b.res.pop()
			}
		}
	}
	for len(b.cand) > 0 {
		c := b.cand.pop()
		if len(b.res) >= ef && c.score < b.res[0].score {
			break
		}
		b.fresh = b.fresh[:0]
		for _, n := range x.friends(b, c.slot, lev, locked) {
			if b.mark[n] != b.epoch {
				b.mark[n] = b.epoch
				b.fresh = append(b.fresh, n)
			}
		}
		x.prefetch(q, b.fresh)
		for _, n := range b.fresh {
			sc := x.sim(q, n)
			if len(b.res) < ef || sc > b.res[0].score {
				b.cand.push(scored{n, sc})
				if !live || !x.dead[n] {
					b.res.push(scored{n, sc})
					if len(b.res) > ef {
						b.res.pop()
					}
				}
			}
		}
	}
	return b.res
}

// insert links slot s into the graph on every layer up to its level.
func (x *HNSW) insert(s int32) {
	b := x.buf()
	defer x.scratch.Put(b)
	q, lv := &query{f: x.vec(s)}, int(x.levels[s])
	if x.opts.Int8 { // walk on the codes, choose links on the floats
		q.c, q.scale = x.codes[int(s)*x.dim:int(s+1)*x.dim], x.scales[s]
	}
	x.entryMu.Lock()
	ep, top := x.entry, x.top
	if ep < 0 {
		x.entry, x.top = s, lv
		x.entryMu.Unlock()
		return
	}
	if lv <= top {
		x.entryMu.Unlock()
	} else { // s becomes the entry: hold others back until it is linked
		defer x.entryMu.Unlock()
	}
	ep = x.descend(b, q, ep, top, lv, true)
	for lev := min(lv, top); lev >= 0; lev-- {
		cands := x.searchLayer(b, q, []int32{ep}, x.opts.EfConstruction, lev, true, false)
		if q.c != nil {
			x.rerank(b, q.f, cands)
		}
		sortDesc(cands)
		ep = cands[0].slot
		b.sel = x.selectNeighbours(b, cands, x.opts.M, b.sel[:0])
		x.setLinks(s, lev, b.sel)
		for _, c := range b.sel {
			x.addLink(b, c.slot, s, lev)
		}
	}
	if lv > top {
		x.entry, x.top = s, lv
	}
}

// selectNeighbours is the paper's heuristic (algorithm 4): of candidates
// sorted best first by their score with a base node, it keeps up to m,
// each nearer the base than any candidate already kept, so that links
// spread in all directions instead of into one cluster. With Fill, the
// candidates left out fill what is left of the m, best first.
func (x *HNSW) selectNeighbours(b *searchBuf, cands []scored, m int, out []scored) []scored {
	b.left = b.left[:0]
	for _, c := range cands {
		if len(out) >= m {
			break
		}
		v, good := x.vec(c.slot), true
		for _, r := range out {
			if dot(v, x.vec(r.slot)) > c.score {
				good = false
				break
			}
		}
		if good {
			out = append(out, c)
		} else if x.opts.Fill {
			b.left = append(b.left, c)
		}
	}
	if x.opts.Fill {
		out = append(out, b.left[:min(len(b.left), m-len(out))]...)
	}
	return out
}

func (x *HNSW) setLinks(s int32, lev int, links []scored) {
	mu := &x.locks[int(s)%len(x.locks)]
	mu.Lock()
	l := x.list(s, lev)
	l[0] = int32(len(links))
	for i, c := range links {
		l[1+i] = c.slot
	}
	mu.Unlock()
}

// addLink links n to s on layer lev; when n's list is full, the heuristic
// chooses which of its links and s to keep.
func (x *HNSW) addLink(b *searchBuf, n, s int32, lev int) {
	mu := &x.locks[int(n)%len(x.locks)]
	mu.Lock()
	defer mu.Unlock()
	l, maxM := x.list(n, lev), x.opts.M
	if lev == 0 {
		maxM = x.m0
	}
	if cnt := int(l[0]); cnt < maxM {
		l[1+cnt] = s
		l[0]++
		return
	}
	base := x.vec(n)
	b.prune = b.prune[:0]
	for _, o := range l[1 : 1+l[0]] {
		b.prune = append(b.prune, scored{o, dot(base, x.vec(o))})
	}
	b.prune = append(b.prune, scored{s, dot(base, x.vec(s))})
	sortDesc(b.prune)
	b.kept = x.selectNeighbours(b, b.prune, maxM, b.kept[:0])
	l[0] = int32(len(b.kept))
	for i, c := range b.kept {
		l[1+i] = c.slot
	}
}

func sortDesc(s []scored) {
	slices.SortFunc(s, func(a, b scored) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.slot, b.slot)
	})
}

// minHeap keeps the worst score at its root; maxHeap the best.
type (
	minHeap []scored
	maxHeap []scored
)

func (h *minHeap) push(v scored) {
	*h = append(*h, v)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p].score <= s[i].score {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *minHeap) pop() scored {
	s := *h
	v := s[0]
	s[0] = s[len(s)-1]
	*h = s[:len(s)-1]
	h.down(0)
	return v
}

func (h minHeap) down(i int) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && h[c+1].score < h[c].score {
			c++
		}
		if h[i].score <= h[c].score {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

func (h *maxHeap) push(v scored) {
	*h = append(*h, v)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if s[p].score >= s[i].score {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

func (h *maxHeap) pop() scored {
	s := *h
	v := s[0]
	s[0] = s[len(s)-1]
	s = s[:len(s)-1]
	*h = s
	for i := 0; ; {
		c := 2*i + 1
		if c >= len(s) {
			break
		}
		if c+1 < len(s) && s[c+1].score > s[c].score {
			c++
		}
		if s[i].score >= s[c].score {
			break
		}
		s[i], s[c] = s[c], s[i]
		i = c
	}
	return v
}
