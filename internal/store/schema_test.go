package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"paperboy"
	"paperboy/internal/store/postgres"
)

// behindSQLite makes a SQLite database at schema version 1 by applying the
// first migration by hand, as an older paperboy left it.
func behindSQLite(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	first, err := os.ReadFile(filepath.Join("sqlite", "migrations", "0001_papers.sql"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		string(first),
		`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`,
		`INSERT INTO schema_migrations VALUES (1, '0001_papers', 0)`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("set up version 1: %v", err)
		}
	}
	return path
}

func TestRequireCurrentSchema(t *testing.T) {
	ctx := context.Background()
	path := behindSQLite(t)
	_, want, err := Migrate(ctx, filepath.Join(t.TempDir(), "new.db"), nil)
	if err != nil || want < 2 {
		t.Fatalf("Migrate(new) = %d, %v; need at least two migrations for this test", want, err)
	}

	_, err = Open(ctx, path, nil, RequireCurrentSchema())
	if got := paperboy.ErrorCode(err); got != paperboy.ECONFLICT {
		t.Fatalf("Open(behind, RequireCurrentSchema) code %q, want %q (err %v)", got, paperboy.ECONFLICT, err)
	}
	if msg := paperboy.ErrorMessage(err); !strings.Contains(msg, "paperboy migrate") || !strings.Contains(msg, "version 1") {
		t.Errorf("message %q does not give the version and say to run paperboy migrate", msg)
	}

	before, after, err := Migrate(ctx, path, nil)
	if err != nil || before != 1 || after != want {
		t.Fatalf("Migrate(behind) = %d, %d, %v; want 1, %d, nil", before, after, err, want)
	}
	s, err := Open(ctx, path, nil, RequireCurrentSchema())
	if err != nil {
		t.Fatalf("Open(migrated, RequireCurrentSchema): %v", err)
	}
	s.Close()
}

func TestRequireCurrentSchemaCreatesEmpty(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fresh.db")
	s, err := Open(ctx, path, nil, RequireCurrentSchema())
	if err != nil {
		t.Fatalf("Open(empty, RequireCurrentSchema): %v", err)
	}
	s.Close()
	before, after, err := Migrate(ctx, path, nil)
	if err != nil || before != after || before < 1 {
		t.Errorf("Migrate after Open = %d, %d, %v; want the same version twice, nil", before, after, err)
	}
}

func TestOpenBehindMigrates(t *testing.T) {
	ctx := context.Background()
	path := behindSQLite(t)
	s, err := Open(ctx, path, nil) // import and search migrate on their own
	if err != nil {
		t.Fatalf("Open(behind): %v", err)
	}
	s.Close()
	if before, after, err := Migrate(ctx, path, nil); err != nil || before != after || before < 2 {
		t.Errorf("Migrate after Open = %d, %d, %v; want the current version twice", before, after, err)
	}
}

func TestOpenPostgres(t *testing.T) {
	dsn := os.Getenv("PAPERBOY_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but PAPERBOY_TEST_POSTGRES_DSN is not")
		}
		t.Skip("PAPERBOY_TEST_POSTGRES_DSN is not set; skipping PostgreSQL")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("pbs_%d", time.Now().UnixNano())
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
	rest := strings.SplitN(dsn, "://", 2)[1]
	sep := "?"
	if strings.Contains(rest, "?") {
		sep = "&"
	}
	for _, scheme := range []string{"postgres://", "postgresql://"} {
		s, err := Open(ctx, scheme+rest+sep+"search_path="+schema, nil, RequireCurrentSchema())
		if err != nil {
			t.Fatalf("Open(%s...): %v", scheme, err)
		}
		if _, ok := s.(*postgres.Store); !ok {
			t.Errorf("%s: store is a %T, want *postgres.Store", scheme, s)
		}
		if _, err := s.CountPapers(ctx); err != nil {
			t.Errorf("%s: CountPapers: %v", scheme, err)
		}
		s.Close()
	}
}

func TestOpenPostgresUnreachable(t *testing.T) {
	_, err := Open(context.Background(), "postgres://paperboy@127.0.0.1:1/paperboy?connect_timeout=5", nil)
	if got := paperboy.ErrorCode(err); got != paperboy.EUNAVAILABLE {
		t.Fatalf("Open(unreachable postgres) code = %q, want %q (err %v)", got, paperboy.EUNAVAILABLE, err)
	}
}
