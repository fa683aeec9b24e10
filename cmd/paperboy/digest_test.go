package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/store/sqlite"
)

func TestDigestCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "paperboy.db")
	if code, _, stderr := runCLI(t, nil, "import", "--db", db, writeSample(t)); code != 0 {
		t.Fatalf("import: %d %s", code, stderr)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := st.Days(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	p := paperboy.DefaultDigestPrefs()
	sub := &paperboy.Subscriber{Email: "ada@example.org", Status: paperboy.SubConfirmed, Prefs: p, Created: nb.Day, Confirmed: nb.Day}
	if err := st.CreateSubscriber(ctx, sub); err != nil {
		t.Fatal(err)
	}
	st.Close()
	day := nb.Day.AddDate(0, 0, 1).Format(time.DateOnly)
	env := map[string]string{"PAPERBOY_BASE_URL": "https://papers.example.org", "PAPERBOY_SECRET": "a secret of at least sixteen"}

	code, out, stderr := runCLI(t, env, "digest", "preview", "--db", db, "--email", "ada@example.org", "--date", day)
	if code != 0 {
		t.Fatalf("digest preview: %d %s", code, stderr)
	}
	for _, want := range []string{"Subject: paperboy · ", "for you", "List-Unsubscribe: <https://papers.example.org/digest/unsubscribe?token=",
		"List-Unsubscribe-Post: List-Unsubscribe=One-Click", "--- text/plain ---", "--- text/html ---", "Why: "} {
		if !strings.Contains(out, want) {
			t.Errorf("preview lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, env, "digest", "run", "--db", db, "--date", day, "--dry-run")
	if code != 0 || !strings.Contains(out, "1 subscribers, 1 digests would be sent") {
		t.Errorf("dry run: %d %q", code, out)
	}
	code, out, _ = runCLI(t, env, "digest", "run", "--db", db, "--date", day)
	if code != 0 || !strings.Contains(out, "1 digests enqueued") || !strings.Contains(out, "sent 1") {
		t.Errorf("run: %d %q", code, out)
	}
	code, out, _ = runCLI(t, env, "digest", "run", "--db", db, "--date", day)
	if code != 0 || !strings.Contains(out, "1 already queued; sent 0") {
		t.Errorf("second run of the same date: %d %q; want nothing sent twice", code, out)
	}
	if code, _, _ := runCLI(t, env, "digest", "preview", "--db", db); code != 2 {
		t.Errorf("preview without --email: exit %d, want 2", code)
	}
}
