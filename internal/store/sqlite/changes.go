package sqlite

import (
	"context"
	"database/sql"

	"paperboy"
)

// DeletePaper removes a paper and leaves a tombstone in the change sequence.
// Returns ENOTFOUND if the paper does not exist.
func (s *Store) DeletePaper(ctx context.Context, id paperboy.ArxivID) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin delete", err)
	}
	defer rollback(tx)
	res, err := tx.ExecContext(ctx, `DELETE FROM papers WHERE id = ?`, id)
	if err != nil {
		return dbError("delete paper "+string(id), err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return dbError("delete paper "+string(id), err)
	} else if n == 0 {
		return paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s not found.", id)
	}
	seq, err := lastSeq(ctx, tx)
	if err != nil {
		return err
	}
	seq++
	const tombstone = `INSERT INTO deleted_papers (id, seq) VALUES (?, ?)
ON CONFLICT (id) DO UPDATE SET seq = excluded.seq`
	if _, err := tx.ExecContext(ctx, tombstone, id, seq); err != nil {
		return dbError("record deletion of "+string(id), err)
	}
	if err := setLastSeq(ctx, tx, seq); err != nil {
		return err
	}
	return dbError("commit delete", tx.Commit())
}

// changesSQL lists live papers and tombstones after a sequence number; an ID
// is in at most one of the two tables, at its latest change.
const changesSQL = `SELECT seq, id, deleted FROM (
	SELECT seq, id, 0 AS deleted FROM papers WHERE seq > ?1
	UNION ALL
	SELECT seq, id, 1 AS deleted FROM deleted_papers WHERE seq > ?1
) ORDER BY seq LIMIT ?2`

// Changes returns up to limit changes after the sequence number after, in
// sequence order; limit 0 means no limit. Returns EINVALID for a negative
// limit.
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]paperboy.Change, error) {
	if limit < 0 {
		return nil, paperboy.Errorf(paperboy.EINVALID, "Limit must not be negative.")
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, dbError("begin read", err)
	}
	defer rollback(tx)
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
	rows, err := q.QueryContext(ctx, changesSQL, after, limitArg(limit))
	if err != nil {
		return nil, nil, dbError("list changes", err)
	}
	defer rows.Close()
	var (
		changes []paperboy.Change
		live    []paperboy.ArxivID
	)
	for rows.Next() {
		var c paperboy.Change
		var deleted bool
		if err := rows.Scan(&c.Seq, &c.ID, &deleted); err != nil {
			return nil, nil, dbError("scan change", err)
		}
		if !deleted {
			live = append(live, c.ID)
		}
		changes = append(changes, c)
	}
	return changes, live, dbError("list changes", rows.Err())
}

// LastSeq returns the highest change sequence number, 0 for a new store.
func (s *Store) LastSeq(ctx context.Context) (seq int64, err error) {
	err = s.r.with(ctx, func(q querier) (err error) {
		seq, err = lastSeq(ctx, q)
		return err
	})
	return seq, err
}

func lastSeq(ctx context.Context, q querier) (int64, error) {
	var seq int64
	if err := q.QueryRowContext(ctx, `SELECT value FROM change_seq WHERE id = 1`).Scan(&seq); err != nil {
		return 0, dbError("read change sequence", err)
	}
	return seq, nil
}

func setLastSeq(ctx context.Context, tx *sql.Tx, seq int64) error {
	_, err := tx.ExecContext(ctx, `UPDATE change_seq SET value = ? WHERE id = 1`, seq)
	return dbError("advance change sequence", err)
}

// CountPapers returns the number of stored papers.
func (s *Store) CountPapers(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM papers`).Scan(&n); err != nil {
		return 0, dbError("count papers", err)
	}
	return n, nil
}
