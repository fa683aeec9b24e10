package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"paperboy"
	"paperboy/internal/store/rowcodec"
)

// CreateSession stores s and sets its ID.
func (st *Store) CreateSession(ctx context.Context, s *paperboy.Session) error {
	const q = `INSERT INTO sessions (user_id, hash, user_agent, created, expires) VALUES (?, ?, ?, ?, ?)`
	res, err := st.w.ExecContext(ctx, q, s.UserID, s.Hash, s.UserAgent, s.Created.Unix(), s.Expires.Unix())
	if isConstraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY) {
		return paperboy.Errorf(paperboy.ENOTFOUND, "User %d not found.", s.UserID)
	} else if err != nil {
		return dbError("insert session", err)
	}
	s.ID, err = res.LastInsertId()
	s.Created, s.Expires = rowcodec.StoreTime(s.Created), rowcodec.StoreTime(s.Expires)
	return dbError("insert session", err)
}

const sessionSelect = `SELECT s.id, s.user_id, s.hash, s.user_agent, s.created, s.expires FROM sessions s`

func scanSession(row scanner, extra ...any) (*paperboy.Session, error) {
	var s paperboy.Session
	var created, expires int64
	dest := append([]any{&s.ID, &s.UserID, &s.Hash, &s.UserAgent, &created, &expires}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	s.Created, s.Expires = time.Unix(created, 0).UTC(), time.Unix(expires, 0).UTC()
	return &s, nil
}

// SessionByHash returns the unexpired session with the given hash and its
// user.
func (st *Store) SessionByHash(ctx context.Context, hash []byte, now time.Time) (*paperboy.Session, *paperboy.User, error) {
	const q = `SELECT s.id, s.user_id, s.hash, s.user_agent, s.created, s.expires,
		u.id, u.email, u.name, u.admin, u.created
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ? AND s.expires > ?`
	var u paperboy.User
	var ucreated int64
	s, err := scanSession(st.r.QueryRowContext(ctx, q, hash, now.Unix()), &u.ID, &u.Email, &u.Name, &u.Admin, &ucreated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, paperboy.Errorf(paperboy.ENOTFOUND, "Session not found.")
	} else if err != nil {
		return nil, nil, dbError("read session", err)
	}
	u.Created = time.Unix(ucreated, 0).UTC()
	return s, &u, nil
}

// Sessions returns the user's unexpired sessions, newest first.
func (st *Store) Sessions(ctx context.Context, userID int64, now time.Time) ([]*paperboy.Session, error) {
	rows, err := st.r.QueryContext(ctx, sessionSelect+` WHERE s.user_id = ? AND s.expires > ? ORDER BY s.created DESC, s.id DESC`,
		userID, now.Unix())
	if err != nil {
		return nil, dbError("query sessions", err)
	}
	defer rows.Close()
	var ss []*paperboy.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, dbError("scan session", err)
		}
		ss = append(ss, s)
	}
	return ss, dbError("query sessions", rows.Err())
}

// DeleteSession removes the user's session with the given ID.
func (st *Store) DeleteSession(ctx context.Context, userID, id int64) error {
	return st.deleteOwned(ctx, `DELETE FROM sessions WHERE user_id = ? AND id = ?`, userID, id, "Session")
}

// CreateAPIToken stores t and sets its ID.
func (st *Store) CreateAPIToken(ctx context.Context, t *paperboy.APIToken) error {
	const q = `INSERT INTO api_tokens (user_id, name, hash, hint, created) VALUES (?, ?, ?, ?, ?)`
	res, err := st.w.ExecContext(ctx, q, t.UserID, t.Name, t.Hash, t.Hint, t.Created.Unix())
	if isConstraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY) {
		return paperboy.Errorf(paperboy.ENOTFOUND, "User %d not found.", t.UserID)
	} else if err != nil {
		return dbError("insert API token", err)
	}
	t.ID, err = res.LastInsertId()
	t.Created = rowcodec.StoreTime(t.Created)
	return dbError("insert API token", err)
}

const tokenSelect = `SELECT t.id, t.user_id, t.name, t.hash, t.hint, t.created FROM api_tokens t`

func scanAPIToken(row scanner, extra ...any) (*paperboy.APIToken, error) {
	var t paperboy.APIToken
	var created int64
	dest := append([]any{&t.ID, &t.UserID, &t.Name, &t.Hash, &t.Hint, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	t.Created = time.Unix(created, 0).UTC()
	return &t, nil
}

// APITokenByHash returns the API token with the given hash and its user.
func (st *Store) APITokenByHash(ctx context.Context, hash []byte) (*paperboy.APIToken, *paperboy.User, error) {
	const q = `SELECT t.id, t.user_id, t.name, t.hash, t.hint, t.created,
		u.id, u.email, u.name, u.admin, u.created
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`
	var u paperboy.User
	var ucreated int64
	t, err := scanAPIToken(st.r.QueryRowContext(ctx, q, hash), &u.ID, &u.Email, &u.Name, &u.Admin, &ucreated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, paperboy.Errorf(paperboy.ENOTFOUND, "API token not found.")
	} else if err != nil {
		return nil, nil, dbError("read API token", err)
	}
	u.Created = time.Unix(ucreated, 0).UTC()
	return t, &u, nil
}

// APITokens returns the user's API tokens, newest first.
func (st *Store) APITokens(ctx context.Context, userID int64) ([]*paperboy.APIToken, error) {
	rows, err := st.r.QueryContext(ctx, tokenSelect+` WHERE t.user_id = ? ORDER BY t.created DESC, t.id DESC`, userID)
	if err != nil {
		return nil, dbError("query API tokens", err)
	}
	defer rows.Close()
	var ts []*paperboy.APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, dbError("scan API token", err)
		}
		ts = append(ts, t)
	}
	return ts, dbError("query API tokens", rows.Err())
}

// DeleteAPIToken removes the user's API token with the given ID.
func (st *Store) DeleteAPIToken(ctx context.Context, userID, id int64) error {
	return st.deleteOwned(ctx, `DELETE FROM api_tokens WHERE user_id = ? AND id = ?`, userID, id, "API token")
}

// deleteOwned runs a DELETE of one row owned by userID; no row is ENOTFOUND,
// so nobody learns whether another user's row exists.
func (st *Store) deleteOwned(ctx context.Context, q string, userID, id int64, what string) error {
	res, err := st.w.ExecContext(ctx, q, userID, id)
	if err != nil {
		return dbError("delete "+what, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return dbError("delete "+what, err)
	} else if n == 0 {
		return paperboy.Errorf(paperboy.ENOTFOUND, "%s %d not found.", what, id)
	}
	return nil
}
