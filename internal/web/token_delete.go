package web

import "net/http"

// TokenDelete revokes one of the user's API tokens.
func (h *Accounts) TokenDelete(w http.ResponseWriter, r *http.Request) error {
	u := signedIn(w, r)
	if u == nil {
		return nil
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.RevokeAPIToken(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
	return nil
}
