package vector

import "math"

// quantize writes v as int8 codes scaled by the largest magnitude, and
// returns the scale: v[i] ≈ codes[i]·scale.
func quantize(v []float32, codes []int8) float32 {
	var m float32
	for _, f := range v {
		m = max(m, float32(math.Abs(float64(f))))
	}
	if m == 0 {
		return 0
	}
	scale := m / 127
	for i, f := range v {
		codes[i] = int8(math.Round(float64(f / scale)))
	}
	return scale
}

// dotInt8Go is dotInt8 in plain Go: on CPUs without AVX2, and for what is
// left after the blocks of 32 codes.
func dotInt8Go(a, b []int8) int32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 int32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += int32(a[i]) * int32(b[i])
		s1 += int32(a[i+1]) * int32(b[i+1])
		s2 += int32(a[i+2]) * int32(b[i+2])
		s3 += int32(a[i+3]) * int32(b[i+3])
	}
	for ; i < len(a); i++ {
		s0 += int32(a[i]) * int32(b[i])
	}
	return s0 + s1 + s2 + s3
}
