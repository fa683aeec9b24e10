package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"paperboy"
	"paperboy/internal/store/storetest"
)

// openTemp opens a store on a file in a fresh temporary directory.
func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "paperboy.db")
	s, err := Open(context.Background(), path, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestConformance(t *testing.T) {
	dir := t.TempDir()
	storetest.Run(t, func(t *testing.T, name string) paperboy.PaperStore {
		s, err := Open(context.Background(), filepath.Join(dir, name+".db"), nil)
		if err != nil {
			t.Fatalf("Open(%s): %v", name, err)
		}
		return s
	})
}

func TestMigrationsNumbered(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatalf("migrations: %v", err)
	}
	if len(ms) == 0 {
		t.Fatal("no embedded migrations")
	}
}

func TestMigrateIdempotent(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	for i := range 2 {
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate run %d: %v", i+2, err)
		}
	}
	s.Close()
	s, err := Open(ctx, path, nil) // migrates again on open
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	have, want, err := s.SchemaVersion(ctx)
	if err != nil || have != want || want < 1 {
		t.Errorf("SchemaVersion = %d, %d, %v; want equal, >= 1, nil", have, want, err)
	}
	var rows int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&rows); err != nil || rows != want {
		t.Errorf("schema_migrations has %d rows (%v), want %d", rows, err, want)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	s, path := openTemp(t)
	ctx := context.Background()
	_, want, _ := s.SchemaVersion(ctx)
	if _, err := s.w.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)`, want+1); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(ctx, path, nil)
	if got := paperboy.ErrorCode(err); got != paperboy.ECONFLICT {
		t.Fatalf("Open on newer schema: code %q, want %q (err %v)", got, paperboy.ECONFLICT, err)
	}
	if msg := paperboy.ErrorMessage(err); !strings.Contains(msg, "newer") {
		t.Errorf("message %q does not say the schema is newer", msg)
	}
}

func TestPragmas(t *testing.T) {
	s, _ := openTemp(t)
	tests := []struct {
		db     string
		pragma string
		want   string
	}{
		{"writer", "journal_mode", "wal"},
		{"writer", "foreign_keys", "1"},
		{"writer", "synchronous", "1"}, // NORMAL
		{"writer", "busy_timeout", "10000"},
		{"reader", "journal_mode", "wal"},
		{"reader", "foreign_keys", "1"},
		{"reader", "query_only", "1"},
	}
	for _, tt := range tests {
		db := s.w
		if tt.db == "reader" {
			db = s.r.db
		}
		var got string
		if err := db.QueryRow("PRAGMA " + tt.pragma).Scan(&got); err != nil {
			t.Errorf("%s PRAGMA %s: %v", tt.db, tt.pragma, err)
		} else if got != tt.want {
			t.Errorf("%s PRAGMA %s = %q, want %q", tt.db, tt.pragma, got, tt.want)
		}
	}
}

func TestOpenRejectsPath(t *testing.T) {
	for _, path := range []string{"", ":memory:", "a.db?mode=ro"} {
		if _, err := Open(context.Background(), path, nil); paperboy.ErrorCode(err) != paperboy.EINVALID {
			t.Errorf("Open(%q) err = %v, want EINVALID", path, err)
		}
	}
}

func TestNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(path, []byte(strings.Repeat("not sqlite ", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), path, nil)
	if got := paperboy.ErrorCode(err); got != paperboy.EINVALID {
		t.Errorf("Open(junk) code %q, want %q (err %v)", got, paperboy.EINVALID, err)
	}
}
