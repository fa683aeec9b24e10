package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"paperboy"
)

var _ paperboy.EmbeddingStore = (*Store)(nil)

const setKey = `embedder = ? AND model = ? AND dim = ? AND version = ?`

func setArgs(c paperboy.EmbedContract) []any { return []any{c.Embedder, c.Model, c.Dim, c.Version} }

func noSet(c paperboy.EmbedContract) error {
	return paperboy.Errorf(paperboy.ENOTFOUND, "No embedding set %v.", c)
}

// CreateEmbedSet implements paperboy.EmbeddingStore.
func (s *Store) CreateEmbedSet(ctx context.Context, c paperboy.EmbedContract, model []byte) error {
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin", err)
	}
	defer rollback(tx)
	const q = `INSERT INTO embed_sets (embedder, model, dim, version, state, created)
		VALUES (?, ?, ?, ?, 'building', unixepoch()) ON CONFLICT DO NOTHING`
	res, err := tx.ExecContext(ctx, q, setArgs(c)...)
	if err != nil {
		return dbError("insert embed set", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return paperboy.Errorf(paperboy.ECONFLICT, "The embedding set %v exists already.", c)
	}
	if model != nil { // kept apart: see migrations/0008_embed_models.sql
		id, err := res.LastInsertId()
		if err != nil {
			return dbError("insert embed set", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO embed_models (set_id, blob) VALUES (?, ?)`, id, model); err != nil {
			return dbError("insert embed model", err)
		}
	}
	return dbError("commit", tx.Commit())
}

// EmbedSets implements paperboy.EmbeddingStore.
func (s *Store) EmbedSets(ctx context.Context) ([]paperboy.EmbedSet, error) {
	const q = `SELECT embedder, model, dim, version, state, seq, created, vectors
		FROM embed_sets ORDER BY id DESC`
	rows, err := s.r.QueryContext(ctx, q)
	if err != nil {
		return nil, dbError("read embed sets", err)
	}
	defer rows.Close()
	var out []paperboy.EmbedSet
	for rows.Next() {
		var e paperboy.EmbedSet
		var created int64
		c := &e.Contract
		if err := rows.Scan(&c.Embedder, &c.Model, &c.Dim, &c.Version, &e.State, &e.Seq, &created, &e.Count); err != nil {
			return nil, dbError("read embed sets", err)
		}
		e.Created = time.Unix(created, 0).UTC()
		out = append(out, e)
	}
	return out, dbError("read embed sets", rows.Err())
}

// EmbedModel implements paperboy.EmbeddingStore.
func (s *Store) EmbedModel(ctx context.Context, c paperboy.EmbedContract) ([]byte, error) {
	var b []byte
	const q = `SELECT m.blob FROM embed_sets e LEFT JOIN embed_models m ON m.set_id = e.id WHERE ` + setKey
	err := s.r.QueryRowContext(ctx, q, setArgs(c)...).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, noSet(c)
	}
	return b, dbError("read embed model", err)
}

// setID returns the ID of c's set inside tx.
func setID(ctx context.Context, q querier, c paperboy.EmbedContract) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM embed_sets WHERE `+setKey, setArgs(c)...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, noSet(c)
	}
	return id, dbError("find embed set", err)
}

// PutVectors implements paperboy.EmbeddingStore.
func (s *Store) PutVectors(ctx context.Context, c paperboy.EmbedContract, seq int64, vecs []paperboy.PaperVector, deleted []paperboy.ArxivID) error {
	for _, v := range vecs {
		if len(v.Vec) != c.Dim {
			return paperboy.Errorf(paperboy.EINVALID, "The vector of %s has %d dimensions; the set has %d.", v.ID, len(v.Vec), c.Dim)
		}
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin", err)
	}
	defer rollback(tx)
	id, err := setID(ctx, tx, c)
	if err != nil {
		return err
	}
	const put = `INSERT INTO paper_vectors (set_id, paper_id, vec) VALUES (?, ?, ?)
		ON CONFLICT (set_id, paper_id) DO UPDATE SET vec = excluded.vec`
	for _, v := range vecs {
		if _, err := tx.ExecContext(ctx, put, id, string(v.ID), paperboy.EncodeVector(v.Vec)); err != nil {
			return dbError("put vector", err)
		}
	}
	for _, d := range deleted {
		if _, err := tx.ExecContext(ctx, `DELETE FROM paper_vectors WHERE set_id = ? AND paper_id = ?`, id, string(d)); err != nil {
			return dbError("delete vector", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE embed_sets SET seq = max(seq, ?) WHERE id = ?`, seq, id); err != nil {
		return dbError("update embed set", err)
	}
	return dbError("commit", tx.Commit())
}

// Vectors implements paperboy.EmbeddingStore.
func (s *Store) Vectors(ctx context.Context, c paperboy.EmbedContract, after paperboy.ArxivID, limit int) ([]paperboy.PaperVector, error) {
	if limit < 0 {
		return nil, paperboy.Errorf(paperboy.EINVALID, "Bad limit %d; use 0 or more.", limit)
	}
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return nil, dbError("read vectors", err)
	}
	defer conn.Close()
	id, err := setID(ctx, conn, c)
	if err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = -1
	}
	const q = `SELECT paper_id, vec FROM paper_vectors WHERE set_id = ? AND paper_id > ? ORDER BY paper_id LIMIT ?`
	rows, err := conn.QueryContext(ctx, q, id, string(after), limit)
	if err != nil {
		return nil, dbError("read vectors", err)
	}
	defer rows.Close()
	var out []paperboy.PaperVector
	for rows.Next() {
		var pid string
		var b []byte
		if err := rows.Scan(&pid, &b); err != nil {
			return nil, dbError("read vectors", err)
		}
		v, err := paperboy.DecodeVector(b)
		if err != nil {
			return nil, err
		}
		out = append(out, paperboy.PaperVector{ID: paperboy.ArxivID(pid), Vec: v})
	}
	return out, dbError("read vectors", rows.Err())
}

// Vector implements paperboy.EmbeddingStore.
func (s *Store) Vector(ctx context.Context, c paperboy.EmbedContract, id paperboy.ArxivID) ([]float32, error) {
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return nil, dbError("read vector", err)
	}
	defer conn.Close()
	sid, err := setID(ctx, conn, c)
	if err != nil {
		return nil, err
	}
	var b []byte
	err = conn.QueryRowContext(ctx, `SELECT vec FROM paper_vectors WHERE set_id = ? AND paper_id = ?`, sid, string(id)).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s has no vector in %v.", id, c)
	} else if err != nil {
		return nil, dbError("read vector", err)
	}
	return paperboy.DecodeVector(b)
}

// ActivateEmbedSet implements paperboy.EmbeddingStore.
func (s *Store) ActivateEmbedSet(ctx context.Context, c paperboy.EmbedContract) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin", err)
	}
	defer rollback(tx)
	id, err := setID(ctx, tx, c)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM embed_sets WHERE state = 'active' AND id <> ?`, id); err != nil {
		return dbError("retire embed set", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE embed_sets SET state = 'active' WHERE id = ?`, id); err != nil {
		return dbError("activate embed set", err)
	}
	return dbError("commit", tx.Commit())
}

// DeleteEmbedSet implements paperboy.EmbeddingStore.
func (s *Store) DeleteEmbedSet(ctx context.Context, c paperboy.EmbedContract) error {
	res, err := s.w.ExecContext(ctx, `DELETE FROM embed_sets WHERE `+setKey, setArgs(c)...)
	if err != nil {
		return dbError("delete embed set", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return noSet(c)
	}
	return nil
}
