package harvest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/arxiv"
	"paperboy/internal/harvest/oaitest"
)

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseRSS(t *testing.T) {
	feed, err := arxiv.ParseRSS(readFile(t, "testdata/rss_cs.xml"), "cs")
	if err != nil {
		t.Fatal(err)
	}
	if !feed.Day.Equal(time.Date(2019, 10, 10, 0, 0, 0, 0, time.UTC)) || len(feed.Items) != 5 || len(feed.Skipped) != 0 {
		t.Fatalf("feed: day %v, %d items, %d skipped; want 2019-10-10, 5, 0", feed.Day, len(feed.Items), len(feed.Skipped))
	}
	want := []struct {
		id      paperboy.ArxivID
		version int
		typ     paperboy.AnnounceType
	}{
		{"1910.04101", 1, paperboy.AnnounceNew},
		{"1910.04117", 1, paperboy.AnnounceNew},
		{"1910.03996", 1, paperboy.AnnounceCross},
		{"1207.4664", 2, paperboy.AnnounceReplace},
		{"1301.3248", 3, paperboy.AnnounceReplaceCross},
	}
	for i, w := range want {
		a := feed.Items[i]
		if a.Paper.ID != w.id || a.Paper.Version != w.version || a.Type != w.typ || a.Category != "cs" {
			t.Errorf("item %d = %s v%d %s in %s, want %s v%d %s", i, a.Paper.ID, a.Paper.Version, a.Type, a.Category, w.id, w.version, w.typ)
		}
	}
	p := feed.Items[1].Paper
	if got := strings.Join(p.AuthorNames(), "; "); got != "Petr Jančar; Jérôme Leroux; Grégoire Sutre" {
		t.Errorf("authors = %q", got)
	}
	if !strings.HasPrefix(p.Abstract, "We show that bisimilarity") || p.Categories[0] != "cs.FL" || !p.Submitted.Equal(feed.Day) {
		t.Errorf("new paper = %+v: abstract, primary category or provisional submission day wrong", p)
	}
	r := feed.Items[3].Paper
	if r.DOI != "10.4310/CMS.2014.v12.n2.a1" || !strings.HasPrefix(r.JournalRef, "Communications in Mathematical Sciences") || !r.Submitted.IsZero() {
		t.Errorf("replacement = %+v: DOI, journal ref or submission day wrong", r)
	}
}

func TestParseRSSSkipsBadItems(t *testing.T) {
	body := strings.Replace(string(readFile(t, "testdata/rss_cs.xml")), "arXiv:1910.04117v1 Announce Type: new", "Announce Type: new", 1)
	body = strings.Replace(body, "<arxiv:announce_type>cross</arxiv:announce_type>", "<arxiv:announce_type>moved</arxiv:announce_type>", 1)
	feed, err := arxiv.ParseRSS([]byte(body), "cs")
	if err != nil || len(feed.Items) != 3 || len(feed.Skipped) != 2 {
		t.Fatalf("ParseRSS = %d items, %d skipped, %v; want 3, 2, nil", len(feed.Items), len(feed.Skipped), err)
	}
	if _, err := arxiv.ParseRSS([]byte(body[:len(body)/2]), "cs"); err == nil {
		t.Error("a truncated feed parsed")
	}
}

// rssServer serves the hand-made listing at /rss/cs, failing the first
// request with a truncated body.
func rssServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	body := readFile(t, "testdata/rss_cs.xml")
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/rss/cs" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		if n.Add(1) == 1 {
			w.Write(body[:len(body)/3])
			return
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRSSReplacementUpdatesVersion(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock(captureDay)
	s := openStore(t, "rss")
	oai := oaitest.New(t, oaitest.LoadRecords(t, capturedPage), 1000)
	if _, err := newHarvester(s, oai, clock).Harvest(ctx, fullWindow); err != nil {
		t.Fatal(err)
	}
	before, _ := s.Paper(ctx, "1207.4664")

	srv, requests := rssServer(t)
	h := &RSSHarvester{Client: testClient(clock), BaseURL: srv.URL + "/rss", Store: s, Now: clock.Now}
	run, err := h.Harvest(ctx, "cs")
	if err != nil {
		t.Fatalf("RSS harvest: %v", err)
	}
	if run.Records != 5 || run.Inserted != 4 || run.Updated != 1 || run.Retries != 1 || requests.Load() != 2 {
		t.Errorf("run = %+v after %d requests; want 5 records, 4 new, 1 updated, the truncated listing retried once", run, requests.Load())
	}
	got, _ := s.Paper(ctx, "1207.4664")
	if got.Version != 2 || got.Title != "Quantitative photoacoustic imaging in the radiative transport regime" ||
		!got.Submitted.Equal(before.Submitted) || len(got.Versions) != 1 || got.Seq <= before.Seq {
		t.Errorf("after the replace announcement: %+v; want v2 with the new title, the v1 history and submission day kept", got)
	}
	anns, err := s.Announcements(ctx, "1207.4664")
	if err != nil || len(anns) != 1 || anns[0].Type != paperboy.AnnounceReplace || anns[0].Paper.Version != 2 {
		t.Errorf("announcements = %+v, %v; want one replace of v2", anns, err)
	}
	// The same listing again: nothing changes, nothing is recorded twice.
	if run, err = h.Harvest(ctx, "cs"); err != nil || run.Unchanged != 5 {
		t.Errorf("second RSS harvest = %+v, %v; want 5 unchanged", run, err)
	}
	if anns, _ = s.Announcements(ctx, "1207.4664"); len(anns) != 1 {
		t.Errorf("%d announcements after reading the listing twice, want 1", len(anns))
	}

	// OAI-PMH then brings v2 with its date: its full record wins.
	records := oaitest.LoadRecords(t, capturedPage)
	for i, r := range records {
		if r.ID == "1207.4664" {
			r.XML = strings.Replace(r.XML, "<datestamp>2019-10-08</datestamp>", "<datestamp>2019-10-10</datestamp>", 1)
			r.XML = strings.Replace(r.XML, "</version><title>",
				"</version><version version=\"v2\"><date>Wed, 9 Oct 2019 10:00:00 GMT</date><size>11300kb</size></version><title>", 1)
			r.Datestamp = "2019-10-10"
			records[i] = r
		}
	}
	oai.SetRecords(records)
	if _, err := newHarvester(s, oai, clock).Harvest(ctx, Job{Set: "cs", From: "2019-10-10", Until: "2019-10-10"}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Paper(ctx, "1207.4664")
	if got.Version != 2 || len(got.Versions) != 2 || got.Versions[1].Size != "11300kb" || got.Comments != before.Comments || !got.Submitted.Equal(before.Submitted) {
		t.Errorf("after OAI-PMH v2: %+v; want v1 and v2 in the history and the full record's comments", got)
	}
}

// TestRSSEmptyListing reads a listing on a day without announcements
// (arXiv's feeds then have a channel and no items): a successful run that
// changes nothing.
func TestRSSEmptyListing(t *testing.T) {
	full := string(readFile(t, "testdata/rss_cs.xml"))
	body := full[:strings.Index(full, "<item>")] + full[strings.LastIndex(full, "</item>")+len("</item>"):]
	feed, err := arxiv.ParseRSS([]byte(body), "cs")
	if err != nil || len(feed.Items) != 0 || len(feed.Skipped) != 0 || feed.Day.IsZero() {
		t.Fatalf("ParseRSS(empty listing) = %+v, %v; want a dated feed with no items", feed, err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	clock := newFakeClock(captureDay)
	s := openStore(t, "rss")
	run, err := (&RSSHarvester{Client: testClient(clock), BaseURL: srv.URL + "/rss", Store: s, Now: clock.Now}).Harvest(context.Background(), "cs")
	if err != nil || !run.OK() || run.Records != 0 || run.Inserted != 0 {
		t.Errorf("RSS harvest of an empty listing = %+v, %v; want a successful run with nothing", run, err)
	}
	if n, _ := s.CountPapers(context.Background()); n != 0 {
		t.Errorf("%d papers after an empty listing", n)
	}
}
