package web

import (
	"net/http"
	"net/url"
)

// SubscribeConfirm confirms the subscription and offers the preferences.
func (h *Digests) SubscribeConfirm(w http.ResponseWriter, r *http.Request) error {
	sub, err := h.svc.Confirm(r.Context(), r.FormValue("token"))
	if err != nil {
		return err
	}
	noStore(w)
	return h.render(w, http.StatusOK, "digest_confirm", digestConfirmPage{
		layout: h.layoutFor(r, "Digest confirmed"), Heading: "You are subscribed",
		Done: "Your first digest comes at 7:00 UTC on the next day with papers. Choose your time zone, hour and topics:",
		Link: "/digest/preferences?token=" + url.QueryEscape(h.svc.PrefsToken(sub)),
	})
}
