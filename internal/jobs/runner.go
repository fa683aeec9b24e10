package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"paperboy"
)

// DefaultTTL is how long a lease lasts unless renewed: the longest a job
// of a replica that died blocks the others.
const DefaultTTL = 30 * time.Second

// ErrLeaseLost is returned by Run when another holder took the lease over
// while the job ran (this replica could not renew it in time).
var ErrLeaseLost = errors.New("job lease lost")

// Runner runs jobs under leases. A nil Runner, or one without a Store,
// runs every job without a lease: one process with nothing to share. It is safe for
// concurrent use once set up.
type Runner struct {
	Store  paperboy.JobStore
	Holder string        // this process in the leases (see NewHolder); required with Store
	TTL    time.Duration // 0: DefaultTTL; renewed every TTL/3
	Now    func() time.Time
	// After is time.After; tests pass a fake clock's to drive renewals.
	After  func(time.Duration) <-chan time.Time
	Logger *slog.Logger

	afterRenew func(held bool) // tests: called after each renewal
}

// NewHolder names a process in the lease column: unique across replicas,
// and readable in the table (host and pid).
func NewHolder() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Run runs fn if this process can claim the lease of job name, and reports
// whether it ran. While fn runs the lease is renewed every TTL/3; if
// another holder takes it over, fn's context is canceled and Run returns
// ErrLeaseLost. After fn succeeds the lease is kept until keep after the
// start (0: released at once), so a job run every keep runs once per
// keep whichever replica's timer fires; after a failure it is released at
// once, so another replica may retry.
func (r *Runner) Run(ctx context.Context, name string, keep time.Duration, fn func(context.Context) error) (bool, error) {
	if r == nil || r.Store == nil {
		return true, fn(ctx)
	}
	start := r.now()
	ok, err := r.Store.ClaimJob(ctx, name, r.holder(), start, start.Add(r.ttl()))
	if err != nil || !ok {
		return false, err
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		r.renew(runCtx, name, start.Add(r.ttl()), cancel)
	}()
	err = fn(runCtx)
	lost := context.Cause(runCtx)
	cancel(nil)
	<-renewed
	if errors.Is(lost, ErrLeaseLost) {
		return true, errors.Join(err, fmt.Errorf("job %s: %w", name, ErrLeaseLost))
	}
	until := r.now()
	if err == nil && keep > 0 {
		until = start.Add(keep)
	}
	// A failed release leaves the lease to expire on its own: the job runs
	// again one TTL later at worst.
	if _, rerr := r.Store.ReleaseJob(context.WithoutCancel(ctx), name, r.holder(), until); rerr != nil {
		r.logger().Warn("job_release_failed", "job", name, "err", rerr)
	}
	return true, err
}

// renew extends the lease every TTL/3 until ctx ends. It cancels the job
// when the lease is lost: taken by another holder, or expired while the
// store could not be reached.
func (r *Runner) renew(ctx context.Context, name string, expires time.Time, cancel context.CancelCauseFunc) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.after(r.ttl() / 3):
		}
		now := r.now()
		held, err := r.Store.ClaimJob(ctx, name, r.holder(), now, now.Add(r.ttl()))
		if ctx.Err() != nil {
			return
		}
		switch {
		case err == nil && held:
			expires = now.Add(r.ttl())
		case err == nil:
			cancel(ErrLeaseLost)
		case !now.Before(expires):
			r.logger().Error("job_renew_failed", "job", name, "err", err)
			cancel(ErrLeaseLost)
		default:
			r.logger().Warn("job_renew_failed", "job", name, "err", err)
		}
		if r.afterRenew != nil {
			r.afterRenew(err == nil && held)
		}
		if context.Cause(ctx) != nil {
			return
		}
	}
}

// New returns a Runner of store's leases for this process.
func New(store paperboy.JobStore, logger *slog.Logger) *Runner {
	return &Runner{Store: store, Holder: NewHolder(), Logger: logger}
}

func (r *Runner) holder() string { return r.Holder }

func (r *Runner) ttl() time.Duration {
	if r.TTL > 0 {
		return r.TTL
	}
	return DefaultTTL
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) after(d time.Duration) <-chan time.Time {
	if r.After != nil {
		return r.After(d)
	}
	return time.After(d)
}

func (r *Runner) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.New(slog.DiscardHandler)
}
