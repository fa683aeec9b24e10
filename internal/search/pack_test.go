package search

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
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

// TestDictionaryRoundTrip writes terms through the dictionary and reads
// them back, in order and by lookup: frequencies and lengths saturate as
// bounds, offsets of any size survive, and terms absent, before the first
// and after the last are not found.
func TestDictionaryRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	var terms []string
	seen := map[string]bool{}
	for len(terms) < 1000 {
		w := fmt.Sprintf("%c%c%d", 'b'+rng.IntN(20), 'a'+rng.IntN(26), rng.IntN(5000))
		if rng.IntN(4) == 0 { // terms sharing their first 8 bytes, which lookup tells apart by reading them
			w = "immunohistochem" + w
		}
		if !seen[w] {
			seen[w] = true
			terms = append(terms, w)
		}
	}
	slices.Sort(terms)
	const docs = 64
	s, _ := lengthsOnly(rng, docs)
	var dw dictWriter
	want := make([]termStats, len(terms))
	var post uint64 = 5 << 32
	blocks := 0
	for i, term := range terms {
		st := termStats{df: 1 + rng.IntN(400), postOff: post,
			maxTF: [3]uint32{uint32(rng.IntN(300)), 1, 0}, minLen: [3]uint32{uint32(rng.IntN(70000)), 120, 0}}
		st.textDF = st.df - rng.IntN(2)*rng.IntN(st.df) // some papers hold the term in authors' names only
		st.titleDF = rng.IntN(st.textDF + 1)
		if st.df == 1 { // its frequencies say which fields hold it
			st.titleDF, st.textDF = b2i(st.maxTF[fieldTitle] > 0), b2i(st.maxTF[fieldTitle] > 0 || st.maxTF[fieldAbstract] > 0)
		}
		st.nBlocks = nBlocks(st.df)
		if st.nBlocks == 1 {
			st.lastDoc, st.inline = uint32(rng.IntN(docs)), st.df == 1
		} else {
			st.block0 = blocks
			blocks += st.nBlocks
		}
		post += uint64(rng.IntN(1 << 20))
		dw.add(term, &st)
		want[i] = st
		for f := range numFields { // as they read back
			if want[i].maxTF[f] >= 0xff {
				want[i].maxTF[f] = math.MaxUint32
			}
			want[i].minLen[f] = min(want[i].minLen[f], 0xffff)
			if st.df == 1 { // the document's own, which it does not store
				want[i].minLen[f] = 0xffff
				if st.maxTF[f] > 0 {
					want[i].minLen[f] = min(s.fieldLen(f, st.lastDoc), 0xffff)
				}
			}
		}
	}
	s.nTerms, s.dictIndex, s.dict = dw.n, dw.index, dw.data
	if err := s.openDict(); err != nil {
		t.Fatal(err)
	}
	i := 0
	for term, st := range s.terms {
		if term != terms[i] || st != want[i] {
			t.Fatalf("term %d = %q %+v, want %q %+v", i, term, st, terms[i], want[i])
		}
		i++
	}
	if i != len(terms) {
		t.Fatalf("read %d terms back, want %d", i, len(terms))
	}
	for i, term := range terms {
		if st, ok := s.lookup(term); !ok || st != want[i] {
			t.Fatalf("lookup(%q) = %+v, %v; want %+v", term, st, ok, want[i])
		}
	}
	for _, absent := range []string{"", "a", terms[0][:1], terms[3] + "x", "zzz", "immunohistochem", "immunohistochemzz", "immunohi"} {
		if seen[absent] {
			continue
		}
		if _, ok := s.lookup(absent); ok {
			t.Errorf("lookup(%q) found a term that is not there", absent)
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

// TestFieldLengths writes field lengths of every size, some past 16 bits,
// through a segment and reads them back exactly.
func TestFieldLengths(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const n = 500
	w := &segWriter{docs: make([]docRec, n)}
	for i := range w.docs {
		w.docs[i].id = "d"
		for f := range numFields {
			w.docs[i].lens[f] = uint32(rng.IntN(300))
			switch rng.IntN(20) {
			case 0:
				w.docs[i].lens[f] = 0xffff - 1 + uint32(rng.IntN(3))
			case 1:
				w.docs[i].lens[f] = rng.Uint32()
			}
		}
	}
	s, err := openSegment(w.finish())
	if err != nil {
		t.Fatal(err)
	}
	for doc, d := range w.docs {
		for f := range numFields {
			if got := s.fieldLen(f, uint32(doc)); got != d.lens[f] {
				t.Fatalf("document %d, field %d: length %d, want %d", doc, f, got, d.lens[f])
			}
		}
	}
}

// TestSubmissionTimes writes submission times through a segment, most a
// few years apart and some centuries or the whole int64 range away, and
// reads them back exactly, with the segment's date range and order.
func TestSubmissionTimes(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for _, sorted := range []bool{false, true} {
		times := make([]int64, 300)
		for i := range times {
			times[i] = 1_500_000_000 + rng.Int64N(300_000_000)
			switch rng.IntN(30) {
			case 0:
				times[i] = -62135596800 // the zero time.Time
			case 1:
				times[i] = math.MaxInt64 - rng.Int64N(3)
			case 2:
				times[i] = math.MinInt64 + rng.Int64N(3)
			}
		}
		if sorted {
			slices.Sort(times)
		}
		w := &segWriter{docs: make([]docRec, len(times))}
		for i, tm := range times {
			w.docs[i] = docRec{id: "d", submitted: tm}
		}
		s, err := openSegment(w.finish())
		if err != nil {
			t.Fatal(err)
		}
		for doc, want := range times {
			if got := s.sub(uint32(doc)); got != want {
				t.Fatalf("document %d: submitted %d, want %d", doc, got, want)
			}
		}
		if s.subMin != slices.Min(times) || s.subMax != slices.Max(times) || s.subSorted != sorted {
			t.Errorf("range %d..%d, sorted %v; want %d..%d, %v", s.subMin, s.subMax, s.subSorted, slices.Min(times), slices.Max(times), sorted)
		}
	}
}
