package api

import (
	"net/http"

	"paperboy/internal/account"
)

// VoteCreate serves POST /api/v1/papers/{id}/upvote: the caller (API token
// or session) upvotes the paper. Repeating it changes nothing.
func (h *Handler) VoteCreate(w http.ResponseWriter, r *http.Request) error {
	user, err := account.RequireUser(r.Context())
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="paperboy"`)
		return err
	}
	id, err := paperIDFrom(r)
	if err != nil {
		return err
	}
	c, err := h.community.Upvote(r.Context(), user, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, voteJSON{PaperID: id.String(), Upvotes: c.Count, Upvoted: c.Mine})
}
