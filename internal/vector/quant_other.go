//go:build !amd64

package vector

import "unsafe"

// dotInt8 is the dot product of two code vectors, without their scales.
func dotInt8(a, b []int8) int32 { return dotInt8Go(a, b) }

// prefetch does nothing on this architecture.
func prefetch(base unsafe.Pointer, slots []int32, stride, lines int) {}
