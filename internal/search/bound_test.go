package search

import (
	"context"
	"math/rand/v2"
	"testing"
)

// TestBlockDocBounds checks the stored per-block bounds: no document of a
// block has a larger BM25F frequency under the collection's averages, the
// largest is within the margin's slack of the bound, and a segment whose
// averages the collection has outgrown, or built for other weights, is
// not trusted.
func TestBlockDocBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 8))
	papers, _ := randomCorpus(rng, 2000)
	e := New(newFakeStore(papers...), nil)
	e.batch = 500
	if _, err := e.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	v := e.cur.Load()
	m := newBM25F(e.params, v.docs, v.totalLen)
	blocks := 0
	for _, sv := range v.segs {
		s := sv.seg
		if !m.tightFor(s) {
			t.Fatalf("segment of %d docs: bounds not usable (spec %+v, averages %v)", s.n, s.spec, m.avg)
		}
		for term, st := range s.terms {
			it := s.iter(st)
			if it.st.nBlocks < 2 {
				continue
			}
			for b := range it.st.nBlocks {
				it.block, it.decoded = b, false
				it.decode()
				bound, best := it.docBound(b), 0.0
				for j := range it.n {
					it.i = j
					tf := m.tf(s, it.docs[j], it.freqs())
					if tf > bound {
						t.Fatalf("term %q block %d doc %d: BM25F frequency %v over the stored bound %v", term, b, it.docs[j], tf, bound)
					}
					best = max(best, tf)
				}
				if best*1.2 < bound {
					t.Errorf("term %q block %d: bound %v, best document %v: looser than the margin explains", term, b, bound, best)
				}
				blocks++
			}
		}
	}
	if blocks < 100 {
		t.Fatalf("only %d blocks checked; the corpus needs more", blocks)
	}
	s := v.segs[0].seg
	longer := *m
	longer.avg[fieldAbstract] = s.spec.avgHi[fieldAbstract] * 1.01
	if longer.tightFor(s) {
		t.Error("bounds trusted after the collection's abstracts outgrew the segment's averages")
	}
	other := *m
	other.w[fieldTitle]++
	if other.tightFor(s) {
		t.Error("bounds trusted under other field weights")
	}
}
