package api

import (
	"net/http"

	"paperboy"
)

// trendingFeedSize is how many papers the trending feed lists.
const trendingFeedSize = 50

// FeedTrendingShow serves GET /feeds/trending.atom. Until paperboy computes
// trending scores it lists the most recently submitted papers, and its
// subtitle says so.
func (h *Handler) FeedTrendingShow(w http.ResponseWriter, r *http.Request) error {
	m := feedMeta{
		Title:    "paperboy: trending papers",
		Subtitle: "Trending is not computed yet: these are the most recently submitted papers.",
		Self:     "/feeds/trending.atom", Page: "/",
	}
	if h.trending != nil {
		items, _, err := h.trending.List(r.Context(), paperboy.WindowWeek, trendingFeedSize, 0)
		if err != nil {
			return err
		}
		m.Subtitle, m.Page = "This week's trending papers, ranked by the formula in docs/trending.md.", "/trending"
		papers := make([]*paperboy.Paper, len(items))
		for i, it := range items {
			papers[i] = it.Paper
		}
		return writeFeed(w, r, m, papers)
	}
	papers, _, err := h.papers.Papers(r.Context(), paperboy.PaperFilter{Limit: trendingFeedSize, Order: "submitted"})
	if err != nil {
		return err
	}
	return writeFeed(w, r, m, papers)
}
