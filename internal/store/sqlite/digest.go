package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"paperboy"
	"paperboy/internal/store/rowcodec"
)

var _ paperboy.DigestStore = (*Store)(nil)

// dateOnly is how issue dates are stored.
const dateOnly = time.DateOnly

func dateText(t time.Time) string { return t.UTC().Format(dateOnly) }

func dateOf(s sql.NullString) time.Time {
	if !s.Valid || s.String == "" {
		return time.Time{}
	}
	t, err := time.Parse(dateOnly, s.String)
	if err != nil {
		return time.Time{}
	}
	return t
}

// CreateSubscriber stores s and sets its ID.
func (s *Store) CreateSubscriber(ctx context.Context, sub *paperboy.Subscriber) error {
	email := strings.ToLower(strings.TrimSpace(sub.Email))
	if email == "" {
		return paperboy.Errorf(paperboy.EINVALID, "A subscriber needs an e-mail address.")
	}
	prefs, err := rowcodec.EncodePrefs(sub.Prefs)
	if err != nil {
		return fmt.Errorf("encode prefs: %w", err)
	}
	const q = `INSERT INTO subscribers (email, status, prefs, created, confirmed, next_due) VALUES (?, ?, ?, ?, ?, ?)`
	res, err := s.w.ExecContext(ctx, q, email, sub.Status, prefs, sub.Created.Unix(), unixOrNil(sub.Confirmed), unixOrNil(sub.NextDue))
	if isConstraint(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE) {
		return paperboy.Errorf(paperboy.ECONFLICT, "The address %s is subscribed already.", email)
	} else if err != nil {
		return dbError("insert subscriber", err)
	}
	if sub.ID, err = res.LastInsertId(); err != nil {
		return dbError("insert subscriber", err)
	}
	sub.Email, sub.Created = email, rowcodec.StoreTime(sub.Created)
	sub.Confirmed, sub.NextDue = rowcodec.StoreTime(sub.Confirmed), rowcodec.StoreTime(sub.NextDue)
	return nil
}

const subscriberSelect = `SELECT id, email, status, prefs, created, confirmed, next_due, last_issue FROM subscribers`

func scanSubscriber(row scanner) (*paperboy.Subscriber, error) {
	var sub paperboy.Subscriber
	var prefs string
	var created int64
	var confirmed, nextDue sql.NullInt64
	var lastIssue sql.NullString
	if err := row.Scan(&sub.ID, &sub.Email, &sub.Status, &prefs, &created, &confirmed, &nextDue, &lastIssue); err != nil {
		return nil, err
	}
	var err error
	if sub.Prefs, err = rowcodec.DecodePrefs(prefs); err != nil {
		return nil, fmt.Errorf("decode prefs of subscriber %d: %w", sub.ID, err)
	}
	sub.Created, sub.Confirmed, sub.NextDue = time.Unix(created, 0).UTC(), timeOf(confirmed), timeOf(nextDue)
	sub.LastIssue = dateOf(lastIssue)
	return &sub, nil
}

// Subscriber returns the subscriber with the given ID.
func (s *Store) Subscriber(ctx context.Context, id int64) (*paperboy.Subscriber, error) {
	sub, err := scanSubscriber(s.r.QueryRowContext(ctx, subscriberSelect+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Subscriber %d not found.", id)
	}
	return sub, dbError("read subscriber", err)
}

// SubscriberByEmail returns the subscriber with the given address.
func (s *Store) SubscriberByEmail(ctx context.Context, email string) (*paperboy.Subscriber, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	sub, err := scanSubscriber(s.r.QueryRowContext(ctx, subscriberSelect+` WHERE email = ?`, email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "No subscriber has the address %s.", email)
	}
	return sub, dbError("read subscriber", err)
}

// UpdateSubscriber writes the mutable fields of sub.
func (s *Store) UpdateSubscriber(ctx context.Context, sub *paperboy.Subscriber) error {
	prefs, err := rowcodec.EncodePrefs(sub.Prefs)
	if err != nil {
		return fmt.Errorf("encode prefs: %w", err)
	}
	const q = `UPDATE subscribers SET status = ?, prefs = ?, confirmed = ?, next_due = ? WHERE id = ?`
	res, err := s.w.ExecContext(ctx, q, sub.Status, prefs, unixOrNil(sub.Confirmed), unixOrNil(sub.NextDue), sub.ID)
	if err != nil {
		return dbError("update subscriber", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return dbError("update subscriber", err)
	} else if n == 0 {
		return paperboy.Errorf(paperboy.ENOTFOUND, "Subscriber %d not found.", sub.ID)
	}
	return nil
}

func (s *Store) querySubscribers(ctx context.Context, q string, args ...any) ([]*paperboy.Subscriber, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, dbError("read subscribers", err)
	}
	defer rows.Close()
	var subs []*paperboy.Subscriber
	for rows.Next() {
		sub, err := scanSubscriber(rows)
		if err != nil {
			return nil, dbError("read subscribers", err)
		}
		subs = append(subs, sub)
	}
	return subs, dbError("read subscribers", rows.Err())
}

// DueSubscribers returns confirmed subscribers due at now.
func (s *Store) DueSubscribers(ctx context.Context, now time.Time, limit int) ([]*paperboy.Subscriber, error) {
	const q = subscriberSelect + ` WHERE status = 'confirmed' AND next_due IS NOT NULL AND next_due <= ? ORDER BY next_due, id LIMIT ?`
	return s.querySubscribers(ctx, q, now.Unix(), limit)
}

// ConfirmedSubscribers returns a page of confirmed subscribers by ID.
func (s *Store) ConfirmedSubscribers(ctx context.Context, afterID int64, limit int) ([]*paperboy.Subscriber, error) {
	const q = subscriberSelect + ` WHERE status = 'confirmed' AND id > ? ORDER BY id LIMIT ?`
	return s.querySubscribers(ctx, q, afterID, limit)
}

// SentPapers returns those of ids the subscriber was sent.
func (s *Store) SentPapers(ctx context.Context, subscriberID int64, ids []paperboy.ArxivID) ([]paperboy.ArxivID, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(ids)+1)
	args = append(args, subscriberID)
	for _, id := range ids {
		args = append(args, string(id))
	}
	q := `SELECT paper_id FROM digest_sent WHERE subscriber_id = ? AND paper_id IN (?` + strings.Repeat(", ?", len(ids)-1) + `)`
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, dbError("read sent papers", err)
	}
	defer rows.Close()
	var sent []paperboy.ArxivID
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, dbError("read sent papers", err)
		}
		sent = append(sent, paperboy.ArxivID(id))
	}
	return sent, dbError("read sent papers", rows.Err())
}

// Suppress adds an address to the suppression list.
func (s *Store) Suppress(ctx context.Context, sup paperboy.Suppression) error {
	const q = `INSERT INTO suppressions (email, reason, created) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING`
	_, err := s.w.ExecContext(ctx, q, strings.ToLower(strings.TrimSpace(sup.Email)), sup.Reason, sup.Created.Unix())
	return dbError("insert suppression", err)
}

// Suppressed reports whether an address is suppressed.
func (s *Store) Suppressed(ctx context.Context, email string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM suppressions WHERE email = ?`, strings.ToLower(strings.TrimSpace(email))).Scan(&n)
	return n > 0, dbError("read suppression", err)
}

// RecordFeedback stores a feedback click once.
func (s *Store) RecordFeedback(ctx context.Context, f paperboy.DigestFeedback) error {
	const q = `INSERT INTO digest_feedback (subscriber_id, paper_id, kind, created) VALUES (?, ?, ?, ?)
		ON CONFLICT (subscriber_id, paper_id, kind) DO NOTHING`
	_, err := s.w.ExecContext(ctx, q, f.SubscriberID, string(f.PaperID), f.Kind, f.Created.Unix())
	if isConstraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY) {
		return paperboy.Errorf(paperboy.ENOTFOUND, "Subscriber %d not found.", f.SubscriberID)
	}
	return dbError("insert feedback", err)
}

// Feedback returns a subscriber's feedback, newest first.
func (s *Store) Feedback(ctx context.Context, subscriberID int64) ([]paperboy.DigestFeedback, error) {
	const q = `SELECT paper_id, kind, created FROM digest_feedback WHERE subscriber_id = ? ORDER BY created DESC, paper_id`
	rows, err := s.r.QueryContext(ctx, q, subscriberID)
	if err != nil {
		return nil, dbError("read feedback", err)
	}
	defer rows.Close()
	var out []paperboy.DigestFeedback
	for rows.Next() {
		f := paperboy.DigestFeedback{SubscriberID: subscriberID}
		var id string
		var created int64
		if err := rows.Scan(&id, &f.Kind, &created); err != nil {
			return nil, dbError("read feedback", err)
		}
		f.PaperID, f.Created = paperboy.ArxivID(id), time.Unix(created, 0).UTC()
		out = append(out, f)
	}
	return out, dbError("read feedback", rows.Err())
}

// Secret returns the named secret, storing fresh first if there is none.
func (s *Store) Secret(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	const ins = `INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`
	if _, err := s.w.ExecContext(ctx, ins, name, fresh); err != nil {
		return nil, dbError("insert secret", err)
	}
	var v []byte
	err := s.w.QueryRowContext(ctx, `SELECT value FROM server_secrets WHERE name = ?`, name).Scan(&v)
	return v, dbError("read secret", err)
}
