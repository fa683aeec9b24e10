package web

import (
	"net/http"

	"paperboy"
)

// SigninCreate takes an address and answers the same for every address,
// known or not (the service decides in the background what to send).
func (h *Accounts) SigninCreate(w http.ResponseWriter, r *http.Request) error {
	page := signinPage{layout: h.layoutFor(r, "Sign in"), Email: r.PostFormValue("email")}
	err := h.svc.RequestSignIn(r.Context(), page.Email, clientIP(r))
	if paperboy.ErrorCode(err) == paperboy.EINVALID {
		page.Error = paperboy.ErrorMessage(err)
		return &pageError{err: err, name: "signin", data: page}
	} else if err != nil {
		return err
	}
	page.Sent = true
	return h.render(w, http.StatusOK, "signin", page)
}
