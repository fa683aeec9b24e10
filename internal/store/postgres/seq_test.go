package postgres

import (
	"context"
	"sync"
	"testing"

	"paperboy"
	"paperboy/internal/store/storetest"
)

// TestTailingReaderMissesNothing runs concurrent writers while a reader
// tails the change sequence as a replica's search index does, asking only
// for changes after the highest Seq it has seen. If a transaction could
// commit a lower Seq after a higher one became visible, the reader would
// skip it for ever; with writers serialized on change_seq it sees every
// paper.
func TestTailingReaderMissesNothing(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	const writers, batches, size = 6, 15, 20
	var wg sync.WaitGroup
	done := make(chan struct{})
	errs := make(chan error, writers*batches)
	for w := range writers {
		wg.Go(func() {
			for b := range batches {
				batch := make([]*paperboy.Paper, size)
				for i := range batch {
					batch[i] = storetest.NewPaper((w*batches+b)*size + i)
				}
				_, err := s.UpsertPapers(ctx, batch)
				errs <- err
			}
		})
	}
	go func() { wg.Wait(); close(done) }()

	seen := map[paperboy.ArxivID]int64{}
	var after int64
	tail := func() {
		changes, err := s.Changes(ctx, after, 0)
		if err != nil {
			t.Fatalf("Changes(%d): %v", after, err)
		}
		for _, c := range changes {
			if c.Seq <= after {
				t.Fatalf("Changes(%d) returned Seq %d", after, c.Seq)
			}
			seen[c.ID], after = c.Seq, c.Seq
		}
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		tail()
	}
	tail() // everything committed by now
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("UpsertPapers: %v", err)
		}
	}
	if got, want := len(seen), writers*batches*size; got != want {
		t.Errorf("tailing reader saw %d papers, want %d: changes were missed", got, want)
	}
	if last := mustLastSeq(t, s); after != last {
		t.Errorf("tail ended at Seq %d, LastSeq is %d", after, last)
	}
}

func mustLastSeq(t *testing.T, s *Store) int64 {
	t.Helper()
	seq, err := s.LastSeq(context.Background())
	if err != nil {
		t.Fatalf("LastSeq: %v", err)
	}
	return seq
}
