package store

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"paperboy"
	"paperboy/internal/store/sqlite"
)

// Open opens the paper store named by dsn, migrating its schema:
//
//   - a plain path, "file:path", "sqlite:path" or "sqlite://path" opens a
//     SQLite file, creating it and its directory if missing;
//   - "postgres://..." and "postgresql://..." are reserved for PostgreSQL,
//     which is not supported yet.
//
// Returns EINVALID for a DSN it cannot use.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (paperboy.PaperStore, error) {
	backend, target, err := parseDSN(dsn)
	if err != nil {
		return nil, err
	}
	switch backend {
	case "postgres":
		return nil, paperboy.Errorf(paperboy.EINVALID, "PostgreSQL is not supported yet; use a SQLite database path.")
	default:
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
		return sqlite.Open(ctx, target, logger)
	}
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
		return "", "", paperboy.Errorf(paperboy.EINVALID, "Unknown database %q: use a SQLite file path.", dsn)
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
