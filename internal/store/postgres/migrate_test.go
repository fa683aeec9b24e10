package postgres

import (
	"bufio"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
)

// TestMigrationsInStep checks that the PostgreSQL and SQLite migrations are
// the same list: the same NNNN_name.sql files, each opening with the same
// "-- " summary line. Dialect notes may follow on later comment lines. A
// migration added to one backend only fails here until it is ported.
func TestMigrationsInStep(t *testing.T) {
	pg := migrationHeads(t, migrationFS, "migrations")
	lite := migrationHeads(t, os.DirFS("../sqlite"), "migrations")
	if len(pg) == 0 {
		t.Fatal("no embedded PostgreSQL migrations")
	}
	for name, head := range lite {
		switch pgHead, ok := pg[name]; {
		case !ok:
			t.Errorf("sqlite migration %s has no PostgreSQL twin in internal/store/postgres/migrations", name)
		case pgHead != head:
			t.Errorf("%s: summary lines differ:\n sqlite:   %s\n postgres: %s", name, head, pgHead)
		}
	}
	for name := range pg {
		if _, ok := lite[name]; !ok {
			t.Errorf("PostgreSQL migration %s has no SQLite twin in internal/store/sqlite/migrations", name)
		}
	}
	if _, err := migrations(); err != nil {
		t.Errorf("migrations: %v", err)
	}
}

// migrationHeads returns the first line of each .sql file in dir, which
// must be a "-- " comment saying what the migration does.
func migrationHeads(t *testing.T, fsys fs.FS, dir string) map[string]string {
	t.Helper()
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	heads := make(map[string]string, len(names))
	for _, name := range names {
		f, err := fsys.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Scan()
		head := strings.TrimSpace(sc.Text())
		f.Close()
		if !strings.HasPrefix(head, "-- ") {
			t.Errorf("%s: first line %q is not a \"-- \" comment saying what the migration does", name, head)
		}
		heads[path.Base(name)] = head
	}
	return heads
}
