package search

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomPostings returns df documents of n with random frequencies, a
// field often absent, and sorted positions of any size: a few documents
// have a very long field, and some positions reach the top of uint32, so
// that widths span 0 to 32 bits.
func randomPostings(rng *rand.Rand, n, df int, maxTF uint32) *termAcc {
	a := &termAcc{}
	docs := rng.Perm(n)[:df]
	slices.Sort(docs)
	absent := rng.IntN(numFields + 1) // a field no document has the term in
	for _, d := range docs {
		a.docs = append(a.docs, uint32(d))
		var tfs [numFields]uint32
		for tfs == [numFields]uint32{} {
			for f := range numFields {
				if f != absent && rng.IntN(3) > 0 {
					tfs[f] = uint32(rng.IntN(int(maxTF) + 1))
				}
			}
			if rng.IntN(50) == 0 { // a very long field
				tfs[(absent+1)%numFields] = 2000 + uint32(rng.IntN(3000))
			}
		}
		for f, tf := range tfs {
			a.tfs = append(a.tfs, tf)
			top := uint32(1) << (rng.IntN(32) + 1) >> 1 // a power of two up to 2^31
			pos := map[uint32]bool{}
			for uint32(len(pos)) < tf {
				p := rng.Uint32N(max(top, 2*tf))
				if f == fieldAuthors && rng.IntN(20) == 0 {
					p = math.MaxUint32 - rng.Uint32N(2*tf)
				}
				pos[p] = true
			}
			ps := make([]uint32, 0, tf)
			for p := range pos {
				ps = append(ps, p)
			}
			slices.Sort(ps)
			a.pos = append(a.pos, ps...)
		}
	}
	return a
}

// segmentOf builds a segment of n documents with one term per entry of
// accs, named t000, t001, ...
func segmentOf(n int, accs []*termAcc) *segment {
	w := &segWriter{docs: make([]docRec, n)}
	for i := range w.docs {
		w.docs[i] = docRec{id: "d", lens: [numFields]uint32{10, 100, 20}}
	}
	for i, a := range accs {
		w.addTerm(fmt.Sprintf("t%03d", i), a)
	}
	s, err := openSegment(w.finish())
	if err != nil {
		panic(err)
	}
	return s
}

// readPostings reads a term's postings back through an iterator, with the
// positions of the documents that want keeps, the fields in order or, with
// backward, last field first.
func readPostings(s *segment, term string, want func(uint32) bool, backward bool) (*termAcc, error) {
	st, ok := s.lookup(term)
	if !ok {
		return nil, fmt.Errorf("%s: not found", term)
	}
	got := &termAcc{}
	var lists [numFields][]uint32
	for it := newPostIter(s, st); it.doc != noDoc; it.next() {
		if !want(it.doc) {
			continue
		}
		got.docs = append(got.docs, it.doc)
		got.tfs = append(got.tfs, it.freqs()[:]...)
		for k := range numFields {
			f := k
			if backward {
				f = numFields - 1 - k
			}
			lists[f] = it.positions(f, lists[f][:0])
		}
		for f := range numFields {
			got.pos = append(got.pos, lists[f]...)
		}
	}
	return got, nil
}

// keep returns a's postings of the documents that want keeps.
func keep(a *termAcc, want func(uint32) bool) *termAcc {
	out := &termAcc{}
	p := 0
	for i, d := range a.docs {
		tfs := a.tfs[i*numFields : (i+1)*numFields]
		n := int(tfs[0] + tfs[1] + tfs[2])
		if want(d) {
			out.docs = append(out.docs, d)
			out.tfs = append(out.tfs, tfs...)
			out.pos = append(out.pos, a.pos[p:p+n]...)
		}
		p += n
	}
	return out
}

func equalAcc(got, want *termAcc) error {
	switch {
	case !slices.Equal(got.docs, want.docs):
		return fmt.Errorf("docs %v, want %v", got.docs, want.docs)
	case !slices.Equal(got.tfs, want.tfs):
		return fmt.Errorf("frequencies %v, want %v", got.tfs, want.tfs)
	case !slices.Equal(got.pos, want.pos):
		return fmt.Errorf("%d positions differ from the %d written", len(got.pos), len(want.pos))
	}
	return nil
}

// TestPositionsRoundTrip writes terms of random postings, inline ones and
// ones of one to several blocks, ending on and either side of a block
// boundary, and reads every document's positions back: all of them, in
// order and last field first, and those of every other document only (the
// iterator then skips the positions of the ones between).
func TestPositionsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	const n = 2000
	var accs []*termAcc
	for _, df := range []int{1, 1, 1, 2, 127, 128, 129, 255, 256, 257, 700} {
		for _, maxTF := range []uint32{1, 4, 300} {
			accs = append(accs, randomPostings(rng, n, df, maxTF))
		}
	}
	s := segmentOf(n, accs)
	all := func(uint32) bool { return true }
	even := func(d uint32) bool { return d%2 == 0 }
	for i, want := range accs {
		term := fmt.Sprintf("t%03d", i)
		for _, c := range []struct {
			name     string
			keep     func(uint32) bool
			backward bool
		}{{"all", all, false}, {"all, last field first", all, true}, {"even", even, false}, {"even, last field first", even, true}} {
			got, err := readPostings(s, term, c.keep, c.backward)
			if err == nil {
				err = equalAcc(got, keep(want, c.keep))
			}
			if err != nil {
				t.Fatalf("%s (df %d), %s: %v", term, len(want.docs), c.name, err)
			}
		}
	}
}

// TestInlineTermPositions checks that a term of one document with small
// frequencies is inline (no block of postings) and keeps its positions.
func TestInlineTermPositions(t *testing.T) {
	a := &termAcc{docs: []uint32{3}, tfs: []uint32{0, 2, 1}, pos: []uint32{5, 90, 7}}
	s := segmentOf(5, []*termAcc{a})
	st, _ := s.lookup("t000")
	if !st.inline {
		t.Fatalf("term of one document with frequencies %v is not inline", a.tfs)
	}
	got, err := readPostings(s, "t000", func(uint32) bool { return true }, false)
	if err == nil {
		err = equalAcc(got, a)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestAppendAllCopiesPositions merges a term's postings the way segment
// merges do, dropping some documents, and checks what is kept.
func TestAppendAllCopiesPositions(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 1))
	const n = 1000
	accs := []*termAcc{randomPostings(rng, n, 1, 3), randomPostings(rng, n, 300, 5)}
	s := segmentOf(n, accs)
	remap := make([]int32, n)
	for d := range remap {
		remap[d] = int32(d)
		if d%4 == 1 {
			remap[d] = -1
		}
	}
	for i, a := range accs {
		st, _ := s.lookup(fmt.Sprintf("t%03d", i))
		got := &termAcc{}
		s.appendAll(&postIter{}, st, remap, got)
		want := keep(a, func(d uint32) bool { return remap[d] >= 0 })
		if err := equalAcc(got, want); err != nil {
			t.Errorf("term %d (df %d): %v", i, len(a.docs), err)
		}
	}
}

// TestPatchedDeltasRoundTrip encodes blocks of doc IDs whose gaps are
// small but for a few outliers of up to 32 bits (so that some deltas are
// exceptions to the block's width), or all alike, and decodes them with
// their frequencies; patching must never take more bytes than one width.
func TestPatchedDeltasRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	patchedBlocks := 0
	for round := range 2000 {
		n := 1 + rng.IntN(blockSize)
		if round%10 == 0 {
			n = blockSize
		}
		small := uint32(1) << rng.IntN(12)
		docs, deltas := make([]uint32, n), make([]uint32, n)
		var doc uint32
		for i := range docs {
			d := 1 + rng.Uint32N(small)
			if rng.IntN(16) == 0 { // an outlier
				d = rng.Uint32N(uint32(1)<<(1+rng.IntN(31))) + 1
			}
			d = min(d, (math.MaxUint32-doc)/uint32(n))
			if i == 0 && rng.IntN(4) == 0 {
				d = 0 // document 0
			}
			doc += d
			docs[i], deltas[i] = doc, d
		}
		tfs := make([]uint32, n*numFields)
		var maxTF [numFields]uint32
		for i := range tfs {
			tfs[i] = uint32(rng.IntN(4))
			maxTF[i%numFields] = max(maxTF[i%numFields], tfs[i])
		}
		blk := appendBlock(nil, deltas, tfs, maxTF)
		if blk[0]&patched != 0 {
			patchedBlocks++
			var widest uint32
			for _, d := range deltas {
				widest = max(widest, d)
			}
			if plain := packedLen(n, uint(bits.Len32(widest))); len(blk)-blockHeader-2 > plain+totalPacked(tfs, maxTF) {
				t.Fatalf("round %d: patched block of %d bytes, more than plain", round, len(blk))
			}
		}
		s := &segment{post: append(blk, make([]byte, postPad)...)}
		it := s.iter(termStats{df: n, nBlocks: 1, lastDoc: docs[n-1], maxTF: maxTF})
		it.decode()
		if !slices.Equal(it.docs[:n], docs) {
			t.Fatalf("round %d: docs %v, want %v", round, it.docs[:n], docs)
		}
		for i := range n {
			for f := range numFields {
				if got := it.tf(i, f); got != tfs[i*numFields+f] {
					t.Fatalf("round %d, document %d, field %d: tf %d, want %d", round, i, f, got, tfs[i*numFields+f])
				}
			}
		}
	}
	if patchedBlocks == 0 {
		t.Error("no block used exceptions")
	}
}

func totalPacked(tfs []uint32, maxTF [numFields]uint32) int {
	n := 0
	for f := range numFields {
		n += packedLen(len(tfs)/numFields, uint(bits.Len32(maxTF[f])))
	}
	return n
}
