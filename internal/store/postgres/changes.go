package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"paperboy"
)

// The change sequence and the sequence-gap problem: a reader that has seen
// seq N asks for changes after N, so a change that commits later with a
// lower number would be missed for ever. Every write transaction therefore
// begins by locking the one row of change_seq (SELECT ... FOR UPDATE) and
// holds it to commit: writers, across all replicas, run one at a time,
// numbers are handed out in commit order, and any snapshot sees a gap-free
// prefix of the sequence. The lock also makes the merge of each batch see
// the latest stored papers. Writes are batches, so one writer at a time
// costs little; reads never take the lock.

// lockSeq locks the change sequence for the rest of tx and returns its
// current value.
func lockSeq(ctx context.Context, tx pgx.Tx) (int64, error) {
	var seq int64
	if err := tx.QueryRow(ctx, `SELECT value FROM change_seq WHERE id = 1 FOR UPDATE`).Scan(&seq); err != nil {
		return 0, dbError("lock change sequence", err)
	}
	return seq, nil
}

func setSeq(ctx context.Context, tx pgx.Tx, seq int64) error {
	_, err := tx.Exec(ctx, `UPDATE change_seq SET value = $1 WHERE id = 1`, seq)
	return dbError("advance change sequence", err)
}

// DeletePaper removes a paper and leaves a tombstone in the change sequence.
// Returns ENOTFOUND if the paper does not exist.
func (s *Store) DeletePaper(ctx context.Context, id paperboy.ArxivID) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return dbError("begin delete", err)
	}
	defer rollback(ctx, tx)
	seq, err := lockSeq(ctx, tx)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `DELETE FROM papers WHERE id = $1`, string(id))
	if err != nil {
		return dbError("delete paper "+string(id), err)
	}
	if tag.RowsAffected() == 0 {
		return paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s not found.", id)
	}
	seq++
	const tombstone = `INSERT INTO deleted_papers (id, seq) VALUES ($1, $2)
ON CONFLICT (id) DO UPDATE SET seq = excluded.seq`
	if _, err := tx.Exec(ctx, tombstone, string(id), seq); err != nil {
		return dbError("record deletion of "+string(id), err)
	}
	if err := setSeq(ctx, tx, seq); err != nil {
		return err
	}
	return dbError("commit delete", tx.Commit(ctx))
}

// changesSQL lists live papers and tombstones after a sequence number; an ID
// is in at most one of the two tables, at its latest change.
const changesSQL = `SELECT seq, id, deleted FROM (
	SELECT seq, id, false AS deleted FROM papers WHERE seq > $1
	UNION ALL
	SELECT seq, id, true AS deleted FROM deleted_papers WHERE seq > $1
) c ORDER BY seq LIMIT $2`

// Changes returns up to limit changes after the sequence number after, in
// sequence order; limit 0 means no limit. Returns EINVALID for a negative
// limit.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]paperboy.Change, error) {
	if limit < 0 {
		return nil, paperboy.Errorf(paperboy.EINVALID, "Limit must not be negative.")
	}
	tx, err := s.readTx(ctx)
	if err != nil {
		return nil, err
	}
	defer rollback(ctx, tx)
	changes, live, err := changeList(ctx, tx, after, limit)
	if err != nil {
		return nil, err
	}
	papers, err := loadByIDs(ctx, tx, live)
	if err != nil {
		return nil, err
	}
	for i := range changes {
		changes[i].Paper = papers[changes[i].ID] // nil for tombstones
	}
	return changes, nil
}

// changeList returns the changes without their papers, and the IDs of the
// papers that still exist.
func changeList(ctx context.Context, q querier, after int64, limit int) ([]paperboy.Change, []paperboy.ArxivID, error) {
	rows, err := q.Query(ctx, changesSQL, after, limitArg(limit))
	if err != nil {
		return nil, nil, dbError("list changes", err)
	}
	defer rows.Close()
	var (
		changes []paperboy.Change
		live    []paperboy.ArxivID
	)
	for rows.Next() {
		var (
			c       paperboy.Change
			id      string
			deleted bool
		)
		if err := rows.Scan(&c.Seq, &id, &deleted); err != nil {
			return nil, nil, dbError("scan change", err)
		}
		c.ID = paperboy.ArxivID(id)
		if !deleted {
			live = append(live, c.ID)
		}
		changes = append(changes, c)
	}
	return changes, live, dbError("list changes", rows.Err())
}

// LastSeq returns the highest change sequence number, 0 for a new store.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.pool.QueryRow(ctx, `SELECT value FROM change_seq WHERE id = 1`).Scan(&seq); err != nil {
		return 0, dbError("read change sequence", err)
	}
	return seq, nil
}

// CountPapers returns the number of stored papers.
func (s *Store) CountPapers(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM papers`).Scan(&n); err != nil {
		return 0, dbError("count papers", err)
	}
	return n, nil
}

// Days locates day among the UTC days of first submission that have papers:
// Day is the latest such day on or before it (the latest of all for a zero
// day), Prev the one before Day, and Next the first one after the requested
// day. Any of them is zero when there is none. One statement, so one
// snapshot and one round trip: the daily page asks three times per view.
func (s *Store) Days(ctx context.Context, day time.Time) (paperboy.DayNeighbours, error) {
	end := pgtype.Timestamptz{InfinityModifier: pgtype.Infinity, Valid: true}
	if !day.IsZero() {
		end = pgtype.Timestamptz{Time: paperboy.Day(day).AddDate(0, 0, 1), Valid: true} // start of the next day
	}
	const q = `WITH d AS (SELECT max(submitted) AS t FROM papers WHERE submitted < $1)
		SELECT d.t,
			(SELECT max(submitted) FROM papers WHERE submitted < date_trunc('day', d.t, 'UTC')),
			(SELECT min(submitted) FROM papers WHERE submitted >= $1)
		FROM d`
	var t, prev, next pgtype.Timestamptz
	if err := s.pool.QueryRow(ctx, q, end).Scan(&t, &prev, &next); err != nil {
		return paperboy.DayNeighbours{}, dbError("find days", err)
	}
	return paperboy.DayNeighbours{Day: dayOf(t), Prev: dayOf(prev), Next: dayOf(next)}, nil
}

// dayOf is the UTC day of a submission time, zero for none.
func dayOf(t pgtype.Timestamptz) time.Time {
	if !t.Valid || t.InfinityModifier != pgtype.Finite {
		return time.Time{}
	}
	return paperboy.Day(t.Time)
}
