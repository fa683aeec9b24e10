package web

import (
	"net/http"
	"strings"

	"paperboy"
	"paperboy/internal/account"
)

// SubscribeCreate takes an address and answers the same for every
// address: a confirmation link is on its way if one is needed.
func (h *Digests) SubscribeCreate(w http.ResponseWriter, r *http.Request) error {
	page := subscribePage{layout: h.layoutFor(r, "Daily digest"), Email: r.PostFormValue("email")}
	user := account.UserFrom(r.Context())
	topic := strings.TrimSpace(r.PostFormValue("topic"))
	confirmed, err := h.svc.Subscribe(r.Context(), page.Email, clientIP(r), user, topic)
	if paperboy.ErrorCode(err) == paperboy.EINVALID {
		page.Error = paperboy.ErrorMessage(err)
		return h.render(w, http.StatusBadRequest, "subscribe", page)
	} else if err != nil {
		return err
	}
	page.Sent, page.Confirmed = true, confirmed
	if confirmed { // the signed-in owner's own address: their preferences are theirs to open
		if err := h.withOwnSubscription(w, r, user, &page); err != nil {
			return err
		}
	}
	return h.render(w, http.StatusOK, "subscribe", page)
}
