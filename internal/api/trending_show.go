package api

import (
	"net/http"
	"time"

	"paperboy"
)

type trendingJSON struct {
	Window string              `json:"window"`
	Total  int                 `json:"total"`
	Papers []trendingEntryJSON `json:"papers"`
}

type trendingEntryJSON struct {
	Rank       int                `json:"rank"`
	ID         string             `json:"id"`
	Title      string             `json:"title"`
	Score      float64            `json:"score"`
	Reason     string             `json:"reason"`
	Components trendingComponents `json:"components"`
	Computed   time.Time          `json:"computed"`
}

// trendingComponents are the inputs and points of a score
// (docs/trending.md).
type trendingComponents struct {
	Upvotes         int     `json:"upvotes"`
	VotePoints      float64 `json:"vote_points"`
	GitHubStars     float64 `json:"github_stars"`
	StarsGained     float64 `json:"github_stars_gained"`
	StarPoints      float64 `json:"star_points"`
	ExternalUpvotes float64 `json:"external_upvotes_gained"`
	ExternalPoints  float64 `json:"external_points"`
	RecencyPoints   float64 `json:"recency_points"`
}

// TrendingShow serves GET /api/v1/trending?window=day|week|month&limit=:
// the trending papers in rank order, each with its score's components.
func (h *Handler) TrendingShow(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	window := q.Get("window")
	if window == "" {
		window = paperboy.WindowWeek
	}
	if err := paperboy.ValidWindow(window); err != nil {
		return err
	}
	limit, err := intParam(q, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	items, total, err := h.trending.List(r.Context(), window, limit, 0)
	if err != nil {
		return err
	}
	out := trendingJSON{Window: window, Total: total, Papers: []trendingEntryJSON{}}
	for _, it := range items {
		c := it.Components
		out.Papers = append(out.Papers, trendingEntryJSON{
			Rank: it.Rank, ID: it.PaperID.String(), Title: cleanLine(it.Paper.Title), Score: it.Score, Reason: it.Reason,
			Computed: it.Computed.UTC(),
			Components: trendingComponents{Upvotes: c.Upvotes, VotePoints: c.VotePoints, GitHubStars: c.Stars, StarsGained: c.StarsGained,
				StarPoints: c.StarPoints, ExternalUpvotes: c.ExternalUpvotes, ExternalPoints: c.ExternalPoints, RecencyPoints: c.RecencyPoints},
		})
	}
	return writeJSON(w, http.StatusOK, out)
}
