package api

import (
	"net/http"
	"strings"

	"paperboy"
)

const (
	relatedDefaultLimit = 10
	relatedMaxLimit     = 50
)

type relatedResponse struct {
	ID      string         `json:"id"`
	Results []searchResult `json:"results"`
}

// RelatedList serves GET /api/v1/papers/{id...}/related?limit=: the papers
// most like one paper, from its vector neighbours, or its own words when it
// has no vector yet. The route's {id...} ends in "/related", which no arXiv
// ID does.
func (h *Handler) RelatedList(w http.ResponseWriter, r *http.Request) error {
	id, _, err := paperboy.ParseArxivID(strings.TrimSuffix(r.PathValue("id"), "/related"))
	if err != nil {
		return err
	}
	limit, err := intParam(r.URL.Query(), "limit", relatedDefaultLimit, 1, relatedMaxLimit)
	if err != nil {
		return err
	}
	var results []paperboy.SearchResult
	if rel, ok := h.search.(paperboy.RelatedPapers); ok {
		results, err = rel.Related(r.Context(), id, limit)
	} else { // a searcher without related papers: the paper must still exist
		_, err = h.papers.Paper(r.Context(), id)
	}
	if err != nil {
		return err
	}
	resp := relatedResponse{ID: id.String(), Results: []searchResult{}}
	for _, res := range results {
		resp.Results = append(resp.Results, searchResult{Score: res.Score, Paper: newPaper(res.Paper)})
	}
	return writeJSON(w, http.StatusOK, resp)
}
