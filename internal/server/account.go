package server

import (
	"net/http"

	"paperboy"
	"paperboy/internal/api"
)

// accountRoutes adds the account pages and API, when accounts are on.
func (s *server) accountRoutes(mux *http.ServeMux) {
	if s.accounts == nil {
		return
	}
	a := s.webAccounts
	mux.Handle("GET /signin", s.page(a.SigninShow))
	mux.Handle("POST /signin", s.page(a.SigninCreate))
	mux.Handle("GET /signin/confirm", s.page(a.SigninConfirmShow))
	mux.Handle("POST /signin/confirm", s.page(a.SigninConfirm))
	mux.Handle("POST /signout", s.page(a.SessionDelete))
	mux.Handle("GET /settings", s.page(a.SettingsShow))
	mux.Handle("POST /settings/sessions/{id}/delete", s.page(a.SessionRevoke))
	mux.Handle("POST /settings/tokens", s.page(a.TokenCreate))
	mux.Handle("POST /settings/tokens/{id}/delete", s.page(a.TokenDelete))

	mux.Handle("GET /api/v1/me", s.json(s.api.MeShow))
}

// authenticate puts the request's user, if any, in its context.
func (s *server) authenticate(next http.Handler) http.Handler {
	if s.accounts == nil {
		return next
	}
	return s.accounts.Middleware(next)
}

// crossOrigin is the CSRF defence of every form and every unsafe API call:
// net/http's CrossOriginProtection refuses a POST (PUT, DELETE...) that the
// browser marks as cross-site (Sec-Fetch-Site) or whose Origin is not this
// host. Requests with neither header do not come from a browser (scripts,
// curl) and pass: they carry no ambient cookie a page could abuse. Session
// cookies are SameSite=Lax besides.
func (s *server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := paperboy.Errorf(paperboy.EFORBIDDEN, "This form was sent from another site, so it was refused. Go back, reload the page and try again.")
		s.logger.WarnContext(r.Context(), "cross_origin_refused",
			"request_id", requestIDFrom(r.Context()), "method", r.Method, "path", r.URL.Path)
		if isAPI(r) {
			api.WriteError(w, http.StatusForbidden, err)
		} else {
			s.web.RenderError(w, r, http.StatusForbidden, err)
		}
	}))
	if s.accounts != nil {
		if err := cop.AddTrustedOrigin(s.accounts.Origin()); err != nil {
			s.logger.Warn("trusted_origin_invalid", "err", err)
		}
	}
	return cop.Handler(next)
}
