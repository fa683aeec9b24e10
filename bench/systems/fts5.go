package systems

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"paperboy"
	"paperboy/bench/corpus"
	"paperboy/bench/queries"
)

// fts5 is SQLite FTS5 (modernc.org/sqlite, pure Go): a contentless table
// (the index only, like the other systems; the text would live in the
// store) with the Porter stemmer, ranked by bm25() with the reference's
// column weights, ORDER BY rank LIMIT 10. The categories are a fourth,
// zero-weight column, so a category filter is part of the MATCH (the
// idiomatic way: a "rowid IN (subquery)" filter made FTS5 run the MATCH once
// per row of the category, 100 times slower); the year joins a small table.
type fts5 struct {
	db   *sql.DB
	path string
}

const fts5Schema = `
CREATE VIRTUAL TABLE docs USING fts5(title, abstract, authors, cats, content='',
	tokenize='porter unicode61 remove_diacritics 2');
INSERT INTO docs(docs, rank) VALUES('rank', 'bm25(2.0, 1.0, 1.5, 0.0)');
CREATE TABLE meta(n INTEGER PRIMARY KEY, id TEXT NOT NULL, year INTEGER NOT NULL);
`

func openFTS5(ctx context.Context, path string) (*fts5, error) {
	os.Remove(path)
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-262144)")
	if err != nil {
		return nil, fmt.Errorf("fts5: %w", err)
	}
	db.SetMaxOpenConns(2)
	if _, err := db.ExecContext(ctx, fts5Schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("fts5: schema: %w", err)
	}
	return &fts5{db: db, path: path}, nil
}

func (s *fts5) Build(ctx context.Context, g *corpus.Generator) (generating time.Duration, err error) {
	n := 0
	generating, err = feed(ctx, g, 10000, func(papers []*paperboy.Paper) error {
		err := s.insert(ctx, n, papers)
		n += len(papers)
		return err
	})
	if err != nil {
		return generating, err
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO docs(docs) VALUES('optimize')`); err != nil {
		return generating, fmt.Errorf("fts5: optimize: %w", err)
	}
	_, err = s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return generating, err
}

func (s *fts5) insert(ctx context.Context, first int, papers []*paperboy.Paper) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	doc, err := tx.PrepareContext(ctx, `INSERT INTO docs(rowid, title, abstract, authors, cats) VALUES(?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	meta, err := tx.PrepareContext(ctx, `INSERT INTO meta(n, id, year) VALUES(?, ?, ?)`)
	if err != nil {
		return err
	}
	for i, p := range papers {
		n := first + i + 1
		if _, err := doc.ExecContext(ctx, n, p.Title, p.Abstract, authorLine(p), strings.Join(p.Categories, " ")); err != nil {
			return fmt.Errorf("fts5: insert: %w", err)
		}
		if _, err := meta.ExecContext(ctx, n, string(p.ID), p.Submitted.Year()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// fts5Match renders q as an FTS5 query: every word and the phrase quoted,
// joined by AND, and the category as a phrase in the cats column: "cs.LG"
// is the phrase "cs lg", exact for arXiv's category names, since no
// category ends with a word that starts another ("math.CS cs.LG" is no
// false match for anything).
func fts5Match(q queries.Query) string {
	var parts []string
	for _, w := range q.Words {
		parts = append(parts, `"`+w+`"`)
	}
	if len(q.Phrase) > 0 {
		parts = append(parts, `"`+strings.Join(q.Phrase, " ")+`"`)
	}
	if q.Category != "" {
		parts = append(parts, `cats:"`+q.Category+`"`)
	}
	return strings.Join(parts, " AND ")
}

func (s *fts5) Search(ctx context.Context, q queries.Query) ([]string, error) {
	query := `SELECT m.id FROM docs JOIN meta m ON m.n = docs.rowid WHERE docs MATCH ?`
	args := []any{fts5Match(q)}
	if q.Year != 0 {
		query += ` AND m.year = ?`
		args = append(args, q.Year)
	}
	query += ` ORDER BY rank LIMIT 10`
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("fts5: search: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (s *fts5) Size(context.Context) (int64, string, error) {
	info, err := os.Stat(s.path)
	if err != nil {
		return 0, "", err
	}
	return info.Size(), "database file: contentless FTS5 index + ID and year table", nil
}

func (s *fts5) Close() error { return s.db.Close() }
