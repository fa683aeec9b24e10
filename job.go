package paperboy

import (
	"context"
	"time"
)

// JobStore keeps the leases of background jobs (harvest, trending refresh,
// digest composition), so that several serve replicas on one database run
// each job once: a replica runs a job only while it holds the job's lease.
// Times are stored to the second. The rules (how long a lease lasts, when
// it is renewed, how long it is kept after a run) live in internal/jobs.
type JobStore interface {
	// ClaimJob gives the lease of job name to holder until expires, if
	// nobody holds it, its lease has expired at now, or holder holds it
	// already (a renewal). It reports whether holder holds the lease
	// afterwards. Returns EINVALID for an empty name or holder.
	ClaimJob(ctx context.Context, name, holder string, now, expires time.Time) (bool, error)

	// ReleaseJob moves the end of holder's lease on name to until: now to
	// let any replica run the job again at once, later to keep it from
	// running again before then. It reports whether holder still held the
	// lease; a lease another holder took over is left alone.
	ReleaseJob(ctx context.Context, name, holder string, until time.Time) (bool, error)

	// JobLease returns the lease of job name as last claimed, renewed or
	// released, expired or not, so a process that could not claim it can
	// say who holds it. Returns ENOTFOUND if the job was never claimed.
	JobLease(ctx context.Context, name string) (JobLease, error)
}

// JobLease is who holds a job's lease and until when: the holder renews
// it while the job runs, so a lease whose holder died lapses at Expires.
type JobLease struct {
	Name    string
	Holder  string
	Expires time.Time
}

// Held reports whether the lease is still in force at now.
func (l JobLease) Held(now time.Time) bool { return now.Before(l.Expires) }
