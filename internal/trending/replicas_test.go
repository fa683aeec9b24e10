package trending

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/jobs"
)

// TestPeriodicOncePerInterval runs the periodic refresh of two replicas
// on one database: the second skips while the first's lease is kept for
// the interval, and refreshes once the interval has passed.
func TestPeriodicOncePerInterval(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var leaseNow atomic.Int64
	leaseNow.Store(now.Unix())
	clock := func() time.Time { return time.Unix(leaseNow.Load(), 0).UTC() }
	replica := func(holder string) *Service {
		return New(Config{Papers: f.st, Store: f.st, Now: func() time.Time { return now }, Interval: 5 * time.Minute,
			Jobs: &jobs.Runner{Store: f.st, Holder: holder, Now: clock}})
	}
	a, b := replica("a"), replica("b")
	a.periodic(ctx)
	if got := len(table(t, a, paperboy.WindowDay)); got != 3 {
		t.Fatalf("after a's refresh: %d entries of the day, want 3", got)
	}
	before := table(t, b, paperboy.WindowDay)[1]
	f.vote(t, 2, 1, now.Add(-time.Minute)) // three votes for the new paper
	f.vote(t, 1, 1, now.Add(-time.Minute))
	f.vote(t, 0, 1, now.Add(-time.Minute))

	leaseNow.Store(now.Add(4 * time.Minute).Unix())
	b.periodic(ctx)
	if got := table(t, b, paperboy.WindowDay)[1]; got != before {
		t.Errorf("b refreshed within a's interval: second = %q, want %q", got, before)
	}
	leaseNow.Store(now.Add(5 * time.Minute).Unix())
	b.periodic(ctx)
	if got := table(t, b, paperboy.WindowDay)[1]; got != "2 2503.00002: +3 upvotes today" {
		t.Errorf("after the interval, b's refresh gave second = %q, want the new paper with three upvotes", got)
	}
}
