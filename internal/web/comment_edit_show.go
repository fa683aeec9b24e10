package web

import (
	"net/http"
	"strconv"

	"paperboy"
)

// commentID reads the {cid} path value.
func commentID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("cid"), 10, 64)
	if err != nil || id <= 0 {
		return 0, paperboy.Errorf(paperboy.ENOTFOUND, "Comment %q not found.", r.PathValue("cid"))
	}
	return id, nil
}

// CommentEditShow serves GET /comments/{cid}/edit: the form to edit one's
// own comment. Someone else's comment is EFORBIDDEN.
func (h *Handler) CommentEditShow(w http.ResponseWriter, r *http.Request) error {
	user := signedIn(w, r)
	if user == nil {
		return nil
	}
	id, err := commentID(r)
	if err != nil {
		return err
	}
	c, err := h.community.OwnComment(r.Context(), user, id)
	if err != nil {
		return err
	}
	page := commentEditPage{layout: h.layoutFor(r, "Edit comment"), Comment: newCommentView(c, user), PaperURL: paperURL(c.PaperID)}
	return h.render(w, http.StatusOK, "comment_edit", page)
}
