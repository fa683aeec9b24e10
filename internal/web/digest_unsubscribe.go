package web

import (
	"net/http"
)

// DigestUnsubscribe unsubscribes at once: the form's button, or a mail
// client's one-click POST (body List-Unsubscribe=One-Click, token in the
// URL).
func (h *Digests) DigestUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	sub, err := h.svc.Unsubscribe(r.Context(), r.FormValue("token"))
	if err != nil {
		return err
	}
	noStore(w)
	return h.render(w, http.StatusOK, "digest_confirm", digestConfirmPage{
		layout: h.layoutFor(r, "Unsubscribed"), Heading: "Unsubscribed",
		Done: sub.Email + " will get no more digests. You can subscribe again at any time.",
	})
}
