package jobs

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/store/sqlite"
)

var t0 = time.Date(2025, 3, 3, 6, 0, 0, 0, time.UTC)

// clock is a fake clock; its After channel delivers only what the test
// sends, so the test decides when a renewal happens.
type clock struct {
	mu    sync.Mutex
	now   time.Time
	ticks chan time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *clock) After(time.Duration) <-chan time.Time { return c.ticks }

// replicas returns runners named a and b on one SQLite database, sharing
// one fake clock at t0.
func replicas(t *testing.T) (a, b *Runner, c *clock, js paperboy.JobStore) {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "jobs.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c = &clock{now: t0, ticks: make(chan time.Time)}
	mk := func(holder string) *Runner {
		return &Runner{Store: st, Holder: holder, TTL: 30 * time.Second, Now: c.Now, After: c.After}
	}
	return mk("a"), mk("b"), c, st
}

func mustRun(t *testing.T, r *Runner, name string, keep time.Duration, fn func(context.Context) error) (bool, error) {
	t.Helper()
	ran, err := r.Run(context.Background(), name, keep, fn)
	if err != nil && !ran {
		t.Fatalf("%s.Run(%s): %v", r.Holder, name, err)
	}
	return ran, err
}

func nothing(context.Context) error { return nil }

func TestRunExclusive(t *testing.T) {
	a, b, _, _ := replicas(t)
	var inner bool
	ran, err := mustRun(t, a, "harvest", 0, func(context.Context) error {
		inner, _ = mustRun(t, b, "harvest", 0, nothing)
		return nil
	})
	if !ran || err != nil {
		t.Fatalf("a.Run = %v, %v; want ran", ran, err)
	}
	if inner {
		t.Errorf("b ran harvest while a held its lease")
	}
	if ran, _ := mustRun(t, b, "harvest", 0, nothing); !ran {
		t.Errorf("b did not run harvest after a released it")
	}
}

func TestRunKeep(t *testing.T) {
	tests := []struct {
		name    string
		fnErr   error
		keep    time.Duration
		wait    time.Duration // clock advance before b tries
		wantRan bool
	}{
		{"kept for the period", nil, 5 * time.Minute, 4 * time.Minute, false},
		{"free once the period ends", nil, 5 * time.Minute, 5 * time.Minute, true},
		{"failure is released at once", errors.New("boom"), 5 * time.Minute, 0, true},
		{"no keep is released at once", nil, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b, c, _ := replicas(t)
			if _, err := mustRun(t, a, "trending", tt.keep, func(context.Context) error { return tt.fnErr }); !errors.Is(err, tt.fnErr) {
				t.Fatalf("a.Run error %v, want %v", err, tt.fnErr)
			}
			c.set(t0.Add(tt.wait))
			if got, _ := mustRun(t, b, "trending", tt.keep, nothing); got != tt.wantRan {
				t.Errorf("b ran = %v, want %v", got, tt.wantRan)
			}
		})
	}
}

// TestRunRenews holds a job past its first lease's end: the renewal keeps
// the other replica out.
func TestRunRenews(t *testing.T) {
	a, b, c, _ := replicas(t)
	held := make(chan bool, 1)
	a.afterRenew = func(ok bool) { held <- ok }
	var bRan bool
	_, err := mustRun(t, a, "harvest", 0, func(context.Context) error {
		c.set(t0.Add(20 * time.Second))
		c.ticks <- c.Now()
		if !<-held {
			t.Errorf("renewal did not hold the lease")
		}
		c.set(t0.Add(40 * time.Second)) // past the first lease, within the renewed one
		bRan, _ = mustRun(t, b, "harvest", 0, nothing)
		return nil
	})
	if err != nil {
		t.Fatalf("a.Run: %v", err)
	}
	if bRan {
		t.Errorf("b ran harvest within a's renewed lease")
	}
}

// TestRunLeaseLost lets a's lease expire and b take it over: a's job is
// canceled, Run says so, and a's release leaves b's lease alone.
func TestRunLeaseLost(t *testing.T) {
	a, _, c, js := replicas(t)
	ran, err := mustRun(t, a, "harvest", time.Hour, func(ctx context.Context) error {
		c.set(t0.Add(31 * time.Second))
		if ok, err := js.ClaimJob(ctx, "harvest", "b", c.Now(), c.Now().Add(time.Minute)); err != nil || !ok {
			t.Fatalf("b's claim of the expired lease = %v, %v", ok, err)
		}
		c.ticks <- c.Now()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
			return errors.New("job not canceled after its lease was lost")
		}
	})
	if !ran || !errors.Is(err, ErrLeaseLost) {
		t.Errorf("a.Run = %v, %v; want ran, ErrLeaseLost", ran, err)
	}
	if ok, err := js.ClaimJob(context.Background(), "harvest", "c", c.Now(), c.Now().Add(time.Minute)); err != nil || ok {
		t.Errorf("c claimed b's lease (%v, %v): a's release touched it", ok, err)
	}
}

func TestRunWithoutStore(t *testing.T) {
	var r Runner
	called := false
	ran, err := r.Run(context.Background(), "harvest", 0, func(context.Context) error { called = true; return nil })
	if !ran || err != nil || !called {
		t.Errorf("Run without a store = %v, %v (called %v); want it run", ran, err, called)
	}
}
