package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
)

func TestZZSectionSizes(t *testing.T) {
	papers, _ := scaleCorpus(20000)
	e := New(newFakeStore(papers...), nil)
	e.batch = 100000
	e.pageSize = 100000
	if _, err := e.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	raw := 0
	for _, p := range papers {
		raw += len(p.Title) + len(p.Abstract)
		for _, a := range p.Authors {
			raw += len(a.Name)
		}
	}
	for _, sv := range e.cur.Load().segs {
		d := sv.seg.data
		for i := range numSections {
			n := binary.LittleEndian.Uint64(d[16+16*i:])
			fmt.Printf("sec %d: %d (%.1f%%)\n", i, n, 100*float64(n)/float64(raw))
		}
		fmt.Printf("total %.1f%%\n", 100*float64(len(d))/float64(raw))
	}
}
