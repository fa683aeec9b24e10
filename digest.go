package paperboy

import (
	"context"
	"time"
)

// Outbox statuses of a digest issue.
const (
	IssuePending = "pending" // waiting to be sent, or to be retried (Attempts > 0: deferred)
	IssueSent    = "sent"    // the relay accepted it
	IssueFailed  = "failed"  // refused permanently, or retried too long
	IssueBounced = "bounced" // accepted, then reported as a hard bounce or complaint
	IssueSkipped = "skipped" // composed empty, or the address is suppressed: nothing sent
)

// DigestIssue is one row of the durable outbox: the digest of one subscriber
// for one local issue date. It is written, with the papers it holds, before
// anything is sent, so a crash at any moment neither loses it nor makes a
// second one: the (subscriber, date) pair is unique.
type DigestIssue struct {
	SubscriberID int64
	Date         time.Time // the subscriber's local issue date, as a UTC midnight
	MessageID    string    // stable across retries, without angle brackets
	Items        []DigestItem
	CatchUp      bool // the first issue after a pause
	Status       string
	Attempts     int
	NextAttempt  time.Time // a pending issue is not sent before
	LastError    string
	Created      time.Time
	Sent         time.Time

	// Email is the subscriber's address; ClaimIssues fills it.
	Email string
	// NextDue is the subscriber's next due time, stored by EnqueueIssues
	// with the issue (ignored on read).
	NextDue time.Time
}

// DigestItem is one paper of an issue and why it was chosen.
type DigestItem struct {
	PaperID ArxivID `json:"id"`
	Source  string  `json:"source"` // "trending", "topic", "category", "author"
	Reason  string  `json:"reason"` // one line: "new in cs.LG"
}

// IssueUpdate is the outcome of one send attempt.
type IssueUpdate struct {
	Status      string
	Attempts    int
	NextAttempt time.Time
	LastError   string
	Sent        time.Time
}

// DigestDayStats counts one issue date's digests. Subscribers and Confirmed
// count the subscribers created (confirmed) by the end of the day;
// Suppressed the addresses suppressed that day.
type DigestDayStats struct {
	Date        time.Time
	Subscribers int
	Confirmed   int
	Pending     int
	Sent        int
	Deferred    int // pending after at least one failed attempt
	Failed      int
	Bounced     int
	Skipped     int
	Suppressed  int
}

// DigestStore keeps subscribers, the digest outbox, the papers each
// subscriber was sent, suppressions, feedback and the server's secrets.
// Each method is one transaction. The rules (who is due, what goes in an
// issue, retries) live in internal/digest.
type DigestStore interface {
	// CreateSubscriber stores s (Email lower-cased) and sets its ID.
	// Returns ECONFLICT if the address is subscribed already, EINVALID if
	// it is empty.
	CreateSubscriber(ctx context.Context, s *Subscriber) error

	// Subscriber returns the subscriber with the given ID. Returns
	// ENOTFOUND if there is none.
	Subscriber(ctx context.Context, id int64) (*Subscriber, error)

	// SubscriberByEmail returns the subscriber with the given address.
	// Returns ENOTFOUND if there is none.
	SubscriberByEmail(ctx context.Context, email string) (*Subscriber, error)

	// UpdateSubscriber writes s's Status, Prefs, Confirmed and NextDue.
	// Returns ENOTFOUND if there is no such subscriber.
	UpdateSubscriber(ctx context.Context, s *Subscriber) error

	// DueSubscribers returns up to limit confirmed subscribers whose
	// NextDue is set and not after now, earliest first.
	DueSubscribers(ctx context.Context, now time.Time, limit int) ([]*Subscriber, error)

	// ConfirmedSubscribers returns up to limit confirmed subscribers with
	// an ID above afterID, in ID order: a page of a full scan.
	ConfirmedSubscribers(ctx context.Context, afterID int64, limit int) ([]*Subscriber, error)

	// SentPapers returns those of ids already put in an issue for the
	// subscriber, whatever the version.
	SentPapers(ctx context.Context, subscriberID int64, ids []ArxivID) ([]ArxivID, error)

	// EnqueueIssues writes each issue that does not exist yet (by
	// subscriber and date) with its items, which become the subscriber's
	// sent papers, and sets the subscriber's LastIssue to its date. For
	// every issue, existing or not, it moves the subscriber's NextDue
	// forward to issue.NextDue (never back). It reports, in order, whether
	// each issue was created.
	EnqueueIssues(ctx context.Context, issues []*DigestIssue) ([]bool, error)

	// Issue returns the issue of a subscriber for a date. Returns
	// ENOTFOUND if there is none.
	Issue(ctx context.Context, subscriberID int64, date time.Time) (*DigestIssue, error)

	// IssueByMessageID returns the issue with the given Message-ID.
	// Returns ENOTFOUND if there is none.
	IssueByMessageID(ctx context.Context, messageID string) (*DigestIssue, error)

	// ClaimIssues leases up to limit pending issues whose NextAttempt is
	// not after now and whose lease (if any) has expired at now, to owner
	// until leaseUntil, and returns them with Email set. Concurrent
	// claimers, in any process, never get the same issue while its lease
	// runs.
	ClaimIssues(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]*DigestIssue, error)

	// UpdateIssue records the outcome of an attempt on an issue owner
	// leased, and releases the lease. Returns ECONFLICT if owner no longer
	// holds the lease, ENOTFOUND if there is no such issue.
	UpdateIssue(ctx context.Context, subscriberID int64, date time.Time, owner string, u IssueUpdate) error

	// MarkBounced sets a sent issue's status to IssueBounced. Returns
	// ENOTFOUND if there is no such issue.
	MarkBounced(ctx context.Context, subscriberID int64, date time.Time) error

	// Suppress adds an address to the suppression list; suppressing it
	// again keeps the first entry.
	Suppress(ctx context.Context, s Suppression) error

	// Suppressed reports whether an address is on the suppression list.
	Suppressed(ctx context.Context, email string) (bool, error)

	// RecordFeedback stores a feedback click; a repeat of the same kind
	// on the same paper is kept once.
	RecordFeedback(ctx context.Context, f DigestFeedback) error

	// Feedback returns a subscriber's feedback, newest first.
	Feedback(ctx context.Context, subscriberID int64) ([]DigestFeedback, error)

	// DigestStats returns one entry per issue date in [from, to), oldest
	// first, dates without issues included.
	DigestStats(ctx context.Context, from, to time.Time) ([]DigestDayStats, error)

	// Secret returns the server secret named name, storing fresh as its
	// value first if there is none, so every replica of an instance signs
	// links with the same key.
	Secret(ctx context.Context, name string, fresh []byte) ([]byte, error)
}
