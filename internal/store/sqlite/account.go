package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

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
	const q = `INSERT INTO users (email, name, admin, created) VALUES (?, ?, ?, ?)`
	res, err := s.w.ExecContext(ctx, q, email, u.Name, u.Admin, u.Created.Unix())
	if isConstraint(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE) {
		return paperboy.Errorf(paperboy.ECONFLICT, "A user with the address %s exists already.", email)
	} else if err != nil {
		return dbError("insert user", err)
	}
	if u.ID, err = res.LastInsertId(); err != nil {
		return dbError("insert user", err)
	}
	u.Email, u.Created = email, rowcodec.StoreTime(u.Created)
	return nil
}

const userSelect = `SELECT id, email, name, admin, created FROM users`

func scanUser(row scanner) (*paperboy.User, error) {
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
	u, err := scanUser(s.r.QueryRowContext(ctx, userSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "User %d not found.", id)
	}
	return u, dbError("read user", err)
}

// UserByEmail returns the user with the given address.
func (s *Store) UserByEmail(ctx context.Context, email string) (*paperboy.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	u, err := scanUser(s.r.QueryRowContext(ctx, userSelect+` WHERE email = ?`, email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "No user has the address %s.", email)
	}
	return u, dbError("read user", err)
}

// CreateSignInToken stores a pending sign-in, and drops expired ones on the
// way so the table stays small.
func (s *Store) CreateSignInToken(ctx context.Context, t *paperboy.SignInToken) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin", err)
	}
	defer rollback(tx)
	if _, err := tx.ExecContext(ctx, `DELETE FROM signin_tokens WHERE expires <= ?`, t.Created.Unix()); err != nil {
		return dbError("delete expired sign-in tokens", err)
	}
	const q = `INSERT INTO signin_tokens (hash, email, created, expires) VALUES (?, ?, ?, ?)`
	if _, err := tx.ExecContext(ctx, q, t.Hash, t.Email, t.Created.Unix(), t.Expires.Unix()); err != nil {
		return dbError("insert sign-in token", err)
	}
	return dbError("commit", tx.Commit())
}

// ConsumeSignInToken deletes and returns the unexpired token with the given
// hash. DELETE ... RETURNING makes it single-use even under concurrency.
func (s *Store) ConsumeSignInToken(ctx context.Context, hash []byte, now time.Time) (*paperboy.SignInToken, error) {
	const q = `DELETE FROM signin_tokens WHERE hash = ? RETURNING email, created, expires`
	var t paperboy.SignInToken
	var created, expires int64
	err := s.w.QueryRowContext(ctx, q, hash).Scan(&t.Email, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
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

// TakeRateToken applies b.Take to the stored state of the bucket key.
func (s *Store) TakeRateToken(ctx context.Context, key string, b paperboy.RateBucket, now time.Time) (bool, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return false, dbError("begin", err)
	}
	defer rollback(tx)
	var st paperboy.RateState
	var updated int64
	err = tx.QueryRowContext(ctx, `SELECT tokens, updated FROM rate_buckets WHERE key = ?`, key).Scan(&st.Tokens, &updated)
	switch {
	case err == nil:
		st.Updated = time.UnixMilli(updated).UTC()
	case !errors.Is(err, sql.ErrNoRows):
		return false, dbError("read rate bucket", err)
	}
	st, ok := b.Take(st, now)
	const q = `INSERT INTO rate_buckets (key, tokens, updated) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated = excluded.updated`
	if _, err := tx.ExecContext(ctx, q, key, st.Tokens, st.Updated.UnixMilli()); err != nil {
		return false, dbError("write rate bucket", err)
	}
	return ok, dbError("commit", tx.Commit())
}

// isConstraint reports whether err is the SQLite extended constraint error
// code.
func isConstraint(err error, code int) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == code
}
