package search

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPackedRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for w := uint(0); w <= 32; w++ {
		vals := make([]uint32, 1+rng.IntN(blockSize))
		for i := range vals {
			if w > 0 {
				vals[i] = uint32(rng.Uint64() & (1<<w - 1))
			}
		}
		b := append(appendPacked([]byte{0xff}, vals, 1, w), make([]byte, postPad)...)
		if got, want := len(b)-1-postPad, packedLen(len(vals), w); got != want {
			t.Fatalf("width %d: %d bytes, want %d", w, got, want)
		}
		for i, v := range vals {
			if got := unpack(b[1:], uint(i)*w, w); got != v {
				t.Fatalf("width %d, value %d: got %d, want %d", w, i, got, v)
			}
		}
	}
}

func TestTermInfoRoundTrip(t *testing.T) {
	tests := []struct {
		maxTF, minLen, wantTF, wantLen [numFields]uint32
		postOff, posOff                uint64
	}{
		{[3]uint32{1, 7, 0}, [3]uint32{9, 120, 0}, [3]uint32{1, 7, 0}, [3]uint32{9, 120, 0}, 0, 0},
		{[3]uint32{254, 255, 9000}, [3]uint32{70000, 65535, 1 << 20}, [3]uint32{254, math.MaxUint32, math.MaxUint32},
			[3]uint32{65535, 65535, 65535}, 5 << 32, 1<<40 - 1},
	}
	for _, tt := range tests {
		info := appendTermInfo(nil, 300, tt.maxTF, tt.minLen, 2, tt.postOff, tt.posOff, termInline)
		st := (&segment{termInfo: info}).stats(0)
		if st.maxTF != tt.wantTF || st.minLen != tt.wantLen || st.postOff != tt.postOff || st.posOff != tt.posOff ||
			st.df != 300 || st.block0 != 2 || !st.inline || st.nBlocks != 3 {
			t.Errorf("got %+v, want maxTF %v, minLen %v, offsets %d %d", st, tt.wantTF, tt.wantLen, tt.postOff, tt.posOff)
		}
	}
}

func TestBoundOfSaturatedFrequency(t *testing.T) {
	m := newBM25F(DefaultParams(), 100, [numFields]uint64{1000, 10000, 500})
	idf := m.idf(3)
	got := m.bound(idf, []uint32{math.MaxUint32, 0, 0}, []uint32{1, 1, 1})
	big := m.bound(idf, []uint32{1 << 30, 1 << 30, 1 << 30}, []uint32{1, 1, 1})
	if got < big || math.IsNaN(got) {
		t.Errorf("bound with an unknown frequency %v, below a huge one's %v", got, big)
	}
}
