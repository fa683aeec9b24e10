package api

import (
	"net/http"
	"time"

	"paperboy/internal/account"
)

// meJSON is the signed-in user as the API shows them.
type meJSON struct {
	ID      int64     `json:"id"`
	Email   string    `json:"email"`
	Name    string    `json:"name"`
	Admin   bool      `json:"admin"`
	Created time.Time `json:"created"`
}

// MeShow serves GET /api/v1/me: who the request's API token (or session)
// belongs to. Returns EUNAUTHORIZED without a valid one.
func (h *Handler) MeShow(w http.ResponseWriter, r *http.Request) error {
	u, err := account.RequireUser(r.Context())
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="paperboy"`)
		return err
	}
	return writeJSON(w, http.StatusOK, meJSON{ID: u.ID, Email: u.Email, Name: u.Name, Admin: u.Admin, Created: u.Created.UTC()})
}
