package harvest

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/arxiv"
	"paperboy/internal/harvest/oaitest"
	"paperboy/internal/store/sqlite"
)

func TestHarvestPages(t *testing.T) {
	srv := oaitest.New(t, oaitest.LoadRecords(t, capturedPage), 150)
	clock := newFakeClock(captureDay)
	s := openStore(t, "got")
	h := newHarvester(s, srv, clock)
	var pages []int
	h.Progress = func(p Progress) { pages = append(pages, p.Page) }

	run, err := h.Harvest(context.Background(), fullWindow)
	if err != nil {
		t.Fatalf("Harvest: %v", err)
	}
	sameStores(t, s, wantStore(t))
	if run.Pages != 7 || run.Records != 1000 || run.Inserted != 1000 || run.Retries != 0 || !run.OK() || run.ID == 0 {
		t.Errorf("run = %+v, want 7 pages, 1000 records inserted, no retries, recorded", run)
	}
	if !slices.Equal(pages, []int{1, 2, 3, 4, 5, 6, 7}) {
		t.Errorf("progress pages = %v", pages)
	}
	reqs := srv.Requests()
	first := reqs[0].Query
	if first.Get("metadataPrefix") != "arXivRaw" || first.Get("set") != "cs" || first.Get("from") != "2019-10-01" || first.Get("until") != "2019-10-09" {
		t.Errorf("first request = %v", first)
	}
	for _, r := range reqs[1:] {
		if r.Token == "" || len(r.Query) != 2 {
			t.Errorf("request %d = %v, want verb and resumptionToken only", r.N, r.Query)
		}
	}
	// Politeness: one connection, one request at a time, 3 s apart, named.
	if n := srv.Connections(); n != 1 {
		t.Errorf("%d connections, want 1", n)
	}
	if n := maxInFlight(t, h); n != 1 {
		t.Errorf("%d requests at once, want 1", n)
	}
	for i, d := range clock.Slept() {
		if d != 3*time.Second {
			t.Errorf("wait %d before a request = %v, want 3s", i, d)
		}
	}
	if len(clock.Slept()) != len(reqs)-1 {
		t.Errorf("%d waits for %d requests, want %d", len(clock.Slept()), len(reqs), len(reqs)-1)
	}
	for _, r := range reqs {
		if !strings.HasPrefix(r.UserAgent, "paperboy/") {
			t.Errorf("User-Agent %q does not name paperboy", r.UserAgent)
		}
	}
	cp, err := s.HarvestCheckpoint(context.Background(), "cs", "arXivRaw")
	if err != nil || !cp.Done || cp.Token != "" || cp.Frontier != "2019-10-09" || cp.Pages != 7 || cp.LastDatestamp != "2019-10-09" {
		t.Errorf("checkpoint = %+v, %v; want done, frontier 2019-10-09, 7 pages", cp, err)
	}
}

func TestHarvestSurvivesFaults(t *testing.T) {
	srv := oaitest.New(t, oaitest.LoadRecords(t, capturedPage), 150)
	// Request numbers, as the flow unfolds: the 503 delays page 1; page 2 is
	// cut off, then its token is refused, so the window restarts (page 1
	// again); and so on. Every page ends up applied exactly once with
	// content, pages applied twice change nothing.
	faults := map[int]oaitest.Fault{
		1: oaitest.Unavailable, // page 1
		3: oaitest.CutBody,     // page 2
		4: oaitest.BadToken,    // page 2: the token expired -> restart
		5: oaitest.Slow,        // page 1 again, past the client timeout
		// page 2: Go's transport resends a GET once by itself when a
		// reused connection dies before any answer; the second reset, on
		// a new connection, reaches the client's retry.
		7:  oaitest.Reset,
		8:  oaitest.Reset,
		10: oaitest.CutXML,      // page 3
		11: oaitest.HTMLPage,    // page 3
		13: oaitest.ServerError, // page 4
		14: oaitest.BadGateway,  // page 4
	}
	const wantRetries = 8 // the faults but the token and the reset the transport absorbed
	for n, f := range faults {
		srv.Inject(n, f)
	}
	clock := newFakeClock(captureDay)
	s := openStore(t, "got")
	h := newHarvester(s, srv, clock)
	run, err := h.Harvest(context.Background(), fullWindow)
	if err != nil {
		t.Fatalf("Harvest: %v", err)
	}
	sameStores(t, s, wantStore(t))
	if run.Restarts != 1 || run.Retries != wantRetries {
		t.Errorf("restarts %d retries %d, want 1 and %d", run.Restarts, run.Retries, wantRetries)
	}
	if run.Inserted != 1000 || run.Unchanged != 150 || run.Pages != 8 {
		t.Errorf("run = %+v, want 1000 inserted, page 1 applied twice (150 unchanged), 8 pages", run)
	}
	if got := len(srv.Requests()); got != 7+len(faults)+1 {
		t.Errorf("%d requests, want %d", got, 7+len(faults)+1)
	}
	slept := clock.Slept()
	if !slices.Contains(slept, oaitest.RetryAfterSec*time.Second) {
		t.Errorf("waits %v: the 503's Retry-After of %ds was not honoured", slept, oaitest.RetryAfterSec)
	}
	if !slices.Contains(slept, 10*time.Second) { // second consecutive failure on page 4: 5s, then 10s
		t.Errorf("waits %v: no exponential backoff", slept)
	}
	if n := maxInFlight(t, h); n != 1 {
		t.Errorf("%d requests at once, want 1", n)
	}
}

func TestHarvestNoRecordsMatch(t *testing.T) {
	srv := oaitest.New(t, oaitest.LoadRecords(t, capturedPage), 150)
	s := openStore(t, "got")
	run, err := newHarvester(s, srv, newFakeClock(captureDay)).Harvest(context.Background(),
		Job{Set: "cs", From: "2019-11-01", Until: "2019-11-02"})
	if err != nil || run.Pages != 1 || run.Records != 0 || !run.OK() {
		t.Fatalf("Harvest = %+v, %v; want one empty page, success", run, err)
	}
	cp, err := s.HarvestCheckpoint(context.Background(), "cs", "arXivRaw")
	if err != nil || !cp.Done || cp.Frontier != "2019-11-02" {
		t.Errorf("checkpoint = %+v, %v; want done with frontier 2019-11-02", cp, err)
	}
}

func TestHarvestResumesAfterFailure(t *testing.T) {
	srv := oaitest.New(t, oaitest.LoadRecords(t, capturedPage), 150)
	clock := newFakeClock(captureDay)
	s := openStore(t, "got")
	h := newHarvester(s, srv, clock)
	for n := 4; n < 4+8; n++ { // page 4 fails all 8 attempts
		srv.Inject(n, oaitest.ServerError)
	}
	run, err := h.Harvest(context.Background(), fullWindow)
	if err == nil || paperboy.ErrorCode(err) != paperboy.EUNAVAILABLE || run.OK() || run.Pages != 3 {
		t.Fatalf("Harvest = %+v, %v; want EUNAVAILABLE after 3 pages", run, err)
	}
	if n, _ := s.CountPapers(context.Background()); n != 450 {
		t.Errorf("after a failed run: %d papers, want the 450 of the 3 pages applied", n)
	}
	cp, _ := s.HarvestCheckpoint(context.Background(), "cs", "arXivRaw")
	before := len(srv.Requests())

	run, err = h.Harvest(context.Background(), Job{Set: "cs"}) // incremental: resumes the window
	if err != nil {
		t.Fatalf("second Harvest: %v", err)
	}
	if next := srv.Requests()[before]; next.Token != cp.Token {
		t.Errorf("resumed with token %q, want the checkpoint's %q (no finished page fetched again)", next.Token, cp.Token)
	}
	if run.Pages != 4 || run.Inserted != 550 {
		t.Errorf("second run = %+v, want the 4 remaining pages, 550 inserted", run)
	}
	sameStores(t, s, wantStore(t))
	runs, _ := s.HarvestRuns(context.Background(), paperboy.HarvestRunFilter{})
	if len(runs) != 2 || !runs[0].OK() || runs[1].OK() {
		t.Errorf("recorded runs = %+v, want a failure then a success", runs)
	}
}

func TestHarvestGivesUpOnEndlessBadTokens(t *testing.T) {
	srv := oaitest.New(t, oaitest.LoadRecords(t, capturedPage), 400)
	for n := 2; n <= 20; n += 2 { // every token request: page 1, bad token, page 1, ...
		srv.Inject(n, oaitest.BadToken)
	}
	s := openStore(t, "got")
	run, err := newHarvester(s, srv, newFakeClock(captureDay)).Harvest(context.Background(), fullWindow)
	if err == nil || run.Restarts != DefaultMaxRestarts || run.OK() {
		t.Fatalf("Harvest = %+v, %v; want a failure after %d restarts", run, err, DefaultMaxRestarts)
	}
	if n, _ := s.CountPapers(context.Background()); n != 400 {
		t.Errorf("%d papers, want page 1's 400 kept", n)
	}
}

func TestHarvestIncremental(t *testing.T) {
	srv := oaitest.New(t, oaitest.LoadRecords(t, capturedPage), 300)
	clock := newFakeClock(time.Date(2019, 10, 4, 12, 0, 0, 0, time.UTC))
	s := openStore(t, "got")
	h := newHarvester(s, srv, clock)
	h.Lookback = 3
	run, err := h.Harvest(context.Background(), Job{Set: "cs"})
	if err != nil || run.From != "2019-10-01" || run.Until != "2019-10-04" || run.Inserted != 635 {
		t.Fatalf("first incremental run = %+v, %v; want 2019-10-01..2019-10-04 (3 days back), 635 papers", run, err)
	}
	clock.now = captureDay
	run, err = h.Harvest(context.Background(), Job{Set: "cs"})
	if err != nil || run.From != "2019-10-04" || run.Until != "2019-10-09" || run.Inserted != 365 || run.Unchanged != 94 {
		t.Fatalf("second run = %+v, %v; want 2019-10-04..2019-10-09 from the frontier, the overlap day unchanged", run, err)
	}
	sameStores(t, s, wantStore(t))
}

// BenchmarkHarvest measures a harvest of the captured 1,000 records from
// the fake server in 4 pages, politeness off: parsing, merging and the
// page transactions, over real HTTP on loopback, into a fresh SQLite file
// each time. The harvest rate of the issue is its papers/s:
//
//	go test -run '^$' -bench BenchmarkHarvest -count 3 ./internal/harvest
func BenchmarkHarvest(b *testing.B) {
	srv := oaitest.New(b, oaitest.LoadRecords(b, capturedPage), 250)
	clock := newFakeClock(captureDay)
	var records, papers int
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprintf("b%d.db", i)), nil)
		if err != nil {
			b.Fatal(err)
		}
		h := newHarvester(s, srv, clock)
		h.Client.(*arxiv.Client).MinInterval = 0
		run, err := h.Harvest(context.Background(), fullWindow)
		if err != nil {
			b.Fatal(err)
		}
		if run.Inserted != 1000 {
			b.Fatalf("run = %+v, want the 1000 papers inserted", run)
		}
		records += run.Records
		papers += run.Inserted
		s.Close()
	}
	elapsed := time.Since(start).Seconds()
	b.ReportMetric(float64(records)/elapsed, "records/s")
	b.ReportMetric(float64(papers)/elapsed, "papers/s")
}

// TestHarvestFirstWindowAfterImport: the first incremental harvest of a set
// starts at the newest stored paper of the set when that is more than the
// lookback ago (a bulk import from an older snapshot), so nothing between
// the snapshot and the harvest is missed; otherwise, and for an empty
// store, it starts DefaultLookback days back. Papers of other sets do not
// count.
func TestHarvestFirstWindowAfterImport(t *testing.T) {
	now := time.Date(2019, 11, 18, 12, 0, 0, 0, time.UTC)
	imported := func(id, category string, daysAgo int) *paperboy.Paper {
		day := time.Date(now.Year(), now.Month(), now.Day()-daysAgo, 0, 0, 0, 0, time.UTC)
		return &paperboy.Paper{ID: paperboy.ArxivID(id), Version: 1, Title: "Imported " + id,
			Versions: []paperboy.Version{{Number: 1, Date: day.AddDate(0, 0, -3)}}, Categories: []string{category, "stat.ML"},
			Submitted: day.AddDate(0, 0, -3), Updated: day}
	}
	lookbackFrom := now.AddDate(0, 0, -DefaultLookback).Format(time.DateOnly)
	for _, tc := range []struct {
		name     string
		papers   []*paperboy.Paper
		wantFrom string
	}{
		{"snapshot 40 days old", []*paperboy.Paper{imported("1909.00001", "cs.LG", 45), imported("1910.00001", "cs.CL", 40),
			imported("1911.00001", "math.AG", 2)}, "2019-10-09"},
		{"snapshot 2 days old", []*paperboy.Paper{imported("1910.00001", "cs.CL", 40), imported("1911.00002", "cs.DB", 2)}, lookbackFrom},
		{"only other sets", []*paperboy.Paper{imported("1910.00002", "math.AG", 40)}, lookbackFrom},
		{"empty store", nil, lookbackFrom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := oaitest.New(t, oaitest.LoadRecords(t, capturedPage), 1000)
			s := openStore(t, "got")
			if len(tc.papers) > 0 {
				if _, err := s.UpsertPapers(context.Background(), tc.papers); err != nil {
					t.Fatal(err)
				}
			}
			run, err := newHarvester(s, srv, newFakeClock(now)).Harvest(context.Background(), Job{Set: "cs"})
			if err != nil {
				t.Fatalf("Harvest: %v", err)
			}
			reqs := srv.Requests()
			if len(reqs) == 0 {
				t.Fatal("no request reached the server")
			}
			q := reqs[0].Query
			if q.Get("from") != tc.wantFrom || q.Get("until") != "2019-11-18" || q.Get("set") != "cs" {
				t.Errorf("first request %v, want set=cs from=%s until=2019-11-18", q, tc.wantFrom)
			}
			if run.From != tc.wantFrom || run.Until != "2019-11-18" {
				t.Errorf("run window %s..%s, want %s..2019-11-18", run.From, run.Until, tc.wantFrom)
			}
			cp, err := s.HarvestCheckpoint(context.Background(), "cs", DefaultPrefix)
			if err != nil || !cp.Done || cp.Frontier != "2019-11-18" {
				t.Errorf("checkpoint %+v, %v; want the window done, frontier 2019-11-18", cp, err)
			}
			// The next run goes on from the frontier, not from the store.
			if _, err := newHarvester(s, srv, newFakeClock(now.AddDate(0, 0, 1))).Harvest(context.Background(), Job{Set: "cs"}); err != nil {
				t.Fatalf("second Harvest: %v", err)
			}
			if q := srv.Requests()[len(reqs)].Query; q.Get("from") != "2019-11-18" {
				t.Errorf("second run's request %v, want from=2019-11-18 (the frontier)", q)
			}
		})
	}
}

func TestSetArchives(t *testing.T) {
	for _, tt := range []struct {
		set  string
		want []string
	}{
		{"", nil},
		{"cs", []string{"cs"}},
		{"math", []string{"math"}},
		{"physics:hep-th", []string{"hep-th"}},
		{"cs:cs:AI", []string{"cs.AI"}},
		{"physics", physicsArchives},
	} {
		if got := setArchives(tt.set); !slices.Equal(got, tt.want) {
			t.Errorf("setArchives(%q) = %q, want %q", tt.set, got, tt.want)
		}
	}
	if !slices.Contains(physicsArchives, "hep-th") || !slices.Contains(physicsArchives, "quant-ph") || slices.Contains(physicsArchives, "math") {
		t.Errorf("physics archives %q", physicsArchives)
	}
}
