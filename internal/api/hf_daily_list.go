package api

import (
	"net/http"
	"strings"

	"paperboy"
)

const (
	hfDailyDefaultLimit = 50
	hfDailyMaxLimit     = 500
	hfMaxPage           = 100000
)

// HFDailyList serves GET /api/daily_papers?p=&limit=&sort=&date=&week=&month=&submitter=,
// Hugging Face's daily papers (docs/hf-api.md). With the community features
// a period's papers are its daily listing in the daily mode (hfDaily);
// without them, the papers first submitted to arXiv in it, newest first,
// sort=trending in the same order and any submitter matching nobody.
// Without date, week or month it pages through every paper.
func (h *Handler) HFDailyList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	period, err := parseHFPeriod(q)
	if err != nil {
		return err
	}
	switch s := q.Get("sort"); s {
	case "", "publishedAt", "trending":
	default:
		return paperboy.Errorf(paperboy.EINVALID, "Invalid sort %q: expected publishedAt or trending.", s)
	}
	limit, err := intParam(q, "limit", hfDailyDefaultLimit, 1, hfDailyMaxLimit)
	if err != nil {
		return err
	}
	page, err := intParam(q, "p", 0, 0, hfMaxPage)
	if err != nil {
		return err
	}
	if h.community != nil {
		return h.hfDaily(w, r, period.From, period.To, strings.TrimSpace(q.Get("submitter")), q.Get("sort"), limit, page)
	}
	if strings.TrimSpace(q.Get("submitter")) != "" {
		return writeJSON(w, http.StatusOK, []hfDailyItem{})
	}
	papers, _, err := h.papers.Papers(r.Context(), paperboy.PaperFilter{
		SubmittedFrom: period.From, SubmittedTo: period.To,
		Limit: limit, Offset: page * limit, Order: "submitted",
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newHFItems(papers))
}
