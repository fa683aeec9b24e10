package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"paperboy/internal/store/rowcodec"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded schema change, numbered from 1 without gaps.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order. Their file names are
// NNNN_name.sql; a gap or duplicate number is a build mistake and panics in
// the tests.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for i, name := range names { // fs.Glob sorts
		base := path.Base(name)
		num, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want number %04d", base, i+1)
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: strings.TrimSuffix(base, ".sql"), sql: string(body)})
	}
	return ms, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL,
	applied_at INTEGER NOT NULL
) STRICT`

// Migrate applies the migrations the database lacks, each in its own
// transaction. Returns ECONFLICT if the database has a schema newer than
// this binary knows.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := s.w.ExecContext(ctx, createMigrationsTable); err != nil {
		return dbError("create schema_migrations", err)
	}
	for _, m := range ms {
		if err := s.applyMigration(ctx, m, len(ms)); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration applies m unless the database already has it. The version
// is read inside the write transaction, so two processes migrating the same
// file at once apply each migration once.
func (s *Store) applyMigration(ctx context.Context, m migration, want int) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return dbError("begin migration", err)
	}
	defer rollback(tx)
	have, err := schemaVersion(ctx, tx)
	if err != nil {
		return err
	}
	if have > want {
		return rowcodec.NewerSchemaError(have, want)
	}
	if have >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return dbError("apply migration "+m.name, err)
	}
	const record = `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, unixepoch())`
	if _, err := tx.ExecContext(ctx, record, m.version, m.name); err != nil {
		return dbError("record migration "+m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return dbError("commit migration "+m.name, err)
	}
	s.logger.Info("migration_applied", "version", m.version, "name", m.name)
	return nil
}

// SchemaVersion returns the schema version of the database (have, 0 for a
// new one) and the one this binary expects (want), so serve can refuse a
// schema that is behind and migrate can say what it will do.
func (s *Store) SchemaVersion(ctx context.Context) (have, want int, err error) {
	ms, err := migrations()
	if err != nil {
		return 0, 0, err
	}
	var tables int
	const exists = `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if err := s.r.QueryRowContext(ctx, exists).Scan(&tables); err != nil {
		return 0, 0, dbError("find schema_migrations", err)
	}
	if tables == 0 { // a new database
		return 0, len(ms), nil
	}
	err = s.r.with(ctx, func(q querier) (err error) {
		have, err = schemaVersion(ctx, q)
		return err
	})
	return have, len(ms), err
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func schemaVersion(ctx context.Context, q querier) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v)
	if err != nil {
		return 0, dbError("read schema version", err)
	}
	return v, nil
}
