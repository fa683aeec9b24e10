package search

import (
	"encoding/binary"
	"math/bits"
)

// A block of postings is a 4-byte header, the bit widths of its doc
// deltas and of its frequencies in each field, then the n deltas packed
// at their width, then per field the n frequencies packed at theirs, each
// run padded to a whole byte. The postings section ends in postPad zero
// bytes so that a value is always read with one 8-byte load.
const (
	blockHeader = 1 + numFields
	postPad     = 8
)

// appendBlock encodes one block: deltas, and tfs (numFields per document)
// whose per-field maxima are maxTF.
func appendBlock(dst []byte, deltas, tfs []uint32, maxTF [numFields]uint32) []byte {
	var widest uint32
	for _, d := range deltas {
		widest = max(widest, d)
	}
	dw := uint(bits.Len32(widest))
	dst = append(dst, byte(dw))
	for f := range numFields {
		dst = append(dst, byte(bits.Len32(maxTF[f])))
	}
	dst = appendPacked(dst, deltas, 1, dw)
	for f := range numFields {
		dst = appendPacked(dst, tfs[f:], numFields, uint(bits.Len32(maxTF[f])))
	}
	return dst
}

// appendPacked packs every stride-th value of vals at width w bits.
func appendPacked(dst []byte, vals []uint32, stride int, w uint) []byte {
	if w == 0 {
		return dst
	}
	var acc uint64
	var n uint
	for i := 0; i < len(vals); i += stride {
		acc |= uint64(vals[i]) << n
		n += w
		for n >= 8 {
			dst = append(dst, byte(acc))
			acc >>= 8
			n -= 8
		}
	}
	if n > 0 {
		dst = append(dst, byte(acc))
	}
	return dst
}

// packedLen is the bytes that n values of width w take.
func packedLen(n int, w uint) int { return (n*int(w) + 7) / 8 }

// unpack reads the value of width w (at most 32) at bit offset bit of b.
func unpack(b []byte, bit, w uint) uint32 {
	return uint32(binary.LittleEndian.Uint64(b[bit>>3:]) >> (bit & 7) & (1<<w - 1))
}
