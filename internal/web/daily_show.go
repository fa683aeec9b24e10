package web

import (
	"context"
	"net/http"
	"time"

	"paperboy"
	"paperboy/internal/community"
)

const dailyPerPage = 50

// dailyPage lists the papers first submitted in a day, week or month, or,
// in submitted daily mode, the papers submitted in it.
type dailyPage struct {
	layout
	Period period
	Empty  bool // the instance has no papers (in submitted mode: no submissions) at all
	Total  int
	Cards  []card
	Prev   *period // the nearest earlier period with papers
	Next   *period // the nearest later period with papers
	Views  []periodLink
	Pager  pager

	// SubmittedOnly: the daily mode lists only submitted papers, so Cards
	// are the period's submissions and there is no arXiv part.
	SubmittedOnly bool
	Submitted     []card // the period's submitted papers, when the daily mode lists them besides arXiv's
}

// periodLink switches between the day, week and month views.
type periodLink struct {
	Label   string
	URL     string
	Current bool
}

// DailyShow serves "/": the latest day with papers, or the day, ISO week or
// month its date, week or month parameter names. In submitted daily mode
// (PAPERBOY_DAILY=submitted) it lists the papers submitted in the period
// instead of arXiv's new ones, as the daily feed and the APIs do.
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
	mode, err := community.Mode(ctx, h.community)
	if err != nil {
		return err
	}
	if p.Kind == "" {
		day, err := community.OpeningDay(ctx, h.community, h.papers, mode)
		if err != nil {
			return err
		}
		if day.IsZero() {
			page := dailyPage{layout: h.layoutFor(r, "Daily papers"), Empty: true, SubmittedOnly: mode == community.DailySubmitted}
			return h.render(w, http.StatusOK, "daily", page)
		}
		p = periodOf(kindDay, day)
	}
	page := dailyPage{layout: h.layoutFor(r, p.Label()), Period: p}
	page.Feed = "/feeds/daily.atom"
	if mode == community.DailySubmitted {
		err = h.submittedListing(r, &page, pageNo)
	} else {
		err = h.arxivListing(r, &page, pageNo)
	}
	if err != nil {
		return err
	}
	anchor, err := h.neighbours(ctx, &page)
	if err != nil {
		return err
	}
	page.Views = views(p, anchor)
	page.Pager = newPager(pageNo, dailyPerPage, page.Total, func(n int) string { return "/?" + p.query(n) })
	return h.render(w, http.StatusOK, "daily", page)
}

// arxivListing fills in a page of the papers first submitted to arXiv in
// the period and, when the daily mode lists them, the period's
// submissions above them.
func (h *Handler) arxivListing(r *http.Request, page *dailyPage, pageNo int) error {
	p := page.Period
	papers, total, err := h.papers.Papers(r.Context(), paperboy.PaperFilter{
		SubmittedFrom: p.Start, SubmittedTo: p.End,
		Limit: dailyPerPage, Offset: (pageNo - 1) * dailyPerPage,
	})
	if err != nil {
		return err
	}
	page.Total = total
	for _, paper := range papers {
		page.Cards = append(page.Cards, newCard(paper, noHighlight))
	}
	if err := h.withStats(r, page.Cards); err != nil {
		return err
	}
	page.Submitted, err = h.submittedCards(r, p)
	return err
}

// submittedListing fills in a page of the papers submitted in the period,
// newest submission first: the whole listing in submitted mode.
func (h *Handler) submittedListing(r *http.Request, page *dailyPage, pageNo int) error {
	p := page.Period
	items, total, err := h.community.Daily(r.Context(), community.DailyFilter{
		From: p.Start, To: p.End, Limit: dailyPerPage, Offset: (pageNo - 1) * dailyPerPage,
	})
	if err != nil {
		return err
	}
	page.SubmittedOnly, page.Total = true, total
	for _, it := range items {
		c := newCard(it.Paper, noHighlight)
		if it.Submission != nil {
			c.SubmittedBy = it.Submission.Submitter.PublicName()
		}
		page.Cards = append(page.Cards, c)
	}
	return h.withStats(r, page.Cards)
}

// neighbours sets the nearest earlier and later periods whose listing has
// papers and returns the latest day with papers in the page's period (its
// start when it has none), the day the view switcher keeps.
func (h *Handler) neighbours(ctx context.Context, page *dailyPage) (time.Time, error) {
	p := page.Period
	days, err := community.Days(ctx, h.community, h.papers, p.Start, p.End)
	if err != nil {
		return time.Time{}, err
	}
	if !days.Prev.IsZero() {
		prev := periodOf(p.Kind, days.Prev)
		page.Prev = &prev
	}
	if !days.Next.IsZero() {
		next := periodOf(p.Kind, days.Next)
		page.Next = &next
	}
	if days.Last.IsZero() {
		return p.Start, nil
	}
	return days.Last, nil
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
