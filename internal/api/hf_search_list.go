package api

import (
	"net/http"
	"strings"

	"paperboy"
)

const (
	hfSearchDefaultLimit = 50
	hfSearchMaxLimit     = 100 // the search engine's largest page
)

// HFSearchList serves GET /api/papers/search?q=&limit=, Hugging Face's paper
// search, in the daily-papers item shape (huggingface_hub reads both
// shapes alike). q is in paperboy's query language; a query that does not
// parse is a 400.
func (h *Handler) HFSearchList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	text := strings.TrimSpace(q.Get("q"))
	if text == "" {
		return paperboy.Errorf(paperboy.EINVALID, "Missing query: give q, e.g. /api/papers/search?q=graph+neural+networks.")
	}
	limit, err := intParam(q, "limit", hfSearchDefaultLimit, 1, hfSearchMaxLimit)
	if err != nil {
		return err
	}
	results, _, err := h.search.Search(r.Context(), paperboy.SearchQuery{Text: text, Limit: limit})
	if err != nil {
		return err
	}
	items := make([]hfDailyItem, 0, len(results))
	for _, res := range results {
		items = append(items, newHFItem(res.Paper))
	}
	if err := h.hfDecorate(r.Context(), items, nil); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, items)
}
