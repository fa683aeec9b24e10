package api

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"paperboy"
	"paperboy/internal/community"
)

// hfTrendingWindow is the trending window sort=trending ranks by.
const hfTrendingWindow = paperboy.WindowWeek

// hfMaxTrendingSort bounds the papers of a period sort=trending reorders.
const hfMaxTrendingSort = 5000

// hfDaily answers /api/daily_papers from the community's daily listing
// (docs/hf-api.md): submissions carry their submitter and time, and
// sort=trending ranks by the week's trending score.
func (h *Handler) hfDaily(w http.ResponseWriter, r *http.Request, from, to time.Time, submitter, sort string, limit, page int) error {
	ctx := r.Context()
	var items []community.DailyItem
	var err error
	if sort == "trending" {
		items, err = h.hfTrending(ctx, from, to, submitter, limit, page)
	} else {
		items, _, err = h.community.Daily(ctx, community.DailyFilter{From: from, To: to, Submitter: submitter, Limit: limit, Offset: page * limit})
	}
	if err != nil {
		return err
	}
	out := make([]hfDailyItem, 0, len(items))
	subs := map[paperboy.ArxivID]*paperboy.Submission{}
	for _, it := range items {
		out = append(out, newHFItem(it.Paper))
		if it.Submission != nil {
			subs[it.Paper.ID] = it.Submission
		}
	}
	if err := h.hfDecorate(ctx, out, subs); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// hfTrending is the listing of a period (of everything when no period or
// submitter is given) ordered by the week's trending rank; papers without
// one follow in listing order. At most hfMaxTrendingSort papers are
// ranked.
func (h *Handler) hfTrending(ctx context.Context, from, to time.Time, submitter string, limit, page int) ([]community.DailyItem, error) {
	ranks, err := h.trending.Ranks(ctx, hfTrendingWindow)
	if err != nil {
		return nil, err
	}
	if from.IsZero() && to.IsZero() && submitter == "" {
		return h.hfTrendingAll(ctx, ranks, limit, page)
	}
	all, _, err := h.community.Daily(ctx, community.DailyFilter{From: from, To: to, Submitter: submitter, Limit: hfMaxTrendingSort})
	if err != nil {
		return nil, err
	}
	rank := func(id paperboy.ArxivID) int {
		if r, ok := ranks[id]; ok {
			return r
		}
		return len(ranks) + 1
	}
	slices.SortStableFunc(all, func(a, b community.DailyItem) int { return cmp.Compare(rank(a.Paper.ID), rank(b.Paper.ID)) })
	return pageOf(all, page*limit, limit), nil
}

// hfTrendingAll pages through the week's trending table, then the rest of
// the whole listing without the ranked papers, so that a page has exactly
// limit items while papers remain (up to hfMaxTrendingSort of them).
func (h *Handler) hfTrendingAll(ctx context.Context, ranks map[paperboy.ArxivID]int, limit, page int) ([]community.DailyItem, error) {
	table, _, err := h.trending.List(ctx, hfTrendingWindow, 0, 0)
	if err != nil {
		return nil, err
	}
	all := make([]community.DailyItem, 0, len(table))
	for _, it := range table {
		all = append(all, community.DailyItem{Paper: it.Paper})
	}
	if end := min(page*limit+limit, hfMaxTrendingSort); end > len(all) {
		rest, _, err := h.community.Daily(ctx, community.DailyFilter{Limit: end - len(all) + len(ranks)})
		if err != nil {
			return nil, err
		}
		for _, it := range rest {
			if _, ranked := ranks[it.Paper.ID]; !ranked {
				all = append(all, it)
			}
		}
	}
	items := pageOf(all[:min(len(all), hfMaxTrendingSort)], page*limit, limit)
	for i, it := range items { // the table's papers: their submissions, if any
		if _, ranked := ranks[it.Paper.ID]; !ranked {
			continue
		}
		sub, err := h.community.Submission(ctx, it.Paper.ID)
		if err != nil && paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
			return nil, err
		}
		items[i].Submission = sub
	}
	return items, nil
}

// pageOf returns items[offset:offset+limit], as much of it as exists.
func pageOf(items []community.DailyItem, offset, limit int) []community.DailyItem {
	start := min(offset, len(items))
	return items[start:min(start+limit, len(items))]
}

// hfDecorate fills in upvotes, comments, submitters and GitHub signals.
func (h *Handler) hfDecorate(ctx context.Context, items []hfDailyItem, subs map[paperboy.ArxivID]*paperboy.Submission) error {
	if h.community == nil || len(items) == 0 {
		return nil
	}
	ids := make([]paperboy.ArxivID, len(items))
	for i, it := range items {
		ids[i] = paperboy.ArxivID(it.Paper.ID)
	}
	stats, err := h.community.StatsOf(ctx, nil, ids)
	if err != nil {
		return err
	}
	for i := range items {
		it, st := &items[i], stats[ids[i]]
		it.Paper.Upvotes, it.NumComments = st.Upvotes, st.Comments
		it.Paper.DiscussionID = ids[i].String() // one thread per paper, named by it
		if st.Stars > 0 || st.Repo != "" {
			stars := st.Stars
			it.Paper.GitHubStars, it.Paper.GitHubRepo = &stars, st.Repo
		}
		if sub := subs[ids[i]]; sub != nil {
			u := hfUserOf(sub.Submitter)
			it.SubmittedBy, it.Paper.SubmittedOnDailyBy = u, &u
			it.PublishedAt, it.Paper.SubmittedOnDailyAt = hfTime(sub.Created), hfTime(sub.Created)
		}
	}
	return nil
}

// hfUserOf is a paperboy user as a Hub user object: the public name, never
// the e-mail address, as name, fullname and username (what submitter=
// matches).
func hfUserOf(u *paperboy.User) hfUser {
	name := u.PublicName()
	return hfUser{ID: strconv.FormatInt(u.ID, 10), Fullname: name, Name: name, Type: "user", User: name}
}
