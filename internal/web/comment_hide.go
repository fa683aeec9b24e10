package web

import (
	"fmt"
	"net/http"
)

// CommentHide serves POST /comments/{cid}/hide: an admin hides any comment
// (hidden=0 shows it again). Anyone else gets EFORBIDDEN.
func (h *Handler) CommentHide(w http.ResponseWriter, r *http.Request) error {
	user := signedIn(w, r)
	if user == nil {
		return nil
	}
	id, err := commentID(r)
	if err != nil {
		return err
	}
	c, err := h.community.HideComment(r.Context(), user, id, r.PostFormValue("hidden") != "0")
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("%s#comment-%d", paperURL(c.PaperID), c.ID), http.StatusSeeOther)
	return nil
}
