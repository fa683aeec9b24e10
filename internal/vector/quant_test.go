package vector

import (
	"math/rand/v2"
	"testing"
)

func TestQuantizedDot(t *testing.T) {
	vecs := uniform(50, 256, 21)
	qa, qb := make([]int8, 256), make([]int8, 256)
	for i := 1; i < len(vecs); i++ {
		a, b := vecs[i-1].Vec, vecs[i].Vec
		sa, sb := quantize(a, qa), quantize(b, qb)
		got, want := float32(dotInt8(qa, qb))*sa*sb, dot(a, b)
		if d := got - want; d > 0.01 || d < -0.01 {
			t.Errorf("quantized dot %.4f, float dot %.4f", got, want)
		}
	}
}

// BenchmarkDotRandom compares float32 and int8 dot products of a query
// with vectors read in random order from a large set, the access pattern
// of a graph walk: set PAPERBOY_VECTOR_N (default 500,000) large enough to
// leave the caches.
func BenchmarkDotRandom(b *testing.B) {
	n, dim := envInt("PAPERBOY_VECTOR_N", 500000), 256
	rng := rand.New(rand.NewPCG(1, 2))
	fl := make([]float32, n*dim)
	codes := make([]int8, n*dim)
	for i := range fl {
		fl[i] = float32(rng.NormFloat64() / 16)
	}
	for s := range n {
		quantize(fl[s*dim:(s+1)*dim], codes[s*dim:(s+1)*dim])
	}
	order := rng.Perm(n)
	q, qc := fl[:dim], codes[:dim]
	b.Run("float32", func(b *testing.B) {
		var sink float32
		i := 0
		for b.Loop() {
			s := order[i%n]
			sink += dot(q, fl[s*dim:(s+1)*dim])
			i++
		}
		_ = sink
	})
	b.Run("int8", func(b *testing.B) {
		var sink int32
		i := 0
		for b.Loop() {
			s := order[i%n]
			sink += dotInt8(qc, codes[s*dim:(s+1)*dim])
			i++
		}
		_ = sink
	})
}
