package web

import (
	"fmt"
	"net/http"
)

// CommentCreate serves POST /papers/{id}/comments and shows the new comment
// in its thread.
func (h *Handler) CommentCreate(w http.ResponseWriter, r *http.Request) error {
	user := signedIn(w, r)
	if user == nil {
		return nil
	}
	id, err := paperIDFrom(r)
	if err != nil {
		return err
	}
	c, err := h.community.AddComment(r.Context(), user, id, r.PostFormValue("body"))
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("%s#comment-%d", paperURL(id), c.ID), http.StatusSeeOther)
	return nil
}
