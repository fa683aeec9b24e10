package digest

import (
	"context"
	"sort"
	"strings"
	"time"

	"paperboy"
	"paperboy/internal/account"
	"paperboy/internal/mail"
)

// Mail event types a relay or bounce processor reports.
const (
	EventBounce      = "bounce"      // hard bounce: the mailbox does not exist
	EventSoftBounce  = "soft_bounce" // full mailbox and the like: only logged
	EventComplaint   = "complaint"   // the reader marked the digest as spam
	EventUnsubscribe = "unsubscribe" // a List-Unsubscribe mailto arrived
)

// MailEvent is one report to POST /api/v1/mail/events. It names the
// message (MessageID) or the address (Email).
type MailEvent struct {
	Type      string `json:"type"`
	Email     string `json:"email,omitempty"`
	MessageID string `json:"message_id,omitempty"`
}

// HandleMailEvent applies a relay's report: a hard bounce or complaint
// suppresses the address (and marks the issue bounced); an unsubscribe
// unsubscribes it. Returns EINVALID for an unknown type or an event that
// names neither a message nor an address, ENOTFOUND for an unknown
// Message-ID.
func (s *Service) HandleMailEvent(ctx context.Context, ev MailEvent) error {
	if ev.Type != EventBounce && ev.Type != EventSoftBounce && ev.Type != EventComplaint && ev.Type != EventUnsubscribe {
		return paperboy.Errorf(paperboy.EINVALID, "Unknown event type %q: use bounce, soft_bounce, complaint or unsubscribe.", ev.Type)
	}
	email := ev.Email
	if id := strings.Trim(ev.MessageID, "<> "); id != "" {
		is, err := s.store.IssueByMessageID(ctx, id)
		if err != nil {
			return err
		}
		email = is.Email
		if ev.Type == EventBounce || ev.Type == EventComplaint {
			if err := s.store.MarkBounced(ctx, is.SubscriberID, is.Date); err != nil {
				return err
			}
		}
	}
	email, err := account.NormalizeEmail(email)
	if err != nil {
		return paperboy.Errorf(paperboy.EINVALID, "The event names no message_id or e-mail address.")
	}
	s.logger.InfoContext(ctx, "mail_event", "type", ev.Type, "message_id", ev.MessageID)
	switch ev.Type {
	case EventBounce, EventComplaint:
		return s.store.Suppress(ctx, paperboy.Suppression{Email: email, Reason: ev.Type, Created: s.now()})
	case EventUnsubscribe:
		sub, err := s.store.SubscriberByEmail(ctx, email)
		if paperboy.ErrorCode(err) == paperboy.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		return s.unsubscribe(ctx, sub)
	}
	return nil
}

// Stats returns the outbox counts of the days days up to and including
// today (UTC).
func (s *Service) Stats(ctx context.Context, days int) ([]paperboy.DigestDayStats, error) {
	days = min(max(days, 1), 90)
	to := paperboy.Day(s.now()).AddDate(0, 0, 1)
	return s.store.DigestStats(ctx, to.AddDate(0, 0, -days), to)
}

// Preview composes and renders what the subscriber with address email
// would get for local date day, writing nothing. Returns ENOTFOUND for an
// address that is not subscribed.
func (s *Service) Preview(ctx context.Context, email string, day time.Time) (*mail.Message, error) {
	sub, err := s.store.SubscriberByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	day = paperboy.Day(day)
	c := newComposer(s)
	is := &paperboy.DigestIssue{SubscriberID: sub.ID, Date: day, MessageID: s.messageID(sub.ID, day)}
	is.CatchUp = !sub.Prefs.PausedUntil.IsZero() && !day.Before(sub.Prefs.PausedUntil) && !sub.LastIssue.IsZero() && sub.LastIssue.Before(sub.Prefs.PausedUntil)
	if is.Items, err = c.compose(ctx, sub, day, is.CatchUp); err != nil {
		return nil, err
	}
	papers, err := newPaperCache(s.papers).get(ctx, is.Items)
	if err != nil {
		return nil, err
	}
	return s.renderIssue(sub, is, papers)
}

// FormatMessage writes m as a person reads it: its headers, then each
// part, for `paperboy digest preview`.
func FormatMessage(m *mail.Message) string {
	var b strings.Builder
	b.WriteString("From: " + m.From + "\nTo: " + strings.Join(m.To, ", ") + "\nSubject: " + m.Subject + "\n")
	keys := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(k + ": " + m.Headers[k] + "\n")
	}
	b.WriteString("\n--- text/plain ---\n" + m.Text + "\n--- text/html ---\n" + m.HTML + "\n")
	return b.String()
}
