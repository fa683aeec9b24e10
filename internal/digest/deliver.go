package digest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"paperboy"
	"paperboy/internal/mail"
)

// Delivery rules.
const (
	claimBatch  = 20
	maxAttempts = 8 // about a day of retries with backoff
)

// backoff is the wait before attempt n+1 after n failed ones: 1, 2, 4 ...
// minutes, at most 6 hours.
func backoff(n int) time.Duration {
	d := time.Minute << min(n-1, 9)
	return min(d, 6*time.Hour)
}

// Deliver sends every issue ready now, with one worker per sender, until
// none is left to claim; issues deferred for a retry wait for a later call.
// Each worker claims a few issues with a lease, so workers in other
// processes never send the same issue while the lease runs, and issues of
// a worker that died are sent by another once its lease ends.
func (s *Service) Deliver(ctx context.Context) (RunStats, error) {
	var mu sync.Mutex
	var total RunStats
	var errs []error
	var wg sync.WaitGroup
	for _, sender := range s.senders {
		wg.Go(func() {
			st, err := s.worker(ctx, sender)
			mu.Lock()
			defer mu.Unlock()
			total.Sent, total.Deferred, total.Failed, total.Skipped = total.Sent+st.Sent, total.Deferred+st.Deferred, total.Failed+st.Failed, total.Skipped+st.Skipped
			errs = append(errs, err)
		})
	}
	wg.Wait()
	return total, errors.Join(errs...)
}

func (s *Service) worker(ctx context.Context, sender mail.Sender) (RunStats, error) {
	var st RunStats
	owner := newOwner()
	papers := newPaperCache(s.papers)
	for ctx.Err() == nil {
		now := s.now()
		leaseUntil := now.Add(s.lease)
		issues, err := s.store.ClaimIssues(ctx, owner, now, leaseUntil, claimBatch)
		if paperboy.ErrorCode(err) == paperboy.EUNAVAILABLE {
			continue // the database was busy: claim again
		}
		if err != nil || len(issues) == 0 {
			return st, err
		}
		for _, is := range issues {
			// Never send on a lease about to end: another worker may
			// claim the issue then. Leave it to be claimed again.
			if s.now().Add(s.lease / 4).After(leaseUntil) {
				break
			}
			if err := s.deliverOne(ctx, sender, owner, is, papers, &st); err != nil {
				return st, err
			}
		}
	}
	return st, ctx.Err()
}

// newOwner names a worker in the lease column: unique across processes.
func newOwner() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// deliverOne sends one claimed issue and records the outcome.
func (s *Service) deliverOne(ctx context.Context, sender mail.Sender, owner string, is *paperboy.DigestIssue, papers *paperCache, st *RunStats) error {
	u := paperboy.IssueUpdate{Attempts: is.Attempts, Status: paperboy.IssueSkipped}
	sub, err := s.store.Subscriber(ctx, is.SubscriberID)
	if err != nil {
		return err
	}
	suppressed, err := s.store.Suppressed(ctx, sub.Email)
	if err != nil {
		return err
	}
	if sub.Status != paperboy.SubConfirmed || suppressed {
		st.Skipped++
		return s.update(ctx, is, owner, u)
	}
	ps, err := papers.get(ctx, is.Items)
	if err != nil {
		return err
	}
	m, err := s.renderIssue(sub, is, ps)
	if err != nil {
		return err
	}
	if err := s.pace.wait(ctx); err != nil {
		return err
	}
	err = sender.Send(ctx, m)
	s.classify(ctx, is, sub, err, &u, st)
	return s.update(ctx, is, owner, u)
}

// classify turns a send result into the issue's next state: a 5xx or an
// address the relay cannot take fails for good and suppresses the
// address; anything else (4xx, network) is retried with backoff.
func (s *Service) classify(ctx context.Context, is *paperboy.DigestIssue, sub *paperboy.Subscriber, err error, u *paperboy.IssueUpdate, st *RunStats) {
	now := s.now()
	u.Attempts++
	switch {
	case err == nil:
		u.Status, u.Sent = paperboy.IssueSent, now
		st.Sent++
	case permanent(err):
		u.Status, u.LastError = paperboy.IssueFailed, cut(err.Error())
		st.Failed++
		s.logger.WarnContext(ctx, "digest_rejected", "subscriber_id", sub.ID, "err", err)
		if err := s.store.Suppress(ctx, paperboy.Suppression{Email: sub.Email, Reason: "rejected", Created: now}); err != nil {
			s.logger.ErrorContext(ctx, "digest_suppress_failed", "subscriber_id", sub.ID, "err", err)
		}
	case u.Attempts >= maxAttempts:
		u.Status, u.LastError = paperboy.IssueFailed, cut(err.Error())
		st.Failed++
		s.logger.WarnContext(ctx, "digest_gave_up", "subscriber_id", sub.ID, "attempts", u.Attempts, "err", err)
	default:
		u.Status, u.LastError, u.NextAttempt = paperboy.IssuePending, cut(err.Error()), now.Add(backoff(u.Attempts))
		st.Deferred++
		s.logger.InfoContext(ctx, "digest_deferred", "subscriber_id", sub.ID, "attempts", u.Attempts, "err", err)
	}
}

func (s *Service) update(ctx context.Context, is *paperboy.DigestIssue, owner string, u paperboy.IssueUpdate) error {
	err := s.store.UpdateIssue(context.WithoutCancel(ctx), is.SubscriberID, is.Date, owner, u)
	if paperboy.ErrorCode(err) == paperboy.ECONFLICT {
		s.logger.WarnContext(ctx, "digest_lease_lost", "subscriber_id", is.SubscriberID)
		return nil
	}
	return err
}

// smtpCoded is an SMTP reply error that knows its code (go-mail's
// SendError).
type smtpCoded interface{ ErrorCode() int }

// permanent reports whether err is a permanent refusal: a 5xx reply, or a
// message paperboy itself cannot send (a malformed address).
func permanent(err error) bool {
	var sc smtpCoded
	if errors.As(err, &sc) && sc.ErrorCode() >= 500 && sc.ErrorCode() < 600 {
		return true
	}
	return paperboy.ErrorCode(err) == paperboy.EINVALID
}

func cut(s string) string {
	if len(s) > 500 {
		return s[:500]
	}
	return s
}

// paperCache keeps the papers a worker rendered: most issues of a run
// share most of their papers.
type paperCache struct {
	papers paperboy.PaperStore
	m      map[paperboy.ArxivID]*paperboy.Paper
}

func newPaperCache(ps paperboy.PaperStore) *paperCache {
	return &paperCache{papers: ps, m: make(map[paperboy.ArxivID]*paperboy.Paper)}
}

func (c *paperCache) get(ctx context.Context, items []paperboy.DigestItem) (map[paperboy.ArxivID]*paperboy.Paper, error) {
	var missing []paperboy.ArxivID
	for _, it := range items {
		if _, ok := c.m[it.PaperID]; !ok {
			missing = append(missing, it.PaperID)
		}
	}
	if len(missing) > 0 {
		got, _, err := c.papers.Papers(ctx, paperboy.PaperFilter{IDs: missing})
		if err != nil {
			return nil, fmt.Errorf("read issue papers: %w", err)
		}
		for _, id := range missing {
			c.m[id] = nil // deleted since: left out of the e-mail
		}
		for _, p := range got {
			c.m[p.ID] = p
		}
	}
	return c.m, nil
}

// pacer spaces sends to at most rate per second across workers.
type pacer struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

func newPacer(rate float64) *pacer {
	if rate <= 0 {
		return &pacer{}
	}
	return &pacer{interval: time.Duration(float64(time.Second) / rate)}
}

// wait blocks until the next send slot. Pacing is about the relay's
// limits, not correctness, so it uses the wall clock.
func (p *pacer) wait(ctx context.Context) error {
	if p.interval == 0 {
		return nil
	}
	p.mu.Lock()
	now := time.Now()
	slot := p.next
	if slot.Before(now) {
		slot = now
	}
	p.next = slot.Add(p.interval)
	p.mu.Unlock()
	if d := slot.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}
