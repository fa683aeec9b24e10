package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"paperboy"
)

// Fixture papers by first-submission day.
var (
	apr02 = []string{"0704.0001", "0704.0005", "0704.0009", "0704.0015", "0704.0018", "0704.0025", "0704.0027", "0704.0028"}
	apr01 = []string{"0704.0003", "0704.0014"}
	mar31 = []string{
		"0704.0002", "0704.0004", "0704.0006", "0704.0007", "0704.0008", "0704.0010",
		"0704.0011", "0704.0012", "0704.0013", "0704.0016", "0704.0017", "0704.0019", "0704.0020",
		"0704.0021", "0704.0022", "0704.0023", "0704.0024", "0704.0026", "0704.0029", "0704.0030",
	}
)

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func TestDailyShowsLatestDay(t *testing.T) {
	f := newFixture(t)
	body := f.getOK(t, "/")
	wantIDs(t, body, []string{"1901.99999"})
	if got, want := linkRel(body, "prev"), "/?date=2019-01-28"; got != want {
		t.Errorf("prev link = %q, want %q", got, want)
	}
	if got := linkRel(body, "next"); got != "" {
		t.Errorf("next link = %q, want none on the latest day", got)
	}
	wantContains(t, body, "Tuesday, 29 January 2019", "1 paper<", `href="/?week=2019-W05"`, `href="/?month=2019-01"`,
		"paperboy v1.2.3-test")
}

func TestDailyDate(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		query      string
		ids        []string
		prev, next string
	}{
		{"date=2007-04-02", apr02, "/?date=2007-04-01", "/?date=2019-01-06"},
		{"date=2007-04-01", apr01, "/?date=2007-03-31", "/?date=2007-04-02"},
		{"date=2007-03-31", mar31, "/?date=1999-01-04", "/?date=2007-04-01"},
		{"date=2010-05-05", nil, "/?date=2007-04-02", "/?date=2019-01-06"},
		{"date=1990-01-01", nil, "", "/?date=1999-01-01"},
		{"week=2007-W13", concat(mar31, apr01), "/?week=1999-W01", "/?week=2007-W14"},
		{"week=2007-W14", apr02, "/?week=2007-W13", "/?week=2019-W01"},
		{"week=2019-W05", []string{"1901.09491", "1901.09849", "1901.99999"}, "/?week=2019-W01", ""},
		{"month=2007-04", concat(apr01, apr02), "/?month=2007-03", "/?month=2019-01"},
		{"month=2007-03", mar31, "/?month=1999-01", "/?month=2007-04"},
		{"month=1999-01", []string{"hep-th/9901001", "hep-th/9901002"}, "", "/?month=2007-03"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			body := f.getOK(t, "/?"+tt.query)
			wantIDs(t, body, tt.ids)
			if got := linkRel(body, "prev"); got != tt.prev {
				t.Errorf("prev link = %q, want %q", got, tt.prev)
			}
			if got := linkRel(body, "next"); got != tt.next {
				t.Errorf("next link = %q, want %q", got, tt.next)
			}
			wantContains(t, body, fmt.Sprintf("%d papers<", len(tt.ids)))
		})
	}
}

func TestDailyViewSwitch(t *testing.T) {
	f := newFixture(t)
	body := f.getOK(t, "/?date=2007-04-01")
	wantContains(t, body,
		`<a href="/?date=2007-04-01" class="current" aria-current="page">day</a>`,
		`<a href="/?week=2007-W13">week</a>`,
		`<a href="/?month=2007-04">month</a>`,
		"Sunday, 1 April 2007")
	// The week view's day link keeps the week's latest day with papers.
	body = f.getOK(t, "/?week=2007-W13")
	wantContains(t, body, `<a href="/?date=2007-04-01">day</a>`, "Week 13, 2007 (26 Mar – 1 Apr 2007)")
	body = f.getOK(t, "/?month=2007-03")
	wantContains(t, body, `<a href="/?date=2007-03-31">day</a>`, "March 2007")
}

func TestDailyBadParams(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		query, message string
	}{
		{"date=2025-13-40", `Invalid date &#34;2025-13-40&#34;: expected YYYY-MM-DD`},
		{"date=yesterday", `Invalid date &#34;yesterday&#34;`},
		{"week=2007-W60", `Invalid week &#34;2007-W60&#34;: expected an ISO week YYYY-Www`},
		{"month=2007-13", `Invalid month &#34;2007-13&#34;: expected YYYY-MM`},
		{"date=2007-04-02&month=2007-04", "Give only one of date, week and month"},
		{"date=2007-04-02&page=0", `Invalid page &#34;0&#34;`},
		{"date=<script>", `Invalid date &#34;&lt;script&gt;&#34;`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			w := f.get("/?" + tt.query)
			wantStatus(t, w, http.StatusBadRequest)
			body := w.Body.String()
			wantContains(t, body, tt.message, `class="error-page"`, `<input type="search" name="q"`)
			wantNotContains(t, body, "<script>")
		})
	}
}

func TestDailyPaging(t *testing.T) {
	f := newFixture(t)
	addPapers(t, f, "2002", 55, "Paper number")
	body := f.getOK(t, "/?date=2020-02-02")
	if got := len(cardIDs(body)); got != 50 {
		t.Errorf("page 1 has %d cards, want 50", got)
	}
	wantContains(t, body, "55 papers<", "Page 1 of 2")
	next := linkRel(body, "next")
	if want := "/?date=2020-02-02&page=2"; next != want {
		t.Fatalf("next page link = %q, want %q", next, want)
	}
	body = f.getOK(t, next)
	if got := len(cardIDs(body)); got != 5 {
		t.Errorf("page 2 has %d cards, want 5", got)
	}
	wantContains(t, body, "Page 2 of 2")
	body = f.getOK(t, "/?date=2020-02-02&page=9")
	if got := len(cardIDs(body)); got != 0 {
		t.Errorf("page 9 has %d cards, want 0", got)
	}
	wantContains(t, body, "past the last paper")
}

func TestDailyEmptyStore(t *testing.T) {
	f := newFixtureWith(t, openEmptyStore(t))
	body := f.getOK(t, "/")
	wantContains(t, body, "No papers yet")
	if !strings.Contains(f.getOK(t, "/?date=2007-04-02"), "0 papers<") {
		t.Errorf("a date on an empty store does not say 0 papers")
	}
}

// addPapers stores n papers with IDs prefix.00001 on, first submitted a
// minute apart from 2 Feb 2020, titled title and their number, and
// re-syncs the search index.
func addPapers(t *testing.T, f *fixture, prefix string, n int, title string) {
	t.Helper()
	day := time.Date(2020, 2, 2, 0, 0, 0, 0, time.UTC)
	var papers []*paperboy.Paper
	for i := range n {
		at := day.Add(time.Duration(i) * time.Minute)
		papers = append(papers, &paperboy.Paper{
			ID: paperboy.ArxivID(fmt.Sprintf("%s.%05d", prefix, i+1)), Title: fmt.Sprintf("%s %d", title, i+1),
			Categories: []string{"cs.LG"}, Version: 1, Submitted: at, Updated: at,
		})
	}
	if _, err := f.store.UpsertPapers(context.Background(), papers); err != nil {
		t.Fatal(err)
	}
	if _, err := f.engine.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
}
