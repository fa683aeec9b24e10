package web

import "net/http"

// SessionDelete signs out: it ends the request's session and drops the
// cookie.
func (h *Accounts) SessionDelete(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.SignOut(r.Context()); err != nil {
		return err
	}
	h.svc.ClearSessionCookie(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
