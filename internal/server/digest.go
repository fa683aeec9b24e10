package server

import (
	"net/http"

	"paperboy/internal/api"
)

// digestRoutes adds the digest pages and API, when the digest is on. Links
// from e-mails are GET (a page with a button) then POST (the action), so
// scanners that fetch links change nothing; RFC 8058 one-click
// unsubscribe is the POST to the List-Unsubscribe URL itself.
func (s *server) digestRoutes(mux *http.ServeMux) {
	if s.digest == nil {
		return
	}
	d := s.web.Digests(s.digest)
	mux.Handle("GET /subscribe", s.page(d.SubscribeShow))
	mux.Handle("POST /subscribe", s.page(d.SubscribeCreate))
	mux.Handle("GET /subscribe/confirm", s.page(d.SubscribeConfirmShow))
	mux.Handle("POST /subscribe/confirm", s.page(d.SubscribeConfirm))
	mux.Handle("GET /digest/preferences", s.page(d.DigestPrefsShow))
	mux.Handle("POST /digest/preferences", s.page(d.DigestPrefsUpdate))
	mux.Handle("GET /digest/unsubscribe", s.page(d.DigestUnsubscribeShow))
	mux.Handle("POST /digest/unsubscribe", s.page(d.DigestUnsubscribe))
	mux.Handle("GET /digest/feedback", s.page(d.DigestFeedbackShow))
	mux.Handle("POST /digest/feedback", s.page(d.DigestFeedbackCreate))
	mux.Handle("GET /admin/digest", s.page(d.DigestAdminShow))
	mux.Handle("GET /admin/digest/preview", s.page(d.DigestPreviewShow))

	a := api.NewDigest(s.digest)
	mux.Handle("POST /api/v1/mail/events", s.json(a.MailEventCreate))
	mux.Handle("GET /api/v1/digest/stats", s.json(a.DigestStatsShow))
}
