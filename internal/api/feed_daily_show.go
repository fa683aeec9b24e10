package api

import (
	"context"
	"net/http"
	"time"

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
	m := feedMeta{Title: "paperboy: daily papers", Self: "/feeds/daily.atom", Page: "/"}
	if h.community != nil {
		return h.feedCommunityDaily(w, r, m)
	}
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

// feedCommunityDaily writes the latest day's listing in the daily mode.
func (h *Handler) feedCommunityDaily(w http.ResponseWriter, r *http.Request, m feedMeta) error {
	mode, err := h.community.DailyMode(r.Context())
	if err != nil {
		return err
	}
	day, err := h.communityLatestDay(r.Context(), mode)
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
	items, _, err := h.community.Daily(r.Context(), community.DailyFilter{From: day, To: day.AddDate(0, 0, 1), Limit: feedMaxEntries})
	if err != nil {
		return err
	}
	papers := make([]*paperboy.Paper, len(items))
	for i, it := range items {
		papers[i] = it.Paper
	}
	return writeFeed(w, r, m, papers)
}

// communityLatestDay is the day of the newest submission in submitted
// mode; otherwise the later of that and arXiv's latest day, as on the home
// page. Zero when there is nothing to list.
func (h *Handler) communityLatestDay(ctx context.Context, mode string) (time.Time, error) {
	sub, err := h.community.LatestDay(ctx)
	if err != nil || mode == community.DailySubmitted {
		return sub, err
	}
	latest, err := h.papers.Days(ctx, time.Time{})
	if err != nil || !sub.After(latest.Day) {
		return latest.Day, err
	}
	return sub, nil
}
