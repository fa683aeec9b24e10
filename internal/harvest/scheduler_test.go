package harvest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/jobs"
	"paperboy/internal/store/sqlite"
)

var newYork = DefaultSchedule().Location

func et(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, newYork)
	if err != nil {
		panic(err)
	}
	return t
}

func TestScheduleNextAnnouncement(t *testing.T) {
	s := DefaultSchedule()
	tests := []struct {
		now     string // America/New_York
		want    string
		wantUTC string
	}{
		{"2024-03-06 12:00", "2024-03-06 20:30", "2024-03-07T01:30:00Z"}, // Wednesday, EST
		{"2024-03-06 20:30", "2024-03-07 20:30", "2024-03-08T01:30:00Z"}, // at the slot: the next one
		{"2024-03-07 21:00", "2024-03-10 20:30", "2024-03-11T00:30:00Z"}, // Thursday night: skips Fri, Sat; Sunday is EDT
		{"2024-03-09 23:59", "2024-03-10 20:30", "2024-03-11T00:30:00Z"}, // Saturday
		{"2024-11-02 10:00", "2024-11-03 20:30", "2024-11-04T01:30:00Z"}, // Saturday before fall-back Sunday
		{"2024-11-03 01:30", "2024-11-03 20:30", "2024-11-04T01:30:00Z"}, // inside the repeated hour
	}
	for _, tt := range tests {
		got := s.NextAnnouncement(et(tt.now))
		if !got.Equal(et(tt.want)) || got.UTC().Format(time.RFC3339) != tt.wantUTC {
			t.Errorf("NextAnnouncement(%s ET) = %s (%s), want %s ET (%s)", tt.now,
				got.In(newYork).Format("Mon 2006-01-02 15:04 MST"), got.UTC().Format(time.RFC3339), tt.want, tt.wantUTC)
		}
	}
}

func TestScheduleNext(t *testing.T) {
	s := DefaultSchedule()
	zero := time.Time{}
	tests := []struct {
		name                  string
		now, success, attempt time.Time
		want                  time.Time
		reason                string
	}{
		{"never harvested: at once", et("2024-03-08 10:00"), zero, zero, et("2024-03-08 10:00"), ReasonCatchUp},
		{"Wednesday noon, up to date: the evening's announcement", et("2024-03-06 12:00"), et("2024-03-06 08:00"), et("2024-03-06 08:00"), et("2024-03-06 20:30"), ReasonAnnouncement},
		{"Wednesday night, up to date: Thursday's catch-up", et("2024-03-06 21:00"), et("2024-03-06 20:30"), et("2024-03-06 20:30"), et("2024-03-07 08:00"), ReasonCatchUp},
		{"Friday, up to date: Saturday's catch-up", et("2024-03-08 10:00"), et("2024-03-08 08:00"), et("2024-03-08 08:00"), et("2024-03-09 08:00"), ReasonCatchUp},
		{"Saturday, up to date: Sunday's catch-up", et("2024-03-09 09:00"), et("2024-03-09 08:00"), et("2024-03-09 08:00"), et("2024-03-10 08:00"), ReasonCatchUp},
		{"Sunday after the catch-up: the announcement", et("2024-03-10 08:05"), et("2024-03-10 08:00"), et("2024-03-10 08:00"), et("2024-03-10 20:30"), ReasonAnnouncement},
		{"Thursday failed: Friday morning", et("2024-03-07 20:45"), et("2024-03-06 20:30"), et("2024-03-07 20:30"), et("2024-03-08 08:00"), ReasonCatchUp},
		{"Friday's catch-up failed: Saturday", et("2024-03-08 08:10"), et("2024-03-06 20:30"), et("2024-03-08 08:00"), et("2024-03-09 08:00"), ReasonCatchUp},
		{"down over the slot: at once", et("2024-03-07 23:00"), et("2024-03-06 20:30"), et("2024-03-06 20:30"), et("2024-03-07 23:00"), ReasonCatchUp},
		{"down over the morning catch-up: at once", et("2024-03-08 10:00"), et("2024-03-07 20:30"), et("2024-03-07 20:30"), et("2024-03-08 10:00"), ReasonCatchUp},
		{"another replica ran the slot: the next one", et("2024-03-08 08:00"), et("2024-03-08 08:00"), et("2024-03-07 20:30"), et("2024-03-09 08:00"), ReasonCatchUp},
		{"at the slot, not yet run: due now", et("2024-03-07 20:30"), et("2024-03-07 08:00"), et("2024-03-07 08:00"), et("2024-03-07 20:30"), ReasonCatchUp},
		{"spring forward Sunday: 08:00 EDT", et("2024-03-09 21:00"), et("2024-03-09 08:00"), et("2024-03-09 08:00"), time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC), ReasonCatchUp},
		{"fall back Sunday: 08:00 EST", et("2024-11-02 21:00"), et("2024-11-02 08:00"), et("2024-11-02 08:00"), time.Date(2024, 11, 3, 13, 0, 0, 0, time.UTC), ReasonCatchUp},
	}
	for _, tt := range tests {
		got, reason := s.Next(tt.now, tt.success, tt.attempt)
		if !got.Equal(tt.want) || reason != tt.reason {
			t.Errorf("%s: Next = %s %s, want %s %s", tt.name, got.In(newYork), reason, tt.want.In(newYork), tt.reason)
		}
	}
}

// schedClock is a fake clock for the scheduler loop: After hands the test
// each wait, and the test moves time to it.
type schedClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters chan schedWaiter
}

type schedWaiter struct {
	at time.Time
	ch chan time.Time
}

func (c *schedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *schedClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *schedClock) After(d time.Duration) <-chan time.Time {
	w := schedWaiter{at: c.Now().Add(d), ch: make(chan time.Time, 1)}
	c.waiters <- w
	return w.ch
}

// runLoop runs the service's loop on the fake clock until end, and returns
// when each harvest started.
func runLoop(t *testing.T, s *Service, clock *schedClock, end time.Time) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Loop(ctx); close(done) }()
	for {
		select {
		case w := <-clock.waiters:
			if w.at.After(end) {
				cancel()
				<-done
				return
			}
			clock.set(w.at)
			w.ch <- w.at
		case <-time.After(10 * time.Second):
			t.Fatal("scheduler loop stuck")
		}
	}
}

type fakeRuns struct {
	mu      sync.Mutex
	starts  []time.Time
	active  atomic.Int32
	overlap bool
}

func (r *fakeRuns) times() []time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Time(nil), r.starts...)
}

func newService(t *testing.T, clock *schedClock, runs *fakeRuns, fn func(now time.Time) error) *Service {
	s := &Service{Store: openStore(t, "sched"), Sets: []string{"cs"}, Schedule: DefaultSchedule(),
		Enabled: true, Now: clock.Now, After: clock.After}
	s.harvest = func(ctx context.Context, j Job) error {
		if runs.active.Add(1) > 1 {
			runs.overlap = true
		}
		defer runs.active.Add(-1)
		now := clock.Now()
		runs.mu.Lock()
		runs.starts = append(runs.starts, now)
		runs.mu.Unlock()
		return fn(now)
	}
	return s
}

// TestSchedulerWeek runs the loop over nine days around each DST change:
// a catch-up at start-up (never harvested), then one catch-up at 08:00 New
// York time every day, and one run at 20:30 on each of Sunday to Thursday,
// none on Friday or Saturday evenings; never two at once.
func TestSchedulerWeek(t *testing.T) {
	for _, tc := range []struct{ name, start, end string }{
		{"spring forward", "2024-03-06 12:00", "2024-03-15 00:00"}, // Wed 6 to Thu 14 March; EDT from Sun 10
		{"fall back", "2024-10-30 12:00", "2024-11-08 00:00"},      // Wed 30 Oct to Thu 7 Nov; EST from Sun 3
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &schedClock{now: et(tc.start), waiters: make(chan schedWaiter)}
			runs := &fakeRuns{}
			s := newService(t, clock, runs, func(time.Time) error { return nil })
			runLoop(t, s, clock, et(tc.end))
			got := runs.times()
			// What the schedule says, day by day: every day's 08:00 after the
			// start, each Sunday-to-Thursday 20:30.
			want := []time.Time{et(tc.start)}
			for day := et(tc.start); day.Before(et(tc.end)); day = day.AddDate(0, 0, 1) {
				d := day.Format("2006-01-02")
				if c := et(d + " 08:00"); c.After(et(tc.start)) && c.Before(et(tc.end)) {
					want = append(want, c)
				}
				if wd := day.Weekday(); wd != time.Friday && wd != time.Saturday {
					if a := et(d + " 20:30"); a.After(et(tc.start)) && a.Before(et(tc.end)) {
						want = append(want, a)
					}
				}
			}
			if len(want) != 16 { // start-up, 8 mornings (Thu-Thu), 7 evenings (Wed, Thu, Sun-Thu)
				t.Fatalf("test expects %d runs, want 16", len(want))
			}
			if len(got) != len(want) {
				t.Fatalf("%d runs at %v, want %d at %v", len(got), got, len(want), want)
			}
			mornings := map[time.Weekday]int{}
			for i, r := range got {
				local := r.In(newYork)
				if !r.Equal(want[i]) {
					t.Errorf("run %d at %s, want %s", i, local.Format("Mon 2006-01-02 15:04 MST"), want[i].In(newYork).Format("Mon 2006-01-02 15:04 MST"))
				}
				if i == 0 {
					continue
				}
				switch {
				case local.Hour() == 8 && local.Minute() == 0:
					mornings[local.Weekday()]++
				case local.Hour() == 20 && local.Minute() == 30:
					if wd := local.Weekday(); wd == time.Friday || wd == time.Saturday {
						t.Errorf("evening run on %s", wd)
					}
				default:
					t.Errorf("run at %s, want 08:00 or 20:30 New York time", local.Format("Mon 15:04 MST"))
				}
			}
			for wd := time.Sunday; wd <= time.Saturday; wd++ {
				if mornings[wd] == 0 {
					t.Errorf("no 08:00 catch-up on %s", wd)
				}
			}
			if runs.overlap {
				t.Error("two harvests ran at once")
			}
		})
	}
}

func TestSchedulerCatchUpAndNoOverlap(t *testing.T) {
	clock := &schedClock{now: et("2024-03-06 20:30"), waiters: make(chan schedWaiter)}
	runs := &fakeRuns{}
	var s *Service
	s = newService(t, clock, runs, func(now time.Time) error {
		switch {
		case now.Equal(et("2024-03-07 20:30")): // Thursday's run fails
			return errors.New("arXiv down")
		case now.Equal(et("2024-03-10 20:30")): // Sunday's takes 27 hours
			if err := s.RunNow(context.Background(), "manual"); !errors.Is(err, ErrBusy) {
				t.Errorf("RunNow during a run = %v, want ErrBusy", err)
			}
			clock.set(now.Add(27 * time.Hour))
		}
		return nil
	})
	// Already harvested at Wednesday's slot: no start-up run.
	if _, err := s.Store.RecordHarvestRun(context.Background(), paperboy.HarvestRun{Source: "oai", Set: "cs",
		Started: et("2024-03-06 20:30"), Finished: et("2024-03-06 20:31")}); err != nil {
		t.Fatal(err)
	}
	runLoop(t, s, clock, et("2024-03-13 00:00"))
	want := []string{
		"2024-03-07 08:00", // Thursday's catch-up
		"2024-03-07 20:30", // Thursday: fails
		"2024-03-08 08:00", // Friday's catch-up
		"2024-03-09 08:00", // Saturday's
		"2024-03-10 08:00", // Sunday's
		"2024-03-10 20:30", // Sunday, runs until Monday 23:30, over Monday's two slots:
		"2024-03-11 23:30", // they are caught up once after it, not run beside it
		"2024-03-12 08:00", // Tuesday's catch-up
		"2024-03-12 20:30", // Tuesday
	}
	got := runs.times()
	if len(got) != len(want) {
		t.Fatalf("runs at %v, want %v", got, want)
	}
	for i := range want {
		if !got[i].Equal(et(want[i])) {
			t.Errorf("run %d at %s, want %s", i, got[i].In(newYork).Format("Mon 2006-01-02 15:04"), want[i])
		}
	}
	if runs.overlap {
		t.Error("two harvests ran at once")
	}
}

// TestSchedulerReplicas runs two schedulers on one database, each with
// its own job lease holder: while one harvests, the other's RunNow is
// ErrBusy and harvests nothing; once the first is done, it may.
func TestSchedulerReplicas(t *testing.T) {
	clock := &schedClock{now: et("2024-03-06 20:30"), waiters: make(chan schedWaiter)}
	runsA, runsB := &fakeRuns{}, &fakeRuns{}
	var b *Service
	a := newService(t, clock, runsA, func(time.Time) error {
		if err := b.RunNow(context.Background(), "manual"); !errors.Is(err, ErrBusy) {
			t.Errorf("replica b's RunNow while a harvests = %v, want ErrBusy", err)
		}
		return nil
	})
	b = newService(t, clock, runsB, func(time.Time) error { return nil })
	b.Store = a.Store
	a.Jobs = &jobs.Runner{Store: a.Store.(*sqlite.Store), Holder: "a", Now: clock.Now}
	b.Jobs = &jobs.Runner{Store: a.Store.(*sqlite.Store), Holder: "b", Now: clock.Now}
	if err := a.RunNow(context.Background(), "manual"); err != nil {
		t.Fatalf("a.RunNow: %v", err)
	}
	if n := len(runsB.times()); n != 0 {
		t.Errorf("replica b harvested %d sets while a held the lease", n)
	}
	if err := b.RunNow(context.Background(), "manual"); err != nil {
		t.Errorf("b.RunNow after a finished: %v", err)
	}
	if n := len(runsB.times()); n != 1 {
		t.Errorf("replica b harvested %d sets after a released the lease, want 1", n)
	}
}
