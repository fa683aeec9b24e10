package web

import (
	"fmt"
	"net/http"

	"paperboy"
)

// CommentUpdate serves POST /comments/{cid}/edit. Only the author may edit
// (EFORBIDDEN otherwise); an empty or overlong body is shown on the form.
func (h *Handler) CommentUpdate(w http.ResponseWriter, r *http.Request) error {
	user := signedIn(w, r)
	if user == nil {
		return nil
	}
	id, err := commentID(r)
	if err != nil {
		return err
	}
	body := r.PostFormValue("body")
	c, err := h.community.EditComment(r.Context(), user, id, body)
	if paperboy.ErrorCode(err) == paperboy.EINVALID {
		own, oerr := h.community.OwnComment(r.Context(), user, id)
		if oerr != nil {
			return oerr
		}
		view := newCommentView(own, user)
		view.Body = body
		page := commentEditPage{layout: h.layoutFor(r, "Edit comment"), Comment: view, PaperURL: paperURL(own.PaperID), Error: paperboy.ErrorMessage(err)}
		return h.render(w, http.StatusBadRequest, "comment_edit", page)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("%s#comment-%d", paperURL(c.PaperID), c.ID), http.StatusSeeOther)
	return nil
}
