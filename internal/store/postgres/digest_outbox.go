package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"paperboy"
)

// EnqueueIssues writes the issues that do not exist yet, with their sent
// papers, and moves each subscriber's NextDue forward.
func (s *Store) EnqueueIssues(ctx context.Context, issues []*paperboy.DigestIssue) ([]bool, error) {
	created := make([]bool, len(issues))
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, dbError("begin", err)
	}
	defer rollback(ctx, tx)
	for i, is := range issues {
		if created[i], err = enqueueIssue(ctx, tx, is); err != nil {
			return nil, err
		}
	}
	return created, dbError("commit", tx.Commit(ctx))
}

func enqueueIssue(ctx context.Context, tx pgx.Tx, is *paperboy.DigestIssue) (bool, error) {
	items, err := json.Marshal(is.Items)
	if err != nil {
		return false, fmt.Errorf("encode items: %w", err)
	}
	date := dateText(is.Date)
	const ins = `INSERT INTO digest_outbox (subscriber_id, issue_date, message_id, items, catch_up, status, next_attempt, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (subscriber_id, issue_date) DO NOTHING`
	tag, err := tx.Exec(ctx, ins, is.SubscriberID, date, is.MessageID, string(items), is.CatchUp, is.Status,
		is.NextAttempt.Unix(), is.Created.Unix())
	if err != nil {
		return false, dbError("insert issue", err)
	}
	created := tag.RowsAffected() == 1
	if created {
		ids := make([]string, len(is.Items))
		for i, it := range is.Items {
			ids[i] = string(it.PaperID)
		}
		const sent = `INSERT INTO digest_sent (subscriber_id, paper_id, issue_date)
			SELECT $1, unnest($2::text[]), $3 ON CONFLICT DO NOTHING`
		if _, err := tx.Exec(ctx, sent, is.SubscriberID, ids, date); err != nil {
			return false, dbError("insert sent papers", err)
		}
		const last = `UPDATE subscribers SET last_issue = $1 WHERE id = $2 AND (last_issue IS NULL OR last_issue < $1)`
		if _, err := tx.Exec(ctx, last, date, is.SubscriberID); err != nil {
			return false, dbError("update last issue", err)
		}
	}
	if !is.NextDue.IsZero() {
		const due = `UPDATE subscribers SET next_due = $1 WHERE id = $2 AND (next_due IS NULL OR next_due < $1)`
		if _, err := tx.Exec(ctx, due, is.NextDue.Unix(), is.SubscriberID); err != nil {
			return false, dbError("update next due", err)
		}
	}
	return created, nil
}

const issueColumns = `o.subscriber_id, o.issue_date, o.message_id, o.items, o.catch_up, o.status, o.attempts,
	o.next_attempt, o.last_error, o.created, o.sent, s.email`

const issueSelect = `SELECT ` + issueColumns + ` FROM digest_outbox o JOIN subscribers s ON s.id = o.subscriber_id`

func scanIssue(row pgx.Row) (*paperboy.DigestIssue, error) {
	var is paperboy.DigestIssue
	var date, items string
	var nextAttempt, created int64
	var sent *int64
	err := row.Scan(&is.SubscriberID, &date, &is.MessageID, &items, &is.CatchUp, &is.Status, &is.Attempts,
		&nextAttempt, &is.LastError, &created, &sent, &is.Email)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(items), &is.Items); err != nil {
		return nil, fmt.Errorf("decode items: %w", err)
	}
	is.Date, is.NextAttempt, is.Created, is.Sent = dateOf(&date), time.Unix(nextAttempt, 0).UTC(), time.Unix(created, 0).UTC(), unixTime(sent)
	return &is, nil
}

// Issue returns the issue of a subscriber for a date.
func (s *Store) Issue(ctx context.Context, subscriberID int64, date time.Time) (*paperboy.DigestIssue, error) {
	is, err := scanIssue(s.pool.QueryRow(ctx, issueSelect+` WHERE o.subscriber_id = $1 AND o.issue_date = $2`, subscriberID, dateText(date)))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "No issue for subscriber %d on %s.", subscriberID, dateText(date))
	}
	return is, dbError("read issue", err)
}

// IssueByMessageID returns the issue with the given Message-ID.
func (s *Store) IssueByMessageID(ctx context.Context, messageID string) (*paperboy.DigestIssue, error) {
	is, err := scanIssue(s.pool.QueryRow(ctx, issueSelect+` WHERE o.message_id = $1`, messageID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "No issue has the Message-ID %s.", messageID)
	}
	return is, dbError("read issue", err)
}

// ClaimIssues leases ready issues to owner. FOR UPDATE SKIP LOCKED lets
// workers in several replicas claim at once without waiting on, or
// taking, each other's rows.
func (s *Store) ClaimIssues(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]*paperboy.DigestIssue, error) {
	const q = `UPDATE digest_outbox o SET lease_owner = $1, lease_until = $2 FROM subscribers s
		WHERE s.id = o.subscriber_id AND (o.subscriber_id, o.issue_date) IN (
			SELECT subscriber_id, issue_date FROM digest_outbox
			WHERE status = 'pending' AND next_attempt <= $3 AND lease_until <= $3
			ORDER BY next_attempt LIMIT $4 FOR UPDATE SKIP LOCKED)
		RETURNING ` + issueColumns
	rows, err := s.pool.Query(ctx, q, owner, leaseUntil.Unix(), now.Unix(), limit)
	if err != nil {
		return nil, dbError("claim issues", err)
	}
	defer rows.Close()
	var out []*paperboy.DigestIssue
	for rows.Next() {
		is, err := scanIssue(rows)
		if err != nil {
			return nil, dbError("claim issues", err)
		}
		out = append(out, is)
	}
	return out, dbError("claim issues", rows.Err())
}

// UpdateIssue records an attempt's outcome if owner holds the lease.
func (s *Store) UpdateIssue(ctx context.Context, subscriberID int64, date time.Time, owner string, u paperboy.IssueUpdate) error {
	const q = `UPDATE digest_outbox SET status = $1, attempts = $2, next_attempt = $3, last_error = $4, sent = $5,
		lease_owner = '', lease_until = 0 WHERE subscriber_id = $6 AND issue_date = $7 AND lease_owner = $8`
	tag, err := s.pool.Exec(ctx, q, u.Status, u.Attempts, u.NextAttempt.Unix(), u.LastError, unixOrNil(u.Sent),
		subscriberID, dateText(date), owner)
	if err != nil {
		return dbError("update issue", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	if _, err := s.Issue(ctx, subscriberID, date); err != nil {
		return err
	}
	return paperboy.Errorf(paperboy.ECONFLICT, "The lease on the issue for subscriber %d on %s was lost.", subscriberID, dateText(date))
}

// MarkBounced sets an issue's status to bounced.
func (s *Store) MarkBounced(ctx context.Context, subscriberID int64, date time.Time) error {
	const q = `UPDATE digest_outbox SET status = 'bounced' WHERE subscriber_id = $1 AND issue_date = $2`
	tag, err := s.pool.Exec(ctx, q, subscriberID, dateText(date))
	if err != nil {
		return dbError("mark bounced", err)
	}
	if tag.RowsAffected() == 0 {
		return paperboy.Errorf(paperboy.ENOTFOUND, "No issue for subscriber %d on %s.", subscriberID, dateText(date))
	}
	return nil
}

// DigestStats counts issues per date in [from, to).
func (s *Store) DigestStats(ctx context.Context, from, to time.Time) ([]paperboy.DigestDayStats, error) {
	const q = `SELECT
		(SELECT count(*) FROM subscribers WHERE created < $1),
		(SELECT count(*) FROM subscribers WHERE status = 'confirmed' AND confirmed < $1),
		(SELECT count(*) FROM suppressions WHERE created >= $2 AND created < $1),
		count(*) FILTER (WHERE status = 'pending' AND attempts = 0), count(*) FILTER (WHERE status = 'sent'),
		count(*) FILTER (WHERE status = 'pending' AND attempts > 0), count(*) FILTER (WHERE status = 'failed'),
		count(*) FILTER (WHERE status = 'bounced'), count(*) FILTER (WHERE status = 'skipped')
		FROM digest_outbox WHERE issue_date = $3`
	var out []paperboy.DigestDayStats
	for d := paperboy.Day(from); d.Before(to); d = d.AddDate(0, 0, 1) {
		end := d.AddDate(0, 0, 1).Unix()
		st := paperboy.DigestDayStats{Date: d}
		err := s.pool.QueryRow(ctx, q, end, d.Unix(), dateText(d)).Scan(&st.Subscribers, &st.Confirmed,
			&st.Suppressed, &st.Pending, &st.Sent, &st.Deferred, &st.Failed, &st.Bounced, &st.Skipped)
		if err != nil {
			return nil, dbError("read digest stats", err)
		}
		out = append(out, st)
	}
	return out, nil
}
