package search

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLenCode checks that a length's code is the least that stands for
// it or more, and stands for at most 5.2% more (exactly below 64).
func TestLenCode(t *testing.T) {
	check := func(l uint32) {
		c := lenCode(l)
		if codeLen[c] < float64(l) || c > 0 && codeLen[c-1] >= float64(l) {
			t.Fatalf("lenCode(%d) = %d, standing for %v (the code below: %v)", l, c, codeLen[c], codeLen[max(c, 1)-1])
		}
		switch {
		case l < lenExactBelow && codeLen[c] != float64(l):
			t.Fatalf("lenCode(%d) stands for %v, want it exactly", l, codeLen[c])
		case c < lenCodes-1 && codeLen[c] > math.Ceil(float64(l)*lenStep):
			t.Fatalf("lenCode(%d) stands for %v, over 5.18%% more", l, codeLen[c])
		}
	}
	for l := range uint32(200000) {
		check(l)
	}
	for _, l := range []uint32{985000, 989000, 1 << 20, math.MaxUint32} {
		check(l)
	}
	if !math.IsInf(codeLen[lenCodesOf(&segment{n: 1, lens: []uint16{lenEscape, 0, 0}, longLens: []uint32{0, math.MaxUint32}})[0]], 1) {
		t.Fatal("the longest length's code is not the last")
	}
}

// TestLenCodesOf checks a segment's codes against its lengths, long ones
// (kept apart in longLens) included.
func TestLenCodesOf(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	const docs = 500
	s, lens := lengthsOnly(rng, docs)
	if len(s.longLens) == 0 {
		t.Fatal("no length was long enough for longLens")
	}
	codes := lenCodesOf(s)
	for doc := range uint32(docs) {
		for f := range numFields {
			if got, want := codes[int(doc)*numFields+f], lenCode(lens[int(doc)*numFields+f]); got != want {
				t.Fatalf("document %d field %d: code %d, want %d (length %d)", doc, f, got, want, lens[int(doc)*numFields+f])
			}
		}
	}
}

// lengthsOnly returns a segment of docs documents with nothing but random
// field lengths below 100,000, some over 16 bits, and those lengths.
func lengthsOnly(rng *rand.Rand, docs int) (*segment, []uint32) {
	lens := make([]uint32, docs*numFields)
	for i := range lens {
		lens[i] = uint32(rng.IntN(100000))
	}
	s := &segment{n: docs}
	s.lens, s.longLens = splitLens(lens)
	return s, lens
}

// TestTFNoLengthNormalisation checks that a field with b 0 scores its
// frequency alone, at every length, the longest included.
func TestTFNoLengthNormalisation(t *testing.T) {
	prm := DefaultParams()
	prm.AbstractB = 0
	m := newBM25F(prm, 10, [numFields]uint64{100, 1000, 30})
	for c := range lenCodes {
		if got := m.inv[fieldAbstract][c]; got != prm.AbstractWeight {
			t.Fatalf("code %d (length %v): weight over normalisation %v, want %v", c, codeLen[c], got, prm.AbstractWeight)
		}
	}
}
