package digest

import (
	"context"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/mail"
	"paperboy/internal/search"
	"paperboy/internal/store/sqlite"
)

var update = flag.Bool("update", false, "rewrite golden files")

// testSecret signs every link in the tests, so links and golden files are
// stable.
var testSecret = []byte("0123456789abcdef0123456789abcdef")

// clock is an injected clock the tests move by hand.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// rig is a digest service over a real SQLite file and search engine.
type rig struct {
	store *sqlite.Store
	svc   *Service
	clock *clock
	eng   *search.Engine
}

// fixturePapers are the rig's papers: announced on 2025-03-03 and earlier.
func fixturePapers() []*paperboy.Paper {
	mk := func(id, title, abstract, submitted string, cats []string, authors ...string) *paperboy.Paper {
		p := &paperboy.Paper{ID: paperboy.ArxivID(id), Version: 1, Title: title, Abstract: abstract,
			Categories: cats, Submitted: date(submitted), Updated: date(submitted)}
		for _, a := range authors {
			p.Authors = append(p.Authors, paperboy.Author{Name: a})
		}
		return p
	}
	return []*paperboy.Paper{
		mk("2503.00001", "Diffusion models for video generation", "We scale diffusion to long videos with $O(n \\log n)$ attention.",
			"2025-03-02T10:00:00Z", []string{"cs.CV", "cs.LG"}, "Grace Hopper", "Alan Turing"),
		mk("2503.00002", "Sparse mixture-of-experts scaling laws", "We measure how loss falls with compute for sparse models.",
			"2025-03-02T11:00:00Z", []string{"cs.LG"}, "Ada Lovelace", "Kurt Gödel", "Emmy Noether", "John von Neumann"),
		mk("2503.00003", "Random walks on\n  expander graphs", "Mixing times of random walks <b>bounded</b> & sharp.",
			"2025-03-01T09:00:00Z", []string{"math.PR"}, "Paul Erdős"),
		mk("2503.00004", "A survey of graph neural networks", "Message passing, oversmoothing and beyond.",
			"2025-02-27T09:00:00Z", []string{"cs.LG", "cs.AI"}, "Yann Example"),
		mk("2502.00005", "Old paper on reinforcement learning", "An old study.",
			"2025-02-10T09:00:00Z", []string{"cs.LG"}, "Ada Lovelace"),
	}
}

func newRig(t testing.TB, sender mail.Sender, senders ...mail.Sender) *rig {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "paperboy.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.UpsertPapers(ctx, fixturePapers()); err != nil {
		t.Fatal(err)
	}
	eng := search.New(st, nil)
	if _, err := eng.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	r := &rig{store: st, clock: &clock{t: date("2025-03-03T05:00:00Z")}, eng: eng}
	base, _ := url.Parse("https://papers.example.org")
	r.svc, err = New(Config{
		Store: st, Papers: st, Search: eng, Limits: st, Mail: sender, Senders: senders,
		From: "paperboy <digest@example.org>", BaseURL: base, Secret: testSecret, Now: r.clock.Now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// confirmed creates a confirmed subscriber with prefs, due per prefs.
func (r *rig) confirmed(t testing.TB, email string, p paperboy.DigestPrefs) *paperboy.Subscriber {
	t.Helper()
	ctx := context.Background()
	sub := &paperboy.Subscriber{Email: email, Status: paperboy.SubPending, Prefs: p, Created: r.clock.t}
	if err := r.store.CreateSubscriber(ctx, sub); err != nil {
		t.Fatal(err)
	}
	if err := r.svc.confirm(ctx, sub); err != nil {
		t.Fatal(err)
	}
	return sub
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (run with -update after checking):\n--- got ---\n%s", name, got)
	}
}
