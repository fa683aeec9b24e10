package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"paperboy"
	"paperboy/internal/store/rowcodec"
)

var _ paperboy.DigestStore = (*Store)(nil)

// dateOnly is how issue dates are stored.
const dateOnly = time.DateOnly

func dateText(t time.Time) string { return t.UTC().Format(dateOnly) }

func dateOf(s *string) time.Time {
	if s == nil || *s == "" {
		return time.Time{}
	}
	t, err := time.Parse(dateOnly, *s)
	if err != nil {
		return time.Time{}
	}
	return t
}

func unixTime(n *int64) time.Time {
	if n == nil {
		return time.Time{}
	}
	return time.Unix(*n, 0).UTC()
}

// CreateSubscriber stores sub and sets its ID.
func (s *Store) CreateSubscriber(ctx context.Context, sub *paperboy.Subscriber) error {
	email := strings.ToLower(strings.TrimSpace(sub.Email))
	if email == "" {
		return paperboy.Errorf(paperboy.EINVALID, "A subscriber needs an e-mail address.")
	}
	prefs, err := rowcodec.EncodePrefs(sub.Prefs)
	if err != nil {
		return fmt.Errorf("encode prefs: %w", err)
	}
	const q = `INSERT INTO subscribers (email, status, prefs, created, confirmed, next_due) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`
	err = s.pool.QueryRow(ctx, q, email, sub.Status, prefs, sub.Created.Unix(), unixOrNil(sub.Confirmed), unixOrNil(sub.NextDue)).Scan(&sub.ID)
	if isCode(err, codeUniqueViolation) {
		return paperboy.Errorf(paperboy.ECONFLICT, "The address %s is subscribed already.", email)
	} else if err != nil {
		return dbError("insert subscriber", err)
	}
	sub.Email, sub.Created = email, rowcodec.StoreTime(sub.Created)
	sub.Confirmed, sub.NextDue = rowcodec.StoreTime(sub.Confirmed), rowcodec.StoreTime(sub.NextDue)
	return nil
}

const subscriberSelect = `SELECT id, email, status, prefs, created, confirmed, next_due, last_issue FROM subscribers`

func scanSubscriber(row pgx.Row) (*paperboy.Subscriber, error) {
	var sub paperboy.Subscriber
	var prefs string
	var created int64
	var confirmed, nextDue *int64
	var lastIssue *string
	if err := row.Scan(&sub.ID, &sub.Email, &sub.Status, &prefs, &created, &confirmed, &nextDue, &lastIssue); err != nil {
		return nil, err
	}
	var err error
	if sub.Prefs, err = rowcodec.DecodePrefs(prefs); err != nil {
		return nil, fmt.Errorf("decode prefs of subscriber %d: %w", sub.ID, err)
	}
	sub.Created, sub.Confirmed, sub.NextDue = time.Unix(created, 0).UTC(), unixTime(confirmed), unixTime(nextDue)
	sub.LastIssue = dateOf(lastIssue)
	return &sub, nil
}

// Subscriber returns the subscriber with the given ID.
func (s *Store) Subscriber(ctx context.Context, id int64) (*paperboy.Subscriber, error) {
	sub, err := scanSubscriber(s.pool.QueryRow(ctx, subscriberSelect+` WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Subscriber %d not found.", id)
	}
	return sub, dbError("read subscriber", err)
}

// SubscriberByEmail returns the subscriber with the given address.
func (s *Store) SubscriberByEmail(ctx context.Context, email string) (*paperboy.Subscriber, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	sub, err := scanSubscriber(s.pool.QueryRow(ctx, subscriberSelect+` WHERE email = $1`, email))
	if errors.Is(err, pgx.ErrNoRows) {
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
	const q = `UPDATE subscribers SET status = $1, prefs = $2, confirmed = $3, next_due = $4 WHERE id = $5`
	tag, err := s.pool.Exec(ctx, q, sub.Status, prefs, unixOrNil(sub.Confirmed), unixOrNil(sub.NextDue), sub.ID)
	if err != nil {
		return dbError("update subscriber", err)
	}
	if tag.RowsAffected() == 0 {
		return paperboy.Errorf(paperboy.ENOTFOUND, "Subscriber %d not found.", sub.ID)
	}
	return nil
}

func (s *Store) querySubscribers(ctx context.Context, q string, args ...any) ([]*paperboy.Subscriber, error) {
	rows, err := s.pool.Query(ctx, q, args...)
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
	const q = subscriberSelect + ` WHERE status = 'confirmed' AND next_due IS NOT NULL AND next_due <= $1 ORDER BY next_due, id LIMIT $2`
	return s.querySubscribers(ctx, q, now.Unix(), limit)
}

// ConfirmedSubscribers returns a page of confirmed subscribers by ID.
func (s *Store) ConfirmedSubscribers(ctx context.Context, afterID int64, limit int) ([]*paperboy.Subscriber, error) {
	const q = subscriberSelect + ` WHERE status = 'confirmed' AND id > $1 ORDER BY id LIMIT $2`
	return s.querySubscribers(ctx, q, afterID, limit)
}

// SentPapers returns those of ids the subscriber was sent.
func (s *Store) SentPapers(ctx context.Context, subscriberID int64, ids []paperboy.ArxivID) ([]paperboy.ArxivID, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	strs := make([]string, len(ids))
	for i, id := range ids {
		strs[i] = string(id)
	}
	rows, err := s.pool.Query(ctx, `SELECT paper_id FROM digest_sent WHERE subscriber_id = $1 AND paper_id = ANY($2)`, subscriberID, strs)
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
	const q = `INSERT INTO suppressions (email, reason, created) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING`
	_, err := s.pool.Exec(ctx, q, strings.ToLower(strings.TrimSpace(sup.Email)), sup.Reason, sup.Created.Unix())
	return dbError("insert suppression", err)
}

// Suppressed reports whether an address is suppressed.
func (s *Store) Suppressed(ctx context.Context, email string) (bool, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM suppressions WHERE email = $1`, strings.ToLower(strings.TrimSpace(email))).Scan(&n)
	return n > 0, dbError("read suppression", err)
}

// RecordFeedback stores a feedback click once.
func (s *Store) RecordFeedback(ctx context.Context, f paperboy.DigestFeedback) error {
	const q = `INSERT INTO digest_feedback (subscriber_id, paper_id, kind, created) VALUES ($1, $2, $3, $4)
		ON CONFLICT (subscriber_id, paper_id, kind) DO NOTHING`
	_, err := s.pool.Exec(ctx, q, f.SubscriberID, string(f.PaperID), f.Kind, f.Created.Unix())
	if isCode(err, codeForeignKeyViolation) {
		return paperboy.Errorf(paperboy.ENOTFOUND, "Subscriber %d not found.", f.SubscriberID)
	}
	return dbError("insert feedback", err)
}

// Feedback returns a subscriber's feedback, newest first.
func (s *Store) Feedback(ctx context.Context, subscriberID int64) ([]paperboy.DigestFeedback, error) {
	const q = `SELECT paper_id, kind, created FROM digest_feedback WHERE subscriber_id = $1 ORDER BY created DESC, paper_id`
	rows, err := s.pool.Query(ctx, q, subscriberID)
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
// The read is a statement of its own, so it sees a value another replica
// committed while the insert waited on it.
func (s *Store) Secret(ctx context.Context, name string, fresh []byte) ([]byte, error) {
	const ins = `INSERT INTO server_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`
	if _, err := s.pool.Exec(ctx, ins, name, fresh); err != nil {
		return nil, dbError("insert secret", err)
	}
	var v []byte
	err := s.pool.QueryRow(ctx, `SELECT value FROM server_secrets WHERE name = $1`, name).Scan(&v)
	return v, dbError("read secret", err)
}
