package search

import (
	"encoding/binary"
	"math/bits"
)

// A block of postings is a 4-byte header, the bit widths of its doc
// deltas and of its frequencies in each field, then the n deltas packed
// at their width, then per field the n frequencies packed at theirs, each
// run padded to a whole byte, then the block's positions (appendPositions).
// The postings section ends in postPad zero bytes so that a value is
// always read with one 8-byte load.
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

// appendPositions encodes the positions of a block's documents (or of an
// inline term's one): for each field that any of them has the term in, a
// byte with the bit width of that field's values, then document by
// document and field by field, the first position and the gaps to the
// next, packed at the field's width with no padding until the end. A
// document's positions are found from the frequencies before it alone,
// and the widths, unlike varints, pay only for what the field needs:
// titles' positions are small, those of authors in a long list large.
// tfs holds numFields frequencies per document, pos their positions in
// that order.
func appendPositions(dst []byte, tfs, pos []uint32) []byte {
	var widest [numFields]uint32
	var present [numFields]bool
	p := 0
	for i, tf := range tfs {
		f := i % numFields
		present[f] = present[f] || tf > 0
		var last uint32
		for _, q := range pos[p : p+int(tf)] {
			widest[f] = max(widest[f], q-last)
			last = q
		}
		p += int(tf)
	}
	var w [numFields]uint
	for f := range numFields {
		w[f] = uint(bits.Len32(widest[f]))
		if present[f] {
			dst = append(dst, byte(w[f]))
		}
	}
	bw := bitWriter{dst: dst}
	p = 0
	for i, tf := range tfs {
		var last uint32
		for _, q := range pos[p : p+int(tf)] {
			bw.put(q-last, w[i%numFields])
			last = q
		}
		p += int(tf)
	}
	return bw.flush()
}

// bitWriter appends values of given widths to dst, least significant bit
// first.
type bitWriter struct {
	dst []byte
	acc uint64
	n   uint
}

func (b *bitWriter) put(v uint32, w uint) {
	b.acc |= uint64(v) << b.n
	b.n += w
	for b.n >= 8 {
		b.dst = append(b.dst, byte(b.acc))
		b.acc >>= 8
		b.n -= 8
	}
}

// flush pads the last byte and returns the bytes.
func (b *bitWriter) flush() []byte {
	if b.n > 0 {
		b.dst = append(b.dst, byte(b.acc))
		b.acc, b.n = 0, 0
	}
	return b.dst
}

// appendPacked packs every stride-th value of vals at width w bits.
func appendPacked(dst []byte, vals []uint32, stride int, w uint) []byte {
	if w == 0 {
		return dst
	}
	b := bitWriter{dst: dst}
	for i := 0; i < len(vals); i += stride {
		b.put(vals[i], w)
	}
	return b.flush()
}

// packedLen is the bytes that n values of width w take.
func packedLen(n int, w uint) int { return (n*int(w) + 7) / 8 }

// unpack reads the value of width w (at most 32) at bit offset bit of b.
func unpack(b []byte, bit, w uint) uint32 {
	return uint32(binary.LittleEndian.Uint64(b[bit>>3:]) >> (bit & 7) & (1<<w - 1))
}
