package web

import (
	"net/http"
	"strings"

	"paperboy"
	"paperboy/internal/account"
	"paperboy/internal/digest"
)

// Digests serves the digest pages: subscribing, confirming, preferences,
// unsubscribing, feedback and the admin page. Every link from an e-mail
// opens a page with a button (GET shows, POST acts), so a mail scanner that
// fetches links changes nothing.
type Digests struct {
	*Handler
	svc *digest.Service
}

// Digests returns the digest pages served with svc.
func (h *Handler) Digests(svc *digest.Service) *Digests {
	return &Digests{Handler: h, svc: svc}
}

// subscribePage asks for an address, then gives the same answer for any.
type subscribePage struct {
	layout
	Email      string
	Sent       bool
	Confirmed  bool   // a signed-in user's own address, confirmed at once
	Subscribed bool   // a signed-in user's own address gets the digest
	PrefsURL   string // their preferences page (signed link), when Confirmed or Subscribed
	SendAt     string // when their digests come, with PrefsURL
	Error      string
}

// digestConfirmPage is the button an e-mailed link opens, then the result.
type digestConfirmPage struct {
	layout
	Heading string
	Message string
	Action  string // form action, token included
	Token   string
	Button  string
	Done    string // the result, once acted
	Link    string // a follow-up link, e.g. to preferences
}

// digestPrefsPage edits a subscriber's preferences.
type digestPrefsPage struct {
	layout
	Token      string
	Email      string
	Prefs      paperboy.DigestPrefs
	Categories string // one per line
	Topics     string
	Authors    string
	PausedTo   string // yyyy-mm-dd or ""
	Offered    string // a topic an e-mailed link offers, not saved yet
	Saved      bool
	Error      string
}

// digestAdminPage shows the outbox counts.
type digestAdminPage struct {
	layout
	Stats []paperboy.DigestDayStats
}

func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

// lines splits a textarea into its non-blank lines.
func lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// requireAdmin returns EFORBIDDEN unless an admin is signed in.
func requireAdmin(r *http.Request) error {
	u, err := account.RequireUser(r.Context())
	if err != nil {
		return err
	}
	if !u.Admin {
		return paperboy.Errorf(paperboy.EFORBIDDEN, "Only an admin can see this page.")
	}
	return nil
}
