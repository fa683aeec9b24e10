package search

import (
	"encoding/binary"
	"math/bits"
)

// A block of postings is a 4-byte header, the bit widths of its doc
// deltas and of its frequencies in each field, then the n deltas packed
// at their width, then per field the n frequencies packed at theirs, each
// run padded to a whole byte, then the deltas' exceptions, then the
// block's positions (appendPositions). The deltas' width is chosen as in
// patched frame of reference (PFOR): one large gap in a block no longer
// widens every delta, its bits past the width are an exception. With
// exceptions, the width's byte has patched set, and two bytes follow the
// header: their count and the width of their high bits; the exceptions
// are then the indices of their deltas (a byte each, ascending) and their
// high bits packed at that width. The postings section ends in postPad
// zero bytes so that a value is always read with one 8-byte load.
const (
	blockHeader = 1 + numFields
	patched     = 0x80
	postPad     = 8
)

// appendBlock encodes one block: deltas, and tfs (numFields per document)
// whose per-field maxima are maxTF.
func appendBlock(dst []byte, deltas, tfs []uint32, maxTF [numFields]uint32) []byte {
	dw, nExc := deltaWidth(deltas)
	hw := uint(0)
	if nExc > 0 {
		for _, d := range deltas {
			hw = max(hw, uint(bits.Len32(d>>dw)))
		}
		dst = append(dst, byte(dw)|patched)
	} else {
		dst = append(dst, byte(dw))
	}
	for f := range numFields {
		dst = append(dst, byte(bits.Len32(maxTF[f])))
	}
	if nExc > 0 {
		dst = append(dst, byte(nExc), byte(hw))
	}
	low := uint32(1)<<dw - 1
	b := bitWriter{dst: dst}
	for _, d := range deltas {
		b.put(d&low, dw)
	}
	dst = b.flush()
	for f := range numFields {
		dst = appendPacked(dst, tfs[f:], numFields, uint(bits.Len32(maxTF[f])))
	}
	if nExc == 0 {
		return dst
	}
	for i, d := range deltas {
		if d > low {
			dst = append(dst, byte(i))
		}
	}
	b = bitWriter{dst: dst}
	for _, d := range deltas {
		if d > low {
			b.put(d>>dw, hw)
		}
	}
	return b.flush()
}

// deltaWidth returns the width at which deltas take the fewest bytes,
// exceptions included, and how many exceed it.
func deltaWidth(deltas []uint32) (w uint, nExc int) {
	var count [33]int // deltas by bit length
	for _, d := range deltas {
		count[bits.Len32(d)]++
	}
	widest := 32
	for widest > 0 && count[widest] == 0 {
		widest--
	}
	w, best := uint(widest), packedLen(len(deltas), uint(widest))
	above := 0 // deltas longer than the candidate width
	for c := widest - 1; c >= 0; c-- {
		above += count[c+1]
		size := packedLen(len(deltas), uint(c)) + 2 + above + packedLen(above, uint(widest-c))
		if size < best {
			w, best, nExc = uint(c), size, above
		}
	}
	return w, nExc
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
