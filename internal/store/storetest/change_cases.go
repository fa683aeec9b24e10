package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"paperboy"
)

// changeSummary renders changes as "id@seq" ("id@seq-deleted" for
// tombstones), for comparing whole lists.
func changeSummary(changes []paperboy.Change) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		out[i] = fmt.Sprintf("%s@%d", c.ID, c.Seq)
		if c.Paper == nil {
			out[i] += "-deleted"
		}
	}
	return out
}

func mustChanges(t *testing.T, s paperboy.PaperStore, after int64, limit int) []paperboy.Change {
	t.Helper()
	changes, err := s.Changes(context.Background(), after, limit)
	if err != nil {
		t.Fatalf("Changes(%d, %d): %v", after, limit, err)
	}
	return changes
}

func testChanges(t *testing.T, open Opener) {
	s := newStore(t, open)
	if got := mustLastSeq(t, s); got != 0 {
		t.Errorf("LastSeq of a new store = %d, want 0", got)
	}
	mustUpsert(t, s, paper("2401.00021", 1, "A"), paper("2401.00022", 1, "B"), paper("2401.00023", 1, "C"))
	mustUpsert(t, s, paper("2401.00021", 2, "A2")) // A changes again
	a, b, c := mustPaper(t, s, "2401.00021"), mustPaper(t, s, "2401.00022"), mustPaper(t, s, "2401.00023")
	last := mustLastSeq(t, s)
	if a.Seq != last || b.Seq >= c.Seq || c.Seq >= a.Seq {
		t.Fatalf("seqs a=%d b=%d c=%d last=%d, want b < c < a = last", a.Seq, b.Seq, c.Seq, last)
	}
	at := func(p *paperboy.Paper) string { return fmt.Sprintf("%s@%d", p.ID, p.Seq) }
	tests := []struct {
		after int64
		limit int
		want  []string
	}{
		{0, 0, []string{at(b), at(c), at(a)}},
		{0, 2, []string{at(b), at(c)}},
		{b.Seq, 0, []string{at(c), at(a)}},
		{c.Seq, 1, []string{at(a)}},
		{last, 10, []string{}},
	}
	for _, tt := range tests {
		got := changeSummary(mustChanges(t, s, tt.after, tt.limit))
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Changes(%d, %d) = %v, want %v", tt.after, tt.limit, got, tt.want)
		}
	}
	changes := mustChanges(t, s, c.Seq, 0)
	if len(changes) == 1 {
		checkPaper(t, changes[0].Paper, a)
	}
	if _, err := s.Changes(context.Background(), 0, -1); paperboy.ErrorCode(err) != paperboy.EINVALID {
		t.Errorf("Changes(0, -1) err = %v, want EINVALID", err)
	}
}

func testChangesDelete(t *testing.T, open Opener) {
	s := newStore(t, open)
	mustUpsert(t, s, paper("2401.00031", 1, "A"), paper("2401.00032", 1, "B"))
	before := mustLastSeq(t, s)
	if err := s.DeletePaper(context.Background(), "2401.00031"); err != nil {
		t.Fatalf("DeletePaper: %v", err)
	}
	if got, want := changeSummary(mustChanges(t, s, before, 0)), fmt.Sprintf("[2401.00031@%d-deleted]", before+1); fmt.Sprint(got) != want {
		t.Errorf("Changes after delete = %v, want %s", got, want)
	}
	if got := mustLastSeq(t, s); got != before+1 {
		t.Errorf("LastSeq after delete = %d, want %d", got, before+1)
	}
	if _, err := s.Paper(context.Background(), "2401.00031"); paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
		t.Errorf("Paper(deleted) err = %v, want ENOTFOUND", err)
	}
	if got := mustCount(t, s); got != 1 {
		t.Errorf("CountPapers after delete = %d, want 1", got)
	}
	// The paper comes back: the tombstone gives way to the paper.
	checkOutcomes(t, mustUpsert(t, s, paper("2401.00031", 1, "A")), paperboy.Inserted)
	got := mustChanges(t, s, 0, 0)
	if len(got) != 2 || got[1].ID != "2401.00031" || got[1].Paper == nil {
		t.Errorf("Changes after re-insert = %v, want B then A, live", changeSummary(got))
	}
}

func testDeleteNotFound(t *testing.T, open Opener) {
	s := newStore(t, open)
	err := s.DeletePaper(context.Background(), "2401.00041")
	if got := paperboy.ErrorCode(err); got != paperboy.ENOTFOUND {
		t.Errorf("DeletePaper(missing) code = %q, want %q (err %v)", got, paperboy.ENOTFOUND, err)
	}
	if got := mustLastSeq(t, s); got != 0 {
		t.Errorf("LastSeq after failed delete = %d, want 0", got)
	}
}

func testConcurrentUpserts(t *testing.T, open Opener) {
	s := newStore(t, open)
	const workers, batches, size = 8, 5, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers*batches)
	for w := range workers {
		wg.Go(func() {
			for b := range batches {
				batch := make([]*paperboy.Paper, size)
				for i := range batch {
					// Half the IDs are shared by all workers.
					n := w*batches*size + b*size + i
					if i%2 == 0 {
						n = b*size + i
					}
					batch[i] = NewPaper(n)
				}
				_, err := s.UpsertPapers(context.Background(), batch)
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent UpsertPapers: %v", err)
		}
	}
	want := batches*size/2 + workers*batches*size/2
	if got := mustCount(t, s); got != want {
		t.Errorf("CountPapers = %d, want %d", got, want)
	}
	changes := mustChanges(t, s, 0, 0)
	seen := map[int64]bool{}
	for _, c := range changes {
		if seen[c.Seq] {
			t.Errorf("Seq %d handed out twice", c.Seq)
		}
		seen[c.Seq] = true
	}
	if len(changes) != want {
		t.Errorf("len(Changes) = %d, want %d", len(changes), want)
	}
}

func testPersistence(t *testing.T, open Opener) {
	name := dbName(t)
	s := open(t, name)
	p := paper("2401.00051", 1, "Persistent")
	mustUpsert(t, s, p, paper("2401.00052", 1, "Gone"))
	if err := s.DeletePaper(context.Background(), "2401.00052"); err != nil {
		t.Fatalf("DeletePaper: %v", err)
	}
	seq := mustLastSeq(t, s)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = open(t, name)
	defer s.Close()
	checkPaper(t, mustPaper(t, s, "2401.00051"), p)
	if got := mustLastSeq(t, s); got != seq {
		t.Errorf("LastSeq after reopen = %d, want %d", got, seq)
	}
	if got := len(mustChanges(t, s, 0, 0)); got != 2 {
		t.Errorf("Changes after reopen: %d entries, want 2 (paper and tombstone)", got)
	}
	mustUpsert(t, s, paper("2401.00053", 1, "New"))
	if got := mustPaper(t, s, "2401.00053").Seq; got <= seq {
		t.Errorf("Seq after reopen = %d, want > %d", got, seq)
	}
}
