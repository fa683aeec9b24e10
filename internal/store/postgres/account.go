package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"paperboy"
	"paperboy/internal/store/rowcodec"
)

var _ paperboy.AccountStore = (*Store)(nil)

// CreateUser stores u and sets its ID.
func (s *Store) CreateUser(ctx context.Context, u *paperboy.User) error {
	email := strings.ToLower(strings.TrimSpace(u.Email))
	if email == "" {
		return paperboy.Errorf(paperboy.EINVALID, "A user needs an e-mail address.")
	}
	const q = `INSERT INTO users (email, name, admin, created) VALUES ($1, $2, $3, $4) RETURNING id`
	err := s.pool.QueryRow(ctx, q, email, u.Name, u.Admin, u.Created.Unix()).Scan(&u.ID)
	if isCode(err, codeUniqueViolation) {
		return paperboy.Errorf(paperboy.ECONFLICT, "A user with the address %s exists already.", email)
	} else if err != nil {
		return dbError("insert user", err)
	}
	u.Email, u.Created = email, rowcodec.StoreTime(u.Created)
	return nil
}

const userSelect = `SELECT id, email, name, admin, created FROM users`

func scanUser(row pgx.Row) (*paperboy.User, error) {
	var u paperboy.User
	var created int64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Admin, &created); err != nil {
		return nil, err
	}
	u.Created = time.Unix(created, 0).UTC()
	return &u, nil
}

// User returns the user with the given ID.
func (s *Store) User(ctx context.Context, id int64) (*paperboy.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, userSelect+` WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "User %d not found.", id)
	}
	return u, dbError("read user", err)
}

// UserByEmail returns the user with the given address.
func (s *Store) UserByEmail(ctx context.Context, email string) (*paperboy.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := scanUser(s.pool.QueryRow(ctx, userSelect+` WHERE email = $1`, email))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "No user has the address %s.", email)
	}
	return u, dbError("read user", err)
}

// CreateSignInToken stores a pending sign-in, and drops expired ones on the
// way so the table stays small.
func (s *Store) CreateSignInToken(ctx context.Context, t *paperboy.SignInToken) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return dbError("begin", err)
	}
	defer rollback(ctx, tx)
	if _, err := tx.Exec(ctx, `DELETE FROM signin_tokens WHERE expires <= $1`, t.Created.Unix()); err != nil {
		return dbError("delete expired sign-in tokens", err)
	}
	const q = `INSERT INTO signin_tokens (hash, email, created, expires) VALUES ($1, $2, $3, $4)`
	if _, err := tx.Exec(ctx, q, t.Hash, t.Email, t.Created.Unix(), t.Expires.Unix()); err != nil {
		return dbError("insert sign-in token", err)
	}
	return dbError("commit", tx.Commit(ctx))
}

// ConsumeSignInToken deletes and returns the unexpired token with the given
// hash. DELETE ... RETURNING makes it single-use even across replicas.
func (s *Store) ConsumeSignInToken(ctx context.Context, hash []byte, now time.Time) (*paperboy.SignInToken, error) {
	const q = `DELETE FROM signin_tokens WHERE hash = $1 RETURNING email, created, expires`
	var t paperboy.SignInToken
	var created, expires int64
	err := s.pool.QueryRow(ctx, q, hash).Scan(&t.Email, &created, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, errSignInToken
	} else if err != nil {
		return nil, dbError("consume sign-in token", err)
	}
	t.Hash, t.Created, t.Expires = hash, time.Unix(created, 0).UTC(), time.Unix(expires, 0).UTC()
	if !now.Before(t.Expires) {
		return nil, errSignInToken
	}
	return &t, nil
}

var errSignInToken = paperboy.Errorf(paperboy.ENOTFOUND, "This sign-in link is not valid: it was used already or has expired.")

// TakeRateToken applies b.Take to the stored state of the bucket key. The
// row is created full if missing and then locked, so replicas taking from
// one bucket at once queue on it instead of both reading the old state.
func (s *Store) TakeRateToken(ctx context.Context, key string, b paperboy.RateBucket, now time.Time) (bool, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return false, dbError("begin", err)
	}
	defer rollback(ctx, tx)
	const create = `INSERT INTO rate_buckets (key, tokens, updated) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`
	if _, err := tx.Exec(ctx, create, key, float64(b.Burst), now.UnixMilli()); err != nil {
		return false, dbError("create rate bucket", err)
	}
	var st paperboy.RateState
	var updated int64
	err = tx.QueryRow(ctx, `SELECT tokens, updated FROM rate_buckets WHERE key = $1 FOR UPDATE`, key).Scan(&st.Tokens, &updated)
	if err != nil {
		return false, dbError("read rate bucket", err)
	}
	st.Updated = time.UnixMilli(updated).UTC()
	st, ok := b.Take(st, now)
	const q = `UPDATE rate_buckets SET tokens = $2, updated = $3 WHERE key = $1`
	if _, err := tx.Exec(ctx, q, key, st.Tokens, st.Updated.UnixMilli()); err != nil {
		return false, dbError("write rate bucket", err)
	}
	return ok, dbError("commit", tx.Commit(ctx))
}

// isCode reports whether err is a PostgreSQL error with the given code.
func isCode(err error, code string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == code
}
