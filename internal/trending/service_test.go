package trending

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/store/sqlite"
)

var now = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// fixture is a real SQLite store with three papers: 2001.00001 (old, two
// upvotes an hour ago), 2503.00002 (new on arXiv two hours ago) and
// 2001.00003 (old, an upvote three days ago, its repository from 100 to
// 440 stars in the last day).
type fixture struct {
	st     *sqlite.Store
	users  []*paperboy.User
	papers []paperboy.ArxivID
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	f := &fixture{st: st, papers: []paperboy.ArxivID{"2001.00001", "2503.00002", "2001.00003"}}
	subs := []time.Time{time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), now.Add(-2 * time.Hour), time.Date(2020, 1, 3, 0, 0, 0, 0, time.UTC)}
	for i, id := range f.papers {
		p := &paperboy.Paper{ID: id, Title: "Paper " + string(id), Submitted: subs[i], Updated: subs[i]}
		if _, err := st.UpsertPapers(ctx, []*paperboy.Paper{p}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		u := &paperboy.User{Email: fmt.Sprintf("u%d@example.org", i), Created: now}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		f.users = append(f.users, u)
	}
	f.vote(t, 0, 0, now.Add(-time.Hour))
	f.vote(t, 1, 0, now.Add(-time.Hour))
	f.vote(t, 0, 2, now.Add(-72*time.Hour))
	err = st.AddSignals(ctx, []paperboy.Signal{
		{PaperID: f.papers[2], Name: paperboy.SignalGitHubStars, Value: 100, Observed: now.Add(-10 * 24 * time.Hour)},
		{PaperID: f.papers[2], Name: paperboy.SignalGitHubStars, Value: 440, Ref: "https://github.com/x/y", Observed: now.Add(-time.Hour)},
		{PaperID: "2402.99999", Name: paperboy.SignalGitHubStars, Value: 9999, Observed: now.Add(-time.Hour)}, // not stored: ignored
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) vote(t *testing.T, user, paper int, at time.Time) {
	t.Helper()
	if _, err := f.st.AddVote(context.Background(), paperboy.Vote{UserID: f.users[user].ID, PaperID: f.papers[paper], Created: at}); err != nil {
		t.Fatal(err)
	}
}

// table returns a window's entries as "id reason" lines.
func table(t *testing.T, s *Service, window string) []string {
	t.Helper()
	items, _, err := s.List(context.Background(), window, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprintf("%d %s: %s", it.Rank, it.PaperID, it.Reason))
	}
	return out
}

func TestRefresh(t *testing.T) {
	f := newFixture(t)
	s := New(Config{Papers: f.st, Store: f.st, Now: func() time.Time { return now }})
	if err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		window string
		want   string
	}{
		{paperboy.WindowDay, "[1 2001.00003: +340 GitHub stars today 2 2001.00001: +2 upvotes today 3 2503.00002: new today]"},
		{paperboy.WindowWeek, "[1 2001.00003: +1 upvote this week, +340 GitHub stars this week 2 2001.00001: +2 upvotes this week 3 2503.00002: new this week]"},
		// 100 stars ten days ago is inside the month: no baseline before it,
		// so growth counts from there.
		{paperboy.WindowMonth, "[1 2001.00003: +1 upvote this month, +340 GitHub stars this month 2 2001.00001: +2 upvotes this month 3 2503.00002: new this month]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(table(t, s, tt.window)); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.window, got, tt.want)
		}
	}
	entries, _, _ := f.st.Trending(context.Background(), paperboy.WindowDay, 1, 0)
	if c := entries[0].Components; c.Stars != 440 || c.StarsGained != 340 || !entries[0].Computed.Equal(now) {
		t.Errorf("top entry components %+v computed %v; want 440 stars, 340 gained, at %v", c, entries[0].Computed, now)
	}
}

// fakeClock hands each timer Run asks for to the test, which fires it.
type fakeClock struct{ timers chan fakeTimer }

type fakeTimer struct {
	d    time.Duration
	fire chan time.Time
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	t := fakeTimer{d: d, fire: make(chan time.Time, 1)}
	c.timers <- t
	return t.fire
}

// next waits for Run's next timer and checks its duration.
func (c *fakeClock) next(t *testing.T, want time.Duration) fakeTimer {
	t.Helper()
	tm := <-c.timers
	if tm.d != want {
		t.Fatalf("Run asked for a %v timer, want %v", tm.d, want)
	}
	return tm
}

// TestRunDebounce drives the background job on a fake clock: a refresh at
// start, pokes collapsed into one refresh after the debounce, and the
// periodic refresh.
func TestRunDebounce(t *testing.T) {
	f := newFixture(t)
	clock := &fakeClock{timers: make(chan fakeTimer)}
	s := New(Config{Papers: f.st, Store: f.st, Now: func() time.Time { return now }, After: clock.After,
		Interval: 5 * time.Minute, Debounce: 10 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	clock.next(t, 5*time.Minute) // the first refresh is done
	if got := len(table(t, s, paperboy.WindowDay)); got != 3 {
		t.Fatalf("after the first refresh: %d entries of the day, want 3", got)
	}
	f.vote(t, 2, 1, now.Add(-time.Minute)) // three votes for the new paper
	f.vote(t, 1, 1, now.Add(-time.Minute))
	f.vote(t, 0, 1, now.Add(-time.Minute))
	s.Poke()
	s.Poke()
	debounce := clock.next(t, 10*time.Second)
	s.Poke() // during the debounce: joins the same refresh
	if got := table(t, s, paperboy.WindowDay)[1]; got != "2 2001.00001: +2 upvotes today" {
		t.Errorf("before the debounce ends, second = %q; the table must not change yet", got)
	}
	debounce.fire <- now
	tick := clock.next(t, 5*time.Minute) // the debounced refresh is done
	if got := table(t, s, paperboy.WindowDay)[1]; got != "2 2503.00002: +3 upvotes today" {
		t.Errorf("after the debounce, second = %q, want the new paper with three upvotes", got)
	}
	if len(s.poke) != 0 {
		t.Errorf("a poke made during the debounce is still pending: it would refresh twice")
	}
	f.vote(t, 2, 0, now.Add(-time.Minute))
	tick.fire <- now
	clock.next(t, 5*time.Minute) // the periodic refresh is done
	if got := table(t, s, paperboy.WindowDay)[2]; got != "3 2001.00001: +3 upvotes today" {
		t.Errorf("after the periodic refresh, third = %q, want 2001.00001 with three upvotes", got)
	}
}
