package search

import (
	"context"
	"math/rand/v2"
	"testing"
)

// TestBlockDocBounds checks the stored per-block bounds: no document of a
// block has a larger BM25F frequency under the collection's averages, or
// under averages the segment's have been outgrown by (once scaled), the
// largest is within the margin's slack of the bound, and a segment built
// for other weights is not trusted.
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
	longer := newBM25F(e.params, v.docs, v.totalLen) // the abstracts grew past every segment's avgHi
	longer.avg[fieldAbstract] = 2 * v.segs[0].seg.spec.avgHi[fieldAbstract]
	longer.bPerAvg[fieldAbstract] = longer.b[fieldAbstract] / longer.avg[fieldAbstract]
	blocks := 0
	for _, sv := range v.segs {
		s := sv.seg
		if scale := m.boundScale(s); scale != 1 {
			t.Fatalf("segment of %d docs: bound scale %v, want 1 (spec %+v, averages %v)", s.n, scale, s.spec, m.avg)
		}
		scaled := longer.boundScale(s)
		if scaled <= 1 {
			t.Fatalf("bound scale %v under longer abstracts, want above 1", scaled)
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
					if tfl := longer.tf(s, it.docs[j], it.freqs()); tfl > bound*scaled {
						t.Fatalf("term %q block %d doc %d: under longer abstracts, %v over the scaled bound %v", term, b, it.docs[j], tfl, bound*scaled)
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
	other := *m
	other.w[fieldTitle]++
	if other.boundScale(s) != 0 {
		t.Error("bounds trusted under other field weights")
	}
}
