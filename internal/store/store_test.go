package store

import (
	"context"
	"path/filepath"
	"testing"

	"paperboy"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		dsn, backend, target string
		code                 string
	}{
		{dsn: "data/paperboy.db", backend: "sqlite", target: "data/paperboy.db"},
		{dsn: "/var/lib/paperboy.db", backend: "sqlite", target: "/var/lib/paperboy.db"},
		{dsn: "file:data/p.db", backend: "sqlite", target: "data/p.db"},
		{dsn: "file:///abs/p.db", backend: "sqlite", target: "/abs/p.db"},
		{dsn: "sqlite:data/p.db", backend: "sqlite", target: "data/p.db"},
		{dsn: "sqlite://data/p.db", backend: "sqlite", target: "data/p.db"},
		{dsn: "sqlite:///abs/p.db", backend: "sqlite", target: "/abs/p.db"},
		{dsn: "postgres://u@h/db", backend: "postgres", target: "postgres://u@h/db"},
		{dsn: "postgresql://u@h/db", backend: "postgres", target: "postgresql://u@h/db"},
		{dsn: "", code: paperboy.EINVALID},
		{dsn: ":memory:", code: paperboy.EINVALID},
		{dsn: "sqlite:", code: paperboy.EINVALID},
		{dsn: "mysql://h/db", code: paperboy.EINVALID},
		{dsn: "p.db?mode=ro", code: paperboy.EINVALID},
	}
	for _, tt := range tests {
		backend, target, err := parseDSN(tt.dsn)
		if got := paperboy.ErrorCode(err); got != tt.code {
			t.Errorf("parseDSN(%q) error code = %q, want %q (err %v)", tt.dsn, got, tt.code, err)
			continue
		}
		if backend != tt.backend || target != tt.target {
			t.Errorf("parseDSN(%q) = %q, %q; want %q, %q", tt.dsn, backend, target, tt.backend, tt.target)
		}
	}
}

func TestOpenCreatesDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "paperboy.db")
	s, err := Open(context.Background(), "sqlite:"+path, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	if n, err := s.CountPapers(context.Background()); err != nil || n != 0 {
		t.Errorf("CountPapers = %d, %v; want 0, nil", n, err)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", "/data")
	if got, want := DefaultPath(), filepath.FromSlash("/data/paperboy/paperboy.db"); got != want {
		t.Errorf("DefaultPath() with XDG_DATA_HOME = %q, want %q", got, want)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", "/home/ada")
	if got, want := DefaultPath(), filepath.FromSlash("/home/ada/.local/share/paperboy/paperboy.db"); got != want {
		t.Errorf("DefaultPath() without XDG_DATA_HOME = %q, want %q", got, want)
	}
}
