package sqlite

import (
	"context"
	"time"

	"paperboy"
)

// AddSignals stores observations in one transaction.
func (s *Store) AddSignals(ctx context.Context, signals []paperboy.Signal) error {
	if err := paperboy.ValidateSignals(signals); err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin", err)
	}
	defer rollback(tx)
	const q = `INSERT INTO signals (paper_id, name, observed, value, ref) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (paper_id, name, observed) DO UPDATE SET value = excluded.value, ref = excluded.ref`
	for _, sg := range signals {
		if _, err := tx.ExecContext(ctx, q, sg.PaperID, sg.Name, sg.Observed.Unix(), sg.Value, sg.Ref); err != nil {
			return dbError("insert signal", err)
		}
	}
	return dbError("commit", tx.Commit())
}

// Signals returns the observations since since and the baseline before it.
func (s *Store) Signals(ctx context.Context, since time.Time) ([]paperboy.Signal, error) {
	const q = `SELECT paper_id, name, observed, value, ref FROM signals WHERE observed >= ?1
		UNION ALL
		SELECT paper_id, name, max(observed), value, ref FROM signals WHERE observed < ?1 GROUP BY paper_id, name
		ORDER BY 1, 2, 3`
	return s.querySignals(ctx, q, since.Unix())
}

func (s *Store) querySignals(ctx context.Context, q string, args ...any) ([]paperboy.Signal, error) {
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, dbError("read signals", err)
	}
	defer rows.Close()
	var out []paperboy.Signal
	for rows.Next() {
		var sg paperboy.Signal
		var observed int64
		if err := rows.Scan(&sg.PaperID, &sg.Name, &observed, &sg.Value, &sg.Ref); err != nil {
			return nil, dbError("scan signal", err)
		}
		sg.Observed = time.Unix(observed, 0).UTC()
		out = append(out, sg)
	}
	return out, dbError("read signals", rows.Err())
}

// LatestSignals returns the latest observation of each signal of each paper.
func (s *Store) LatestSignals(ctx context.Context, ids []paperboy.ArxivID) (map[paperboy.ArxivID]map[string]paperboy.Signal, error) {
	out := make(map[paperboy.ArxivID]map[string]paperboy.Signal)
	if len(ids) == 0 {
		return out, nil
	}
	const q = `SELECT paper_id, name, max(observed), value, ref FROM signals
		WHERE paper_id IN (SELECT value FROM json_each(?)) GROUP BY paper_id, name`
	list, err := s.querySignals(ctx, q, idList(ids))
	for _, sg := range list {
		if out[sg.PaperID] == nil {
			out[sg.PaperID] = make(map[string]paperboy.Signal)
		}
		out[sg.PaperID][sg.Name] = sg
	}
	return out, err
}

// ReplaceTrending replaces one window's entries.
func (s *Store) ReplaceTrending(ctx context.Context, window string, entries []paperboy.TrendingEntry) error {
	if err := paperboy.ValidWindow(window); err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin", err)
	}
	defer rollback(tx)
	if _, err := tx.ExecContext(ctx, `DELETE FROM trending WHERE span = ?`, window); err != nil {
		return dbError("delete trending", err)
	}
	const q = `INSERT INTO trending (span, rank, paper_id, score, upvotes, vote_points, stars, stars_gained,
		star_points, external_upvotes, external_points, recency_points, computed)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	for i, e := range entries {
		c := e.Components
		if _, err := tx.ExecContext(ctx, q, window, i+1, e.PaperID, e.Score, c.Upvotes, c.VotePoints, c.Stars,
			c.StarsGained, c.StarPoints, c.ExternalUpvotes, c.ExternalPoints, c.RecencyPoints, e.Computed.Unix()); err != nil {
			return dbError("insert trending", err)
		}
	}
	return dbError("commit", tx.Commit())
}

// Trending returns a window's entries in rank order.
func (s *Store) Trending(ctx context.Context, window string, limit, offset int) ([]paperboy.TrendingEntry, int, error) {
	if err := paperboy.ValidWindow(window); err != nil {
		return nil, 0, err
	}
	if limit < 0 || offset < 0 {
		return nil, 0, paperboy.Errorf(paperboy.EINVALID, "Invalid limit %d or offset %d: neither may be negative.", limit, offset)
	}
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM trending WHERE span = ?`, window).Scan(&total); err != nil {
		return nil, 0, dbError("count trending", err)
	}
	const q = `SELECT rank, paper_id, score, upvotes, vote_points, stars, stars_gained, star_points,
		external_upvotes, external_points, recency_points, computed
		FROM trending WHERE span = ? ORDER BY rank LIMIT ? OFFSET ?`
	rows, err := s.r.QueryContext(ctx, q, window, limitArg(limit), offset)
	if err != nil {
		return nil, 0, dbError("read trending", err)
	}
	defer rows.Close()
	var out []paperboy.TrendingEntry
	for rows.Next() {
		e := paperboy.TrendingEntry{Window: window}
		c := &e.Components
		var computed int64
		if err := rows.Scan(&e.Rank, &e.PaperID, &e.Score, &c.Upvotes, &c.VotePoints, &c.Stars, &c.StarsGained,
			&c.StarPoints, &c.ExternalUpvotes, &c.ExternalPoints, &c.RecencyPoints, &computed); err != nil {
			return nil, 0, dbError("scan trending", err)
		}
		e.Computed = time.Unix(computed, 0).UTC()
		out = append(out, e)
	}
	return out, total, dbError("read trending", rows.Err())
}
