package web

import (
	"context"
	"net/http"
	"time"

	"paperboy"
)

const dailyPerPage = 50

// dailyPage lists the papers first submitted in a day, week or month.
type dailyPage struct {
	layout
	Period period
	Empty  bool // the instance has no papers at all
	Total  int
	Cards  []card
	Prev   *period // the nearest earlier period with papers
	Next   *period // the nearest later period with papers
	Views  []periodLink
	Pager  pager

	Submitted []card // the period's submitted papers, when the daily mode lists them
}

// periodLink switches between the day, week and month views.
type periodLink struct {
	Label   string
	URL     string
	Current bool
}

// DailyShow serves "/": the latest day with papers, or the day, ISO week or
// month its date, week or month parameter names.
func (h *Handler) DailyShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	p, err := parsePeriod(q)
	if err != nil {
		return err
	}
	pageNo, err := parsePage(q)
	if err != nil {
		return err
	}
	if p.Kind == "" {
		latest, err := h.papers.Days(ctx, time.Time{})
		if err != nil {
			return err
		}
		day, err := h.latestDay(ctx, latest.Day)
		if err != nil {
			return err
		}
		if day.IsZero() {
			page := dailyPage{layout: h.layoutFor(r, "Daily papers"), Empty: true}
			return h.render(w, http.StatusOK, "daily", page)
		}
		p = periodOf(kindDay, day)
	}
	papers, total, err := h.papers.Papers(ctx, paperboy.PaperFilter{
		SubmittedFrom: p.Start, SubmittedTo: p.End,
		Limit: dailyPerPage, Offset: (pageNo - 1) * dailyPerPage,
	})
	if err != nil {
		return err
	}
	page := dailyPage{layout: h.layoutFor(r, p.Label()), Period: p, Total: total}
	page.Feed = "/feeds/daily.atom"
	for _, paper := range papers {
		page.Cards = append(page.Cards, newCard(paper, noHighlight))
	}
	if err := h.withStats(r, page.Cards); err != nil {
		return err
	}
	if page.Submitted, err = h.submittedCards(r, p); err != nil {
		return err
	}
	anchor, err := h.neighbours(ctx, &page)
	if err != nil {
		return err
	}
	page.Views = views(p, anchor)
	page.Pager = newPager(pageNo, dailyPerPage, total, func(n int) string { return "/?" + p.query(n) })
	return h.render(w, http.StatusOK, "daily", page)
}

// neighbours sets the nearest earlier and later periods that have papers
// and returns the latest day with papers in the page's period (its start
// when it has none), the day the view switcher keeps.
func (h *Handler) neighbours(ctx context.Context, page *dailyPage) (time.Time, error) {
	p := page.Period
	before, err := h.papers.Days(ctx, p.Start.AddDate(0, 0, -1))
	if err != nil {
		return time.Time{}, err
	}
	if !before.Day.IsZero() && before.Day.Before(p.Start) {
		prev := periodOf(p.Kind, before.Day)
		page.Prev = &prev
	}
	last, err := h.papers.Days(ctx, p.lastDay())
	if err != nil {
		return time.Time{}, err
	}
	if !last.Next.IsZero() && !last.Next.Before(p.End) {
		next := periodOf(p.Kind, last.Next)
		page.Next = &next
	}
	if last.Day.IsZero() || last.Day.Before(p.Start) {
		return p.Start, nil
	}
	return last.Day, nil
}

// views links the day, week and month around day, marking the current kind.
func views(p period, day time.Time) []periodLink {
	var links []periodLink
	for _, kind := range []string{kindDay, kindWeek, kindMonth} {
		v := periodOf(kind, day)
		links = append(links, periodLink{Label: kind, URL: v.URL(), Current: kind == p.Kind})
	}
	return links
}

// latestDay is the day the home page opens on: arXiv's latest day with
// papers, or the day of the newest submission when that is later.
func (h *Handler) latestDay(ctx context.Context, arxivDay time.Time) (time.Time, error) {
	if h.community == nil {
		return arxivDay, nil
	}
	sub, err := h.community.LatestDay(ctx)
	if err != nil || !sub.After(arxivDay) {
		return arxivDay, err
	}
	return sub, nil
}
