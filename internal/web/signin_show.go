package web

import "net/http"

// SigninShow serves the sign-in form.
func (h *Accounts) SigninShow(w http.ResponseWriter, r *http.Request) error {
	return h.render(w, http.StatusOK, "signin", signinPage{layout: h.layoutFor(r, "Sign in")})
}
