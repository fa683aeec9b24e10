package storetest

import (
	"context"
	"testing"
	"time"

	"paperboy"
)

// harvestCases are the conformance cases of paperboy.HarvestStore.
var harvestCases = []struct {
	name string
	fn   func(t *testing.T, open Opener)
}{
	{"HarvestPageAndCheckpoint", testHarvestPage},
	{"HarvestCheckpointNotFound", testHarvestCheckpointNotFound},
	{"HarvestPageInvalidRejectsAll", testHarvestPageInvalid},
	{"HarvestPageEmpty", testHarvestPageEmpty},
	{"HarvestPageCanceled", testHarvestPageCanceled},
	{"HarvestCheckpointPersists", testHarvestCheckpointPersists},
	{"HarvestRuns", testHarvestRuns},
	{"Announcements", testAnnouncements},
	{"NewestPaperDate", testNewestPaperDate},
}

// harvestStore opens a fresh store for t that must be a HarvestStore.
func harvestStore(t *testing.T, open Opener) (paperboy.PaperStore, paperboy.HarvestStore) {
	t.Helper()
	s := newStore(t, open)
	hs, ok := s.(paperboy.HarvestStore)
	if !ok {
		t.Fatalf("%T does not implement paperboy.HarvestStore", s)
	}
	return s, hs
}

func checkpoint(token string, pages int) paperboy.HarvestCheckpoint {
	return paperboy.HarvestCheckpoint{
		Set: "cs", Prefix: "arXivRaw", From: "2019-10-01", Until: "2019-10-09",
		Token: token, Done: token == "", Pages: pages, Records: 1000 * pages,
		LastDatestamp: "2019-10-08", Frontier: "2019-09-30",
	}
}

func mustCheckpoint(t *testing.T, hs paperboy.HarvestStore, set, prefix string) paperboy.HarvestCheckpoint {
	t.Helper()
	cp, err := hs.HarvestCheckpoint(context.Background(), set, prefix)
	if err != nil {
		t.Fatalf("HarvestCheckpoint(%s, %s): %v", set, prefix, err)
	}
	return cp
}

// sameCheckpoint compares checkpoints, ignoring the store-set Updated.
func sameCheckpoint(t *testing.T, got, want paperboy.HarvestCheckpoint) {
	t.Helper()
	got.Updated, want.Updated = time.Time{}, time.Time{}
	if got != want {
		t.Errorf("checkpoint\n got: %+v\nwant: %+v", got, want)
	}
}

func testHarvestPage(t *testing.T, open Opener) {
	s, hs := harvestStore(t, open)
	ctx := context.Background()
	mustUpsert(t, s, paper("2401.00010", 1, "Old"))
	in := []*paperboy.Paper{paper("2401.00010", 2, "New version"), paper("2401.00011", 1, "Fresh")}
	out, err := hs.ApplyHarvestPage(ctx, in, checkpoint("tok|1001", 1))
	if err != nil {
		t.Fatalf("ApplyHarvestPage: %v", err)
	}
	checkOutcomes(t, out, paperboy.Updated, paperboy.Inserted)
	if got := mustPaper(t, s, "2401.00010"); got.Version != 2 || len(got.Versions) != 2 {
		t.Errorf("merged paper: version %d, %d versions; want 2, 2", got.Version, len(got.Versions))
	}
	cp := mustCheckpoint(t, hs, "cs", "arXivRaw")
	sameCheckpoint(t, cp, checkpoint("tok|1001", 1))
	if cp.Updated.IsZero() {
		t.Error("checkpoint Updated is zero, want the time it was written")
	}
	// The next page replaces the checkpoint; the same page again changes no paper.
	out, err = hs.ApplyHarvestPage(ctx, in, checkpoint("", 2))
	if err != nil {
		t.Fatalf("ApplyHarvestPage again: %v", err)
	}
	checkOutcomes(t, out, paperboy.Unchanged, paperboy.Unchanged)
	sameCheckpoint(t, mustCheckpoint(t, hs, "cs", "arXivRaw"), checkpoint("", 2))
	// Checkpoints are per set and prefix.
	other := checkpoint("x", 1)
	other.Set = "math"
	if _, err := hs.ApplyHarvestPage(ctx, nil, other); err != nil {
		t.Fatalf("ApplyHarvestPage(math): %v", err)
	}
	sameCheckpoint(t, mustCheckpoint(t, hs, "cs", "arXivRaw"), checkpoint("", 2))
	sameCheckpoint(t, mustCheckpoint(t, hs, "math", "arXivRaw"), other)
}

func testHarvestCheckpointNotFound(t *testing.T, open Opener) {
	_, hs := harvestStore(t, open)
	_, err := hs.HarvestCheckpoint(context.Background(), "cs", "arXivRaw")
	if code := paperboy.ErrorCode(err); code != paperboy.ENOTFOUND {
		t.Errorf("HarvestCheckpoint on a new store: code %q (%v), want %q", code, err, paperboy.ENOTFOUND)
	}
}

func testHarvestPageInvalid(t *testing.T, open Opener) {
	s, hs := harvestStore(t, open)
	ctx := context.Background()
	bad := paper("2401.00012", 1, "")
	_, err := hs.ApplyHarvestPage(ctx, []*paperboy.Paper{paper("2401.00013", 1, "Good"), bad}, checkpoint("t", 1))
	if code := paperboy.ErrorCode(err); code != paperboy.EINVALID {
		t.Fatalf("invalid paper: code %q (%v), want %q", code, err, paperboy.EINVALID)
	}
	if n := mustCount(t, s); n != 0 {
		t.Errorf("after a rejected page: %d papers, want 0", n)
	}
	if _, err := hs.HarvestCheckpoint(ctx, "cs", "arXivRaw"); paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
		t.Errorf("after a rejected page the checkpoint exists (err %v); want none", err)
	}
	noSet := checkpoint("t", 1)
	noSet.Set = ""
	if _, err := hs.ApplyHarvestPage(ctx, nil, noSet); paperboy.ErrorCode(err) != paperboy.EINVALID {
		t.Errorf("checkpoint without set: err %v, want EINVALID", err)
	}
}

func testHarvestPageEmpty(t *testing.T, open Opener) {
	s, hs := harvestStore(t, open)
	seq := mustLastSeq(t, s)
	cp := checkpoint("", 1) // noRecordsMatch: the window is done, nothing to store
	cp.Frontier = cp.Until
	out, err := hs.ApplyHarvestPage(context.Background(), nil, cp)
	if err != nil || len(out) != 0 {
		t.Fatalf("ApplyHarvestPage(no papers) = %v, %v; want no outcomes, nil", out, err)
	}
	sameCheckpoint(t, mustCheckpoint(t, hs, "cs", "arXivRaw"), cp)
	if got := mustLastSeq(t, s); got != seq {
		t.Errorf("LastSeq after an empty page = %d, want %d", got, seq)
	}
}

func testHarvestPageCanceled(t *testing.T, open Opener) {
	s, hs := harvestStore(t, open)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := hs.ApplyHarvestPage(ctx, []*paperboy.Paper{paper("2401.00014", 1, "X")}, checkpoint("t", 1)); err == nil {
		t.Fatal("ApplyHarvestPage with a canceled context succeeded")
	}
	if n := mustCount(t, s); n != 0 {
		t.Errorf("after a canceled page: %d papers, want 0", n)
	}
}

func testHarvestCheckpointPersists(t *testing.T, open Opener) {
	s, hs := harvestStore(t, open)
	if _, err := hs.ApplyHarvestPage(context.Background(), []*paperboy.Paper{paper("2401.00015", 1, "Kept")}, checkpoint("tok", 3)); err != nil {
		t.Fatalf("ApplyHarvestPage: %v", err)
	}
	if err := s.Close(); err != nil { // closing again at cleanup is harmless
		t.Fatalf("Close: %v", err)
	}
	s = open(t, dbName(t))
	defer s.Close()
	sameCheckpoint(t, mustCheckpoint(t, s.(paperboy.HarvestStore), "cs", "arXivRaw"), checkpoint("tok", 3))
	mustPaper(t, s, "2401.00015")
}

func testHarvestRuns(t *testing.T, open Opener) {
	_, hs := harvestStore(t, open)
	ctx := context.Background()
	start := date("2024-03-01T01:30:00Z")
	runs := []paperboy.HarvestRun{
		{Source: "oai", Set: "cs", Prefix: "arXivRaw", From: "2024-02-28", Until: "2024-03-01",
			Started: start, Finished: start.Add(time.Minute), Pages: 3, Records: 2500, Inserted: 2400,
			Updated: 50, Unchanged: 40, Skipped: 10, Retries: 2, Restarts: 1},
		{Source: "oai", Set: "cs", Prefix: "arXivRaw", Started: start.Add(time.Hour),
			Finished: start.Add(time.Hour + time.Second), Error: "arxiv: HTTP 500"},
		{Source: "rss", Set: "cs.LG", Started: start.Add(2 * time.Hour), Finished: start.Add(2 * time.Hour), Inserted: 7},
	}
	for i, r := range runs {
		id, err := hs.RecordHarvestRun(ctx, r)
		if err != nil || id <= 0 {
			t.Fatalf("RecordHarvestRun %d = %d, %v", i, id, err)
		}
		runs[i].ID = id
	}
	list := func(f paperboy.HarvestRunFilter) []paperboy.HarvestRun {
		got, err := hs.HarvestRuns(ctx, f)
		if err != nil {
			t.Fatalf("HarvestRuns(%+v): %v", f, err)
		}
		return got
	}
	if got := list(paperboy.HarvestRunFilter{}); len(got) != 3 || got[0] != runs[2] || got[2] != runs[0] {
		t.Errorf("all runs, newest first:\n got %+v\nwant %+v", got, runs)
	}
	if got := list(paperboy.HarvestRunFilter{Source: "oai", Succeeded: true}); len(got) != 1 || got[0] != runs[0] {
		t.Errorf("succeeded oai runs: got %+v, want [%+v]", got, runs[0])
	}
	if got := list(paperboy.HarvestRunFilter{Limit: 1}); len(got) != 1 || got[0].ID != runs[2].ID {
		t.Errorf("limit 1: got %+v, want the newest run", got)
	}
	if _, err := hs.HarvestRuns(ctx, paperboy.HarvestRunFilter{Limit: -1}); paperboy.ErrorCode(err) != paperboy.EINVALID {
		t.Errorf("negative limit: err %v, want EINVALID", err)
	}
}

func testAnnouncements(t *testing.T, open Opener) {
	s, hs := harvestStore(t, open)
	ctx := context.Background()
	mustUpsert(t, s, paper("2401.00016", 1, "First"))
	day := date("2024-01-20T00:00:00Z")
	v2 := &paperboy.Paper{ID: "2401.00016", Version: 2, Title: "Second"}
	items := []paperboy.Announcement{
		{Paper: v2, Type: paperboy.AnnounceReplace, Category: "cs.LG", Announced: day},
		{Paper: paper("2401.00017", 1, "Brand new"), Type: paperboy.AnnounceNew, Category: "cs.LG", Announced: day},
	}
	out, err := hs.ApplyAnnouncements(ctx, items)
	if err != nil {
		t.Fatalf("ApplyAnnouncements: %v", err)
	}
	checkOutcomes(t, out, paperboy.Updated, paperboy.Inserted)
	if got := mustPaper(t, s, "2401.00016"); got.Version != 2 || got.Title != "Second" {
		t.Errorf("after a replace announcement: version %d title %q; want 2 %q", got.Version, got.Title, "Second")
	}
	// The same listing read again records nothing new.
	if out, err = hs.ApplyAnnouncements(ctx, items); err != nil {
		t.Fatalf("ApplyAnnouncements again: %v", err)
	}
	checkOutcomes(t, out, paperboy.Unchanged, paperboy.Unchanged)
	got, err := hs.Announcements(ctx, "2401.00016")
	if err != nil || len(got) != 1 {
		t.Fatalf("Announcements = %+v, %v; want one", got, err)
	}
	if a := got[0]; a.Type != paperboy.AnnounceReplace || a.Category != "cs.LG" || a.Paper.Version != 2 || !a.Announced.Equal(day) {
		t.Errorf("announcement = %+v (version %d), want replace cs.LG v2 on %v", a, a.Paper.Version, day)
	}
	bad := []paperboy.Announcement{{Paper: paper("2401.00018", 1, "X"), Type: "moved", Category: "cs.LG"}}
	if _, err := hs.ApplyAnnouncements(ctx, bad); paperboy.ErrorCode(err) != paperboy.EINVALID {
		t.Errorf("unknown announce type: err %v, want EINVALID", err)
	}
}

// testNewestPaperDate: the newest updated (or, without one, submitted) time
// of the papers in an archive, by any of their categories, whole archive
// names only ("math" is not "math-ph").
func testNewestPaperDate(t *testing.T, open Opener) {
	s, hs := harvestStore(t, open)
	ctx := context.Background()
	newest := func(archives ...string) time.Time {
		t.Helper()
		got, err := hs.NewestPaperDate(ctx, archives)
		if err != nil {
			t.Fatalf("NewestPaperDate(%q): %v", archives, err)
		}
		return got
	}
	if got := newest(); !got.IsZero() {
		t.Errorf("empty store: NewestPaperDate() = %v, want zero", got)
	}
	if got := newest("cs"); !got.IsZero() {
		t.Errorf("empty store: NewestPaperDate(cs) = %v, want zero", got)
	}
	at := func(id string, cats []string, submitted, updated string) *paperboy.Paper {
		p := paper(id, 1, "Paper "+id)
		p.Categories, p.Versions = cats, nil
		p.Submitted, p.Updated = time.Time{}, time.Time{}
		if submitted != "" {
			p.Submitted = date(submitted)
		}
		if updated != "" {
			p.Updated = date(updated)
		}
		return p
	}
	mustUpsert(t, s,
		at("2401.00001", []string{"cs.LG", "stat.ML"}, "2024-01-02T00:00:00Z", "2024-02-01T12:00:00Z"),
		at("2401.00002", []string{"stat.ME", "cs.AI"}, "2024-01-03T00:00:00Z", "2024-02-10T08:00:00Z"), // cs by a cross-list
		at("2401.00003", []string{"math-ph", "math.MP"}, "2024-01-04T00:00:00Z", "2024-03-01T00:00:00Z"),
		at("2401.00004", []string{"math-ph"}, "2024-01-05T00:00:00Z", "2024-04-01T00:00:00Z"),
		at("2401.00005", []string{"hep-th"}, "2024-05-01T00:00:00Z", ""), // no updated date: submitted counts
		at("2401.00006", []string{"csx.ZZ"}, "2024-06-01T00:00:00Z", "2024-06-02T00:00:00Z"),
	)
	for _, tt := range []struct {
		archives []string
		want     string
	}{
		{nil, "2024-06-02T00:00:00Z"},
		{[]string{"cs"}, "2024-02-10T08:00:00Z"},
		{[]string{"stat"}, "2024-02-10T08:00:00Z"},
		{[]string{"math"}, "2024-03-01T00:00:00Z"},
		{[]string{"math-ph"}, "2024-04-01T00:00:00Z"},
		{[]string{"hep-th"}, "2024-05-01T00:00:00Z"},
		{[]string{"cs", "hep-th"}, "2024-05-01T00:00:00Z"},
		{[]string{"cs.LG"}, "2024-02-01T12:00:00Z"},
		{[]string{"q-bio"}, ""},
	} {
		got := newest(tt.archives...)
		want := time.Time{}
		if tt.want != "" {
			want = date(tt.want)
		}
		if !got.Equal(want) {
			t.Errorf("NewestPaperDate(%q) = %v, want %v", tt.archives, got, want)
		}
	}
}
