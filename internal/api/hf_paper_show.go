package api

import (
	"net/http"

	"paperboy"
)

// HFPaperShow serves GET /api/papers/{id...}, Hugging Face's paper info:
// the paper object alone. An ID that is not an arXiv ID names no paper, so
// it is a 404 as on the Hub, not a 400.
func (h *Handler) HFPaperShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.hfPaper(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	items := []hfDailyItem{newHFItem(p)}
	subs := map[paperboy.ArxivID]*paperboy.Submission{}
	if h.community != nil {
		if sub, err := h.community.Submission(r.Context(), p.ID); err == nil {
			subs[p.ID] = sub
		} else if paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
			return err
		}
	}
	if err := h.hfDecorate(r.Context(), items, subs); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, items[0].Paper)
}

// hfPaper looks up the paper raw names, in any form ParseArxivID takes.
// Returns ENOTFOUND for an unknown paper and for anything that is not an
// arXiv ID.
func (h *Handler) hfPaper(r *http.Request, raw string) (*paperboy.Paper, error) {
	id, _, err := paperboy.ParseArxivID(raw)
	if err != nil {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Paper %q not found: %s", raw, paperboy.ErrorMessage(err))
	}
	return h.papers.Paper(r.Context(), id)
}
