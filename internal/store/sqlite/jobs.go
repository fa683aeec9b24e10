package sqlite

import (
	"context"
	"time"

	"paperboy"
)

var _ paperboy.JobStore = (*Store)(nil)

// ClaimJob takes or renews the lease of job name in one statement: the
// upsert's WHERE lets the row change only if the lease is free or holder's.
// SQLite has one writer at a time, so two claimers never both win.
func (s *Store) ClaimJob(ctx context.Context, name, holder string, now, expires time.Time) (bool, error) {
	if name == "" || holder == "" {
		return false, paperboy.Errorf(paperboy.EINVALID, "A job lease needs a job name and a holder.")
	}
	const q = `INSERT INTO job_leases (name, holder, expires) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires = excluded.expires
		WHERE job_leases.holder = excluded.holder OR job_leases.expires <= ?`
	res, err := s.w.ExecContext(ctx, q, name, holder, expires.Unix(), now.Unix())
	if err != nil {
		return false, dbError("claim job", err)
	}
	n, err := res.RowsAffected()
	return n == 1, dbError("claim job", err)
}

// ReleaseJob sets the end of holder's lease on name to until.
func (s *Store) ReleaseJob(ctx context.Context, name, holder string, until time.Time) (bool, error) {
	const q = `UPDATE job_leases SET expires = ? WHERE name = ? AND holder = ?`
	res, err := s.w.ExecContext(ctx, q, until.Unix(), name, holder)
	if err != nil {
		return false, dbError("release job", err)
	}
	n, err := res.RowsAffected()
	return n == 1, dbError("release job", err)
}
