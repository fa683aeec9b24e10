package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"paperboy/internal/store/rowcodec"
)

// Migrations are embedded, forward-only and applied one transaction each.
// They are kept in step with ../sqlite/migrations: the same NNNN_name.sql
// files, each opening with the same "-- " summary line (a test checks it).

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one embedded schema change, numbered from 1 without gaps.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order. Their file names are
// NNNN_name.sql; a gap or duplicate number is a build mistake the tests
// catch.
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
	version    integer     PRIMARY KEY,
	name       text        NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// lockMigrations serializes migrators of the same schema: replicas started
// together apply each migration once. The lock ends with the transaction.
const lockMigrations = `SELECT pg_advisory_xact_lock(hashtext('paperboy_migrate:' || current_schema()))`

// Migrate applies the migrations the database lacks, each in its own
// transaction. Returns ECONFLICT if the database has a schema newer than
// this binary knows.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := s.applyMigration(ctx, m, len(ms)); err != nil {
			return err
		}
	}
	return nil
}

// applyMigration applies m unless the database already has it. The version
// is read after taking the migration lock, inside the transaction that
// applies m.
func (s *Store) applyMigration(ctx context.Context, m migration, want int) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return dbError("begin migration", err)
	}
	defer rollback(ctx, tx)
	if _, err := tx.Exec(ctx, lockMigrations); err != nil {
		return dbError("lock migrations", err)
	}
	if _, err := tx.Exec(ctx, createMigrationsTable); err != nil {
		return dbError("create schema_migrations", err)
	}
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
	if _, err := tx.Exec(ctx, m.sql, pgx.QueryExecModeSimpleProtocol); err != nil {
		return dbError("apply migration "+m.name, err)
	}
	const record = `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`
	if _, err := tx.Exec(ctx, record, m.version, m.name); err != nil {
		return dbError("record migration "+m.name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return dbError("commit migration "+m.name, err)
	}
	s.logger.Info("migration_applied", "version", m.version, "name", m.name)
	return nil
}

// SchemaVersion returns the schema version of the database (have, 0 for an
// empty one) and the one this binary expects (want), so serve can refuse a
// schema that is behind and migrate can say what it will do.
func (s *Store) SchemaVersion(ctx context.Context) (have, want int, err error) {
	ms, err := migrations()
	if err != nil {
		return 0, 0, err
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, 0, dbError("find schema_migrations", err)
	}
	if !exists {
		return 0, len(ms), nil
	}
	have, err = schemaVersion(ctx, s.pool)
	return have, len(ms), err
}

// querier is what pgxpool.Pool and pgx.Tx have in common for reading.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func schemaVersion(ctx context.Context, q querier) (int, error) {
	var v int
	if err := q.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, dbError("read schema version", err)
	}
	return v, nil
}
