package web

import (
	"net/http"

	"paperboy/internal/account"
)

// SigninConfirmShow serves the page an emailed link opens: a button that
// posts the token. Opening the link signs nobody in, so mail scanners that
// fetch links cannot use up the token.
func (h *Accounts) SigninConfirmShow(w http.ResponseWriter, r *http.Request) error {
	page := signinConfirmPage{layout: h.layoutFor(r, "Sign in"), Token: r.URL.Query().Get("token")}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	return h.render(w, http.StatusOK, "signin_confirm", page)
}

// SigninConfirm consumes the token, starts a fresh session (ending the one
// the browser had) and goes to the front page.
func (h *Accounts) SigninConfirm(w http.ResponseWriter, r *http.Request) error {
	_, secret, err := h.svc.ConfirmSignIn(r.Context(), r.PostFormValue("token"),
		account.SessionFrom(r.Context()), r.UserAgent())
	if err != nil {
		return err
	}
	h.svc.SetSessionCookie(w, r, secret)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
