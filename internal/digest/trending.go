package digest

import (
	"context"
	"fmt"
	"time"

	"paperboy"
)

// TrendingSource ranks the papers trending on a day, each with a one-line
// reason a reader understands ("trending: +40 upvotes"). Score is in
// [0, 1], 1 for the top paper.
type TrendingSource interface {
	Trending(ctx context.Context, day time.Time, limit int) ([]Trend, error)
}

// Trend is one trending paper.
type Trend struct {
	Paper  *paperboy.Paper
	Score  float64
	Reason string
	// Fallback marks a stand-in for trending (Recency): it ranks below
	// every subscriber's own choices.
	Fallback bool
}

// StoreTrending reads the trending table that internal/trending keeps
// (the day window) and falls back to Recency while it is empty, so a new
// instance still has something to show.
type StoreTrending struct {
	Community paperboy.CommunityStore
	Papers    paperboy.PaperStore
}

// Trending returns the day window's top papers.
func (s StoreTrending) Trending(ctx context.Context, day time.Time, limit int) ([]Trend, error) {
	entries, _, err := s.Community.Trending(ctx, paperboy.WindowDay, limit, 0)
	if err != nil {
		return nil, fmt.Errorf("read trending: %w", err)
	}
	if len(entries) == 0 {
		return Recency{Papers: s.Papers}.Trending(ctx, day, limit)
	}
	ids := make([]paperboy.ArxivID, len(entries))
	for i, e := range entries {
		ids[i] = e.PaperID
	}
	papers, _, err := s.Papers.Papers(ctx, paperboy.PaperFilter{IDs: ids})
	if err != nil {
		return nil, fmt.Errorf("read trending papers: %w", err)
	}
	byID := make(map[paperboy.ArxivID]*paperboy.Paper, len(papers))
	for _, p := range papers {
		byID[p.ID] = p
	}
	var out []Trend
	for _, e := range entries {
		if p := byID[e.PaperID]; p != nil {
			out = append(out, Trend{Paper: p, Score: e.Score / max(entries[0].Score, 1e-9), Reason: trendReason(e.Components)})
		}
	}
	return out, nil
}

// trendReason names the biggest part of a trending score.
func trendReason(c paperboy.TrendingComponents) string {
	switch {
	case c.Upvotes > 0 && c.VotePoints >= c.StarPoints && c.VotePoints >= c.ExternalPoints:
		return fmt.Sprintf("trending: +%d upvotes", c.Upvotes)
	case c.StarsGained > 0 && c.StarPoints >= c.ExternalPoints:
		return fmt.Sprintf("trending: +%.0f GitHub stars", c.StarsGained)
	case c.ExternalUpvotes > 0:
		return fmt.Sprintf("trending: +%.0f upvotes elsewhere", c.ExternalUpvotes)
	}
	return "trending: new and noticed"
}

// Recency is the fallback TrendingSource when no trending data exists:
// the newest papers first submitted in the 30 days before day. Its reasons say so, so no
// reader mistakes recency for popularity.
type Recency struct{ Papers paperboy.PaperStore }

// Trending returns the newest papers before day.
func (r Recency) Trending(ctx context.Context, day time.Time, limit int) ([]Trend, error) {
	papers, _, err := r.Papers.Papers(ctx, paperboy.PaperFilter{SubmittedFrom: day.AddDate(0, 0, -30), SubmittedTo: day, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("read recent papers: %w", err)
	}
	out := make([]Trend, len(papers))
	for i, p := range papers {
		out[i] = Trend{Paper: p, Score: 1 - float64(i)/float64(len(papers)), Reason: "newest on this instance (no trending data yet)", Fallback: true}
	}
	return out, nil
}
