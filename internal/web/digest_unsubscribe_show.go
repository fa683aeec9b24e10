package web

import (
	"net/http"
	"net/url"
)

// DigestUnsubscribeShow serves the page an unsubscribe link opens: a
// button. A POST to the same URL (RFC 8058 one-click, sent by mail
// clients) unsubscribes at once.
func (h *Digests) DigestUnsubscribeShow(w http.ResponseWriter, r *http.Request) error {
	tok := r.URL.Query().Get("token")
	sub, err := h.svc.UnsubscribeToken(r.Context(), tok)
	if err != nil {
		return err
	}
	noStore(w)
	return h.render(w, http.StatusOK, "digest_confirm", digestConfirmPage{
		layout: h.layoutFor(r, "Unsubscribe"), Heading: "Unsubscribe",
		Message: "Stop sending the paperboy digest to " + sub.Email + "?",
		Action:  "/digest/unsubscribe?token=" + url.QueryEscape(tok), Token: tok, Button: "Unsubscribe",
	})
}
