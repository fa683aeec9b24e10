package vector

import (
	"math/rand/v2"
	"testing"
	"unsafe"
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

// TestDotInt8 checks the int8 dot product (AVX2 on amd64 CPUs that have
// it) against the plain loop, for lengths around its blocks of 32 and the
// extreme codes.
func TestDotInt8(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 31, 32, 33, 63, 64, 100, 256, 257, 1024} {
		a, b := make([]int8, n), make([]int8, n)
		for trial := range 20 {
			for i := range a {
				switch trial {
				case 0:
					a[i], b[i] = -128, -128
				case 1:
					a[i], b[i] = 127, -128
				default:
					a[i], b[i] = int8(rng.IntN(256)-128), int8(rng.IntN(256)-128)
				}
			}
			var want int32
			for i := range a {
				want += int32(a[i]) * int32(b[i])
			}
			if got := dotInt8(a, b); got != want {
				t.Fatalf("n %d, trial %d: dotInt8 %d, want %d", n, trial, got, want)
			}
		}
	}
}

// BenchmarkDotRandom compares float32 and int8 dot products of a query
// with vectors read in random order from a large set, the access pattern
// of a graph walk: set PAPERBOY_VECTOR_N (default 500,000) large enough to
// leave the caches. int8-prefetched asks for each 32 rows before reading
// them, as a walk does for a node's links.
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
	batch := make([]int32, 32)
	b.Run("int8-prefetched", func(b *testing.B) {
		var sink int32
		i := 0
		for b.Loop() {
			if i%len(batch) == 0 {
				for j := range batch {
					batch[j] = int32(order[(i+j)%n])
				}
				prefetch(unsafe.Pointer(&codes[0]), batch, dim, dim/64)
			}
			s := int(batch[i%len(batch)])
			sink += dotInt8(qc, codes[s*dim:(s+1)*dim])
			i++
		}
		_ = sink
	})
	for _, v := range []struct {
		name string
		dot  func(a, b []int8) int32
	}{{"int8", dotInt8}, {"int8-plain-go", dotInt8Go}} {
		b.Run(v.name, func(b *testing.B) {
			var sink int32
			i := 0
			for b.Loop() {
				s := order[i%n]
				sink += v.dot(qc, codes[s*dim:(s+1)*dim])
				i++
			}
			_ = sink
		})
	}
}
