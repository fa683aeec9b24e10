package corpus

import "math/rand/v2"

// alias is Vose's alias table: it draws an index with probability
// proportional to its weight in O(1), which keeps generating millions of
// documents cheap.
type alias struct {
	prob  []float64
	alias []int32
}

// newAlias builds the table for weights, which must not all be zero.
func newAlias(weights []float64) alias {
	n := len(weights)
	var sum float64
	for _, w := range weights {
		sum += w
	}
	a := alias{prob: make([]float64, n), alias: make([]int32, n)}
	scaled := make([]float64, n)
	var small, large []int32
	for i, w := range weights {
		scaled[i] = w * float64(n) / sum
		if scaled[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		a.prob[s], a.alias[s] = scaled[s], l
		scaled[l] += scaled[s] - 1
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range append(small, large...) {
		a.prob[i], a.alias[i] = 1, i
	}
	return a
}

func (a *alias) draw(r *rand.Rand) int {
	i := r.IntN(len(a.prob))
	if r.Float64() < a.prob[i] {
		return i
	}
	return int(a.alias[i])
}

// counted turns counts keyed by string into parallel slices sorted by key,
// so that the table does not depend on map iteration order.
func counted(counts map[string]float64) ([]string, []float64) {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sortStrings(keys)
	ws := make([]float64, len(keys))
	for i, k := range keys {
		ws[i] = counts[k]
	}
	return keys, ws
}
