package hybrid

import (
	"context"
	"fmt"
	"strings"
	"time"

	"paperboy"
	"paperboy/internal/search"
)

// keep drops the hits whose papers fail the query's category and date
// filters; without filters it returns hits as they are.
func (s *Searcher) keep(ctx context.Context, hs []Hit, q *search.Query) []Hit {
	if !hasFilters(q) || len(hs) == 0 {
		return hs
	}
	ids := idsOf(hs)
	papers, _, err := s.papers.Papers(ctx, paperboy.PaperFilter{IDs: ids})
	if err != nil {
		s.logger.Warn("semantic_filter_failed", "err", err)
		return nil
	}
	ok := make(map[paperboy.ArxivID]bool, len(papers))
	for _, p := range papers {
		ok[p.ID] = passes(p, q)
	}
	out := hs[:0]
	for _, h := range hs {
		if ok[h.ID] {
			out = append(out, h)
		}
	}
	return out
}

// passes applies a query's category and date filters to a paper.
func passes(p *paperboy.Paper, q *search.Query) bool {
	inCat := func(want string) bool {
		for _, c := range p.Categories {
			c = strings.ToLower(c)
			if c == want || strings.HasPrefix(c, want+".") {
				return true
			}
		}
		return false
	}
	for _, c := range q.Categories {
		if !inCat(c) {
			return false
		}
	}
	for _, c := range q.ExcludedCategories {
		if inCat(c) {
			return false
		}
	}
	sub := p.Submitted.UTC()
	return (q.Year == 0 || sub.Year() == q.Year) &&
		(q.After.IsZero() || !sub.Before(q.After)) &&
		(q.Before.IsZero() || sub.Before(q.Before.Truncate(24*time.Hour)))
}

// page loads the papers of hs[offset:offset+limit] in one call.
func (s *Searcher) page(ctx context.Context, hs []Hit, offset, limit, total int, terms []string) ([]paperboy.SearchResult, int, error) {
	hs = hs[min(offset, len(hs)):]
	hs = hs[:min(limit, len(hs))]
	if len(hs) == 0 {
		return nil, total, nil
	}
	ids := idsOf(hs)
	papers, _, err := s.papers.Papers(ctx, paperboy.PaperFilter{IDs: ids})
	if err != nil {
		return nil, 0, fmt.Errorf("search: load %d papers: %w", len(ids), err)
	}
	byID := make(map[paperboy.ArxivID]*paperboy.Paper, len(papers))
	for _, p := range papers {
		byID[p.ID] = p
	}
	out := make([]paperboy.SearchResult, 0, len(hs))
	for _, h := range hs {
		if p := byID[h.ID]; p != nil {
			out = append(out, paperboy.SearchResult{Paper: p, Score: h.Score, Terms: terms})
		}
	}
	return out, total, nil
}
