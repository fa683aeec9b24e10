package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"paperboy"
)

// EnqueueIssues writes the issues that do not exist yet, with their sent
// papers, and moves each subscriber's NextDue forward.
func (s *Store) EnqueueIssues(ctx context.Context, issues []*paperboy.DigestIssue) ([]bool, error) {
	created := make([]bool, len(issues))
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, dbError("begin", err)
	}
	defer rollback(tx)
	for i, is := range issues {
		if created[i], err = enqueueIssue(ctx, tx, is); err != nil {
			return nil, err
		}
	}
	return created, dbError("commit", tx.Commit())
}

func enqueueIssue(ctx context.Context, tx *sql.Tx, is *paperboy.DigestIssue) (bool, error) {
	items, err := json.Marshal(is.Items)
	if err != nil {
		return false, fmt.Errorf("encode items: %w", err)
	}
	date := dateText(is.Date)
	const ins = `INSERT INTO digest_outbox (subscriber_id, issue_date, message_id, items, catch_up, status, next_attempt, created)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (subscriber_id, issue_date) DO NOTHING`
	res, err := tx.ExecContext(ctx, ins, is.SubscriberID, date, is.MessageID, string(items), is.CatchUp, is.Status,
		is.NextAttempt.Unix(), is.Created.Unix())
	if err != nil {
		return false, dbError("insert issue", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, dbError("insert issue", err)
	}
	if n == 1 {
		for _, it := range is.Items {
			const sent = `INSERT INTO digest_sent (subscriber_id, paper_id, issue_date) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
			if _, err := tx.ExecContext(ctx, sent, is.SubscriberID, string(it.PaperID), date); err != nil {
				return false, dbError("insert sent paper", err)
			}
		}
		const last = `UPDATE subscribers SET last_issue = ? WHERE id = ? AND (last_issue IS NULL OR last_issue < ?)`
		if _, err := tx.ExecContext(ctx, last, date, is.SubscriberID, date); err != nil {
			return false, dbError("update last issue", err)
		}
	}
	const due = `UPDATE subscribers SET next_due = ? WHERE id = ? AND (next_due IS NULL OR next_due < ?)`
	if !is.NextDue.IsZero() {
		if _, err := tx.ExecContext(ctx, due, is.NextDue.Unix(), is.SubscriberID, is.NextDue.Unix()); err != nil {
			return false, dbError("update next due", err)
		}
	}
	return n == 1, nil
}

const issueSelect = `SELECT o.subscriber_id, o.issue_date, o.message_id, o.items, o.catch_up, o.status, o.attempts,
	o.next_attempt, o.last_error, o.created, o.sent, s.email FROM digest_outbox o JOIN subscribers s ON s.id = o.subscriber_id`

func scanIssue(row scanner) (*paperboy.DigestIssue, error) {
	var is paperboy.DigestIssue
	var date sql.NullString
	var items string
	var nextAttempt, created int64
	var sent sql.NullInt64
	err := row.Scan(&is.SubscriberID, &date, &is.MessageID, &items, &is.CatchUp, &is.Status, &is.Attempts,
		&nextAttempt, &is.LastError, &created, &sent, &is.Email)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(items), &is.Items); err != nil {
		return nil, fmt.Errorf("decode items: %w", err)
	}
	is.Date, is.NextAttempt, is.Created, is.Sent = dateOf(date), time.Unix(nextAttempt, 0).UTC(), time.Unix(created, 0).UTC(), timeOf(sent)
	return &is, nil
}

// Issue returns the issue of a subscriber for a date.
func (s *Store) Issue(ctx context.Context, subscriberID int64, date time.Time) (*paperboy.DigestIssue, error) {
	is, err := scanIssue(s.r.QueryRowContext(ctx, issueSelect+` WHERE o.subscriber_id = ? AND o.issue_date = ?`, subscriberID, dateText(date)))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "No issue for subscriber %d on %s.", subscriberID, dateText(date))
	}
	return is, dbError("read issue", err)
}

// IssueByMessageID returns the issue with the given Message-ID.
func (s *Store) IssueByMessageID(ctx context.Context, messageID string) (*paperboy.DigestIssue, error) {
	is, err := scanIssue(s.r.QueryRowContext(ctx, issueSelect+` WHERE o.message_id = ?`, messageID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "No issue has the Message-ID %s.", messageID)
	}
	return is, dbError("read issue", err)
}

// ClaimIssues leases ready issues to owner. The single writer connection
// makes the UPDATE ... RETURNING atomic against every other claimer.
func (s *Store) ClaimIssues(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]*paperboy.DigestIssue, error) {
	const q = `UPDATE digest_outbox SET lease_owner = ?, lease_until = ?
		WHERE rowid IN (SELECT rowid FROM digest_outbox
			WHERE status = 'pending' AND next_attempt <= ? AND lease_until <= ? ORDER BY next_attempt LIMIT ?)
		RETURNING subscriber_id, issue_date`
	rows, err := s.w.QueryContext(ctx, q, owner, leaseUntil.Unix(), now.Unix(), now.Unix(), limit)
	if err != nil {
		return nil, dbError("claim issues", err)
	}
	type key struct {
		id   int64
		date string
	}
	var keys []key
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.id, &k.date); err != nil {
			rows.Close()
			return nil, dbError("claim issues", err)
		}
		keys = append(keys, k)
	}
	if err := rows.Close(); err != nil {
		return nil, dbError("claim issues", err)
	}
	out := make([]*paperboy.DigestIssue, 0, len(keys))
	for _, k := range keys {
		is, err := scanIssue(s.w.QueryRowContext(ctx, issueSelect+` WHERE o.subscriber_id = ? AND o.issue_date = ?`, k.id, k.date))
		if err != nil {
			return nil, dbError("read claimed issue", err)
		}
		out = append(out, is)
	}
	return out, nil
}

// UpdateIssue records an attempt's outcome if owner holds the lease.
func (s *Store) UpdateIssue(ctx context.Context, subscriberID int64, date time.Time, owner string, u paperboy.IssueUpdate) error {
	const q = `UPDATE digest_outbox SET status = ?, attempts = ?, next_attempt = ?, last_error = ?, sent = ?,
		lease_owner = '', lease_until = 0 WHERE subscriber_id = ? AND issue_date = ? AND lease_owner = ?`
	res, err := s.w.ExecContext(ctx, q, u.Status, u.Attempts, u.NextAttempt.Unix(), u.LastError, unixOrNil(u.Sent),
		subscriberID, dateText(date), owner)
	if err != nil {
		return dbError("update issue", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return dbError("update issue", err)
	} else if n == 1 {
		return nil
	}
	if _, err := s.Issue(ctx, subscriberID, date); err != nil {
		return err
	}
	return paperboy.Errorf(paperboy.ECONFLICT, "The lease on the issue for subscriber %d on %s was lost.", subscriberID, dateText(date))
}

// MarkBounced sets an issue's status to bounced.
func (s *Store) MarkBounced(ctx context.Context, subscriberID int64, date time.Time) error {
	const q = `UPDATE digest_outbox SET status = 'bounced' WHERE subscriber_id = ? AND issue_date = ?`
	res, err := s.w.ExecContext(ctx, q, subscriberID, dateText(date))
	if err != nil {
		return dbError("mark bounced", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return dbError("mark bounced", err)
	} else if n == 0 {
		return paperboy.Errorf(paperboy.ENOTFOUND, "No issue for subscriber %d on %s.", subscriberID, dateText(date))
	}
	return nil
}

// DigestStats counts issues per date in [from, to).
func (s *Store) DigestStats(ctx context.Context, from, to time.Time) ([]paperboy.DigestDayStats, error) {
	const q = `SELECT
		(SELECT count(*) FROM subscribers WHERE created < ?),
		(SELECT count(*) FROM subscribers WHERE status = 'confirmed' AND confirmed < ?),
		(SELECT count(*) FROM suppressions WHERE created >= ? AND created < ?),
		coalesce(sum(status = 'pending' AND attempts = 0), 0), coalesce(sum(status = 'sent'), 0),
		coalesce(sum(status = 'pending' AND attempts > 0), 0), coalesce(sum(status = 'failed'), 0),
		coalesce(sum(status = 'bounced'), 0), coalesce(sum(status = 'skipped'), 0)
		FROM digest_outbox WHERE issue_date = ?`
	var out []paperboy.DigestDayStats
	for d := paperboy.Day(from); d.Before(to); d = d.AddDate(0, 0, 1) {
		end := d.AddDate(0, 0, 1).Unix()
		st := paperboy.DigestDayStats{Date: d}
		err := s.r.QueryRowContext(ctx, q, end, end, d.Unix(), end, dateText(d)).Scan(&st.Subscribers, &st.Confirmed,
			&st.Suppressed, &st.Pending, &st.Sent, &st.Deferred, &st.Failed, &st.Bounced, &st.Skipped)
		if err != nil {
			return nil, dbError("read digest stats", err)
		}
		out = append(out, st)
	}
	return out, nil
}
