package community

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/store/sqlite"
)

// dailyFixture is a real SQLite store on 10 March 2025 with 2503.00001 and
// 2503.00002 new on arXiv that day (08:00, 10:00) and 2001.00003 from 2020;
// ada submits 2001.00003 at 09:00 and 2503.00002 at 11:00.
func dailyFixture(t *testing.T, mode string) (*Service, *paperboy.User, func(paperboy.ArxivID, int)) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	day := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	for id, at := range map[paperboy.ArxivID]time.Time{
		"2503.00001": day.Add(8 * time.Hour), "2503.00002": day.Add(10 * time.Hour), "2001.00003": time.Date(2020, 1, 3, 0, 0, 0, 0, time.UTC),
	} {
		if _, err := st.UpsertPapers(ctx, []*paperboy.Paper{{ID: id, Title: "Paper " + id.String(), Submitted: at, Updated: at}}); err != nil {
			t.Fatal(err)
		}
	}
	ada := &paperboy.User{Email: "ada@example.org", Name: "Ada", Created: day}
	if err := st.CreateUser(ctx, ada); err != nil {
		t.Fatal(err)
	}
	var now time.Time
	s := New(Config{Papers: st, Store: st, Daily: mode, Now: func() time.Time { return now }})
	submit := func(id paperboy.ArxivID, hour int) {
		t.Helper()
		now = day.Add(time.Duration(hour) * time.Hour)
		if _, err := s.Submit(ctx, ada, id.String(), ""); err != nil {
			t.Fatal(err)
		}
	}
	return s, ada, submit
}

// listing returns a page of the day's listing as "id" or "id*" for a
// submission, and the listing's length.
func listing(t *testing.T, s *Service, f DailyFilter) string {
	t.Helper()
	if f.From.IsZero() {
		f.From = time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
		f.To = f.From.AddDate(0, 0, 1)
	}
	items, total, err := s.Daily(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	out := ""
	for _, it := range items {
		out += it.Paper.ID.String()
		if it.Submission != nil {
			out += "*"
		}
		out += " "
	}
	return fmt.Sprintf("%s(%d)", out, total)
}

func TestDailyModes(t *testing.T) {
	tests := []struct {
		mode   string
		before string // before any submission
		after  string
	}{
		{DailyAll, "2503.00002 2503.00001 (2)", "2503.00002 2503.00001 (2)"},
		{DailySubmitted, "(0)", "2503.00002* 2001.00003* (2)"},
		{DailyBoth, "2503.00002 2503.00001 (2)", "2503.00002* 2001.00003* 2503.00001 (3)"},
		{DailyAuto, "2503.00002 2503.00001 (2)", "2503.00002* 2001.00003* 2503.00001 (3)"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			s, _, submit := dailyFixture(t, tt.mode)
			if got := listing(t, s, DailyFilter{}); got != tt.before {
				t.Errorf("before submissions: %s, want %s", got, tt.before)
			}
			submit("2001.00003", 9)
			submit("2503.00002", 11)
			if got := listing(t, s, DailyFilter{}); got != tt.after {
				t.Errorf("after submissions: %s, want %s", got, tt.after)
			}
		})
	}
}

// TestDailyPaging pages through a both-mode listing one item at a time:
// the pages hold each paper once, submissions first, and the total stays
// the listing's length.
func TestDailyPaging(t *testing.T) {
	s, _, submit := dailyFixture(t, DailyBoth)
	submit("2001.00003", 9)
	submit("2503.00002", 11)
	want := []string{"2503.00002* (3)", "2001.00003* (3)", "2503.00001 (3)", "(3)"}
	for i, w := range want {
		if got := listing(t, s, DailyFilter{Limit: 1, Offset: i}); got != w {
			t.Errorf("offset %d: %s, want %s", i, got, w)
		}
	}
	if got := listing(t, s, DailyFilter{Limit: 2, Offset: 1}); got != "2001.00003* 2503.00001 (3)" {
		t.Errorf("limit 2 offset 1: %s", got)
	}
}

func TestDailySubmitterAndLatestDay(t *testing.T) {
	s, _, submit := dailyFixture(t, DailyAuto)
	if day, err := s.LatestDay(context.Background()); err != nil || !day.IsZero() {
		t.Errorf("LatestDay before submissions = %v, %v; want zero", day, err)
	}
	submit("2001.00003", 9)
	submit("2503.00002", 35) // 11 March, 11:00
	if got := listing(t, s, DailyFilter{Submitter: "ADA"}); got != "2001.00003* (1)" {
		t.Errorf("submitter ADA on 10 March: %s, want ada's one submission that day", got)
	}
	all := DailyFilter{From: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), Submitter: "ada"}
	if got := listing(t, s, all); got != "2503.00002* 2001.00003* (2)" {
		t.Errorf("submitter ada in March: %s", got)
	}
	all.Submitter = "bob"
	if got := listing(t, s, all); got != "(0)" {
		t.Errorf("submitter bob: %s, want nothing", got)
	}

	// A user without a display name is user-ID, in any case too.
	anon := &paperboy.User{Email: "anon@example.org", Created: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.store.(interface {
		CreateUser(context.Context, *paperboy.User) error
	}).CreateUser(context.Background(), anon); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(context.Background(), anon, "2503.00001", ""); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{anon.PublicName(), strings.ToUpper(anon.PublicName())} {
		all.Submitter = name
		if got := listing(t, s, all); got != "2503.00001* (1)" {
			t.Errorf("submitter %s: %s, want its one submission", name, got)
		}
	}
	day, err := s.LatestDay(context.Background())
	if want := time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC); err != nil || !day.Equal(want) {
		t.Errorf("LatestDay = %v, %v; want %v", day, err, want)
	}
}

// TestListingDays checks the days the daily pages step between: days with
// submissions in submitted mode, with new arXiv papers in all mode, with
// either in both mode. Submissions fall on 10, 11 and 15 March 2025; arXiv
// papers on 3 January 2020 and 10 March 2025.
func TestListingDays(t *testing.T) {
	d := func(month time.Month, day int) time.Time { return time.Date(2025, month, day, 0, 0, 0, 0, time.UTC) }
	jan2, jan3 := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2020, 1, 3, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		mode     string
		from, to time.Time
		want     PeriodDays
	}{
		{DailySubmitted, d(3, 11), d(3, 12), PeriodDays{Prev: d(3, 10), Last: d(3, 11), Next: d(3, 15)}},
		{DailySubmitted, d(3, 12), d(3, 13), PeriodDays{Prev: d(3, 11), Next: d(3, 15)}},
		{DailySubmitted, d(3, 16), d(3, 17), PeriodDays{Prev: d(3, 15)}},
		{DailySubmitted, d(3, 1), d(4, 1), PeriodDays{Last: d(3, 15)}},
		{DailySubmitted, jan2, jan3, PeriodDays{Next: d(3, 10)}},
		{DailyAll, d(3, 11), d(3, 12), PeriodDays{Prev: d(3, 10)}},
		{DailyAll, jan2, jan3, PeriodDays{Next: jan3}},
		{DailyBoth, d(3, 11), d(3, 12), PeriodDays{Prev: d(3, 10), Last: d(3, 11), Next: d(3, 15)}},
		{DailyBoth, jan2, jan3, PeriodDays{Next: jan3}},
		{DailyBoth, d(3, 16), d(3, 17), PeriodDays{Prev: d(3, 15)}},
	}
	services := map[string]*Service{}
	for _, mode := range []string{DailySubmitted, DailyAll, DailyBoth} {
		s, _, submit := dailyFixture(t, mode)
		submit("2001.00003", 9)
		submit("2503.00002", 35)
		submit("2503.00001", 5*24+1)
		services[mode] = s
	}
	for _, tt := range tests {
		got, err := services[tt.mode].ListingDays(context.Background(), tt.from, tt.to)
		if err != nil || got != tt.want {
			t.Errorf("%s [%s, %s): %+v, %v; want %+v", tt.mode, tt.from.Format(time.DateOnly), tt.to.Format(time.DateOnly), got, err, tt.want)
		}
	}
}
