package api

import (
	"net/http"

	"paperboy/internal/account"
)

// VoteDelete serves DELETE /api/v1/papers/{id}/upvote: the caller takes
// their upvote back, if they gave one.
func (h *Handler) VoteDelete(w http.ResponseWriter, r *http.Request) error {
	user, err := account.RequireUser(r.Context())
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="paperboy"`)
		return err
	}
	id, err := paperIDFrom(r)
	if err != nil {
		return err
	}
	c, err := h.community.Unvote(r.Context(), user, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, voteJSON{PaperID: id.String(), Upvotes: c.Count, Upvoted: c.Mine})
}
