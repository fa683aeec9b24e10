package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"paperboy"
	"paperboy/internal/store/storetest"
)

// testDSN returns the test server's DSN from PAPERBOY_TEST_POSTGRES_DSN. It
// skips the test when the variable is unset, except under CI, where the
// suite must run on both backends.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("PAPERBOY_TEST_POSTGRES_DSN")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set but PAPERBOY_TEST_POSTGRES_DSN is not: CI runs the store suite on PostgreSQL too")
		}
		t.Skip("PAPERBOY_TEST_POSTGRES_DSN is not set (e.g. postgres://postgres@127.0.0.1:5432/test); skipping PostgreSQL tests")
	}
	return dsn
}

// runPrefix keeps the schemas of concurrent test runs apart.
var runPrefix = func() string {
	b := make([]byte, 4)
	rand.Read(b)
	return "pbt_" + hex.EncodeToString(b) + "_"
}()

// schemaDSN creates the schema runPrefix+name if missing, drops it when t
// ends, and returns a DSN whose search_path puts the store there.
func schemaDSN(t testing.TB, name string) string {
	t.Helper()
	dsn := testDSN(t)
	schema := runPrefix + name
	if len(schema) > 63 {
		schema = schema[:63]
	}
	ident := pgx.Identifier{schema}.Sanitize()
	admin(t, dsn, `CREATE SCHEMA IF NOT EXISTS `+ident)
	t.Cleanup(func() { admin(t, dsn, `DROP SCHEMA IF EXISTS `+ident+` CASCADE`) })
	return withParam(t, dsn, "search_path", schema)
}

// admin runs one statement on its own connection.
func admin(t testing.TB, dsn, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect %s: %v", dsn, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func withParam(t testing.TB, dsn, key, value string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("PAPERBOY_TEST_POSTGRES_DSN must be a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// openTemp opens a store in a fresh schema dropped when t ends.
func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	dsn := schemaDSN(t, strings.ToLower(strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())))
	s, err := Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dsn
}

func TestConformance(t *testing.T) {
	testDSN(t)
	storetest.Run(t, func(t *testing.T, name string) paperboy.PaperStore {
		s, err := Open(context.Background(), schemaDSN(t, name), nil)
		if err != nil {
			t.Fatalf("Open(%s): %v", name, err)
		}
		return s
	})
}

func TestMigrateIdempotent(t *testing.T) {
	s, dsn := openTemp(t)
	ctx := context.Background()
	for i := range 2 {
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate run %d: %v", i+2, err)
		}
	}
	s2, err := Open(ctx, dsn, nil) // migrates again on open
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s2.Close()
	have, want, err := s2.SchemaVersion(ctx)
	if err != nil || have != want || want < 1 {
		t.Errorf("SchemaVersion = %d, %d, %v; want equal, >= 1, nil", have, want, err)
	}
	var rows int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&rows); err != nil || rows != want {
		t.Errorf("schema_migrations has %d rows (%v), want %d", rows, err, want)
	}
}

func TestSchemaVersionOfEmptyDatabase(t *testing.T) {
	dsn := schemaDSN(t, "empty")
	s, err := OpenNoMigrate(context.Background(), dsn, nil)
	if err != nil {
		t.Fatalf("OpenNoMigrate: %v", err)
	}
	defer s.Close()
	have, want, err := s.SchemaVersion(context.Background())
	if err != nil || have != 0 || want < 1 {
		t.Errorf("SchemaVersion of an empty schema = %d, %d, %v; want 0, >= 1, nil", have, want, err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s, dsn := openTemp(t)
	ctx := context.Background()
	_, want, _ := s.SchemaVersion(ctx)
	if _, err := s.pool.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, 'future')`, want+1); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, dsn, nil)
	if got := paperboy.ErrorCode(err); got != paperboy.ECONFLICT {
		t.Fatalf("Open on newer schema: code %q, want %q (err %v)", got, paperboy.ECONFLICT, err)
	}
	if msg := paperboy.ErrorMessage(err); !strings.Contains(msg, "newer") {
		t.Errorf("message %q does not say the schema is newer", msg)
	}
}

func TestOpenErrors(t *testing.T) {
	dsn := testDSN(t)
	tests := []struct {
		name, dsn, code, mention string
	}{
		{"not a DSN", "postgres://h:notaport/db", paperboy.EINVALID, "DSN"},
		{"missing database", withParam(t, strings.Replace(dsn, "/test", "/paperboy_no_such_db", 1), "connect_timeout", "5"), paperboy.EINVALID, "does not exist"},
		{"missing schema", withParam(t, dsn, "search_path", "paperboy_no_such_schema"), paperboy.EINVALID, "search_path"},
		{"nothing listening", "postgres://postgres@127.0.0.1:1/test?connect_timeout=5", paperboy.EUNAVAILABLE, "reach"},
	}
	for _, tt := range tests {
		s, err := Open(context.Background(), tt.dsn, nil)
		if err == nil {
			s.Close()
		}
		if got := paperboy.ErrorCode(err); got != tt.code {
			t.Errorf("%s: code %q, want %q (err %v)", tt.name, got, tt.code, err)
		}
		if msg := paperboy.ErrorMessage(err); !strings.Contains(msg, tt.mention) {
			t.Errorf("%s: message %q does not mention %q", tt.name, msg, tt.mention)
		}
	}
}

func TestUniqueViolationIsConflict(t *testing.T) {
	s, _ := openTemp(t)
	// Two tombstones with one sequence number break a constraint.
	_, err := s.pool.Exec(context.Background(), `INSERT INTO deleted_papers (id, seq) VALUES ('2401.00001', 7), ('2401.00002', 7)`)
	if got := paperboy.ErrorCode(dbError("insert", err)); got != paperboy.ECONFLICT {
		t.Errorf("unique violation maps to %q, want %q (err %v)", got, paperboy.ECONFLICT, err)
	}
}
