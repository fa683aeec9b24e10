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
	papers, _, err := h.papers.Papers(r.Context(), paperboy.PaperFilter{Limit: trendingFeedSize, Order: "submitted"})
	if err != nil {
		return err
	}
	return writeFeed(w, r, m, papers)
}
