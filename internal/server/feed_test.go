package server

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"

	"paperboy"
	"paperboy/internal/community"
	"paperboy/internal/store"
)

// getFeed serves target, wants 200 and Atom, and parses it twice: with
// gofeed's universal parser, which must detect Atom, and with its Atom
// parser, which keeps link relations and category schemes.
func (f *fixture) getFeed(t *testing.T, target string) (*atom.Feed, string) {
	t.Helper()
	w := f.get(target)
	wantStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("GET %s: Content-Type = %q", target, ct)
	}
	body := w.Body.String()
	u, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("GET %s: gofeed: %v\n%s", target, err, body)
	}
	if u.FeedType != "atom" || u.FeedVersion != "1.0" {
		t.Errorf("GET %s: feed type %s %s, want atom 1.0", target, u.FeedType, u.FeedVersion)
	}
	feed, err := (&atom.Parser{}).Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("GET %s: atom parser: %v", target, err)
	}
	return feed, body
}

func entryIDs(feed *atom.Feed) []string {
	ids := make([]string, len(feed.Entries))
	for i, e := range feed.Entries {
		ids[i] = e.ID
	}
	return ids
}

// link returns the href of the first link with the given rel and type.
func link(links []*atom.Link, rel, typ string) string {
	for _, l := range links {
		if l.Rel == rel && l.Type == typ {
			return l.Href
		}
	}
	return ""
}

func TestFeedDailyEntries(t *testing.T) {
	// Without the crafted paper the latest day is 28 Jan 2019, two papers.
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "paperboy.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.UpsertPapers(t.Context(), loadFixtures(t)); err != nil {
		t.Fatal(err)
	}
	f := newFixtureWith(t, st)
	feed, _ := f.getFeed(t, "/feeds/daily.atom")

	if got, want := entryIDs(feed), []string{"https://arxiv.org/abs/1901.09849", "https://arxiv.org/abs/1901.09491"}; !slices.Equal(got, want) {
		t.Fatalf("entries = %v, want %v", got, want)
	}
	checks := []struct{ name, got, want string }{
		{"feed id", feed.ID, "http://example.com/feeds/daily.atom"},
		{"title", feed.Title, "paperboy: daily papers"},
		{"subtitle", feed.Subtitle, "Papers first submitted to arXiv on 28 January 2019."},
		{"self", link(feed.Links, "self", "application/atom+xml"), "http://example.com/feeds/daily.atom"},
		{"alternate", link(feed.Links, "alternate", "text/html"), "http://example.com/"},
		{"updated", feed.Updated, "2019-09-30T14:29:53Z"}, // 1901.09491v2, the latest change
	}
	e := feed.Entries[1]
	checks = append(checks, []struct{ name, got, want string }{
		{"entry title", e.Title, "Stiffness: A New Perspective on Generalization in Neural Networks"},
		{"entry published", e.Published, "2019-01-28T02:49:46Z"},
		{"entry updated", e.Updated, "2019-09-30T14:29:53Z"},
		{"entry page", link(e.Links, "alternate", "text/html"), "http://example.com/papers/1901.09491"},
		{"entry arXiv", link(e.Links, "related", "text/html"), "https://arxiv.org/abs/1901.09491"},
		{"entry PDF", link(e.Links, "related", "application/pdf"), "https://arxiv.org/pdf/1901.09491"},
		{"entry summary start", e.Summary[:60], "We investigate neural network training and generalization us"},
	}...)
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	var authors []string
	for _, a := range e.Authors {
		authors = append(authors, a.Name)
	}
	if want := []string{"Stanislav Fort", `Pawe{\l} Krzysztof Nowak`, "Stanislaw Jastrzebski", "Srini Narayanan"}; !slices.Equal(authors, want) {
		t.Errorf("authors = %q, want %q", authors, want)
	}
	if len(e.Categories) == 0 || e.Categories[0].Term != "cs.LG" || e.Categories[0].Scheme != "http://arxiv.org/schemas/atom" {
		t.Errorf("categories = %+v, want cs.LG first, in arXiv's scheme", e.Categories)
	}
}

func TestFeedEscapesArxivText(t *testing.T) {
	f := newFixture(t)
	want := scriptPaper()
	for _, target := range []string{"/feeds/daily.atom", "/feeds/trending.atom", "/feeds/search.atom?q=payloads"} {
		t.Run(target, func(t *testing.T) {
			feed, body := f.getFeed(t, target)
			for _, bad := range []string{"<script", "<img", "<b>"} {
				if strings.Contains(body, bad) {
					t.Errorf("raw feed contains %q", bad)
				}
			}
			if len(feed.Entries) == 0 || feed.Entries[0].ID != "https://arxiv.org/abs/1901.99999" {
				t.Fatalf("entries = %v, want the crafted paper first", entryIDs(feed))
			}
			e := feed.Entries[0]
			if e.Title != want.Title || e.Summary != want.Abstract || e.Authors[0].Name != want.Authors[0].Name {
				t.Errorf("entry = %q / %q / %q; want the crafted text back verbatim", e.Title, e.Summary, e.Authors[0].Name)
			}
		})
	}
}

func TestFeedTrending(t *testing.T) {
	f := newFixture(t)
	feed, _ := f.getFeed(t, "/feeds/trending.atom")
	if len(feed.Entries) != 36 {
		t.Errorf("%d entries, want all 36 papers (under the feed's 50)", len(feed.Entries))
	}
	if !strings.Contains(feed.Subtitle, "most recently submitted") {
		t.Errorf("subtitle = %q, want it to say trending is not computed yet", feed.Subtitle)
	}
	if feed.Entries[0].ID != "https://arxiv.org/abs/1901.99999" || feed.Entries[35].ID != "https://arxiv.org/abs/hep-th/9901001" {
		t.Errorf("entries = %v, want newest first", entryIDs(feed))
	}
	old := feed.Entries[35]
	if got := link(old.Links, "alternate", "text/html"); got != "http://example.com/papers/hep-th/9901001" {
		t.Errorf("old-style entry page = %q", got)
	}
}

func TestFeedSearch(t *testing.T) {
	f := newFixture(t)
	feed, _ := f.getFeed(t, "/feeds/search.atom?q=generalization+cat:cs.LG")
	ids := entryIDs(feed)
	for _, want := range []string{"https://arxiv.org/abs/1901.09491", "https://arxiv.org/abs/1901.01608"} {
		if !slices.Contains(ids, want) {
			t.Errorf("entries = %v, want %s", ids, want)
		}
	}
	if got, want := feed.ID, "http://example.com/feeds/search.atom?q=generalization+cat%3Acs.LG"; got != want {
		t.Errorf("feed id = %q, want %q", got, want)
	}
	if got, want := link(feed.Links, "alternate", "text/html"), "http://example.com/search?q=generalization+cat%3Acs.LG"; got != want {
		t.Errorf("alternate = %q, want %q", got, want)
	}

	// The query itself is echoed in the title, escaped.
	feed, body := f.getFeed(t, "/feeds/search.atom?q=%3Cscript%3E+neural")
	if strings.Contains(body, "<script>") || feed.Title != "paperboy: search <script> neural" {
		t.Errorf("title = %q, want the query back escaped", feed.Title)
	}

	feed, _ = f.getFeed(t, "/feeds/search.atom?q=zzyzxnothing")
	if len(feed.Entries) != 0 || feed.Updated != "1970-01-01T00:00:00Z" {
		t.Errorf("empty search: %d entries, updated %s; want none, 1970", len(feed.Entries), feed.Updated)
	}
}

func TestFeedBadRequests(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		target string
		status int
		msg    string
	}{
		{"/feeds/search.atom", 400, "Missing query"},
		{"/feeds/search.atom?q=+", 400, "Missing query"},
		{"/feeds/search.atom?q=year:19", 400, "Bad year"},
		{"/feeds/search.atom?q=cat:", 400, "Empty cat: filter"},
		{"/feeds/nothing.atom", 404, ""},
	}
	for _, tt := range tests {
		w := f.get(tt.target)
		if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.msg) {
			t.Errorf("GET %s = %d %q, want %d %q", tt.target, w.Code, w.Body, tt.status, tt.msg)
		}
	}
}

func TestFeedEmptyStore(t *testing.T) {
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "paperboy.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := newFixtureWith(t, st)
	for _, target := range []string{"/feeds/daily.atom", "/feeds/trending.atom"} {
		feed, _ := f.getFeed(t, target)
		if len(feed.Entries) != 0 || feed.Updated != "1970-01-01T00:00:00Z" {
			t.Errorf("%s: %d entries, updated %q; want none, 1970", target, len(feed.Entries), feed.Updated)
		}
	}
}

func TestPagesLinkTheirFeeds(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		path, want string
	}{
		{"/", `<link rel="alternate" type="application/atom+xml" title="paperboy feed" href="/feeds/daily.atom">`},
		{"/?date=2007-04-02", `href="/feeds/daily.atom"`},
		{"/search?q=graph+%3Cb%3E", `<link rel="alternate" type="application/atom+xml" title="paperboy feed" href="/feeds/search.atom?q=graph&#43;%3Cb%3E">`},
	}
	for _, tt := range tests {
		body := f.getOK(t, tt.path)
		head, _, _ := strings.Cut(body, "</head>")
		if !strings.Contains(head, tt.want) {
			t.Errorf("GET %s: <head> lacks %s:\n%s", tt.path, tt.want, head)
		}
	}
	body := f.getOK(t, "/papers/0704.0001")
	if strings.Contains(body, "application/atom+xml") {
		t.Errorf("a paper page links a feed it does not have")
	}
}

// parseFeed parses an Atom body with gofeed's universal parser (which must
// detect Atom 1.0) and its Atom parser.
func parseFeed(t *testing.T, body string) *atom.Feed {
	t.Helper()
	u, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, body)
	}
	if u.FeedType != "atom" || u.FeedVersion != "1.0" {
		t.Errorf("feed type %s %s, want atom 1.0", u.FeedType, u.FeedVersion)
	}
	feed, err := (&atom.Parser{}).Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("atom parser: %v", err)
	}
	return feed
}

// TestFeedsWithCommunity follows the daily and trending feeds of an
// instance with submissions and votes: the day's submission comes first in
// the daily feed, and the trending feed is the week's trending table.
func TestFeedsWithCommunity(t *testing.T) {
	rig, _ := hfCommunityRig(t)
	reader := rig.browser(t)
	resp, body := reader.wantStatus("GET", "/feeds/daily.atom", nil, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	feed := parseFeed(t, body)
	if got, want := entryIDs(feed), []string{"https://arxiv.org/abs/2206.06921", "https://arxiv.org/abs/2401.00001"}; !slices.Equal(got, want) {
		t.Errorf("daily entries = %v, want the submission, then the day's new arXiv paper", got)
	}
	if want := "Papers submitted on 1 March 2025, then the papers first submitted to arXiv that day."; feed.Subtitle != want {
		t.Errorf("daily subtitle = %q, want %q", feed.Subtitle, want)
	}

	// A submission ten days later, when arXiv has nothing newer, moves the
	// daily feed to that day, as it does the home page.
	rig.clock.Add(10 * 24 * time.Hour)
	ada := rig.browser(t)
	ada.signIn("ada@example.org")
	ada.wantStatus("POST", "/submit", url.Values{"paper": {"2401.00001"}}, http.StatusSeeOther)
	_, body = reader.wantStatus("GET", "/feeds/daily.atom", nil, http.StatusOK)
	feed = parseFeed(t, body)
	if got := entryIDs(feed); !slices.Equal(got, []string{"https://arxiv.org/abs/2401.00001"}) || !strings.Contains(feed.Subtitle, "11 March 2025") {
		t.Errorf("daily feed after a later submission: %v, %q; want 2401.00001 on 11 March 2025", got, feed.Subtitle)
	}

	if err := rig.trending.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, body = reader.wantStatus("GET", "/feeds/trending.atom", nil, http.StatusOK)
	feed = parseFeed(t, body)
	entries, _, err := rig.trending.List(context.Background(), paperboy.WindowWeek, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, e := range entries {
		want = append(want, e.PaperID.AbsURL())
	}
	if got := entryIDs(feed); len(want) == 0 || !slices.Equal(got, want) || !strings.Contains(feed.Subtitle, "trending") {
		t.Errorf("trending feed = %v (%q), want the week's table %v", got, feed.Subtitle, want)
	}
	if link(feed.Links, "alternate", "text/html") != rig.srv.URL+"/trending" {
		t.Errorf("trending feed's page = %q, want /trending", link(feed.Links, "alternate", "text/html"))
	}
}

// TestFeedDailyModes checks the daily feed follows PAPERBOY_DAILY: in
// submitted mode it is the latest day with submissions even when arXiv has
// newer papers; in both mode that newer arXiv day.
func TestFeedDailyModes(t *testing.T) {
	tests := []struct {
		mode     string
		want     []string
		subtitle string
	}{
		{community.DailySubmitted, []string{"https://arxiv.org/abs/2206.06921"}, "Papers submitted on 1 March 2025."},
		{community.DailyBoth, []string{"https://arxiv.org/abs/2503.00005"}, "Papers submitted on 5 March 2025, then the papers first submitted to arXiv that day."},
		{community.DailyAll, []string{"https://arxiv.org/abs/2503.00005"}, "Papers first submitted to arXiv on 5 March 2025."},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			rig := newCommunityRigDaily(t, tt.mode)
			ada, _ := rig.user(t, "ada@example.org", false)
			ada.wantStatus("POST", "/submit", url.Values{"paper": {"2206.06921"}}, http.StatusSeeOther)
			at := time.Date(2025, 3, 5, 12, 0, 0, 0, time.UTC)
			if _, err := rig.store.UpsertPapers(context.Background(), []*paperboy.Paper{{ID: "2503.00005", Title: "Newer on arXiv", Submitted: at, Updated: at}}); err != nil {
				t.Fatal(err)
			}
			_, body := ada.wantStatus("GET", "/feeds/daily.atom", nil, http.StatusOK)
			feed := parseFeed(t, body)
			if got := entryIDs(feed); !slices.Equal(got, tt.want) || feed.Subtitle != tt.subtitle {
				t.Errorf("daily feed = %v %q, want %v %q", got, feed.Subtitle, tt.want, tt.subtitle)
			}
		})
	}
}
