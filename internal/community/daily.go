package community

import (
	"context"
	"time"

	"paperboy"
)

// maxDailySubmissions bounds the submissions one daily listing reads.
const maxDailySubmissions = 5000

// DailyItem is one paper of a daily listing.
type DailyItem struct {
	Paper      *paperboy.Paper
	Submission *paperboy.Submission // nil when listed as new on arXiv
}

// Listed is when the paper entered the daily listing: its submission, else
// its first version on arXiv.
func (d DailyItem) Listed() time.Time {
	if d.Submission != nil {
		return d.Submission.Created
	}
	return d.Paper.Submitted
}

// DailyFilter selects a daily listing. A zero From and To lists every
// paper; a Submitter lists only what that person submitted.
type DailyFilter struct {
	From, To  time.Time
	Submitter string
	Limit     int // 0: no limit
	Offset    int
}

// DailyMode returns the mode in force: the configured one, with auto
// resolved to all before the first submission and both after.
func (s *Service) DailyMode(ctx context.Context) (string, error) {
	if s.daily != DailyAuto {
		return s.daily, nil
	}
	_, n, err := s.store.Submissions(ctx, paperboy.SubmissionFilter{Limit: 1})
	if err != nil || n == 0 {
		return DailyAll, err
	}
	return DailyBoth, nil
}

// LatestDay returns the UTC day of the newest submission, or the zero time
// when the daily mode does not list submissions or there are none. The home
// page opens on the later of this and arXiv's latest day, so a paper
// submitted today is on the front page even when arXiv's newest papers are
// older.
func (s *Service) LatestDay(ctx context.Context) (time.Time, error) {
	mode, err := s.DailyMode(ctx)
	if err != nil || mode == DailyAll {
		return time.Time{}, err
	}
	subs, _, err := s.store.Submissions(ctx, paperboy.SubmissionFilter{Limit: 1})
	if err != nil || len(subs) == 0 {
		return time.Time{}, err
	}
	return paperboy.Day(subs[0].Created), nil
}

// Without the community features (a nil *Service) the daily listing is
// arXiv's new papers by first submission, as in all mode. Mode,
// OpeningDay and Days answer for either, so that the home page, the daily
// API and the daily feed follow one rule.

// Mode returns s's daily mode in force; all for a nil s.
func Mode(ctx context.Context, s *Service) (string, error) {
	if s == nil {
		return DailyAll, nil
	}
	return s.DailyMode(ctx)
}

// OpeningDay returns the day a daily listing in mode opens on: in
// submitted mode the day of the newest submission; otherwise arXiv's
// latest day with papers, or the newest submission's day when the mode
// lists submissions and that is later. Zero when there is nothing to list.
func OpeningDay(ctx context.Context, s *Service, papers paperboy.PaperStore, mode string) (time.Time, error) {
	var sub time.Time
	if s != nil {
		var err error
		if sub, err = s.LatestDay(ctx); err != nil || mode == DailySubmitted {
			return sub, err
		}
	}
	latest, err := papers.Days(ctx, time.Time{})
	if err != nil || !sub.After(latest.Day) {
		return latest.Day, err
	}
	return sub, nil
}

// Days returns the days nearest to the period [from, to) whose daily
// listing has papers: s.ListingDays, or ArxivDays for a nil s.
func Days(ctx context.Context, s *Service, papers paperboy.PaperStore, from, to time.Time) (PeriodDays, error) {
	if s == nil {
		return ArxivDays(ctx, papers, from, to)
	}
	return s.ListingDays(ctx, from, to)
}

// PeriodDays locates a period among the UTC days that have papers to
// list; each day is zero when there is none.
type PeriodDays struct {
	Prev time.Time // the latest day with papers before the period
	Last time.Time // the latest day with papers in it
	Next time.Time // the earliest day with papers after it
}

// union is the nearest days of d and o: a day has papers when it has them
// in either.
func (d PeriodDays) union(o PeriodDays) PeriodDays {
	later := func(a, b time.Time) time.Time {
		if b.After(a) {
			return b
		}
		return a
	}
	earlier := func(a, b time.Time) time.Time {
		if a.IsZero() || (!b.IsZero() && b.Before(a)) {
			return b
		}
		return a
	}
	return PeriodDays{Prev: later(d.Prev, o.Prev), Last: later(d.Last, o.Last), Next: earlier(d.Next, o.Next)}
}

// ArxivDays returns the days with papers first submitted to arXiv nearest
// to the period [from, to): the days of the listing without the community
// features, or in all mode.
func ArxivDays(ctx context.Context, papers paperboy.PaperStore, from, to time.Time) (PeriodDays, error) {
	var d PeriodDays
	before, err := papers.Days(ctx, from.AddDate(0, 0, -1))
	if err != nil {
		return d, err
	}
	if before.Day.Before(from) {
		d.Prev = before.Day
	}
	last, err := papers.Days(ctx, to.AddDate(0, 0, -1))
	if err != nil {
		return d, err
	}
	if !last.Next.Before(to) {
		d.Next = last.Next
	}
	if !last.Day.Before(from) {
		d.Last = last.Day
	}
	return d, nil
}

// ListingDays returns the days nearest to the period [from, to) whose
// daily listing, in the mode in force, has papers: days with submissions
// in submitted mode, days with new arXiv papers in all mode, either in
// both mode. The home page and GET /api/v1/daily step between them.
func (s *Service) ListingDays(ctx context.Context, from, to time.Time) (PeriodDays, error) {
	mode, err := s.DailyMode(ctx)
	if err != nil {
		return PeriodDays{}, err
	}
	var arxiv, subs PeriodDays
	if mode != DailySubmitted {
		if arxiv, err = ArxivDays(ctx, s.papers, from, to); err != nil || mode == DailyAll {
			return arxiv, err
		}
	}
	if subs, err = s.SubmissionDays(ctx, from, to); err != nil || mode == DailySubmitted {
		return subs, err
	}
	return arxiv.union(subs), nil
}

// SubmissionDays returns the days with submissions nearest to the period
// [from, to).
func (s *Service) SubmissionDays(ctx context.Context, from, to time.Time) (PeriodDays, error) {
	var d PeriodDays
	var err error
	if d.Prev, err = s.newestSubmissionDay(ctx, paperboy.SubmissionFilter{To: from}); err != nil {
		return d, err
	}
	if d.Last, err = s.newestSubmissionDay(ctx, paperboy.SubmissionFilter{From: from, To: to}); err != nil {
		return d, err
	}
	d.Next, err = s.earliestSubmissionDay(ctx, to)
	return d, err
}

// earliestSubmissionDay is the day of the earliest submission at or after
// from, zero for none. Submissions come newest first, so it is the last
// one; a read whose count differs from the one its offset came from (a
// submission came in between) is read again.
func (s *Service) earliestSubmissionDay(ctx context.Context, from time.Time) (time.Time, error) {
	f := paperboy.SubmissionFilter{From: from, Limit: 1}
	_, n, err := s.store.Submissions(ctx, f)
	for tries := 0; err == nil && n > 0 && tries < 3; tries++ {
		f.Offset = n - 1
		subs, total, err := s.store.Submissions(ctx, f)
		if err != nil {
			return time.Time{}, err
		}
		if total == n && len(subs) == 1 {
			return paperboy.Day(subs[0].Created), nil
		}
		n = total
	}
	return time.Time{}, err
}

// newestSubmissionDay is the day of the first submission f selects, zero
// for none.
func (s *Service) newestSubmissionDay(ctx context.Context, f paperboy.SubmissionFilter) (time.Time, error) {
	f.Limit = 1
	subs, _, err := s.store.Submissions(ctx, f)
	if err != nil || len(subs) == 0 {
		return time.Time{}, err
	}
	return paperboy.Day(subs[0].Created), nil
}

// Daily returns a page of the listing f selects and the listing's length.
// In both mode the submitted papers come first, newest submission first,
// then the arXiv papers of the period not submitted in it, newest first.
func (s *Service) Daily(ctx context.Context, f DailyFilter) ([]DailyItem, int, error) {
	mode, err := s.DailyMode(ctx)
	if err != nil {
		return nil, 0, err
	}
	if f.Submitter != "" {
		mode = DailySubmitted
	}
	var subs []DailyItem
	if mode != DailyAll {
		if subs, err = s.submitted(ctx, f); err != nil {
			return nil, 0, err
		}
	}
	items := page(subs, f.Offset, f.Limit)
	total := len(subs)
	if mode == DailySubmitted {
		return items, total, nil
	}
	skip := map[paperboy.ArxivID]bool{} // submitted in the period and new on arXiv in it: listed once
	for _, it := range subs {
		if inPeriod(it.Paper.Submitted, f.From, f.To) {
			skip[it.Paper.ID] = true
		}
	}
	offset := max(0, f.Offset-len(subs))
	need := 0
	if f.Limit > 0 {
		need = f.Limit - len(items)
		if need == 0 {
			need = 1 // still read the total
		}
	}
	arxiv, arxivTotal, err := s.arxivPart(ctx, f, offset, need, skip)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit > 0 {
		arxiv = arxiv[:min(len(arxiv), f.Limit-len(items))]
	}
	return append(items, arxiv...), total + arxivTotal, nil
}

// submitted returns the period's submissions with their papers, newest
// first.
func (s *Service) submitted(ctx context.Context, f DailyFilter) ([]DailyItem, error) {
	subs, _, err := s.store.Submissions(ctx, paperboy.SubmissionFilter{From: f.From, To: f.To, Submitter: f.Submitter, Limit: maxDailySubmissions})
	if err != nil || len(subs) == 0 {
		return nil, err
	}
	ids := make([]paperboy.ArxivID, len(subs))
	for i, sub := range subs {
		ids[i] = sub.PaperID
	}
	papers, _, err := s.papers.Papers(ctx, paperboy.PaperFilter{IDs: ids})
	if err != nil {
		return nil, err
	}
	byID := make(map[paperboy.ArxivID]*paperboy.Paper, len(papers))
	for _, p := range papers {
		byID[p.ID] = p
	}
	items := make([]DailyItem, 0, len(subs))
	for _, sub := range subs {
		if p := byID[sub.PaperID]; p != nil {
			items = append(items, DailyItem{Paper: p, Submission: sub})
		}
	}
	return items, nil
}

// arxivPart returns up to need (0: all) papers first submitted to arXiv in
// the period, from offset, leaving out those in skip, and their total.
func (s *Service) arxivPart(ctx context.Context, f DailyFilter, offset, need int, skip map[paperboy.ArxivID]bool) ([]DailyItem, int, error) {
	pf := paperboy.PaperFilter{SubmittedFrom: f.From, SubmittedTo: f.To, Order: "submitted", Offset: offset, Limit: need}
	if len(skip) > 0 { // read from the start, so skipped papers shift nothing
		pf.Offset = 0
		if need > 0 {
			pf.Limit = offset + need + len(skip)
		}
	}
	papers, total, err := s.papers.Papers(ctx, pf)
	if err != nil {
		return nil, 0, err
	}
	var items []DailyItem
	for _, p := range papers {
		if !skip[p.ID] {
			items = append(items, DailyItem{Paper: p})
		}
	}
	if len(skip) > 0 {
		items = page(items, offset, 0)
		total -= len(skip)
	}
	return items, total, nil
}

func inPeriod(t, from, to time.Time) bool {
	return (from.IsZero() || !t.Before(from)) && (to.IsZero() || t.Before(to))
}

// page returns items[offset:offset+limit], limit 0 meaning the rest.
func page(items []DailyItem, offset, limit int) []DailyItem {
	if offset >= len(items) {
		return nil
	}
	items = items[offset:]
	if limit > 0 && limit < len(items) {
		items = items[:limit]
	}
	return items
}
