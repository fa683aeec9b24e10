package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"paperboy"
	"paperboy/internal/store/rowcodec"
)

var _ paperboy.HarvestStore = (*Store)(nil)

// ApplyHarvestPage merges a page's papers and writes its checkpoint in one
// transaction, so a harvest killed between pages never half-applies one.
func (s *Store) ApplyHarvestPage(ctx context.Context, papers []*paperboy.Paper, cp paperboy.HarvestCheckpoint) ([]paperboy.MergeOutcome, error) {
	if cp.Set == "" || cp.Prefix == "" {
		return nil, paperboy.Errorf(paperboy.EINVALID, "A harvest checkpoint needs a set and a metadata prefix.")
	}
	incoming, err := rowcodec.ValidateBatch(papers)
	if err != nil {
		return nil, err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, dbError("begin harvest page", err)
	}
	defer rollback(ctx, tx)
	var outcomes []paperboy.MergeOutcome
	if len(incoming) > 0 {
		if outcomes, err = upsertTx(ctx, tx, incoming); err != nil {
			return nil, err
		}
	}
	if err := writeCheckpoint(ctx, tx, cp); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, dbError("commit harvest page", err)
	}
	return outcomes, nil
}

const upsertCheckpointSQL = `INSERT INTO harvest_checkpoints (set_spec, prefix, window_from,
	window_until, token, done, pages, records, last_datestamp, frontier, updated)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, extract(epoch FROM now())::bigint)
ON CONFLICT (set_spec, prefix) DO UPDATE SET window_from = excluded.window_from,
	window_until = excluded.window_until, token = excluded.token, done = excluded.done,
	pages = excluded.pages, records = excluded.records,
	last_datestamp = excluded.last_datestamp, frontier = excluded.frontier,
	updated = excluded.updated`

func writeCheckpoint(ctx context.Context, tx pgx.Tx, cp paperboy.HarvestCheckpoint) error {
	_, err := tx.Exec(ctx, upsertCheckpointSQL, cp.Set, cp.Prefix, cp.From, cp.Until,
		cp.Token, cp.Done, cp.Pages, cp.Records, cp.LastDatestamp, cp.Frontier)
	return dbError("write harvest checkpoint", err)
}

// HarvestCheckpoint returns the checkpoint of a set and prefix, ENOTFOUND
// if there is none.
func (s *Store) HarvestCheckpoint(ctx context.Context, set, prefix string) (paperboy.HarvestCheckpoint, error) {
	const q = `SELECT window_from, window_until, token, done, pages, records, last_datestamp,
	frontier, updated FROM harvest_checkpoints WHERE set_spec = $1 AND prefix = $2`
	cp := paperboy.HarvestCheckpoint{Set: set, Prefix: prefix}
	var updated int64
	err := s.pool.QueryRow(ctx, q, set, prefix).Scan(&cp.From, &cp.Until, &cp.Token, &cp.Done,
		&cp.Pages, &cp.Records, &cp.LastDatestamp, &cp.Frontier, &updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return cp, paperboy.Errorf(paperboy.ENOTFOUND, "No harvest of set %q with prefix %q has been checkpointed.", set, prefix)
	} else if err != nil {
		return cp, dbError("read harvest checkpoint", err)
	}
	cp.Updated = time.Unix(updated, 0).UTC()
	return cp, nil
}

// ApplyAnnouncements merges the announced papers and records each
// announcement once, in one transaction.
func (s *Store) ApplyAnnouncements(ctx context.Context, items []paperboy.Announcement) ([]paperboy.MergeOutcome, error) {
	papers, err := paperboy.AnnouncedPapers(items)
	if err != nil {
		return nil, err
	}
	incoming, err := rowcodec.ValidateBatch(papers)
	if err != nil || len(incoming) == 0 {
		return nil, err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, dbError("begin announcements", err)
	}
	defer rollback(ctx, tx)
	outcomes, err := upsertTx(ctx, tx, incoming)
	if err != nil {
		return nil, err
	}
	const ins = `INSERT INTO announcements (paper_id, version, announce_type, category, announced)
	VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`
	b := &pgx.Batch{}
	for _, a := range items {
		b.Queue(ins, string(a.Paper.ID), a.Paper.Version, string(a.Type), a.Category, unixOrNil(a.Announced))
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, dbError("record announcements", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, dbError("commit announcements", err)
	}
	return outcomes, nil
}

// Announcements returns a paper's recorded announcements, oldest first.
func (s *Store) Announcements(ctx context.Context, id paperboy.ArxivID) ([]paperboy.Announcement, error) {
	const q = `SELECT version, announce_type, category, announced FROM announcements
	WHERE paper_id = $1 ORDER BY announced NULLS FIRST, version, announce_type, category`
	rows, err := s.pool.Query(ctx, q, string(id))
	if err != nil {
		return nil, dbError("query announcements", err)
	}
	defer rows.Close()
	var out []paperboy.Announcement
	for rows.Next() {
		a := paperboy.Announcement{Paper: &paperboy.Paper{ID: id}}
		var (
			typ       string
			announced *int64
		)
		if err := rows.Scan(&a.Paper.Version, &typ, &a.Category, &announced); err != nil {
			return nil, dbError("scan announcement", err)
		}
		a.Type = paperboy.AnnounceType(typ)
		if announced != nil {
			a.Announced = time.Unix(*announced, 0).UTC()
		}
		out = append(out, a)
	}
	return out, dbError("query announcements", rows.Err())
}

// unixOrNil is t in Unix seconds, or NULL for the zero time.
func unixOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

// RecordHarvestRun stores a finished run.
func (s *Store) RecordHarvestRun(ctx context.Context, r paperboy.HarvestRun) (int64, error) {
	const q = `INSERT INTO harvest_runs (source, set_spec, prefix, window_from, window_until,
	started, finished, pages, records, inserted, updated, unchanged, skipped, retries, restarts, error)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`
	var id int64
	err := s.pool.QueryRow(ctx, q, r.Source, r.Set, r.Prefix, r.From, r.Until,
		r.Started.Unix(), r.Finished.Unix(), r.Pages, r.Records, r.Inserted, r.Updated,
		r.Unchanged, r.Skipped, r.Retries, r.Restarts, r.Error).Scan(&id)
	return id, dbError("record harvest run", err)
}

// HarvestRuns returns the runs f selects, newest first.
func (s *Store) HarvestRuns(ctx context.Context, f paperboy.HarvestRunFilter) ([]paperboy.HarvestRun, error) {
	if f.Limit < 0 {
		return nil, paperboy.Errorf(paperboy.EINVALID, "Invalid limit %d.", f.Limit)
	}
	const q = `SELECT id, source, set_spec, prefix, window_from, window_until, started, finished,
	pages, records, inserted, updated, unchanged, skipped, retries, restarts, error
	FROM harvest_runs WHERE ($1 = '' OR source = $1) AND (NOT $2 OR error = '')
	ORDER BY id DESC LIMIT $3`
	rows, err := s.pool.Query(ctx, q, f.Source, f.Succeeded, limitArg(f.Limit))
	if err != nil {
		return nil, dbError("query harvest runs", err)
	}
	defer rows.Close()
	var out []paperboy.HarvestRun
	for rows.Next() {
		var r paperboy.HarvestRun
		var started, finished int64
		if err := rows.Scan(&r.ID, &r.Source, &r.Set, &r.Prefix, &r.From, &r.Until, &started, &finished,
			&r.Pages, &r.Records, &r.Inserted, &r.Updated, &r.Unchanged, &r.Skipped,
			&r.Retries, &r.Restarts, &r.Error); err != nil {
			return nil, dbError("scan harvest run", err)
		}
		r.Started, r.Finished = time.Unix(started, 0).UTC(), time.Unix(finished, 0).UTC()
		out = append(out, r)
	}
	return out, dbError("query harvest runs", rows.Err())
}

// NewestPaperDate returns the latest updated or submitted time of the
// papers in any of the archives (every paper for none), zero for none.
func (s *Store) NewestPaperDate(ctx context.Context, archives []string) (time.Time, error) {
	q := `SELECT max(updated), max(submitted) FROM papers`
	var nonEmpty []string
	for _, a := range archives {
		if a != "" {
			nonEmpty = append(nonEmpty, a)
		}
	}
	var args []any
	if len(nonEmpty) > 0 {
		q += ` WHERE id IN (SELECT c.paper_id FROM paper_categories c, unnest($1::text[]) a
			WHERE c.category = a OR starts_with(c.category, a || '.'))`
		args = append(args, nonEmpty)
	}
	var updated, submitted pgtype.Timestamptz
	if err := s.pool.QueryRow(ctx, q, args...).Scan(&updated, &submitted); err != nil {
		return time.Time{}, dbError("find the newest paper", err)
	}
	u, sub := timeOf(updated), timeOf(submitted)
	if sub.After(u) {
		return sub, nil
	}
	return u, nil
}
