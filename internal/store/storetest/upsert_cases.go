package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"paperboy"
)

func testInsert(t *testing.T, open Opener) {
	s := newStore(t, open)
	a, b := paper("2401.00001", 1, "Attention"), paper("2401.00002", 1, "Diffusion")
	checkOutcomes(t, mustUpsert(t, s, a, b), paperboy.Inserted, paperboy.Inserted)
	for _, want := range []*paperboy.Paper{a, b} {
		got := mustPaper(t, s, string(want.ID))
		checkPaper(t, got, want)
		if got.Seq <= 0 {
			t.Errorf("Paper(%s).Seq = %d, want > 0", want.ID, got.Seq)
		}
	}
	if got, want := mustCount(t, s), 2; got != want {
		t.Errorf("CountPapers = %d, want %d", got, want)
	}
	if got := mustLastSeq(t, s); got < 2 {
		t.Errorf("LastSeq = %d, want >= 2", got)
	}
	if a.Seq != 0 {
		t.Errorf("UpsertPapers set Seq %d on the caller's record, want it untouched", a.Seq)
	}
}

func testRoundTrip(t *testing.T, open Opener) {
	s := newStore(t, open)
	full := paper("2401.00003", 2, "Über die Vollständigkeit: ∀x ∃y, $\\alpha$-stable “quotes”")
	full.Versions = []paperboy.Version{
		{Number: 1, Date: date("2024-01-15T10:30:00Z"), Size: "812kb"},
		{Number: 2, Date: date("2024-02-01T23:59:59+05:00"), Size: ""},
	}
	full.Authors = []paperboy.Author{
		{Name: "Balázs Csanád Csáji", Affiliation: "MTA SZTAKI"},
		{Name: "李小龍", Affiliation: "清华大学"},
		{Name: "O'Brien, \"Jr.\""},
	}
	full.Categories = []string{"math.PR", "cs.LG", "q-fin.ST"}
	full.DOI, full.JournalRef, full.Comments = "10.1000/xyz", "Phys. Rev. D 1 (2024)", "12 pages; 𝔼 ≠ ∅"
	full.License, full.ReportNo, full.Submitter = "http://arxiv.org/licenses/nonexclusive-distrib/1.0/", "CERN-TH-2024-001", "Zoë"
	full.Updated = date("2024-02-01T23:59:59+05:00")
	bare := &paperboy.Paper{ID: "hep-th/9901001", Title: "Bare"} // no times, versions, authors
	mustUpsert(t, s, full, bare)
	for _, want := range []*paperboy.Paper{full, bare} {
		got := mustPaper(t, s, string(want.ID))
		checkPaper(t, got, want)
		// A record read back and written again changes nothing.
		checkOutcomes(t, mustUpsert(t, s, got), paperboy.Unchanged)
	}
	got := mustPaper(t, s, "2401.00003")
	if !got.Updated.Equal(full.Updated) || !got.Submitted.Equal(full.Submitted) {
		t.Errorf("times: got submitted %v updated %v, want %v %v", got.Submitted, got.Updated, full.Submitted, full.Updated)
	}
	if got := mustPaper(t, s, "hep-th/9901001"); !got.Submitted.IsZero() || got.Versions != nil {
		t.Errorf("bare paper: got Submitted %v, Versions %v; want zero, nil", got.Submitted, got.Versions)
	}
}

func testReupsertUnchanged(t *testing.T, open Opener) {
	s := newStore(t, open)
	p := paper("2401.00004", 1, "Same")
	mustUpsert(t, s, p)
	before, seq := mustPaper(t, s, "2401.00004"), mustLastSeq(t, s)
	checkOutcomes(t, mustUpsert(t, s, paper("2401.00004", 1, "Same")), paperboy.Unchanged)
	if got := mustLastSeq(t, s); got != seq {
		t.Errorf("LastSeq after unchanged upsert = %d, want %d", got, seq)
	}
	if got := mustPaper(t, s, "2401.00004"); got.Seq != before.Seq {
		t.Errorf("Seq after unchanged upsert = %d, want %d", got.Seq, before.Seq)
	}
}

func testNewerVersion(t *testing.T, open Opener) {
	s := newStore(t, open)
	mustUpsert(t, s, paper("2401.00005", 1, "First draft"))
	v1 := mustPaper(t, s, "2401.00005")
	v2 := paper("2401.00005", 2, "Final version")
	checkOutcomes(t, mustUpsert(t, s, v2), paperboy.Updated)
	got := mustPaper(t, s, "2401.00005")
	want := *v2
	want.Versions = append(append([]paperboy.Version{}, v1.Versions...), v2.Versions...)
	checkPaper(t, got, &want)
	if got.Seq <= v1.Seq {
		t.Errorf("Seq after update = %d, want > %d", got.Seq, v1.Seq)
	}
}

func testOlderVersion(t *testing.T, open Opener) {
	s := newStore(t, open)
	v2, v1 := paper("2401.00006", 2, "Final version"), paper("2401.00006", 1, "First draft")
	mustUpsert(t, s, v2)
	checkOutcomes(t, mustUpsert(t, s, v1), paperboy.Updated) // adds v1 to the history
	got := mustPaper(t, s, "2401.00006")
	want := *v2
	want.Versions = append(append([]paperboy.Version{}, v1.Versions...), v2.Versions...)
	checkPaper(t, got, &want)
	checkOutcomes(t, mustUpsert(t, s, v1), paperboy.Unchanged)
}

func testSameVersionMetadata(t *testing.T, open Opener) {
	s := newStore(t, open)
	mustUpsert(t, s, paper("2401.00007", 1, "Paper"))
	later := paper("2401.00007", 1, "Paper")
	later.DOI, later.JournalRef = "10.1000/later", "Nature 1 (2024)"
	later.Updated = later.Updated.AddDate(0, 2, 0)
	checkOutcomes(t, mustUpsert(t, s, later), paperboy.Updated)
	checkPaper(t, mustPaper(t, s, "2401.00007"), later)

	stale := paper("2401.00007", 1, "Paper")
	stale.DOI = "10.1000/stale"
	checkOutcomes(t, mustUpsert(t, s, stale), paperboy.Unchanged)
	checkPaper(t, mustPaper(t, s, "2401.00007"), later)
}

func testDuplicateIDs(t *testing.T, open Opener) {
	s := newStore(t, open)
	v1, v2 := paper("2401.00008", 1, "Draft"), paper("2401.00008", 2, "Final")
	checkOutcomes(t, mustUpsert(t, s, v1, v2, v1), paperboy.Inserted, paperboy.Updated, paperboy.Unchanged)
	want := *v2
	want.Versions = append(append([]paperboy.Version{}, v1.Versions...), v2.Versions...)
	checkPaper(t, mustPaper(t, s, "2401.00008"), &want)
	changes, err := s.Changes(context.Background(), 0, 0)
	if err != nil {
		t.Fatalf("Changes: %v", err)
	}
	if len(changes) != 1 || changes[0].ID != v1.ID {
		t.Errorf("Changes after one batch naming a paper twice = %+v, want one change of %s", changes, v1.ID)
	}
	checkOutcomes(t, mustUpsert(t, s, v2, v2), paperboy.Unchanged, paperboy.Unchanged)
}

func testInvalidBatch(t *testing.T, open Opener) {
	s := newStore(t, open)
	tests := []struct {
		name    string
		bad     *paperboy.Paper
		mention string
	}{
		{"no title", &paperboy.Paper{ID: "2401.00010"}, "2401.00010"},
		{"bad id", &paperboy.Paper{ID: "2401.1", Title: "x"}, "2401.1"},
		{"no id", &paperboy.Paper{Title: "x"}, ""},
		{"nil record", nil, ""},
	}
	for _, tt := range tests {
		batch := []*paperboy.Paper{paper("2401.00009", 1, "Good"), tt.bad}
		_, err := s.UpsertPapers(context.Background(), batch)
		if got := paperboy.ErrorCode(err); got != paperboy.EINVALID {
			t.Errorf("%s: error code = %q, want %q (err %v)", tt.name, got, paperboy.EINVALID, err)
		}
		if msg := paperboy.ErrorMessage(err); !strings.Contains(msg, tt.mention) {
			t.Errorf("%s: message %q does not name %q", tt.name, msg, tt.mention)
		}
	}
	if got := mustCount(t, s); got != 0 {
		t.Errorf("CountPapers after rejected batches = %d, want 0", got)
	}
	if got := mustLastSeq(t, s); got != 0 {
		t.Errorf("LastSeq after rejected batches = %d, want 0", got)
	}
}

func testEmptyBatch(t *testing.T, open Opener) {
	s := newStore(t, open)
	out, err := s.UpsertPapers(context.Background(), nil)
	if err != nil || len(out) != 0 {
		t.Errorf("UpsertPapers(nil) = %v, %v; want no outcomes, nil", out, err)
	}
}

func testCanceledContext(t *testing.T, open Opener) {
	s := newStore(t, open)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.UpsertPapers(ctx, []*paperboy.Paper{paper("2401.00011", 1, "x")}); !errors.Is(err, context.Canceled) {
		t.Errorf("UpsertPapers with canceled context: err = %v, want context.Canceled", err)
	}
	if _, _, err := s.Papers(ctx, paperboy.PaperFilter{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Papers with canceled context: err = %v, want context.Canceled", err)
	}
	if got := mustCount(t, s); got != 0 {
		t.Errorf("CountPapers after canceled upsert = %d, want 0", got)
	}
}
