package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/config"
	"paperboy/internal/harvest"
	"paperboy/internal/harvest/oaitest"
	"paperboy/internal/store/sqlite"
)

const capturedOAIPage = "../../internal/arxiv/testdata/oai_listrecords_arxivraw.xml"

// harvestArgs is a harvest of the captured window from srv, politeness off.
func harvestArgs(db, url string) []string {
	return []string{"harvest", "--db", db, "--base-url", url, "--set", "cs",
		"--from", "2019-10-01", "--until", "2019-10-09", "--request-interval", "0", "--timeout", "10s"}
}

func TestHarvestCommand(t *testing.T) {
	srv := oaitest.New(t, oaitest.LoadRecords(t, capturedOAIPage), 250)
	db := filepath.Join(t.TempDir(), "paperboy.db")
	env := map[string]string{"PAPERBOY_MAIL_FROM": "ops@lab.example"}
	code, out, errOut := runCLI(t, env, harvestArgs(db, srv.URL)...)
	if code != 0 || !strings.Contains(out, "4 pages, 1000 records, inserted 1000, updated 0, unchanged 0, skipped 0") {
		t.Fatalf("harvest: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
	if !strings.Contains(errOut, "harvest_progress") {
		t.Errorf("no progress log lines off a terminal:\n%s", errOut)
	}
	code, out, _ = runCLI(t, env, harvestArgs(db, srv.URL)...)
	if code != 0 || !strings.Contains(out, "inserted 0, updated 0, unchanged 1000") {
		t.Errorf("second harvest: exit %d, %s; want everything unchanged", code, out)
	}
	for _, r := range srv.Requests() {
		if !strings.HasPrefix(r.UserAgent, "paperboy/") || !strings.Contains(r.UserAgent, "mailto:ops@lab.example") {
			t.Errorf("User-Agent %q does not name paperboy and the operator's contact", r.UserAgent)
		}
	}
	code, _, errOut = runCLI(t, nil, "harvest", "--db", db, "--base-url", srv.URL, "--from", "2019-13-01")
	if code != 1 || !strings.Contains(errOut, "Invalid date") {
		t.Errorf("bad --from: exit %d, stderr %q", code, errOut)
	}
}

// TestHarvestChild is the harvester run as a child process by
// TestHarvestSurvivesSIGKILL; on its own it does nothing.
func TestHarvestChild(t *testing.T) {
	args := os.Getenv("PAPERBOY_TEST_HARVEST_CHILD")
	if args == "" {
		t.Skip("run as a child of TestHarvestSurvivesSIGKILL")
	}
	os.Exit(run(context.Background(), strings.Split(args, "\x1f"), strings.NewReader(""), os.Stdout, os.Stderr, func(string) string { return "" }))
}

func startChild(t *testing.T, db, url string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHarvestChild$")
	cmd.Env = append(os.Environ(), "PAPERBOY_TEST_HARVEST_CHILD="+strings.Join(harvestArgs(db, url), "\x1f"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func readHarvest(t *testing.T, db string) (papers []*paperboy.Paper, seq int64, cp *paperboy.HarvestCheckpoint) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if papers, _, err = s.Papers(ctx, paperboy.PaperFilter{Order: "id"}); err != nil {
		t.Fatal(err)
	}
	if seq, err = s.LastSeq(ctx); err != nil {
		t.Fatal(err)
	}
	if c, err := s.HarvestCheckpoint(ctx, "cs", "arXivRaw"); err == nil {
		cp = &c
	}
	return papers, seq, cp
}

// TestHarvestSurvivesSIGKILL kills `paperboy harvest` (a child process) at
// random moments, restarts it, and checks that every interrupted harvest
// ends with exactly the store an uninterrupted one makes, and that each
// restart goes on from the page after the last one applied.
func TestHarvestSurvivesSIGKILL(t *testing.T) {
	runs, kills := 20, 2
	if testing.Short() {
		runs = 4
	}
	srv := oaitest.New(t, oaitest.LoadRecords(t, capturedOAIPage), 50) // 20 pages
	srv.Delay = 2 * time.Millisecond
	dir := t.TempDir()

	wantDB := filepath.Join(dir, "want.db")
	start := time.Now()
	if err := startChild(t, wantDB, srv.URL).Wait(); err != nil {
		t.Fatalf("uninterrupted harvest: %v", err)
	}
	span := time.Since(start)
	want, wantSeq, _ := readHarvest(t, wantDB)
	if len(want) != 1000 || wantSeq != 1000 {
		t.Fatalf("uninterrupted harvest: %d papers, seq %d; want 1000, 1000", len(want), wantSeq)
	}

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, uninterrupted harvest %v", seed, span)
	rng := rand.New(rand.NewPCG(seed, 5))
	killed, midWindow := 0, 0
	for i := range runs {
		db := filepath.Join(dir, "run"+string(rune('a'+i))+".db")
		for k := 0; ; k++ {
			_, _, cp := readOrNone(t, db)
			before := len(srv.Requests())
			cmd := startChild(t, db, srv.URL)
			if k < kills {
				delay := time.Duration(rng.Int64N(int64(span)))
				timer := time.AfterFunc(delay, func() { cmd.Process.Kill() })
				err := cmd.Wait()
				timer.Stop()
				var ee *exec.ExitError
				if errors.As(err, &ee) && !ee.Exited() {
					killed++
					lapseLease(t, db, cmd.Process.Pid)
					if killedMidWindow(t, i, k, db, len(want)) {
						midWindow++
					}
				} else if err != nil {
					t.Fatalf("run %d child %d: %v", i, k, err)
				}
			} else if err := cmd.Wait(); err != nil {
				t.Fatalf("run %d, final child: %v", i, err)
			}
			if first, ok := firstNewRequest(srv.Requests(), before); cp != nil && !cp.Done && ok && first.Token != cp.Token {
				t.Errorf("run %d child %d resumed with token %q, want the checkpoint's %q", i, k, first.Token, cp.Token)
			}
			if k >= kills {
				break
			}
		}
		got, seq, cp := readHarvest(t, db)
		if len(got) != len(want) || seq != wantSeq || cp == nil || !cp.Done {
			t.Fatalf("run %d: %d papers, seq %d, checkpoint %+v; want %d papers, seq %d, done", i, len(got), seq, cp, len(want), wantSeq)
		}
		for j := range want {
			if !got[j].Equal(want[j]) {
				t.Fatalf("run %d: paper %s differs from the uninterrupted harvest", i, want[j].ID)
			}
		}
	}
	t.Logf("%d runs, %d children killed by SIGKILL before the harvest ended, %d of them with the window part-applied", runs, killed, midWindow)
	if killed < runs || midWindow == 0 {
		t.Errorf("only %d kills landed before the harvest ended, %d with pages applied; the test is not testing much", killed, midWindow)
	}
}

// killedMidWindow checks the store a killed child left: its papers are
// exactly those of the pages its checkpoint counts (a page and its
// checkpoint are one transaction, so neither is ever half-applied), and
// each was written once. A child killed after its window finished but
// before it exited leaves the next child harvesting the same window again
// (an explicit --from): the checkpoint then counts only the pages of the
// new pass, and the store holds all of the window's papers, total, still
// each written once. It reports whether the kill landed between the first
// page and the last.
func killedMidWindow(t *testing.T, run, child int, db string, total int) bool {
	t.Helper()
	papers, seq, cp := readOrNone(t, db)
	records := 0
	if cp != nil {
		records = cp.Records
		if cp.Frontier >= cp.Until { // the window was finished once already
			records = total
		}
	}
	if len(papers) != records || seq != int64(records) {
		t.Fatalf("run %d child %d killed: %d papers, seq %d, checkpoint %+v; want the %d records its pages hold, each written once",
			run, child, len(papers), seq, cp, records)
	}
	return cp != nil && !cp.Done && cp.Pages > 0
}

// lapseLease ends the harvest lease a killed child left, as the lease's
// time limit would 30 s later: the next child may harvest at once.
func lapseLease(t *testing.T, db string, pid int) {
	t.Helper()
	if _, err := os.Stat(db); err != nil {
		return // killed before it opened the database
	}
	s, err := sqlite.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := s.JobLease(context.Background(), harvest.JobName)
	if err != nil || !strings.Contains(l.Holder, fmt.Sprintf("/%d/", pid)) {
		return // killed before it took the lease
	}
	if _, err := s.ReleaseJob(context.Background(), harvest.JobName, l.Holder, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// readOrNone is readHarvest for a database that may not exist yet.
func readOrNone(t *testing.T, db string) ([]*paperboy.Paper, int64, *paperboy.HarvestCheckpoint) {
	if _, err := os.Stat(db); err != nil {
		return nil, 0, nil
	}
	return readHarvest(t, db)
}

// firstNewRequest returns the first request after reqs[:before] on a
// connection not seen before: a killed child's last request can still reach
// the server after the kill.
func firstNewRequest(reqs []oaitest.Request, before int) (oaitest.Request, bool) {
	seen := map[string]bool{}
	for _, r := range reqs[:before] {
		seen[r.Remote] = true
	}
	for _, r := range reqs[before:] {
		if !seen[r.Remote] {
			return r, true
		}
	}
	return oaitest.Request{}, false
}

func TestServeHarvests(t *testing.T) {
	srv := oaitest.New(t, oaitest.LoadRecords(t, capturedOAIPage), 1000)
	cfg := config.Default()
	cfg.DB, cfg.Addr, cfg.LogLevel = filepath.Join(t.TempDir(), "paperboy.db"), "127.0.0.1:0", "warn"
	cfg.Harvest, cfg.OAIURL = true, srv.URL
	rss := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, "../../internal/harvest/testdata/rss_cs.xml")
	}))
	defer rss.Close()
	cfg.RSSURL = rss.URL + "/rss"
	m, err := NewMain(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	m.Now = func() time.Time { return time.Date(2019, 10, 10, 1, 0, 0, 0, time.UTC) } // 21:00 ET, Wednesday 9 October
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })

	// Never harvested: the catch-up runs at start-up, over the last 7 days.
	var st struct {
		Harvest struct {
			Enabled    bool     `json:"enabled"`
			Sets       []string `json:"sets"`
			NextRun    *string  `json:"next_run"`
			NextReason string   `json:"next_reason"`
			Recent     []struct {
				Source      string `json:"source"`
				From        string `json:"from"`
				Until       string `json:"until"`
				PapersAdded int    `json:"papers_added"`
				OK          bool   `json:"ok"`
			} `json:"recent"`
		} `json:"harvest"`
	}
	// The runs are recorded before the scheduler plans the next one, so
	// wait for both.
	const nextRun = "2019-10-10T12:00:00Z"
	deadline := time.Now().Add(20 * time.Second)
	for (len(st.Harvest.Recent) < 2 || st.Harvest.NextRun == nil || *st.Harvest.NextRun != nextRun) && time.Now().Before(deadline) {
		code, body := get(t, "http://"+m.Addr()+"/api/v1/status")
		if code != 200 {
			t.Fatalf("GET /api/v1/status: %d %s", code, body)
		}
		if err := json.Unmarshal([]byte(body), &st); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	h := st.Harvest
	if len(h.Recent) != 2 {
		t.Fatalf("status = %+v, want an OAI-PMH run and an RSS run", h)
	}
	rssRun, oaiRun := h.Recent[0], h.Recent[1]
	if oaiRun.Source != "oai" || !oaiRun.OK || oaiRun.From != "2019-10-03" || oaiRun.Until != "2019-10-10" || oaiRun.PapersAdded != 561 {
		t.Errorf("OAI-PMH run %+v; want a successful run 2019-10-03..2019-10-10 adding the window's 561 papers", oaiRun)
	}
	if rssRun.Source != "rss" || !rssRun.OK || rssRun.PapersAdded != 4 {
		t.Errorf("RSS run %+v; want the listing's 4 papers the window lacks", rssRun)
	}
	if !h.Enabled || len(h.Sets) != 1 || h.Sets[0] != "cs" || h.NextRun == nil || *h.NextRun != nextRun || h.NextReason != "catch-up" {
		next := "none"
		if h.NextRun != nil {
			next = *h.NextRun
		}
		t.Errorf("status = %+v, next run %s; want enabled for cs, next run Thursday's daily catch-up at 08:00 EDT (%s)", h, next, nextRun)
	}
	status := "http://" + m.Addr() + "/status"
	code, page := getAs(t, status, userToken(t, m, "admin@example.org", true))
	if code != 200 || !strings.Contains(page, "4 papers added") || !strings.Contains(page, "2019-10-10 12:00 UTC (catch-up)") {
		t.Errorf("GET /status as an admin: %d\n%s", code, page)
	}
	statusRefused(t, m)
}

// statusRefused checks that the status page is for admins only: anonymous
// requests are asked to sign in (401), other users refused (403), as on
// the other admin pages, and neither sees the harvest runs.
func statusRefused(t *testing.T, m *Main) {
	t.Helper()
	status := "http://" + m.Addr() + "/status"
	if code, page := get(t, status); code != http.StatusUnauthorized || strings.Contains(page, "arXiv harvesting") {
		t.Errorf("GET /status anonymously: %d, want 401 without the status\n%s", code, page)
	}
	if code, page := getAs(t, status, userToken(t, m, "reader@example.org", false)); code != http.StatusForbidden || strings.Contains(page, "arXiv harvesting") {
		t.Errorf("GET /status as a user who is not an admin: %d, want 403 without the status\n%s", code, page)
	}
}

// userToken creates an account, an admin or not, and returns an API token
// of it, which authenticates HTML pages as well as the API.
func userToken(t *testing.T, m *Main, email string, admin bool) string {
	t.Helper()
	ctx := context.Background()
	u, err := m.Accounts.CreateUser(ctx, email, "", admin)
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	_, secret, err := m.Accounts.CreateAPIToken(ctx, u, "test")
	if err != nil {
		t.Fatalf("create API token: %v", err)
	}
	return secret
}

func TestServeDoesNotHarvestUnlessAsked(t *testing.T) {
	m := bootMain(t, filepath.Join(t.TempDir(), "paperboy.db"), false)
	code, body := get(t, "http://"+m.Addr()+"/api/v1/status")
	if code != 200 || !strings.Contains(body, `"enabled":false`) || !strings.Contains(body, `"next_run":null`) {
		t.Errorf("GET /api/v1/status: %d %s", code, body)
	}
	if code, page := getAs(t, "http://"+m.Addr()+"/status", userToken(t, m, "admin@example.org", true)); code != 200 || !strings.Contains(page, "off (start serve with --harvest") {
		t.Errorf("GET /status as an admin: %d %s", code, page)
	}
	statusRefused(t, m)
}
