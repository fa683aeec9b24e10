package web

import (
	"net/http"
)

// DigestAdminShow shows an admin the outbox counts of the last two weeks
// and a preview form.
func (h *Digests) DigestAdminShow(w http.ResponseWriter, r *http.Request) error {
	if err := requireAdmin(r); err != nil {
		return err
	}
	stats, err := h.svc.Stats(r.Context(), 14)
	if err != nil {
		return err
	}
	return h.render(w, http.StatusOK, "digest_admin", digestAdminPage{layout: h.layoutFor(r, "Digest"), Stats: stats})
}
