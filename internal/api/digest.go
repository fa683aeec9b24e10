package api

import (
	"net/http"

	"paperboy"
	"paperboy/internal/account"
	"paperboy/internal/digest"
)

// Digest serves the digest's API: mail events and statistics, both for
// admins (an admin's API token, "Authorization: Bearer pb_...").
type Digest struct{ svc *digest.Service }

// NewDigest returns the digest API over svc.
func NewDigest(svc *digest.Service) *Digest { return &Digest{svc: svc} }

// requireAdmin returns EUNAUTHORIZED without credentials, EFORBIDDEN for
// a user who is not an admin.
func requireAdmin(w http.ResponseWriter, r *http.Request) error {
	u, err := account.RequireUser(r.Context())
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="paperboy"`)
		return err
	}
	if !u.Admin {
		return paperboy.Errorf(paperboy.EFORBIDDEN, "Only an admin's token may do this.")
	}
	return nil
}
