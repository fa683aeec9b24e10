package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"paperboy"
	"paperboy/internal/config"
)

// behindDB makes a SQLite database at schema version 1, as an older
// paperboy left it.
func behindDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	first, err := os.ReadFile("../../internal/store/sqlite/migrations/0001_papers.sql")
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

func TestMigrateCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	code, out, errOut := runCLI(t, nil, "migrate", "--db", db)
	if code != 0 || !strings.Contains(out, "(was 0;") {
		t.Fatalf("migrate on a new database exited %d, output %q %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, map[string]string{"PAPERBOY_DB": db}, "migrate")
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("second migrate exited %d, output %q; want up to date", code, out)
	}
	if code, _, _ := runCLI(t, nil, "migrate", "--db", db, "extra"); code != 2 {
		t.Errorf("migrate with an argument exited %d, want 2", code)
	}
}

func TestServeRefusesBehindSchema(t *testing.T) {
	db := behindDB(t)
	cfg := config.Default()
	cfg.DB, cfg.Addr, cfg.LogLevel = db, "127.0.0.1:0", "warn"
	m, err := NewMain(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	err = m.Run(context.Background())
	m.Close()
	if msg := paperboy.ErrorMessage(err); !strings.Contains(msg, "version 1") || !strings.Contains(msg, "paperboy migrate") {
		t.Fatalf("serve on a schema that is behind: err %v; want one saying version 1 and `paperboy migrate`", err)
	}
	if code, out, errOut := runCLI(t, nil, "migrate", "--db", db); code != 0 || !strings.Contains(out, "(was 1;") {
		t.Fatalf("migrate exited %d: %q %s", code, out, errOut)
	}
	bootMain(t, db, false) // now it serves
}

// postgresDB returns a DSN for a fresh schema on the test server, dropped
// when t ends, or skips t when PAPERBOY_TEST_POSTGRES_DSN is unset (and
// fails under CI).
func postgresDB(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("PAPERBOY_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but PAPERBOY_TEST_POSTGRES_DSN is not")
		}
		t.Skip("PAPERBOY_TEST_POSTGRES_DSN is not set; skipping PostgreSQL")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("pbc_%d", time.Now().UnixNano())
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if conn, err := pgx.Connect(ctx, dsn); err == nil {
			conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
			conn.Close(ctx)
		}
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestPostgresEveryCommand runs migrate, import, search and serve on one
// PostgreSQL database named by --db / PAPERBOY_DB.
func TestPostgresEveryCommand(t *testing.T) {
	db := postgresDB(t)
	env := map[string]string{"PAPERBOY_DB": db}
	if code, out, errOut := runCLI(t, env, "migrate"); code != 0 || !strings.Contains(out, "(was 0;") {
		t.Fatalf("migrate exited %d: %q %s", code, out, errOut)
	}
	code, out, errOut := runCLI(t, nil, "import", "--db", db, writeSample(t))
	if code != 0 || !strings.HasSuffix(out, "read 2631, inserted 2631, updated 0, unchanged 0, skipped 0\n") {
		t.Fatalf("import exited %d, output %q %s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env, "search", "--limit", "1", "diphoton production")
	if code != 0 || !strings.Contains(out, "0704.0001") {
		t.Errorf("search exited %d, output %q %s; want 0704.0001", code, out, errOut)
	}
	m := bootMain(t, db, false)
	if status, body := get(t, "http://"+m.Addr()+"/papers/0704.0001"); status != 200 || !strings.Contains(body, "diphoton") {
		t.Errorf("GET /papers/0704.0001 on PostgreSQL: status %d", status)
	}
}
