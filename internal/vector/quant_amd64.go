package vector

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:noescape
func dotInt8AVX2(a, b *int8, n int) int32

var hasAVX2 = cpu.X86.HasAVX2

// dotInt8 is the dot product of two code vectors, without their scales:
// through AVX2 where the CPU has it, in blocks of 32 codes, the rest in Go.
func dotInt8(a, b []int8) int32 {
	b = b[:len(a)]
	n := len(a) &^ 31
	if !hasAVX2 || n == 0 {
		return dotInt8Go(a, b)
	}
	return dotInt8AVX2(&a[0], &b[0], n) + dotInt8Go(a[n:], b[n:])
}

// prefetch asks the CPU to bring the first lines cache lines of each
// slot's row (at base + slot·stride bytes) into its caches, so that the
// rows of a node's links are read from memory together rather than one
// after another as each dot product needs its row.
//
//go:noescape
func prefetch(base unsafe.Pointer, slots []int32, stride, lines int)
