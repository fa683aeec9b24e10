package systems

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"paperboy"
	"paperboy/bench/corpus"
	"paperboy/bench/queries"
)

// postgres is PostgreSQL full-text search: a stored tsvector of the three
// fields ('english' configuration, weights A, B and C), a GIN index built
// after loading, and ts_rank_cd with weights in the reference's proportions.
// Everything lives in its own schema, dropped on Close.
type postgres struct {
	pool *pgxpool.Pool
}

const pgSchema = "paperboy_bench"

const pgTable = `
CREATE TABLE docs (
	n        integer PRIMARY KEY,
	id       text NOT NULL,
	title    text NOT NULL,
	abstract text NOT NULL,
	authors  text NOT NULL,
	cats     text[] NOT NULL,
	year     integer NOT NULL,
	tsv      tsvector GENERATED ALWAYS AS (
		setweight(to_tsvector('english', title), 'A') ||
		setweight(to_tsvector('english', abstract), 'B') ||
		setweight(to_tsvector('english', authors), 'C')) STORED
)`

func openPostgres(ctx context.Context, dsn string) (*postgres, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	cfg.MaxConns = 2
	cfg.ConnConfig.RuntimeParams["search_path"] = pgSchema
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	for _, stmt := range []string{"DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE", "CREATE SCHEMA " + pgSchema, pgTable} {
		if _, err := pool.Exec(ctx, stmt); err != nil {
			pool.Close()
			return nil, fmt.Errorf("postgres: %w", err)
		}
	}
	return &postgres{pool: pool}, nil
}

var pgColumns = []string{"n", "id", "title", "abstract", "authors", "cats", "year"}

func (s *postgres) Build(ctx context.Context, g *corpus.Generator) (time.Duration, error) {
	n := 0
	generating, err := feed(ctx, g, 10000, func(papers []*paperboy.Paper) error {
		rows := make([][]any, len(papers))
		for i, p := range papers {
			n++
			rows[i] = []any{n, string(p.ID), p.Title, p.Abstract, authorLine(p), p.Categories, p.Submitted.Year()}
		}
		_, err := s.pool.CopyFrom(ctx, pgx.Identifier{"docs"}, pgColumns, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return generating, fmt.Errorf("postgres: copy: %w", err)
	}
	for _, stmt := range []string{
		"SET maintenance_work_mem = '1GB'",
		"CREATE INDEX docs_tsv ON docs USING gin (tsv)",
		"ANALYZE docs",
	} {
		if _, err := s.pool.Exec(ctx, stmt); err != nil {
			return generating, fmt.Errorf("postgres: %s: %w", stmt, err)
		}
	}
	return generating, nil
}

// pgQuery returns the SQL and arguments for q: plainto_tsquery for the
// words, phraseto_tsquery for the phrase, both ANDed.
func pgQuery(q queries.Query) (string, []any) {
	var tsq []string
	var args []any
	if len(q.Words) > 0 {
		args = append(args, strings.Join(q.Words, " "))
		tsq = append(tsq, fmt.Sprintf("plainto_tsquery('english', $%d)", len(args)))
	}
	if len(q.Phrase) > 0 {
		args = append(args, strings.Join(q.Phrase, " "))
		tsq = append(tsq, fmt.Sprintf("phraseto_tsquery('english', $%d)", len(args)))
	}
	sql := "SELECT id FROM docs, (SELECT " + strings.Join(tsq, " && ") + " AS q) AS query WHERE tsv @@ q"
	if q.Category != "" {
		args = append(args, q.Category)
		sql += fmt.Sprintf(" AND cats @> ARRAY[$%d]::text[]", len(args))
	}
	if q.Year != 0 {
		args = append(args, q.Year)
		sql += fmt.Sprintf(" AND year = $%d", len(args))
	}
	// Weights are {D, C, B, A}: authors 0.75, abstract 0.5, title 1.0.
	return sql + " ORDER BY ts_rank_cd('{0.1, 0.75, 0.5, 1.0}', tsv, q) DESC, n LIMIT 10", args
}

func (s *postgres) Search(ctx context.Context, q queries.Query) ([]string, error) {
	sql, args := pgQuery(q)
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: search: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("postgres: search: %w", err)
	}
	return ids, nil
}

func (s *postgres) Size(ctx context.Context) (int64, string, error) {
	var n int64
	err := s.pool.QueryRow(ctx, "SELECT pg_relation_size('docs_tsv')").Scan(&n)
	return n, "GIN index only (the table also stores the text and the tsvector)", err
}

// ServerPeakRSS returns the peak resident memory of the server process
// serving this connection, when it runs on this machine, else 0.
func (s *postgres) ServerPeakRSS(ctx context.Context) int64 {
	var pid int
	if err := s.pool.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	return parseVmHWM(string(b))
}

func (s *postgres) Close() error {
	_, err := s.pool.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+pgSchema+" CASCADE")
	s.pool.Close()
	return err
}
