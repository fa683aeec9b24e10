package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"paperboy"
)

// busyTimeoutMS is how long a connection waits for a lock held by another
// process (a second paperboy on the same file) before giving up.
const busyTimeoutMS = 10000

// Store is a paperboy.PaperStore on one SQLite file. Writes go through a
// single connection, so concurrent writers in this process queue instead of
// failing with SQLITE_BUSY; reads use a separate pool and, thanks to WAL
// mode, never wait for a writer.
type Store struct {
	w      *sql.DB   // one connection, BEGIN IMMEDIATE
	r      *readPool // read-only connections, first come, first served
	logger *slog.Logger

	closeOnce sync.Once
	closeErr  error
}

var _ paperboy.Store = (*Store)(nil)

// Open opens (creating if needed) the SQLite database at path and brings its
// schema up to date. Returns ECONFLICT if the database was written by a newer
// paperboy, EINVALID for a path SQLite cannot take. The parent directory must
// exist.
func Open(ctx context.Context, path string, logger *slog.Logger) (*Store, error) {
	s, err := OpenNoMigrate(ctx, path, logger)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenNoMigrate opens the database like Open but leaves its schema as it
// is, for callers that check SchemaVersion first (serve refuses a schema
// that is behind; `paperboy migrate` reports what it does).
func OpenNoMigrate(ctx context.Context, path string, logger *slog.Logger) (*Store, error) {
	if path == "" || path == ":memory:" || strings.ContainsAny(path, "?#") {
		return nil, paperboy.Errorf(paperboy.EINVALID, "%q is not a usable SQLite database path.", path)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{logger: logger}
	var err error
	if s.w, err = openPool(ctx, path, writerParams, 1); err != nil {
		return nil, err
	}
	readConns := max(4, runtime.NumCPU())
	r, err := openPool(ctx, path, readerParams, readConns)
	if err != nil {
		s.w.Close()
		return nil, err
	}
	s.r = newReadPool(r, readConns)
	return s, nil
}

var (
	writerParams = fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)"+
		"&_pragma=synchronous(NORMAL)&_txlock=immediate", busyTimeoutMS)
	readerParams = fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=query_only(1)", busyTimeoutMS)
)

func openPool(ctx context.Context, path, params string, conns int) (*sql.DB, error) {
	db, err := sql.Open("sqlite", path+"?"+params)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, dbError("open sqlite "+path, err)
	}
	return db, nil
}

// Close closes the store. Calling it more than once is harmless.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		if _, err := s.w.Exec("PRAGMA optimize"); err != nil {
			s.logger.Warn("sqlite_optimize_failed", "err", err)
		}
		s.closeErr = errors.Join(s.r.Close(), s.w.Close())
	})
	return s.closeErr
}

// dbError turns a driver error into a domain error: lock contention becomes
// EUNAVAILABLE, anything else is wrapped with op (context errors stay
// visible to errors.Is).
func dbError(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return paperboy.Errorf(paperboy.EUNAVAILABLE, "The database is busy; try again shortly.")
		case sqlite3.SQLITE_FULL:
			return paperboy.Errorf(paperboy.EUNAVAILABLE, "The database disk is full.")
		case sqlite3.SQLITE_NOTADB:
			return paperboy.Errorf(paperboy.EINVALID, "The file is not a SQLite database.")
		}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// rollback ends tx after a failure or a read; the error of a rollback after
// commit is expected and ignored.
func rollback(tx interface{ Rollback() error }) { _ = tx.Rollback() }
