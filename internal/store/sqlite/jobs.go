package sqlite

import (
	"context"
	"database/sql"
	"errors"
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

// JobLease returns the lease row of job name.
func (s *Store) JobLease(ctx context.Context, name string) (paperboy.JobLease, error) {
	l := paperboy.JobLease{Name: name}
	var expires int64
	err := s.r.QueryRowContext(ctx, `SELECT holder, expires FROM job_leases WHERE name = ?`, name).Scan(&l.Holder, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return l, paperboy.Errorf(paperboy.ENOTFOUND, "Job %s has no lease.", name)
	} else if err != nil {
		return l, dbError("read job lease", err)
	}
	l.Expires = time.Unix(expires, 0).UTC()
	return l, nil
}
