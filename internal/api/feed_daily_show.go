package api

import (
	"net/http"
	"time"

	"paperboy"
)

// FeedDailyShow serves GET /feeds/daily.atom: the papers of the latest day
// with papers (those first submitted that day, as on the home page), newest
// first, at most feedMaxEntries of them.
func (h *Handler) FeedDailyShow(w http.ResponseWriter, r *http.Request) error {
	m := feedMeta{Title: "paperboy: daily papers", Self: "/feeds/daily.atom", Page: "/"}
	latest, err := h.papers.Days(r.Context(), time.Time{})
	if err != nil {
		return err
	}
	if latest.Day.IsZero() {
		return writeFeed(w, r, m, nil)
	}
	m.Subtitle = "Papers first submitted to arXiv on " + latest.Day.Format("2 January 2006") + "."
	papers, _, err := h.papers.Papers(r.Context(), paperboy.PaperFilter{
		SubmittedFrom: latest.Day, SubmittedTo: latest.Day.AddDate(0, 0, 1),
		Limit: feedMaxEntries, Order: "submitted",
	})
	if err != nil {
		return err
	}
	return writeFeed(w, r, m, papers)
}
