package digest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"paperboy"
)

// enqueueBatch is how many issues go in one store transaction.
const enqueueBatch = 200

// RunStats counts what a run did.
type RunStats struct {
	Considered int // subscribers looked at
	Enqueued   int // issues written to the outbox
	Empty      int // issues with no papers, skipped
	Existing   int // issues that were in the outbox already
	Sent       int
	Deferred   int // failed for now; retried later
	Failed     int // refused for good
	Skipped    int // not sent: unsubscribed or suppressed since composed
}

// Tick composes the issues of every subscriber due at now and writes them
// to the outbox. The scheduler inside serve calls it every minute; a tick
// missed (a restart) is made up by the next, since due means NextDue <= now.
func (s *Service) Tick(ctx context.Context, now time.Time) (RunStats, error) {
	var st RunStats
	c := newComposer(s)
	seen := make(map[int64]bool)
	for {
		due, err := s.store.DueSubscribers(ctx, now, enqueueBatch)
		if err != nil || len(due) == 0 {
			return st, err
		}
		var plans []*paperboy.DigestIssue
		for _, sub := range due {
			if seen[sub.ID] { // its NextDue could not move on: never loop on it
				s.logger.ErrorContext(ctx, "digest_schedule_stuck", "subscriber_id", sub.ID)
				continue
			}
			seen[sub.ID] = true
			loc, err := loadLocation(sub.Prefs.TimeZone)
			if err != nil { // a zone removed from the database: use UTC rather than never send
				loc = time.UTC
			}
			day := dueIssueDate(sub, loc, now)
			is, err := s.plan(ctx, c, sub, loc, day, &st)
			if err != nil {
				return st, err
			}
			plans = append(plans, is)
		}
		if len(plans) == 0 {
			return st, nil
		}
		if err := s.enqueue(ctx, plans, &st); err != nil {
			return st, err
		}
	}
}

// RunDate composes the issue of local date day for every confirmed
// subscriber who gets one that day, whatever their send hour: what
// `paperboy digest run --date` does. With dryRun nothing is written.
func (s *Service) RunDate(ctx context.Context, day time.Time, dryRun bool) (RunStats, error) {
	var st RunStats
	c := newComposer(s)
	day = paperboy.Day(day)
	var after int64
	for {
		subs, err := s.store.ConfirmedSubscribers(ctx, after, enqueueBatch)
		if err != nil || len(subs) == 0 {
			return st, err
		}
		after = subs[len(subs)-1].ID
		var plans []*paperboy.DigestIssue
		for _, sub := range subs {
			if !issueDay(sub.Prefs, day) {
				continue
			}
			loc, err := loadLocation(sub.Prefs.TimeZone)
			if err != nil {
				loc = time.UTC
			}
			is, err := s.plan(ctx, c, sub, loc, day, &st)
			if err != nil {
				return st, err
			}
			plans = append(plans, is)
		}
		if dryRun {
			st.Enqueued += len(plans)
			for _, p := range plans {
				if p.Status == paperboy.IssueSkipped {
					st.Enqueued--
				}
			}
			continue
		}
		if err := s.enqueue(ctx, plans, &st); err != nil {
			return st, err
		}
	}
}

// plan composes sub's issue for day. An issue that may not be sent (paused,
// empty and not wanted) is planned as skipped, so the outbox records the
// decision once and the schedule moves on.
func (s *Service) plan(ctx context.Context, c *composer, sub *paperboy.Subscriber, loc *time.Location, day time.Time, st *RunStats) (*paperboy.DigestIssue, error) {
	st.Considered++
	now := s.now()
	p := sub.Prefs
	is := &paperboy.DigestIssue{SubscriberID: sub.ID, Date: day, MessageID: s.messageID(sub.ID, day),
		Status: paperboy.IssuePending, NextAttempt: now, Created: now, NextDue: nextDue(p, loc, day)}
	if is.NextDue.IsZero() { // no more issues (frequency off): not due again until the preferences change
		is.NextDue = day.AddDate(100, 0, 0)
	}
	if !issueDay(p, day) {
		is.Status = paperboy.IssueSkipped
		return is, nil
	}
	is.CatchUp = !p.PausedUntil.IsZero() && !day.Before(p.PausedUntil) && !sub.LastIssue.IsZero() && sub.LastIssue.Before(p.PausedUntil)
	items, err := c.compose(ctx, sub, day, is.CatchUp)
	if err != nil {
		return nil, err
	}
	is.Items = items
	if len(items) == 0 && !p.SendEmpty {
		is.Status = paperboy.IssueSkipped
	}
	return is, nil
}

func (s *Service) enqueue(ctx context.Context, plans []*paperboy.DigestIssue, st *RunStats) error {
	if len(plans) == 0 {
		return nil
	}
	created, err := s.store.EnqueueIssues(ctx, plans)
	if err != nil {
		return err
	}
	for i, ok := range created {
		switch {
		case !ok:
			st.Existing++
		case plans[i].Status == paperboy.IssueSkipped:
			st.Empty++
		default:
			st.Enqueued++
		}
	}
	return nil
}

// messageID is the issue's stable Message-ID: the same on every retry, so
// a receiver can drop the copy a crash between SMTP accept and outbox
// commit may cause; derived with the secret so it does not reveal the
// subscriber's ID.
func (s *Service) messageID(subID int64, day time.Time) string {
	h := sha256.Sum256(append(append([]byte{}, s.signer.key...), strconv.FormatInt(subID, 10)+"|"+day.Format(time.DateOnly)...))
	return "digest." + day.Format("20060102") + "." + hex.EncodeToString(h[:10]) + "@" + s.fromAddr[strings.LastIndexByte(s.fromAddr, '@')+1:]
}
