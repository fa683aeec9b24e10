package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"paperboy"
)

func TestSyncAppliesUpdatesAndDeletes(t *testing.T) {
	ctx := context.Background()
	s := newFakeStore(corpus()...)
	e := New(s, nil, WithPageSize(3))
	n, err := e.Sync(ctx)
	if err != nil || n != 10 {
		t.Fatalf("first Sync = %d, %v; want 10 applied", n, err)
	}
	if e.Len() != 10 || e.Seq() != 10 {
		t.Errorf("after first Sync: Len %d, Seq %d; want 10, 10", e.Len(), e.Seq())
	}
	if n, err := e.Sync(ctx); err != nil || n != 0 {
		t.Errorf("idle Sync = %d, %v; want 0", n, err)
	}

	// A new version replaces the document; a deletion removes it.
	v2 := paper("1406.2661", "Generative Adversarial Nets", "A minimax game between two players.", "Ian Goodfellow", "cs.LG", "2014-06-10")
	v2.Version = 2
	if _, err := s.UpsertPapers(ctx, []*paperboy.Paper{v2}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePaper(ctx, "1512.03385"); err != nil {
		t.Fatal(err)
	}
	if n, err := e.Sync(ctx); err != nil || n != 2 {
		t.Fatalf("second Sync = %d, %v; want 2", n, err)
	}
	for q, want := range map[string][]string{
		"minimax":                     {"1406.2661"},
		`"adversarial process"`:       nil, // the old abstract is gone
		"author:bengio":               nil,
		"residual":                    nil, // deleted
		"1512.03385":                  nil,
		"generative adversarial nets": {"1406.2661"},
	} {
		if got := ids(t, e, q); !slices.Equal(got, want) {
			t.Errorf("after updates, Search(%q) = %q, want %q", q, got, want)
		}
	}
	if e.Len() != 9 {
		t.Errorf("Len = %d, want 9", e.Len())
	}
}

func TestSyncRemovesEveryTraceOfADocument(t *testing.T) {
	ctx := context.Background()
	e, s := newSynced(t, corpus()...)
	for _, p := range corpus() {
		if err := s.DeletePaper(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if v := e.cur.Load(); len(v.segs) != 0 || v.docs != 0 || v.live != 0 || v.totalLen != [numFields]uint64{} {
		t.Errorf("index not empty: %d segments, %d documents, %d live, lengths %v",
			len(v.segs), v.docs, v.live, v.totalLen)
	}
	if got := ids(t, e, "cat:cs"); len(got) != 0 {
		t.Errorf("cat:cs found %q in an empty index", got)
	}
}

// failingStore fails Changes after a number of calls.
type failingStore struct {
	*fakeStore
	calls, failAt int
}

func (s *failingStore) Changes(ctx context.Context, after int64, limit int) ([]paperboy.Change, error) {
	s.calls++
	if s.calls >= s.failAt {
		return nil, errors.New("disk on fire")
	}
	return s.fakeStore.Changes(ctx, after, limit)
}

func TestSyncKeepsProgressOnError(t *testing.T) {
	ctx := context.Background()
	s := &failingStore{fakeStore: newFakeStore(corpus()...), failAt: 3}
	e := New(s, nil, WithPageSize(4))
	n, err := e.Sync(ctx)
	if err == nil || n != 8 {
		t.Fatalf("Sync = %d, %v; want 8 applied and an error", n, err)
	}
	s.failAt = 100
	if n, err := e.Sync(ctx); err != nil || n != 2 {
		t.Errorf("retry = %d, %v; want the remaining 2", n, err)
	}
	if e.Len() != 10 {
		t.Errorf("Len = %d, want 10", e.Len())
	}
}

// TestSearchDuringSync runs searches while Sync indexes and re-indexes
// papers; run it with -race.
func TestSearchDuringSync(t *testing.T) {
	ctx := context.Background()
	s := newFakeStore()
	e := New(s, nil, WithPageSize(50))
	e.batch = 7
	var wg sync.WaitGroup
	done := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				res, total, err := e.Search(ctx, paperboy.SearchQuery{Text: "graph networks"})
				if err != nil || len(res) > total {
					t.Errorf("Search: %d results, total %d, err %v", len(res), total, err)
					return
				}
			}
		}()
	}
	for round := range 5 {
		var papers []*paperboy.Paper
		for i := range 200 {
			p := paper(fmt.Sprintf("2101.%05d", i+1), fmt.Sprintf("Graph networks, round %d", round),
				"Message passing on graphs.", "A. Author", "cs.LG", "2021-01-04")
			p.Version = round + 1
			papers = append(papers, p)
		}
		if _, err := s.UpsertPapers(ctx, papers); err != nil {
			t.Fatal(err)
		}
		if _, err := e.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	if got := ids(t, e, `"round 4"`); len(got) != 100 {
		t.Errorf("round 4 papers found: %d, want 100 (one page)", len(got))
	}
	if got := ids(t, e, `"round 3"`); len(got) != 0 {
		t.Errorf("stale round 3 papers found: %d", len(got))
	}
}
