package web

import (
	"net/http"
	"time"

	"paperboy"
)

// DigestPreviewShow shows an admin the HTML part of a subscriber's digest
// for a date (today, UTC, by the server's clock, when none is given), as
// `paperboy digest preview` prints it. Links in it are live, so the page
// is for admins only.
func (h *Digests) DigestPreviewShow(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	day := paperboy.Day(h.now())
	if v := r.URL.Query().Get("date"); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return paperboy.Errorf(paperboy.EINVALID, "%q is not a date like 2025-03-31.", v)
		}
		day = d
	}
	m, err := h.svc.Preview(r.Context(), r.URL.Query().Get("email"), day)
	if err != nil {
		return err
	}
	noStore(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, _ = w.Write([]byte(m.HTML))
	return nil
}
