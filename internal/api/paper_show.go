package api

import (
	"net/http"

	"paperboy"
)

// PaperShow serves GET /api/v1/papers/{id...}. Any form ParseArxivID takes
// (versioned, "arXiv:"-prefixed, old style with a slash) names the paper.
func (h *Handler) PaperShow(w http.ResponseWriter, r *http.Request) error {
	id, _, err := paperboy.ParseArxivID(r.PathValue("id"))
	if err != nil {
		return err
	}
	p, err := h.papers.Paper(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newPaper(p))
}
