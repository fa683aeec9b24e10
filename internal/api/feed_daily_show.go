package api

import (
	"net/http"

	"paperboy"
	"paperboy/internal/community"
)

// FeedDailyShow serves GET /feeds/daily.atom: the papers of the latest day
// the home page opens on, newest first, at most feedMaxEntries of them.
// Without the community features those are the papers first submitted to
// arXiv that day; with them, the day's listing in the daily mode
// (PAPERBOY_DAILY): the papers submitted that day, then, unless the mode is
// submitted, the day's new arXiv papers.
func (h *Handler) FeedDailyShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	m := feedMeta{Title: "paperboy: daily papers", Self: "/feeds/daily.atom", Page: "/"}
	mode, err := community.Mode(ctx, h.community)
	if err != nil {
		return err
	}
	day, err := community.OpeningDay(ctx, h.community, h.papers, mode)
	if err != nil || day.IsZero() {
		if err != nil {
			return err
		}
		return writeFeed(w, r, m, nil)
	}
	date := day.Format("2 January 2006")
	switch mode {
	case community.DailySubmitted:
		m.Subtitle = "Papers submitted on " + date + "."
	case community.DailyAll:
		m.Subtitle = "Papers first submitted to arXiv on " + date + "."
	default:
		m.Subtitle = "Papers submitted on " + date + ", then the papers first submitted to arXiv that day."
	}
	if h.community == nil {
		papers, _, err := h.papers.Papers(ctx, paperboy.PaperFilter{
			SubmittedFrom: day, SubmittedTo: day.AddDate(0, 0, 1), Limit: feedMaxEntries, Order: "submitted",
		})
		if err != nil {
			return err
		}
		return writeFeed(w, r, m, papers)
	}
	items, _, err := h.community.Daily(ctx, community.DailyFilter{From: day, To: day.AddDate(0, 0, 1), Limit: feedMaxEntries})
	if err != nil {
		return err
	}
	papers := make([]*paperboy.Paper, len(items))
	for i, it := range items {
		papers[i] = it.Paper
	}
	return writeFeed(w, r, m, papers)
}
