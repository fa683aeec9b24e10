package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"paperboy"
)

// DigestPrefsShow serves the preferences form a signed link opens; no
// sign-in needed.
func (h *Digests) DigestPrefsShow(w http.ResponseWriter, r *http.Request) error {
	tok := r.URL.Query().Get("token")
	sub, err := h.svc.Preferences(r.Context(), tok)
	if err != nil {
		return err
	}
	noStore(w)
	page := h.prefsPage(r, tok, sub)
	// A link from the "add this search" e-mail offers a topic; it is saved
	// only with the form.
	if topic := strings.TrimSpace(r.URL.Query().Get("add_topic")); topic != "" && !slices.Contains(sub.Prefs.Topics, topic) {
		page.Topics = strings.TrimSpace(page.Topics + "\n" + topic)
		page.Offered = topic
	}
	return h.render(w, http.StatusOK, "digest_prefs", page)
}

func (h *Digests) prefsPage(r *http.Request, tok string, sub *paperboy.Subscriber) digestPrefsPage {
	p := sub.Prefs
	page := digestPrefsPage{layout: h.layoutFor(r, "Digest preferences"), Token: tok, Email: sub.Email, Prefs: p,
		Categories: strings.Join(p.Categories, "\n"), Topics: strings.Join(p.Topics, "\n"), Authors: strings.Join(p.Authors, "\n")}
	if !p.PausedUntil.IsZero() {
		page.PausedTo = p.PausedUntil.Format(time.DateOnly)
	}
	return page
}
