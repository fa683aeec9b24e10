package web

import (
	"net/http"

	"paperboy"
)

const trendingPerPage = 50

// TrendingShow serves GET /trending?window=day|week|month (default week):
// the precomputed trending papers, each with its reason.
func (h *Handler) TrendingShow(w http.ResponseWriter, r *http.Request) error {
	window := r.URL.Query().Get("window")
	if window == "" {
		window = paperboy.WindowWeek
	}
	if err := paperboy.ValidWindow(window); err != nil {
		return err
	}
	items, _, err := h.trending.List(r.Context(), window, trendingPerPage, 0)
	if err != nil {
		return err
	}
	page := trendingPage{layout: h.layoutFor(r, "Trending papers"), Window: window}
	page.Feed = "/feeds/trending.atom"
	for _, w := range paperboy.TrendingWindows {
		page.Windows = append(page.Windows, periodLink{Label: w, URL: "/trending?window=" + w, Current: w == window})
	}
	for _, it := range items {
		c := newCard(it.Paper, noHighlight)
		c.Reason = it.Reason
		page.Cards = append(page.Cards, c)
		page.Computed = it.Computed.UTC().Format("2 Jan 2006 15:04 UTC")
	}
	if err := h.withStats(r, page.Cards); err != nil {
		return err
	}
	return h.render(w, http.StatusOK, "trending", page)
}
