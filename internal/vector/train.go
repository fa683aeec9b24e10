package vector

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// kmeansIters is how many Lloyd iterations clustering runs.
const kmeansIters = 8

// maxTrainSample caps the vectors k-means learns centroids from.
const maxTrainSample = 64 * 1024

// Train clusters the vectors (spherical k-means on a sample, about √n
// clusters) and files every vector under its nearest cluster. Searches wait
// while it runs. It is deterministic for the index's seed and contents.
func (x *Index) Train() {
	x.mu.Lock()
	defer x.mu.Unlock()
	var live []int32
	for s, id := range x.ids {
		if id != "" {
			live = append(live, int32(s))
		}
	}
	if len(live) == 0 {
		return
	}
	nlist := max(1, int(math.Sqrt(float64(len(live)))))
	rng := rand.New(rand.NewPCG(x.opts.Seed, uint64(len(live))))
	sample := live
	if len(sample) > maxTrainSample {
		sample = make([]int32, maxTrainSample)
		for i := range sample {
			sample[i] = live[rng.IntN(len(live))]
		}
	}
	cent := make([]float32, nlist*x.dim)
	for c, i := range rng.Perm(len(sample))[:nlist] {
		copy(cent[c*x.dim:], x.vec(sample[i]))
	}
	assign := make([]int32, len(sample))
	for range kmeansIters {
		x.assign(cent, sample, assign)
		x.recenter(cent, sample, assign)
	}
	x.centroids = cent
	x.lists = make([][]int32, nlist)
	all := make([]int32, len(live))
	x.assign(cent, live, all)
	for i, s := range live {
		x.listOf[s] = all[i]
		x.lists[all[i]] = append(x.lists[all[i]], s)
	}
	x.trainedAt = len(live)
}

// assign sets out[i] to the nearest centroid of slots[i], on all cores.
func (x *Index) assign(cent []float32, slots []int32, out []int32) {
	w := max(1, runtime.GOMAXPROCS(0))
	per := (len(slots) + w - 1) / w
	var wg sync.WaitGroup
	for i := range w {
		from, to := i*per, min((i+1)*per, len(slots))
		wg.Go(func() {
			for j := from; j < to; j++ {
				out[j] = int32(nearest(cent, x.dim, x.vec(slots[j])))
			}
		})
	}
	wg.Wait()
}

// recenter moves each centroid to the normalized mean of its vectors; an
// empty cluster keeps its centroid.
func (x *Index) recenter(cent []float32, slots, assign []int32) {
	sum := make([]float64, len(cent))
	for i, s := range slots {
		c := int(assign[i])
		for j, v := range x.vec(s) {
			sum[c*x.dim+j] += float64(v)
		}
	}
	for c := 0; c*x.dim < len(cent); c++ {
		row := sum[c*x.dim : (c+1)*x.dim]
		var n float64
		for _, v := range row {
			n += v * v
		}
		if n == 0 {
			continue
		}
		n = math.Sqrt(n)
		for j, v := range row {
			cent[c*x.dim+j] = float32(v / n)
		}
	}
}
