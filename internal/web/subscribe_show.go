package web

import (
	"net/http"

	"paperboy/internal/account"
)

// SubscribeShow serves the subscription form, filled in for a signed-in
// user.
func (h *Digests) SubscribeShow(w http.ResponseWriter, r *http.Request) error {
	page := subscribePage{layout: h.layoutFor(r, "Daily digest")}
	if u := account.UserFrom(r.Context()); u != nil {
		page.Email = u.Email
	}
	return h.render(w, http.StatusOK, "subscribe", page)
}
