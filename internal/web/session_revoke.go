package web

import (
	"net/http"
	"strconv"

	"paperboy"
	"paperboy/internal/account"
)

// SessionRevoke ends one of the user's sessions, listed on the settings
// page; ending the current one signs out.
func (h *Accounts) SessionRevoke(w http.ResponseWriter, r *http.Request) error {
	u := signedIn(w, r)
	if u == nil {
		return nil
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.RevokeSession(r.Context(), u, id); err != nil {
		return err
	}
	if cur := account.SessionFrom(r.Context()); cur != nil && cur.ID == id {
		h.svc.ClearSessionCookie(w, r)
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
	return nil
}

// pathID reads the {id} of the route.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, paperboy.Errorf(paperboy.ENOTFOUND, "There is no page at %s.", r.URL.Path)
	}
	return id, nil
}
