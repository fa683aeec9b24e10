package digest

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"paperboy"
)

// Sources of digest items, strongest first.
const (
	SourceAuthor   = "author"
	SourceTopic    = "topic"
	SourceTrending = "trending"
	SourceCategory = "category"
)

// sourceWeight is the base score of an item by where it came from: a
// followed author beats a saved topic, which beats the crowd, which beats a
// whole category.
var sourceWeight = map[string]float64{SourceAuthor: 3, SourceTopic: 2.5, SourceTrending: 2, SourceCategory: 1}

// candidate is a paper that may go in an issue.
type candidate struct {
	paper  *paperboy.Paper
	source string
	reason string
	score  float64
}

// perQuery is how many papers one source contributes at most.
const perQuery = 50

// composer gathers candidates for issues. Its cache holds each query's
// results for one run, so 100,000 subscribers with a few hundred distinct
// topics cost a few hundred searches.
type composer struct {
	papers   paperboy.PaperStore
	search   paperboy.Searcher
	trending TrendingSource
	store    paperboy.DigestStore
	logger   *slog.Logger

	mu    sync.Mutex
	cache map[string][]candidate
}

func newComposer(s *Service) *composer {
	return &composer{papers: s.papers, search: s.search, trending: s.trending, store: s.store, logger: s.logger,
		cache: make(map[string][]candidate)}
}

// compose chooses the items of sub's issue for local date day.
func (c *composer) compose(ctx context.Context, sub *paperboy.Subscriber, day time.Time, catchUp bool) ([]paperboy.DigestItem, error) {
	from, to, err := c.window(ctx, sub, day, catchUp)
	if err != nil {
		return nil, err
	}
	p := sub.Prefs
	var cands []candidate
	if p.Trending {
		cands = append(cands, c.trend(ctx, day)...)
	}
	for _, cat := range p.Categories {
		cands = append(cands, c.query(ctx, "cat:"+cat, from, to, SourceCategory, "new in "+cat)...)
	}
	for _, topic := range p.Topics {
		cands = append(cands, c.query(ctx, topic, from, to, SourceTopic, fmt.Sprintf("matches your topic '%s'", topic))...)
	}
	for _, name := range p.Authors {
		q := `author:"` + strings.ReplaceAll(name, `"`, "") + `"`
		cands = append(cands, c.query(ctx, q, from, to, SourceAuthor, "new from "+name+", whom you follow")...)
	}
	if len(cands) == 0 {
		return nil, nil
	}
	sent, err := c.sent(ctx, sub.ID, cands)
	if err != nil {
		return nil, err
	}
	likes, dislikes, err := c.feedback(ctx, sub.ID)
	if err != nil {
		return nil, err
	}
	ranked := rank(cands, sent, likes, dislikes, p.MaxItems)
	items := make([]paperboy.DigestItem, len(ranked))
	for i, r := range ranked {
		items[i] = paperboy.DigestItem{PaperID: r.paper.ID, Source: r.source, Reason: r.reason}
	}
	return items, nil
}

// window is the span of first-submission dates an issue looks at: the last
// few days (sent papers are excluded anyway, so overlap is harmless and late
// harvests are not missed), back to the last issue for a catch-up, and back
// to the latest day with papers when arXiv announced nothing lately.
func (c *composer) window(ctx context.Context, sub *paperboy.Subscriber, day time.Time, catchUp bool) (from, to time.Time, err error) {
	to = day
	from = day.AddDate(0, 0, -3)
	if sub.Prefs.Frequency == paperboy.FreqWeekly {
		from = day.AddDate(0, 0, -9)
	}
	if catchUp && !sub.LastIssue.IsZero() && sub.LastIssue.Before(from) {
		from = sub.LastIssue.AddDate(0, 0, -1)
		if floor := day.AddDate(0, 0, -30); from.Before(floor) {
			from = floor
		}
	}
	anchor, err := c.latestDay(ctx, day)
	if err != nil {
		return from, to, err
	}
	if !anchor.IsZero() && anchor.Before(from) {
		from = anchor
	}
	return from, to, nil
}

// latestDay is the latest first-submission day with papers before day.
func (c *composer) latestDay(ctx context.Context, day time.Time) (time.Time, error) {
	key := "day|" + day.Format(time.DateOnly)
	c.mu.Lock()
	hit, ok := c.cache[key]
	c.mu.Unlock()
	if ok {
		if len(hit) == 0 {
			return time.Time{}, nil
		}
		return paperboy.Day(hit[0].paper.Submitted), nil
	}
	nb, err := c.papers.Days(ctx, day.AddDate(0, 0, -1))
	if err != nil {
		return time.Time{}, fmt.Errorf("find latest day with papers: %w", err)
	}
	var v []candidate
	if !nb.Day.IsZero() {
		v = []candidate{{paper: &paperboy.Paper{Submitted: nb.Day}}}
	}
	c.mu.Lock()
	c.cache[key] = v
	c.mu.Unlock()
	return nb.Day, nil
}

// cached returns the candidates of key, computing them once.
func (c *composer) cached(key string, get func() []candidate) []candidate {
	c.mu.Lock()
	v, ok := c.cache[key]
	c.mu.Unlock()
	if ok {
		return v
	}
	v = get()
	c.mu.Lock()
	c.cache[key] = v
	c.mu.Unlock()
	return v
}

func (c *composer) trend(ctx context.Context, day time.Time) []candidate {
	return c.cached("trend|"+day.Format(time.DateOnly), func() []candidate {
		trends, err := c.trending.Trending(ctx, day, perQuery)
		if err != nil {
			c.logger.ErrorContext(ctx, "digest_trending_failed", "err", err)
			return nil
		}
		out := make([]candidate, len(trends))
		for i, t := range trends {
			w := sourceWeight[SourceTrending]
			if t.Fallback {
				w = 0.5
			}
			out[i] = candidate{paper: t.Paper, source: SourceTrending, reason: t.Reason, score: w + t.Score}
		}
		return out
	})
}

// query runs a search limited to the window. A saved topic that no longer
// parses contributes nothing, and is logged.
func (c *composer) query(ctx context.Context, text string, from, to time.Time, source, reason string) []candidate {
	q := fmt.Sprintf("%s after:%s before:%s", text, from.Format(time.DateOnly), to.Format(time.DateOnly))
	return c.cached(source+"|"+reason+"|"+q, func() []candidate {
		res, _, err := c.search.Search(ctx, paperboy.SearchQuery{Text: q, Limit: perQuery})
		if err != nil {
			c.logger.WarnContext(ctx, "digest_query_failed", "query", q, "err", err)
			return nil
		}
		out := make([]candidate, len(res))
		for i, r := range res {
			out[i] = candidate{paper: r.Paper, source: source, reason: reason, score: sourceWeight[source] + 0.5/float64(1+i)}
		}
		return out
	})
}

func (c *composer) sent(ctx context.Context, subID int64, cands []candidate) (map[paperboy.ArxivID]bool, error) {
	ids := make([]paperboy.ArxivID, 0, len(cands))
	for _, cd := range cands {
		ids = append(ids, cd.paper.ID)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	sent, err := c.store.SentPapers(ctx, subID, ids)
	if err != nil {
		return nil, err
	}
	m := make(map[paperboy.ArxivID]bool, len(sent))
	for _, id := range sent {
		m[id] = true
	}
	return m, nil
}

// feedback returns the primary categories of papers the subscriber asked
// for more, and less, of.
func (c *composer) feedback(ctx context.Context, subID int64) (likes, dislikes map[string]bool, err error) {
	fb, err := c.store.Feedback(ctx, subID)
	if err != nil || len(fb) == 0 {
		return nil, nil, err
	}
	fb = fb[:min(len(fb), 50)]
	ids := make([]paperboy.ArxivID, len(fb))
	for i, f := range fb {
		ids[i] = f.PaperID
	}
	papers, _, err := c.papers.Papers(ctx, paperboy.PaperFilter{IDs: ids})
	if err != nil {
		return nil, nil, fmt.Errorf("read feedback papers: %w", err)
	}
	cat := make(map[paperboy.ArxivID]string, len(papers))
	for _, p := range papers {
		cat[p.ID] = p.PrimaryCategory()
	}
	likes, dislikes = map[string]bool{}, map[string]bool{}
	for _, f := range fb {
		if f.Kind == paperboy.FeedbackMore {
			likes[cat[f.PaperID]] = true
		} else {
			dislikes[cat[f.PaperID]] = true
		}
	}
	return likes, dislikes, nil
}

// rank merges candidates by paper (keeping the strongest reason, with a
// bonus for each further source), drops papers already sent, applies the
// reader's feedback by primary category, and keeps the best limit. Ties go
// to the newer paper, then the lower ID, so issues are reproducible.
func rank(cands []candidate, sent map[paperboy.ArxivID]bool, likes, dislikes map[string]bool, limit int) []candidate {
	best := make(map[paperboy.ArxivID]*candidate)
	var order []*candidate
	for _, cd := range cands {
		if sent[cd.paper.ID] {
			continue
		}
		if b, ok := best[cd.paper.ID]; ok {
			if cd.score > b.score {
				b.source, b.reason, b.score = cd.source, cd.reason, cd.score+0.25
			} else {
				b.score += 0.25
			}
			continue
		}
		cp := cd
		best[cd.paper.ID] = &cp
		order = append(order, &cp)
	}
	for _, cd := range order {
		switch cat := cd.paper.PrimaryCategory(); {
		case likes[cat]:
			cd.score += 0.5
		case dislikes[cat]:
			cd.score -= 0.75
		}
	}
	slices.SortStableFunc(order, func(a, b *candidate) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := b.paper.Submitted.Compare(a.paper.Submitted); c != 0 {
			return c
		}
		return cmp.Compare(a.paper.ID, b.paper.ID)
	})
	out := make([]candidate, 0, min(limit, len(order)))
	for _, cd := range order[:min(limit, len(order))] {
		out = append(out, *cd)
	}
	return out
}
