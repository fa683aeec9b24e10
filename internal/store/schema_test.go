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
	return sqliteFrom(t, migrationsUpTo(t, "sqlite", 1))
}

// sqliteFrom returns the path of a new SQLite database made by stmts.
func sqliteFrom(t *testing.T, stmts []string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range stmts {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("set up the database: %v\n%s", err, stmt)
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

// testPostgresSchema returns the DSN of a new, empty schema of the test
// PostgreSQL server (PAPERBOY_TEST_POSTGRES_DSN), dropped after the test;
// the test is skipped where there is none, except on CI.
func testPostgresSchema(t *testing.T) string {
	t.Helper()
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
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
		conn.Close(ctx)
	})
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func TestOpenPostgres(t *testing.T) {
	dsn := testPostgresSchema(t)
	ctx := context.Background()
	rest := strings.SplitN(dsn, "://", 2)[1]
	for _, scheme := range []string{"postgres://", "postgresql://"} {
		s, err := Open(ctx, scheme+rest, nil, RequireCurrentSchema())
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

// TestEmbedModelsMigration upgrades a database of schema version 7, whose
// embed_sets rows held their models, on each backend: the model is still
// read, and the count of a set's vectors, now kept by triggers, starts
// right and follows puts, replacements and deletions.
func TestEmbedModelsMigration(t *testing.T) {
	model := []byte("a model of\x00bytes")
	vec := fmt.Sprintf("%x", paperboy.EncodeVector([]float32{1, 2, 3}))
	c := paperboy.EmbedContract{Embedder: "builtin", Model: "lsa", Dim: 3, Version: 1}
	check := func(t *testing.T, dsn string) {
		ctx := context.Background()
		s, err := Open(ctx, dsn, nil)
		if err != nil {
			t.Fatalf("Open(version 7): %v", err)
		}
		defer s.Close()
		if m, err := s.EmbedModel(ctx, c); err != nil || string(m) != string(model) {
			t.Errorf("EmbedModel after migration = %q, %v; want %q", m, err, model)
		}
		count := func() int {
			t.Helper()
			sets, err := s.EmbedSets(ctx)
			if err != nil || len(sets) != 1 {
				t.Fatalf("EmbedSets = %v, %v", sets, err)
			}
			return sets[0].Count
		}
		if n := count(); n != 3 {
			t.Errorf("after migration, Count = %d; want the 3 stored", n)
		}
		put := []paperboy.PaperVector{{ID: "2401.00001", Vec: []float32{3, 2, 1}},
			{ID: "2401.00009", Vec: []float32{0, 0, 1}}, {ID: "2401.00010", Vec: []float32{0, 1, 0}}}
		gone := []paperboy.ArxivID{"2401.00002", "2401.00404"} // the second was never stored
		if err := s.PutVectors(ctx, c, 9, put, gone); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 4 { // one replaced, two added, one deleted
			t.Errorf("after a put, Count = %d; want 4", n)
		}
		if err := s.CreateEmbedSet(ctx, paperboy.EmbedContract{Embedder: "builtin", Model: "lsa", Dim: 3, Version: 2}, model); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteEmbedSet(ctx, c); err != nil {
			t.Fatal(err)
		}
		if n := count(); n != 0 {
			t.Errorf("a new set's Count = %d; want 0", n)
		}
	}
	oldRows := []string{
		`INSERT INTO embed_sets (embedder, model, dim, version, state, seq, blob, created)
			VALUES ('builtin', 'lsa', 3, 1, 'active', 5, %s, 1700000000)`,
		`INSERT INTO paper_vectors (set_id, paper_id, vec) SELECT id, p, %s FROM embed_sets,
			(SELECT '2401.00001' AS p UNION ALL SELECT '2401.00002' UNION ALL SELECT '2401.00003') AS ids`,
	}

	t.Run("sqlite", func(t *testing.T) {
		stmts := append(migrationsUpTo(t, "sqlite", 7),
			fmt.Sprintf(oldRows[0], fmt.Sprintf("X'%x'", model)),
			fmt.Sprintf(oldRows[1], "X'"+vec+"'"))
		check(t, sqliteFrom(t, stmts))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := testPostgresSchema(t)
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		stmts := migrationsUpTo(t, "postgres", 7)
		stmts = append(stmts,
			fmt.Sprintf(oldRows[0], fmt.Sprintf(`'\x%x'::bytea`, model)),
			fmt.Sprintf(oldRows[1], `'\x`+vec+`'::bytea`))
		for _, stmt := range stmts {
			if _, err := conn.Exec(context.Background(), stmt, pgx.QueryExecModeSimpleProtocol); err != nil {
				t.Fatalf("set up version 7: %v\n%s", err, stmt)
			}
		}
		conn.Close(context.Background())
		check(t, dsn)
	})
}

// migrationsUpTo returns the statements that bring a new database of
// backend to schema version n: its migrations 1 to n, recorded.
func migrationsUpTo(t *testing.T, backend string, n int) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(backend, "migrations", "*.sql"))
	if err != nil || len(files) < n {
		t.Fatalf("%s has %d migrations (%v); want at least %d", backend, len(files), err, n)
	}
	stmts := []string{`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL DEFAULT 0) STRICT`}
	if backend == "postgres" {
		stmts[0] = `CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`
	}
	for i, f := range files[:n] {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".sql")
		stmts = append(stmts, string(b), fmt.Sprintf(`INSERT INTO schema_migrations (version, name) VALUES (%d, '%s')`, i+1, name))
	}
	return stmts
}
