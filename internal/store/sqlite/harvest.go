package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

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
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, dbError("begin harvest page", err)
	}
	defer rollback(tx)
	var outcomes []paperboy.MergeOutcome
	if len(incoming) > 0 {
		if outcomes, err = upsertTx(ctx, tx, incoming); err != nil {
			return nil, err
		}
	}
	if err := writeCheckpoint(ctx, tx, cp); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, dbError("commit harvest page", err)
	}
	return outcomes, nil
}

const upsertCheckpointSQL = `INSERT INTO harvest_checkpoints (set_spec, prefix, window_from,
	window_until, token, done, pages, records, last_datestamp, frontier, updated)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, unixepoch())
ON CONFLICT (set_spec, prefix) DO UPDATE SET window_from = excluded.window_from,
	window_until = excluded.window_until, token = excluded.token, done = excluded.done,
	pages = excluded.pages, records = excluded.records,
	last_datestamp = excluded.last_datestamp, frontier = excluded.frontier,
	updated = excluded.updated`

func writeCheckpoint(ctx context.Context, tx *sql.Tx, cp paperboy.HarvestCheckpoint) error {
	_, err := tx.ExecContext(ctx, upsertCheckpointSQL, cp.Set, cp.Prefix, cp.From, cp.Until,
		cp.Token, cp.Done, cp.Pages, cp.Records, cp.LastDatestamp, cp.Frontier)
	return dbError("write harvest checkpoint", err)
}

// HarvestCheckpoint returns the checkpoint of a set and prefix, ENOTFOUND
// if there is none.
func (s *Store) HarvestCheckpoint(ctx context.Context, set, prefix string) (paperboy.HarvestCheckpoint, error) {
	const q = `SELECT window_from, window_until, token, done, pages, records, last_datestamp,
	frontier, updated FROM harvest_checkpoints WHERE set_spec = ? AND prefix = ?`
	cp := paperboy.HarvestCheckpoint{Set: set, Prefix: prefix}
	var updated int64
	err := s.r.QueryRowContext(ctx, q, set, prefix).Scan(&cp.From, &cp.Until, &cp.Token, &cp.Done,
		&cp.Pages, &cp.Records, &cp.LastDatestamp, &cp.Frontier, &updated)
	if errors.Is(err, sql.ErrNoRows) {
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
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, dbError("begin announcements", err)
	}
	defer rollback(tx)
	outcomes, err := upsertTx(ctx, tx, incoming)
	if err != nil {
		return nil, err
	}
	const ins = `INSERT INTO announcements (paper_id, version, announce_type, category, announced)
	VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	for _, a := range items {
		if _, err := tx.ExecContext(ctx, ins, a.Paper.ID, a.Paper.Version, string(a.Type), a.Category,
			unixOrNil(a.Announced)); err != nil {
			return nil, dbError("record announcement "+string(a.Paper.ID), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, dbError("commit announcements", err)
	}
	return outcomes, nil
}

// Announcements returns a paper's recorded announcements, oldest first.
func (s *Store) Announcements(ctx context.Context, id paperboy.ArxivID) ([]paperboy.Announcement, error) {
	const q = `SELECT version, announce_type, category, announced FROM announcements
	WHERE paper_id = ? ORDER BY announced, version, announce_type, category`
	rows, err := s.r.QueryContext(ctx, q, id)
	if err != nil {
		return nil, dbError("query announcements", err)
	}
	defer rows.Close()
	var out []paperboy.Announcement
	for rows.Next() {
		a := paperboy.Announcement{Paper: &paperboy.Paper{ID: id}}
		var announced sql.NullInt64
		if err := rows.Scan(&a.Paper.Version, &a.Type, &a.Category, &announced); err != nil {
			return nil, dbError("scan announcement", err)
		}
		a.Announced = timeOf(announced)
		out = append(out, a)
	}
	return out, dbError("query announcements", rows.Err())
}

// RecordHarvestRun stores a finished run.
func (s *Store) RecordHarvestRun(ctx context.Context, r paperboy.HarvestRun) (int64, error) {
	const q = `INSERT INTO harvest_runs (source, set_spec, prefix, window_from, window_until,
	started, finished, pages, records, inserted, updated, unchanged, skipped, retries, restarts, error)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	res, err := s.w.ExecContext(ctx, q, r.Source, r.Set, r.Prefix, r.From, r.Until,
		r.Started.Unix(), r.Finished.Unix(), r.Pages, r.Records, r.Inserted, r.Updated,
		r.Unchanged, r.Skipped, r.Retries, r.Restarts, r.Error)
	if err != nil {
		return 0, dbError("record harvest run", err)
	}
	return res.LastInsertId()
}

// HarvestRuns returns the runs f selects, newest first.
func (s *Store) HarvestRuns(ctx context.Context, f paperboy.HarvestRunFilter) ([]paperboy.HarvestRun, error) {
	if f.Limit < 0 {
		return nil, paperboy.Errorf(paperboy.EINVALID, "Invalid limit %d.", f.Limit)
	}
	const q = `SELECT id, source, set_spec, prefix, window_from, window_until, started, finished,
	pages, records, inserted, updated, unchanged, skipped, retries, restarts, error
	FROM harvest_runs WHERE (? = '' OR source = ?) AND (NOT ? OR error = '')
	ORDER BY id DESC LIMIT ?`
	rows, err := s.r.QueryContext(ctx, q, f.Source, f.Source, f.Succeeded, limitArg(f.Limit))
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
// An archive's categories are found by a range over the category index:
// "cs" or from "cs." up to "cs/" ('/' follows '.').
func (s *Store) NewestPaperDate(ctx context.Context, archives []string) (time.Time, error) {
	q := `SELECT max(updated), max(submitted) FROM papers`
	var args []any
	var or []string
	for _, a := range archives {
		if a == "" {
			continue
		}
		or = append(or, `category = ? OR (category >= ? AND category < ?)`)
		args = append(args, a, a+".", a+"/")
	}
	if len(or) > 0 {
		q += ` WHERE id IN (SELECT paper_id FROM paper_categories WHERE ` + strings.Join(or, " OR ") + `)`
	}
	var updated, submitted sql.NullInt64
	if err := s.r.QueryRowContext(ctx, q, args...).Scan(&updated, &submitted); err != nil {
		return time.Time{}, dbError("find the newest paper", err)
	}
	return later(timeOf(updated), timeOf(submitted)), nil
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
