package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/community"
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

// submissionDays is a community rig in a daily mode where ada submits
// 2206.06921 on Saturday 1 March 2025 and 2401.00001 (new on arXiv on 1
// March) on Monday 3 March with a comment, bob submits 2212.00001 on
// Monday 10 March, and arXiv's newest paper, 2503.00005, is from 5 March,
// when nothing was submitted.
func submissionDays(t *testing.T, mode string) (*communityRig, *browser) {
	t.Helper()
	rig := newCommunityRigDaily(t, mode)
	ada, _ := rig.user(t, "ada@example.org", false)
	bob, _ := rig.user(t, "bob@example.org", false)
	ada.wantStatus("POST", "/submit", url.Values{"paper": {"2206.06921"}}, http.StatusSeeOther)
	rig.clock.Add(2 * 24 * time.Hour)
	ada.wantStatus("POST", "/submit", url.Values{"paper": {"2401.00001"}, "comment": {"A keeper"}}, http.StatusSeeOther)
	rig.clock.Add(7 * 24 * time.Hour)
	bob.wantStatus("POST", "/submit", url.Values{"paper": {"2212.00001"}}, http.StatusSeeOther)
	at := time.Date(2025, 3, 5, 12, 0, 0, 0, time.UTC)
	if _, err := rig.store.UpsertPapers(context.Background(), []*paperboy.Paper{{ID: "2503.00005", Title: "Newer on arXiv", Submitted: at, Updated: at}}); err != nil {
		t.Fatal(err)
	}
	return rig, rig.browser(t)
}

// cardOrder returns the IDs of the paper cards of a page in page order.
func cardOrder(body string) []string {
	var ids []string
	for _, m := range cardLink.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// TestDailySubmittedMode checks the home page in submitted daily mode: it
// opens on the latest day with submissions, lists that day's submitted
// papers only (no arXiv part), and its prev and next links step between
// days with submissions, for days, weeks and months.
func TestDailySubmittedMode(t *testing.T) {
	_, anon := submissionDays(t, community.DailySubmitted)
	tests := []struct {
		path       string
		ids        []string // in page order
		prev, next string
		wants      []string
	}{
		{"/", []string{"2212.00001"}, "/?date=2025-03-03", "",
			[]string{"Monday, 10 March 2025", "1 paper submitted by the community<", "submitted by bob"}},
		{"/?date=2025-03-10", []string{"2212.00001"}, "/?date=2025-03-03", "", nil},
		{"/?date=2025-03-03", []string{"2401.00001"}, "/?date=2025-03-01", "/?date=2025-03-10",
			[]string{"submitted by ada", `<a href="/?week=2025-W10">week</a>`}},
		{"/?date=2025-03-01", []string{"2206.06921"}, "", "/?date=2025-03-03", nil},
		{"/?date=2025-03-05", nil, "/?date=2025-03-03", "/?date=2025-03-10",
			[]string{"0 papers submitted by the community<", "No papers were submitted in this day."}},
		{"/?week=2025-W10", []string{"2401.00001"}, "/?week=2025-W09", "/?week=2025-W11",
			[]string{`<a href="/?date=2025-03-03">day</a>`}},
		{"/?week=2025-W09", []string{"2206.06921"}, "", "/?week=2025-W10", nil},
		{"/?month=2025-03", []string{"2212.00001", "2401.00001", "2206.06921"}, "", "",
			[]string{"3 papers submitted by the community<", `<a href="/?date=2025-03-10">day</a>`}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, body := anon.wantStatus("GET", tt.path, nil, http.StatusOK)
			if got := cardOrder(body); !slices.Equal(got, tt.ids) {
				t.Errorf("cards = %q, want %q", got, tt.ids)
			}
			if got := linkRel(body, "prev"); got != tt.prev {
				t.Errorf("prev link = %q, want %q", got, tt.prev)
			}
			if got := linkRel(body, "next"); got != tt.next {
				t.Errorf("next link = %q, want %q", got, tt.next)
			}
			wantContains(t, body, tt.wants...)
			wantNotContains(t, body, "New on arXiv", "Submitted by the community</h2>", "2503.00005")
		})
	}
}

// TestDailySubmittedModeEmpty checks the home page in submitted mode
// before anything is submitted: no arXiv papers, an invitation to submit.
func TestDailySubmittedModeEmpty(t *testing.T) {
	rig := newCommunityRigDaily(t, community.DailySubmitted)
	_, body := rig.browser(t).wantStatus("GET", "/", nil, http.StatusOK)
	wantContains(t, body, "Nothing submitted yet", `<a href="/submit">Submit a paper</a>`)
	wantNotContains(t, body, "No papers yet", "2401.00001")
}

// TestDailyOtherModes checks the home page in the modes that list arXiv's
// new papers: all lists them alone and opens on arXiv's latest day; both
// opens on the later day of the newest submission, lists the day's
// submissions above the arXiv part, and steps to days that have either.
func TestDailyOtherModes(t *testing.T) {
	t.Run("all", func(t *testing.T) {
		_, anon := submissionDays(t, community.DailyAll)
		_, body := anon.wantStatus("GET", "/", nil, http.StatusOK)
		if got := cardOrder(body); !slices.Equal(got, []string{"2503.00005"}) {
			t.Errorf("cards = %q, want arXiv's latest day, 2503.00005", got)
		}
		if got := linkRel(body, "prev"); got != "/?date=2025-03-01" {
			t.Errorf("prev link = %q, want arXiv's day before, 1 March", got)
		}
		wantContains(t, body, "Wednesday, 5 March 2025", "1 paper<")
		wantNotContains(t, body, "Submitted by the community", "New on arXiv", "submitted by the community<")
		_, body = anon.wantStatus("GET", "/?date=2025-03-01", nil, http.StatusOK)
		if got := cardOrder(body); !slices.Equal(got, []string{"2401.00001"}) {
			t.Errorf("1 March: cards = %q, want arXiv's 2401.00001 only", got)
		}
	})
	t.Run("both", func(t *testing.T) {
		_, anon := submissionDays(t, community.DailyBoth)
		_, body := anon.wantStatus("GET", "/", nil, http.StatusOK)
		if got := cardOrder(body); !slices.Equal(got, []string{"2212.00001"}) {
			t.Errorf("cards = %q, want the 10 March submission", got)
		}
		wantContains(t, body, "Monday, 10 March 2025", "Submitted by the community</h2>", "New on arXiv", "0 papers<")
		if got := linkRel(body, "prev"); got != "/?date=2025-03-05" {
			t.Errorf("prev link = %q, want 5 March, arXiv's latest day", got)
		}
		_, body = anon.wantStatus("GET", "/?date=2025-03-05", nil, http.StatusOK)
		if got := linkRel(body, "next"); got != "/?date=2025-03-10" {
			t.Errorf("5 March: next link = %q, want 10 March, a day with a submission", got)
		}
		_, body = anon.wantStatus("GET", "/?date=2025-03-01", nil, http.StatusOK)
		if got := cardOrder(body); !slices.Equal(got, []string{"2206.06921", "2401.00001"}) {
			t.Errorf("1 March: cards = %q, want the submission, then arXiv's paper of the day", got)
		}
	})
}
