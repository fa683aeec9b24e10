package paperboy

import (
	"slices"
	"time"
)

// Subscription statuses. A subscriber is pending until they follow the
// confirmation link (double opt-in); nothing but that link is sent before.
const (
	SubPending      = "pending"
	SubConfirmed    = "confirmed"
	SubUnsubscribed = "unsubscribed"
)

// Digest frequencies. Weekly issues go out on the subscriber's local Monday.
const (
	FreqDaily  = "daily"
	FreqWeekly = "weekly"
	FreqOff    = "off"
)

// Limits of digest preferences.
const (
	MaxDigestItems  = 50
	MaxPrefsEntries = 20
	maxPrefsEntry   = 200
)

// Subscriber is one address that asked for the digest. Email is stored
// lower-cased and is unique.
type Subscriber struct {
	ID        int64
	Email     string
	Status    string // SubPending, SubConfirmed or SubUnsubscribed
	Prefs     DigestPrefs
	Created   time.Time
	Confirmed time.Time // zero until confirmed
	// NextDue is when the scheduler next composes an issue for the
	// subscriber: their local send hour on their next issue date. Zero
	// means never (not confirmed, or frequency off).
	NextDue time.Time
	// LastIssue is the local date (a UTC midnight) of the last issue
	// composed for the subscriber; zero before the first.
	LastIssue time.Time
}

// DigestPrefs are what a subscriber chose to receive, and when.
type DigestPrefs struct {
	Frequency  string   // FreqDaily, FreqWeekly or FreqOff
	SendHour   int      // 0-23, local
	TimeZone   string   // IANA name, e.g. "Europe/Paris"
	Trending   bool     // include the top trending papers
	Categories []string // new papers in these arXiv categories, e.g. cs.LG
	Topics     []string // saved searches, in the query language
	Authors    []string // followed authors' names
	MaxItems   int      // 1..MaxDigestItems
	SendEmpty  bool     // send an issue even when it has no papers
	// PausedUntil, when set, is the first local date (a UTC midnight) on
	// which issues resume; the first issue after a pause catches up on the
	// best papers missed.
	PausedUntil time.Time
}

// DefaultDigestPrefs are the preferences of a new subscriber: a daily
// e-mail at 7:00 UTC with the ten top trending papers.
func DefaultDigestPrefs() DigestPrefs {
	return DigestPrefs{Frequency: FreqDaily, SendHour: 7, TimeZone: "UTC", Trending: true, MaxItems: 10}
}

// Validate reports the first problem with p. It does not resolve TimeZone
// (that needs the time zone database, a service's business); it returns
// EINVALID.
func (p *DigestPrefs) Validate() error {
	switch {
	case p.Frequency != FreqDaily && p.Frequency != FreqWeekly && p.Frequency != FreqOff:
		return Errorf(EINVALID, "Frequency must be daily, weekly or off.")
	case p.SendHour < 0 || p.SendHour > 23:
		return Errorf(EINVALID, "The send hour must be between 0 and 23.")
	case p.TimeZone == "":
		return Errorf(EINVALID, "Choose a time zone.")
	case p.MaxItems < 1 || p.MaxItems > MaxDigestItems:
		return Errorf(EINVALID, "The number of papers per e-mail must be between 1 and %d.", MaxDigestItems)
	}
	for _, list := range [][]string{p.Categories, p.Topics, p.Authors} {
		if len(list) > MaxPrefsEntries {
			return Errorf(EINVALID, "At most %d categories, topics or authors each.", MaxPrefsEntries)
		}
		if slices.ContainsFunc(list, func(s string) bool { return s == "" || len(s) > maxPrefsEntry }) {
			return Errorf(EINVALID, "Each category, topic or author must be 1 to %d characters.", maxPrefsEntry)
		}
	}
	return nil
}

// Paused reports whether issues are paused on the local date day.
func (p *DigestPrefs) Paused(day time.Time) bool {
	return !p.PausedUntil.IsZero() && day.Before(p.PausedUntil)
}

// Suppression is an address paperboy must not e-mail again: it bounced
// hard, complained, or a relay refused it permanently.
type Suppression struct {
	Email   string
	Reason  string // "bounce", "complaint", "rejected", "unsubscribe"
	Created time.Time
}

// Feedback kinds: a reader's "more like this" or "less like this" on one
// item of a digest.
const (
	FeedbackMore = "more"
	FeedbackLess = "less"
)

// DigestFeedback is one recorded feedback click.
type DigestFeedback struct {
	SubscriberID int64
	PaperID      ArxivID
	Kind         string // FeedbackMore or FeedbackLess
	Created      time.Time
}
