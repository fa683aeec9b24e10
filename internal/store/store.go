package store

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"paperboy"
	"paperboy/internal/store/postgres"
	"paperboy/internal/store/sqlite"
)

// Open opens the paper store named by dsn and brings its schema up to date:
//
//   - a plain path, "file:path", "sqlite:path" or "sqlite://path" opens a
//     SQLite file, creating it and its directory if missing;
//   - "postgres://..." and "postgresql://..." open a PostgreSQL database (its
//     tables go in the first schema of the DSN's search_path).
//
// With RequireCurrentSchema, Open refuses a schema that is behind instead
// of migrating it. Returns EINVALID for a DSN it cannot use, ECONFLICT for a
// schema newer than this binary (or behind, with RequireCurrentSchema).
func Open(ctx context.Context, dsn string, logger *slog.Logger, opts ...Option) (paperboy.Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	b, err := openBackend(ctx, dsn, logger)
	if err != nil {
		return nil, err
	}
	if o.requireCurrent {
		err = checkNotBehind(ctx, b)
	}
	if err == nil {
		err = b.Migrate(ctx)
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Option changes how Open treats the database.
type Option func(*options)

type options struct{ requireCurrent bool }

// RequireCurrentSchema makes Open refuse a database whose schema is behind
// this binary rather than migrate it: upgrades are a deliberate step
// (`paperboy migrate`), never a side effect of starting a new `serve`
// replica beside old ones. An empty database still gets the whole schema,
// so a first `serve` just works.
func RequireCurrentSchema() Option {
	return func(o *options) { o.requireCurrent = true }
}

// backend is a store that can report and bring up its schema version.
type backend interface {
	paperboy.Store
	Migrate(ctx context.Context) error
	SchemaVersion(ctx context.Context) (have, want int, err error)
}

// openBackend opens the store dsn names without touching its schema.
func openBackend(ctx context.Context, dsn string, logger *slog.Logger) (backend, error) {
	kind, target, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	if kind == "postgres" {
		s, err := postgres.OpenNoMigrate(ctx, target, logger)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return nil, fmt.Errorf("create database directory: %w", err)
	}
	s, err := sqlite.OpenNoMigrate(ctx, target, logger)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func checkNotBehind(ctx context.Context, b backend) error {
	have, want, err := b.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if have > 0 && have < want {
		return paperboy.Errorf(paperboy.ECONFLICT,
			"The database schema is at version %d; this paperboy needs %d. Run `paperboy migrate` first.", have, want)
	}
	return nil
}

// Migrate applies the migrations the database dsn names lacks, creating the
// schema of an empty one, and returns the schema version before and after.
// Returns ECONFLICT for a schema newer than this binary.
func Migrate(ctx context.Context, dsn string, logger *slog.Logger) (before, after int, err error) {
	b, err := openBackend(ctx, dsn, logger)
	if err != nil {
		return 0, 0, err
	}
	defer b.Close()
	if before, _, err = b.SchemaVersion(ctx); err != nil {
		return 0, 0, err
	}
	if err := b.Migrate(ctx); err != nil {
		return before, before, err
	}
	after, _, err = b.SchemaVersion(ctx)
	return before, after, err
}

// parseDSN returns the backend a DSN names ("sqlite" or "postgres") and what
// to open: the file path for SQLite, the DSN itself for PostgreSQL.
func parseDSN(dsn string) (backend, target string, err error) {
	dsn = strings.TrimSpace(dsn)
	lower := strings.ToLower(dsn)
	switch {
	case dsn == "":
		return "", "", paperboy.Errorf(paperboy.EINVALID, "No database given: pass --db or set PAPERBOY_DB.")
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return "postgres", dsn, nil
	case strings.HasPrefix(lower, "sqlite://"):
		target = dsn[len("sqlite://"):]
	case strings.HasPrefix(lower, "sqlite:"):
		target = dsn[len("sqlite:"):]
	case strings.HasPrefix(lower, "file://"):
		target = dsn[len("file://"):]
	case strings.HasPrefix(lower, "file:"):
		target = dsn[len("file:"):]
	case strings.Contains(dsn, "://"):
		return "", "", paperboy.Errorf(paperboy.EINVALID, "Unknown database %q: use a SQLite file path or a postgres:// URL.", dsn)
	default:
		target = dsn
	}
	if i := strings.IndexByte(target, '?'); i >= 0 {
		return "", "", paperboy.Errorf(paperboy.EINVALID, "Database %q: options after '?' are not supported.", dsn)
	}
	if target == "" || target == ":memory:" {
		return "", "", paperboy.Errorf(paperboy.EINVALID, "Database %q names no file: paperboy needs a SQLite file path.", dsn)
	}
	return "sqlite", target, nil
}

// DefaultPath returns where the database lives when none is configured:
// $XDG_DATA_HOME/paperboy/paperboy.db, or ~/.local/share/paperboy/paperboy.db.
// ($PAPERBOY_DB is read by the configuration, not here.)
func DefaultPath() string {
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "paperboy", "paperboy.db")
}
