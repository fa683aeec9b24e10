package api

import (
	"net/http"
	"strings"

	"paperboy"
)

const (
	searchDefaultLimit = 20
	searchMaxLimit     = 100
	maxOffset          = 10000
)

type searchResponse struct {
	Query   string         `json:"query"`
	Total   int            `json:"total"`
	Limit   int            `json:"limit"`
	Offset  int            `json:"offset"`
	Results []searchResult `json:"results"`
}

type searchResult struct {
	Score float64 `json:"score"`
	Paper paper   `json:"paper"`
}

// SearchList serves GET /api/v1/search?q=&limit=&offset=.
func (h *Handler) SearchList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	text := strings.TrimSpace(q.Get("q"))
	if text == "" {
		return paperboy.Errorf(paperboy.EINVALID, "Missing query: give q, e.g. /api/v1/search?q=graph+neural+networks.")
	}
	limit, err := intParam(q, "limit", searchDefaultLimit, 1, searchMaxLimit)
	if err != nil {
		return err
	}
	offset, err := intParam(q, "offset", 0, 0, maxOffset)
	if err != nil {
		return err
	}
	results, total, err := h.search.Search(r.Context(), paperboy.SearchQuery{Text: text, Limit: limit, Offset: offset})
	if err != nil {
		return err
	}
	resp := searchResponse{Query: text, Total: total, Limit: limit, Offset: offset, Results: []searchResult{}}
	for _, res := range results {
		resp.Results = append(resp.Results, searchResult{Score: res.Score, Paper: newPaper(res.Paper)})
	}
	return writeJSON(w, http.StatusOK, resp)
}
