package search

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"paperboy"
)

// TestIDTable checks that every document of every segment is found by its
// ID, in its segment, and that IDs of no document are not.
func TestIDTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 11))
	_, v, _ := segmentedCorpus(t, rng)
	if len(v.segs) < 3 {
		t.Fatalf("%d segments; want several", len(v.segs))
	}
	found := 0
	for si, sv := range v.segs {
		s := sv.seg
		for doc := range uint32(s.n) {
			id := s.id(doc)
			if got, ok := s.find(id); !ok || got != doc {
				t.Fatalf("segment %d: find(%s) = %d, %v; want %d", si, id, got, ok, doc)
			}
			if sv.isLive(doc) {
				if gs, gd, ok := v.find(id); !ok || gs != si || gd != doc {
					t.Fatalf("view: find(%s) = %d/%d, %v; want %d/%d", id, gs, gd, ok, si, doc)
				}
				found++
			}
		}
		for i := range 2 * s.n {
			id := paperboy.ArxivID(fmt.Sprintf("9%03d.%05d", i%1000, i))
			if doc, ok := s.find(id); ok {
				t.Fatalf("segment %d: find(%s) = %d, want none", si, id, doc)
			}
		}
	}
	if found != v.live {
		t.Fatalf("found %d live papers, want %d", found, v.live)
	}
}
