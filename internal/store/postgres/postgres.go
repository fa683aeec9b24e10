package postgres

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"paperboy"
)

// Store is a paperboy.PaperStore on one PostgreSQL schema. Every write
// transaction first locks the one row of change_seq, so writers, in this
// process and in other replicas, run one at a time; reads never wait.
type Store struct {
	pool   *pgxpool.Pool
	logger *slog.Logger

	closeOnce sync.Once
}

var _ paperboy.Store = (*Store)(nil)

// Open connects to the database dsn names (a postgres:// or postgresql://
// URL, or key=value pairs) and brings its schema up to date. The tables live
// in the first schema of the search path, so "?search_path=name" in the DSN
// lets several instances share one database. Returns EINVALID for a DSN it
// cannot parse, EUNAVAILABLE when the server cannot be reached, ECONFLICT if
// the schema was written by a newer paperboy.
func Open(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	s, err := OpenNoMigrate(ctx, dsn, logger)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenNoMigrate connects like Open but leaves the schema as it is, for
// callers that check SchemaVersion first (serve refuses a schema that is
// behind; `paperboy migrate` reports what it does).
func OpenNoMigrate(ctx context.Context, dsn string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, paperboy.Errorf(paperboy.EINVALID, "Cannot use the PostgreSQL DSN: %s.", dsnProblem(err))
	}
	if cfg.MaxConns < int32(max(4, runtime.NumCPU())) {
		cfg.MaxConns = int32(max(4, runtime.NumCPU()))
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, dbError("connect to postgres", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, dbError("connect to postgres", err)
	}
	return &Store{pool: pool, logger: logger}, nil
}

// dsnProblem says what is wrong with a DSN without repeating it, since it
// may hold a password.
func dsnProblem(err error) string {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) && pe.Unwrap() != nil {
		return pe.Unwrap().Error()
	}
	return "it is not a postgres:// URL or key=value list"
}

// Close closes the connection pool. Calling it more than once is harmless.
func (s *Store) Close() error {
	s.closeOnce.Do(s.pool.Close)
	return nil
}

// PostgreSQL error codes the store turns into domain errors.
// See https://www.postgresql.org/docs/current/errcodes-appendix.html.
const (
	codeUniqueViolation      = "23505"
	codeForeignKeyViolation  = "23503"
	codeSerializationFailure = "40001"
	codeDeadlock             = "40P01"
	codeNoSchema             = "3F000"
	codeInvalidSchema        = "3D000"
	codeTooManyConnections   = "53300"
	codeDiskFull             = "53100"
	codeAdminShutdown        = "57P01"
	codeCannotConnectNow     = "57P03"
	codeInvalidPassword      = "28P01"
	codeInvalidAuthorization = "28000"
)

// dbError turns a driver error into a domain error: constraint violations
// become ECONFLICT, contention and an unreachable server EUNAVAILABLE, a
// missing database or schema EINVALID; anything else is wrapped with op
// (context errors stay visible to errors.Is).
func dbError(op string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		if e := pgError(pe); e != nil {
			return e
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || pgconn.SafeToRetry(err) {
		return paperboy.Errorf(paperboy.EUNAVAILABLE, "Cannot reach the PostgreSQL server; try again shortly.")
	}
	return fmt.Errorf("%s: %w", op, err)
}

func pgError(pe *pgconn.PgError) error {
	switch pe.Code {
	case codeUniqueViolation, codeForeignKeyViolation:
		return paperboy.Errorf(paperboy.ECONFLICT, "The change conflicts with stored data (%s).", pe.ConstraintName)
	case codeSerializationFailure, codeDeadlock, codeTooManyConnections, codeAdminShutdown, codeCannotConnectNow:
		return paperboy.Errorf(paperboy.EUNAVAILABLE, "The database is busy; try again shortly.")
	case codeDiskFull:
		return paperboy.Errorf(paperboy.EUNAVAILABLE, "The database disk is full.")
	case codeNoSchema:
		return paperboy.Errorf(paperboy.EINVALID, "The PostgreSQL search_path names no existing schema: create it, or fix search_path in the DSN.")
	case codeInvalidSchema:
		return paperboy.Errorf(paperboy.EINVALID, "The PostgreSQL database does not exist: %s.", pe.Message)
	case codeInvalidPassword, codeInvalidAuthorization:
		return paperboy.Errorf(paperboy.EINVALID, "PostgreSQL refused the login: %s.", pe.Message)
	}
	return nil
}

// rollback ends tx after a failure or a read; the error of a rollback after
// commit is expected and ignored.
func rollback(ctx context.Context, tx pgx.Tx) { _ = tx.Rollback(context.WithoutCancel(ctx)) }

// readTx begins a read-only transaction on one snapshot, so a read that
// takes several queries sees one state of the store.
func (s *Store) readTx(ctx context.Context) (pgx.Tx, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	return tx, dbError("begin read", err)
}
