package web

import (
	"net/http"

	"paperboy"
)

// SubmissionCreate serves POST /submit. A new submission goes to the paper's
// page; a mistake, an unknown paper or a paper submitted already (which
// counts as the user's upvote) is explained on the form.
func (h *Handler) SubmissionCreate(w http.ResponseWriter, r *http.Request) error {
	user := signedIn(w, r)
	if user == nil {
		return nil
	}
	raw, note := r.PostFormValue("paper"), r.PostFormValue("comment")
	sub, err := h.community.Submit(r.Context(), user, raw, note)
	switch code := paperboy.ErrorCode(err); code {
	case "":
		http.Redirect(w, r, paperURL(sub.PaperID), http.StatusSeeOther)
		return nil
	case paperboy.EINVALID, paperboy.ENOTFOUND, paperboy.ECONFLICT:
		page := submitPage{layout: h.layoutFor(r, "Submit a paper"), Paper: raw, Comment: note, Error: paperboy.ErrorMessage(err)}
		status := map[string]int{paperboy.EINVALID: http.StatusBadRequest, paperboy.ENOTFOUND: http.StatusNotFound, paperboy.ECONFLICT: http.StatusConflict}[code]
		return h.render(w, status, "submit", page)
	default:
		return err
	}
}
