package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"paperboy"
)

// DigestPrefsUpdate saves the preferences form; a problem is shown on the
// form, with what was typed kept.
func (h *Digests) DigestPrefsUpdate(w http.ResponseWriter, r *http.Request) error {
	tok := r.PostFormValue("token")
	p, formErr := prefsFromForm(r)
	var sub *paperboy.Subscriber
	var err error
	if formErr == nil {
		sub, err = h.svc.SavePreferences(r.Context(), tok, p)
	} else {
		sub, err = h.svc.Preferences(r.Context(), tok)
	}
	if sub == nil {
		return err
	}
	if err == nil {
		err = formErr
	}
	noStore(w)
	page := h.prefsPage(r, tok, sub)
	if err != nil {
		if paperboy.ErrorCode(err) != paperboy.EINVALID {
			return err
		}
		page.Prefs = p
		page.Categories, page.Topics, page.Authors = r.PostFormValue("categories"), r.PostFormValue("topics"), r.PostFormValue("authors")
		page.PausedTo, page.Error = r.PostFormValue("paused_until"), paperboy.ErrorMessage(err)
		return h.render(w, http.StatusBadRequest, "digest_prefs", page)
	}
	page.Saved = true
	return h.render(w, http.StatusOK, "digest_prefs", page)
}

// prefsFromForm reads the form; returns EINVALID for a number or date
// that does not parse.
func prefsFromForm(r *http.Request) (paperboy.DigestPrefs, error) {
	p := paperboy.DigestPrefs{
		Frequency: r.PostFormValue("frequency"), TimeZone: strings.TrimSpace(r.PostFormValue("timezone")),
		Trending: r.PostFormValue("trending") == "on", SendEmpty: r.PostFormValue("send_empty") == "on",
		Categories: lines(r.PostFormValue("categories")), Topics: lines(r.PostFormValue("topics")),
		Authors: lines(r.PostFormValue("authors")),
	}
	var err1, err2 error
	p.SendHour, err1 = strconv.Atoi(r.PostFormValue("send_hour"))
	p.MaxItems, err2 = strconv.Atoi(r.PostFormValue("max_items"))
	if err1 != nil || err2 != nil {
		return p, paperboy.Errorf(paperboy.EINVALID, "The send hour and the number of papers must be numbers.")
	}
	if v := strings.TrimSpace(r.PostFormValue("paused_until")); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return p, paperboy.Errorf(paperboy.EINVALID, "Pause until: %q is not a date like 2025-03-31.", v)
		}
		p.PausedUntil = d
	}
	return p, nil
}
