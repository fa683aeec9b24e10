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
	*searchHow
}

// searchHow says how a search was answered, when the searcher reports it:
// the mode that ranked the results, and why the mode asked for could not
// be used (null when it was).
type searchHow struct {
	Mode     string  `json:"mode"`
	Fallback *string `json:"fallback"`
}

type searchResult struct {
	Score float64 `json:"score"`
	Paper paper   `json:"paper"`
}

// SearchList serves GET /api/v1/search?q=&limit=&offset=&mode=.
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
	mode := q.Get("mode")
	if !paperboy.ValidSearchMode(mode) {
		return paperboy.Errorf(paperboy.EINVALID, "Invalid mode %q: expected hybrid, keyword or semantic.", mode)
	}
	sq := paperboy.SearchQuery{Text: text, Limit: limit, Offset: offset, Mode: mode}
	var how *searchHow
	var results []paperboy.SearchResult
	var total int
	if rs, ok := h.search.(paperboy.ReportingSearcher); ok {
		var rep paperboy.SearchReport
		results, total, rep, err = rs.SearchReport(r.Context(), sq)
		how = &searchHow{Mode: rep.Mode}
		if rep.Fallback != "" {
			how.Fallback = &rep.Fallback
		}
	} else {
		results, total, err = h.search.Search(r.Context(), sq)
	}
	if err != nil {
		return err
	}
	resp := searchResponse{Query: text, Total: total, Limit: limit, Offset: offset, Results: []searchResult{}, searchHow: how}
	for _, res := range results {
		resp.Results = append(resp.Results, searchResult{Score: res.Score, Paper: newPaper(res.Paper)})
	}
	return writeJSON(w, http.StatusOK, resp)
}
