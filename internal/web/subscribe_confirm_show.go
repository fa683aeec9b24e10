package web

import (
	"net/http"
	"net/url"
)

// SubscribeConfirmShow serves the page a confirmation link opens: a button
// that confirms. The link is checked, so an expired one says so at once.
func (h *Digests) SubscribeConfirmShow(w http.ResponseWriter, r *http.Request) error {
	tok := r.URL.Query().Get("token")
	if err := h.svc.ConfirmToken(r.Context(), tok); err != nil {
		return err
	}
	noStore(w)
	return h.render(w, http.StatusOK, "digest_confirm", digestConfirmPage{
		layout: h.layoutFor(r, "Confirm your digest"), Heading: "Confirm your digest",
		Message: "Press the button to start receiving the paperboy digest.",
		Action:  "/subscribe/confirm?token=" + url.QueryEscape(tok), Token: tok, Button: "Confirm",
	})
}
