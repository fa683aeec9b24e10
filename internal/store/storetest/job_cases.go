package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"paperboy"
)

// jobCases are the conformance cases of paperboy.JobStore.
var jobCases = []struct {
	name string
	fn   func(t *testing.T, open Opener)
}{
	{"JobLease", testJobLease},
	{"JobRelease", testJobRelease},
	{"JobClaimConcurrent", testJobClaimConcurrent},
	{"JobLeaseRead", testJobLeaseRead},
}

var jobNow = date("2025-03-03T06:00:00Z")

func jobStore(t *testing.T, open Opener) paperboy.JobStore {
	t.Helper()
	s := newStore(t, open)
	js, ok := s.(paperboy.JobStore)
	if !ok {
		t.Fatalf("%T does not implement paperboy.JobStore", s)
	}
	return js
}

func claim(t *testing.T, s paperboy.JobStore, name, holder string, now, until time.Time) bool {
	t.Helper()
	ok, err := s.ClaimJob(context.Background(), name, holder, now, until)
	if err != nil {
		t.Fatalf("ClaimJob(%s, %s): %v", name, holder, err)
	}
	return ok
}

func testJobLease(t *testing.T, open Opener) {
	s := jobStore(t, open)
	min := func(n int) time.Time { return jobNow.Add(time.Duration(n) * time.Minute) }
	steps := []struct {
		what         string
		name, holder string
		now, until   time.Time
		want         bool
	}{
		{"first claim", "harvest", "a", min(0), min(1), true},
		{"other holder while the lease runs", "harvest", "b", min(0), min(2), false},
		{"other job is independent", "trending", "b", min(0), min(1), true},
		{"holder renews", "harvest", "a", min(0), min(3), true},
		{"other holder before the renewed end", "harvest", "b", min(2), min(4), false},
		{"other holder once the lease expired", "harvest", "b", min(3), min(5), true},
		{"old holder lost it", "harvest", "a", min(3), min(6), false},
	}
	for _, st := range steps {
		if got := claim(t, s, st.name, st.holder, st.now, st.until); got != st.want {
			t.Errorf("%s: ClaimJob(%s, %s) = %v, want %v", st.what, st.name, st.holder, got, st.want)
		}
	}
	_, err := s.ClaimJob(context.Background(), "", "a", jobNow, min(1))
	wantCode(t, "ClaimJob without a name", err, paperboy.EINVALID)
	_, err = s.ClaimJob(context.Background(), "harvest", "", jobNow, min(1))
	wantCode(t, "ClaimJob without a holder", err, paperboy.EINVALID)
}

func testJobRelease(t *testing.T, open Opener) {
	ctx := context.Background()
	s := jobStore(t, open)
	later := jobNow.Add(time.Hour)
	claim(t, s, "trending", "a", jobNow, later)
	if ok, err := s.ReleaseJob(ctx, "trending", "b", jobNow); err != nil || ok {
		t.Errorf("ReleaseJob by a non-holder = %v, %v; want false, nil", ok, err)
	}
	if claim(t, s, "trending", "b", jobNow, later) {
		t.Errorf("a non-holder's release freed the lease")
	}
	// Kept after a run: nobody runs it again before the kept end, not even
	// with the lease's original end long past.
	kept := jobNow.Add(5 * time.Minute)
	if ok, err := s.ReleaseJob(ctx, "trending", "a", kept); err != nil || !ok {
		t.Fatalf("ReleaseJob(kept) = %v, %v; want true, nil", ok, err)
	}
	if claim(t, s, "trending", "b", kept.Add(-time.Second), later) {
		t.Errorf("claimed before the kept end")
	}
	if !claim(t, s, "trending", "b", kept, later) {
		t.Errorf("not claimable at the kept end")
	}
	// Released at once: free for anyone.
	if ok, err := s.ReleaseJob(ctx, "trending", "b", jobNow); err != nil || !ok {
		t.Fatalf("ReleaseJob(now) = %v, %v; want true, nil", ok, err)
	}
	if !claim(t, s, "trending", "c", jobNow, later) {
		t.Errorf("not claimable after release")
	}
	if ok, err := s.ReleaseJob(ctx, "nosuchjob", "a", jobNow); err != nil || ok {
		t.Errorf("ReleaseJob(unknown job) = %v, %v; want false, nil", ok, err)
	}
}

// testJobClaimConcurrent races claimers for one free lease, round after
// round (each round starting once the last lease expired): exactly one
// wins each round.
func testJobClaimConcurrent(t *testing.T, open Opener) {
	s := jobStore(t, open)
	const claimers, rounds = 8, 10
	for r := range rounds {
		now := jobNow.Add(time.Duration(r) * time.Minute)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var winners []string
		for c := range claimers {
			holder := fmt.Sprintf("replica-%d", c)
			wg.Go(func() {
				var ok bool
				var err error
				for range 50 { // a busy database is retried, as internal/jobs does
					ok, err = s.ClaimJob(context.Background(), "digest", holder, now, now.Add(time.Minute))
					if paperboy.ErrorCode(err) != paperboy.EUNAVAILABLE {
						break
					}
				}
				if err != nil {
					t.Errorf("ClaimJob(%s): %v", holder, err)
				}
				if ok {
					mu.Lock()
					winners = append(winners, holder)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(winners) != 1 {
			t.Errorf("round %d: winners %v, want exactly one", r, winners)
		}
	}
}

// testJobLeaseRead reads a lease back as claimed, renewed and released,
// and a lease of a job nobody claimed as ENOTFOUND.
func testJobLeaseRead(t *testing.T, open Opener) {
	ctx := context.Background()
	s := jobStore(t, open)
	_, err := s.JobLease(ctx, "harvest")
	wantCode(t, "JobLease before any claim", err, paperboy.ENOTFOUND)
	want := func(what, holder string, expires time.Time) {
		t.Helper()
		l, err := s.JobLease(ctx, "harvest")
		if err != nil {
			t.Fatalf("%s: JobLease: %v", what, err)
		}
		if l.Name != "harvest" || l.Holder != holder || !l.Expires.Equal(expires) {
			t.Errorf("%s: JobLease = %+v, want harvest held by %s until %v", what, l, holder, expires)
		}
	}
	claim(t, s, "harvest", "web-1/4711/0a1b", jobNow, jobNow.Add(30*time.Second))
	want("claimed", "web-1/4711/0a1b", jobNow.Add(30*time.Second))
	claim(t, s, "harvest", "web-1/4711/0a1b", jobNow.Add(10*time.Second), jobNow.Add(40*time.Second))
	want("renewed", "web-1/4711/0a1b", jobNow.Add(40*time.Second))
	if _, err := s.ReleaseJob(ctx, "harvest", "web-1/4711/0a1b", jobNow.Add(15*time.Second)); err != nil {
		t.Fatal(err)
	}
	want("released", "web-1/4711/0a1b", jobNow.Add(15*time.Second))
	if l, _ := s.JobLease(ctx, "harvest"); l.Held(jobNow.Add(15*time.Second)) || !l.Held(jobNow.Add(14*time.Second)) {
		t.Errorf("Held: a lease is held until, not at, its end")
	}
}
