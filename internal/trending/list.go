package trending

import (
	"context"

	"paperboy"
)

// Item is one trending paper, ready to show.
type Item struct {
	paperboy.TrendingEntry
	Paper  *paperboy.Paper
	Reason string
}

// List returns a page of a window's trending papers, in rank order, and the
// window's length. Entries whose paper has since been deleted are left
// out. Returns EINVALID for an unknown window.
func (s *Service) List(ctx context.Context, window string, limit, offset int) ([]Item, int, error) {
	entries, total, err := s.store.Trending(ctx, window, limit, offset)
	if err != nil || len(entries) == 0 {
		return nil, total, err
	}
	ids := make([]paperboy.ArxivID, len(entries))
	for i, e := range entries {
		ids[i] = e.PaperID
	}
	papers, _, err := s.papers.Papers(ctx, paperboy.PaperFilter{IDs: ids})
	if err != nil {
		return nil, 0, err
	}
	byID := make(map[paperboy.ArxivID]*paperboy.Paper, len(papers))
	for _, p := range papers {
		byID[p.ID] = p
	}
	items := make([]Item, 0, len(entries))
	for _, e := range entries {
		if p := byID[e.PaperID]; p != nil {
			items = append(items, Item{TrendingEntry: e, Paper: p, Reason: Reason(e)})
		}
	}
	return items, total, nil
}

// Ranks returns the rank of every paper in a window's table.
func (s *Service) Ranks(ctx context.Context, window string) (map[paperboy.ArxivID]int, error) {
	entries, _, err := s.store.Trending(ctx, window, 0, 0)
	if err != nil {
		return nil, err
	}
	out := make(map[paperboy.ArxivID]int, len(entries))
	for _, e := range entries {
		out[e.PaperID] = e.Rank
	}
	return out, nil
}
