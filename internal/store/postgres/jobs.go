package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"paperboy"
)

var _ paperboy.JobStore = (*Store)(nil)

// ClaimJob takes or renews the lease of job name in one statement. Two
// replicas claiming at once serialize on the row: INSERT ... ON CONFLICT
// DO UPDATE locks the existing row, and the second re-checks the WHERE
// against the first's committed lease, so only one wins.
func (s *Store) ClaimJob(ctx context.Context, name, holder string, now, expires time.Time) (bool, error) {
	if name == "" || holder == "" {
		return false, paperboy.Errorf(paperboy.EINVALID, "A job lease needs a job name and a holder.")
	}
	const q = `INSERT INTO job_leases (name, holder, expires) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires = EXCLUDED.expires
		WHERE job_leases.holder = EXCLUDED.holder OR job_leases.expires <= $4`
	tag, err := s.pool.Exec(ctx, q, name, holder, expires.Unix(), now.Unix())
	if err != nil {
		return false, dbError("claim job", err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseJob sets the end of holder's lease on name to until.
func (s *Store) ReleaseJob(ctx context.Context, name, holder string, until time.Time) (bool, error) {
	const q = `UPDATE job_leases SET expires = $1 WHERE name = $2 AND holder = $3`
	tag, err := s.pool.Exec(ctx, q, until.Unix(), name, holder)
	if err != nil {
		return false, dbError("release job", err)
	}
	return tag.RowsAffected() == 1, nil
}

// JobLease returns the lease row of job name.
func (s *Store) JobLease(ctx context.Context, name string) (paperboy.JobLease, error) {
	l := paperboy.JobLease{Name: name}
	var expires int64
	err := s.pool.QueryRow(ctx, `SELECT holder, expires FROM job_leases WHERE name = $1`, name).Scan(&l.Holder, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, paperboy.Errorf(paperboy.ENOTFOUND, "Job %s has no lease.", name)
	} else if err != nil {
		return l, dbError("read job lease", err)
	}
	l.Expires = time.Unix(expires, 0).UTC()
	return l, nil
}
