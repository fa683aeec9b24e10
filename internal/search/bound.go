package search

import (
	"math"
)

// boundSpec is what a segment needs to store, per block of postings, the
// largest BM25F frequency (before saturation) that any one of the block's
// documents has: the ranking's field weights and b, and average field
// lengths avgHi at least as large as the collection's will be when the
// segment is searched. A field's normalised frequency only grows with the
// average length, so while the collection's averages stay at or under
// avgHi, the stored figure bounds every document of the block, and far
// more tightly than the per-field maxima (the largest frequency in one
// field and the shortest length in another rarely belong to the same
// document). The zero boundSpec stores nothing.
type boundSpec struct {
	w, b, avgHi [numFields]float64
}

// boundMargin is how far above the collection's average field lengths at
// build time a segment's avgHi is set: the collection may grow that much
// longer before the segment's block bounds loosen (see boundScale), at the
// cost of bounds about 5% looser than exact.
const boundMargin = 1.1

func (sp *boundSpec) valid() bool { return sp.avgHi[0] > 0 }

// specFor returns the spec for a segment built or merged now for ranking
// prm: the averages are those of the view and of the documents being
// added, whichever are larger, times boundMargin.
func specFor(prm Params, v *view, add []*analyzedDoc) boundSpec {
	var sp boundSpec
	docs := v.docs + len(add)
	total := v.totalLen
	addTotal := [numFields]uint64{}
	for _, d := range add {
		for f := range numFields {
			addTotal[f] += uint64(d.info.lens[f])
			total[f] += uint64(d.info.lens[f])
		}
	}
	for f := range numFields {
		sp.w[f], sp.b[f] = prm.weight(f), prm.b(f)
		if sp.w[f] < 0 || sp.b[f] < 0 || sp.b[f] > 1 {
			return boundSpec{} // the bound's monotony needs these
		}
		avg := avgLen(total[f], docs)
		if len(add) > 0 {
			avg = max(avg, avgLen(addTotal[f], len(add)))
		}
		sp.avgHi[f] = avg * boundMargin
	}
	return sp
}

// avgLen is the average field length as bm25f takes it.
func avgLen(total uint64, docs int) float64 {
	if docs == 0 {
		return 1
	}
	return max(float64(total)/float64(docs), 1)
}

// tf is bm25f.tf with the averages avgHi.
func (sp *boundSpec) tf(tfs []uint32, lens *[numFields]uint32) float64 {
	var t float64
	for f := range numFields {
		if sp.w[f] != 0 && tfs[f] > 0 {
			norm := 1 - sp.b[f] + sp.b[f]/sp.avgHi[f]*float64(lens[f])
			t += sp.w[f] * float64(tfs[f]) / norm
		}
	}
	return t
}

// roundUp returns t as a float32 no smaller than t, with room for the
// rounding of the query-time computation.
func roundUp(t float64) uint32 {
	t *= 1 + 1e-6
	f := float32(t)
	if float64(f) < t {
		f = math.Nextafter32(f, float32(math.Inf(1)))
	}
	return math.Float32bits(f)
}

// boundScale returns what s's stored block bounds are multiplied by to
// bound its documents under m, or 0 when they do not apply (no spec, or
// other weights or b). It is 1 while the collection's average lengths are
// at most s's avgHi; past them a field's normalised frequency grows at
// most as fast as its average (1-b+b·len/avg >= (1-b+b·len/avgHi)·avgHi/avg
// when avg >= avgHi), so the largest ratio of the two scales the bounds.
func (m *bm25f) boundScale(s *segment) float64 {
	sp := &s.spec
	if !sp.valid() || sp.w != m.w || sp.b != m.b {
		return 0
	}
	scale := 1.0
	for f := range numFields {
		scale = max(scale, m.avg[f]/sp.avgHi[f])
	}
	return scale
}

// docBound is the stored bound of block b of a term of several blocks.
func (it *postIter) docBound(b int) float64 {
	return float64(math.Float32frombits(it.meta(b)[metaBound]))
}

// termDocBound is the largest stored block bound of a term of several
// blocks.
func (it *postIter) termDocBound() float64 {
	var t float32
	for b := range it.st.nBlocks {
		t = max(t, math.Float32frombits(it.meta(b)[metaBound]))
	}
	return float64(t)
}
