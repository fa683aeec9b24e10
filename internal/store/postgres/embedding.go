package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"paperboy"
)

var _ paperboy.EmbeddingStore = (*Store)(nil)

const setKey = `embedder = $1 AND model = $2 AND dim = $3 AND version = $4`

func setArgs(c paperboy.EmbedContract) []any { return []any{c.Embedder, c.Model, c.Dim, c.Version} }

func noSet(c paperboy.EmbedContract) error {
	return paperboy.Errorf(paperboy.ENOTFOUND, "No embedding set %v.", c)
}

// CreateEmbedSet implements paperboy.EmbeddingStore.
func (s *Store) CreateEmbedSet(ctx context.Context, c paperboy.EmbedContract, model []byte) error {
	if err := c.Validate(); err != nil {
		return err
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return dbError("begin", err)
	}
	defer rollback(ctx, tx)
	const q = `INSERT INTO embed_sets (embedder, model, dim, version, state, created)
		VALUES ($1, $2, $3, $4, 'building', extract(epoch FROM now())::bigint) ON CONFLICT DO NOTHING RETURNING id`
	var id int64
	err = tx.QueryRow(ctx, q, setArgs(c)...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return paperboy.Errorf(paperboy.ECONFLICT, "The embedding set %v exists already.", c)
	} else if err != nil {
		return dbError("insert embed set", err)
	}
	if model != nil { // kept apart: see migrations/0008_embed_models.sql
		if _, err := tx.Exec(ctx, `INSERT INTO embed_models (set_id, blob) VALUES ($1, $2)`, id, model); err != nil {
			return dbError("insert embed model", err)
		}
	}
	return dbError("commit", tx.Commit(ctx))
}

// EmbedSets implements paperboy.EmbeddingStore.
func (s *Store) EmbedSets(ctx context.Context) ([]paperboy.EmbedSet, error) {
	const q = `SELECT embedder, model, dim, version, state, seq, created, vectors
		FROM embed_sets ORDER BY id DESC`
	rows, err := s.pool.Query(ctx, q)
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
	err := s.pool.QueryRow(ctx, q, setArgs(c)...).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, noSet(c)
	}
	return b, dbError("read embed model", err)
}

type rowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func setID(ctx context.Context, q rowQuerier, c paperboy.EmbedContract, lock bool) (int64, error) {
	sql := `SELECT id FROM embed_sets WHERE ` + setKey
	if lock {
		sql += ` FOR UPDATE`
	}
	var id int64
	err := q.QueryRow(ctx, sql, setArgs(c)...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
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
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return dbError("begin", err)
	}
	defer rollback(ctx, tx)
	id, err := setID(ctx, tx, c, true)
	if err != nil {
		return err
	}
	var batch pgx.Batch
	for _, v := range vecs {
		batch.Queue(`INSERT INTO paper_vectors (set_id, paper_id, vec) VALUES ($1, $2, $3)
			ON CONFLICT (set_id, paper_id) DO UPDATE SET vec = excluded.vec`, id, string(v.ID), paperboy.EncodeVector(v.Vec))
	}
	for _, d := range deleted {
		batch.Queue(`DELETE FROM paper_vectors WHERE set_id = $1 AND paper_id = $2`, id, string(d))
	}
	batch.Queue(`UPDATE embed_sets SET seq = greatest(seq, $1) WHERE id = $2`, seq, id)
	if err := tx.SendBatch(ctx, &batch).Close(); err != nil {
		return dbError("put vectors", err)
	}
	return dbError("commit", tx.Commit(ctx))
}

// Vectors implements paperboy.EmbeddingStore.
func (s *Store) Vectors(ctx context.Context, c paperboy.EmbedContract, after paperboy.ArxivID, limit int) ([]paperboy.PaperVector, error) {
	if limit < 0 {
		return nil, paperboy.Errorf(paperboy.EINVALID, "Bad limit %d; use 0 or more.", limit)
	}
	id, err := setID(ctx, s.pool, c, false)
	if err != nil {
		return nil, err
	}
	var lim any // NULL: no limit
	if limit > 0 {
		lim = limit
	}
	const q = `SELECT paper_id, vec FROM paper_vectors WHERE set_id = $1 AND paper_id COLLATE "C" > $2 ORDER BY paper_id COLLATE "C" LIMIT $3`
	rows, err := s.pool.Query(ctx, q, id, string(after), lim)
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
	sid, err := setID(ctx, s.pool, c, false)
	if err != nil {
		return nil, err
	}
	var b []byte
	err = s.pool.QueryRow(ctx, `SELECT vec FROM paper_vectors WHERE set_id = $1 AND paper_id = $2`, sid, string(id)).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s has no vector in %v.", id, c)
	} else if err != nil {
		return nil, dbError("read vector", err)
	}
	return paperboy.DecodeVector(b)
}

// ActivateEmbedSet implements paperboy.EmbeddingStore.
func (s *Store) ActivateEmbedSet(ctx context.Context, c paperboy.EmbedContract) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return dbError("begin", err)
	}
	defer rollback(ctx, tx)
	id, err := setID(ctx, tx, c, true)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM embed_sets WHERE state = 'active' AND id <> $1`, id); err != nil {
		return dbError("retire embed set", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE embed_sets SET state = 'active' WHERE id = $1`, id); err != nil {
		return dbError("activate embed set", err)
	}
	return dbError("commit", tx.Commit(ctx))
}

// DeleteEmbedSet implements paperboy.EmbeddingStore.
func (s *Store) DeleteEmbedSet(ctx context.Context, c paperboy.EmbedContract) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM embed_sets WHERE `+setKey, setArgs(c)...)
	if err != nil {
		return dbError("delete embed set", err)
	}
	if tag.RowsAffected() == 0 {
		return noSet(c)
	}
	return nil
}
