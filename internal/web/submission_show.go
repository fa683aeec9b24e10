package web

import "net/http"

// SubmissionShow serves GET /submit: the form to put a paper on the daily
// page.
func (h *Handler) SubmissionShow(w http.ResponseWriter, r *http.Request) error {
	if signedIn(w, r) == nil {
		return nil
	}
	page := submitPage{layout: h.layoutFor(r, "Submit a paper"), Paper: r.URL.Query().Get("paper")}
	return h.render(w, http.StatusOK, "submit", page)
}
