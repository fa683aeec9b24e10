package web

import "net/http"

// CommentDelete serves POST /comments/{cid}/delete: authors delete their
// own comments (EFORBIDDEN for anyone else's).
func (h *Handler) CommentDelete(w http.ResponseWriter, r *http.Request) error {
	user := signedIn(w, r)
	if user == nil {
		return nil
	}
	id, err := commentID(r)
	if err != nil {
		return err
	}
	c, err := h.community.DeleteComment(r.Context(), user, id)
	if err != nil {
		return err
	}
	http.Redirect(w, r, paperURL(c.PaperID)+"#comments", http.StatusSeeOther)
	return nil
}
