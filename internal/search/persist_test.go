package search

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/store"
)

// TestPersistedIndexReloads checks that an engine over the same directory
// resumes where the last one stopped, with the same answers, and that a
// damaged segment makes it rebuild rather than miss papers.
func TestPersistedIndexReloads(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := newFakeStore(corpus()...)
	first := New(s, nil, WithDir(dir), WithPageSize(3))
	if _, err := first.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePaper(ctx, "1512.03385"); err != nil {
		t.Fatal(err)
	}
	if _, err := first.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	queries := []string{"transformer", "learning", `"graph convolutional"`, "bert -distilled", "cat:cs", "1706.03762", "residual"}

	second := New(s, nil, WithDir(dir))
	if n, err := second.Sync(ctx); err != nil || n != 0 {
		t.Fatalf("Sync after reload = %d, %v; want 0 changes (caught up)", n, err)
	}
	if second.Len() != first.Len() || second.Seq() != first.Seq() {
		t.Errorf("reloaded Len %d, Seq %d; want %d, %d", second.Len(), second.Seq(), first.Len(), first.Seq())
	}
	for _, q := range queries {
		if got, want := ids(t, second, q), ids(t, first, q); !slices.Equal(got, want) {
			t.Errorf("reloaded Search(%q) = %q, want %q", q, got, want)
		}
	}

	want := map[string][]string{}
	for _, q := range queries {
		want[q] = ids(t, first, q)
	}
	// The engines above map the segment files, which are never rewritten in
	// place; damaging one here changes what they see, hence want.
	segs, _ := filepath.Glob(filepath.Join(dir, "*.seg"))
	if len(segs) == 0 {
		t.Fatal("no segment files written")
	}
	if err := os.WriteFile(segs[0], []byte("PBSEG001 damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := New(s, nil, WithDir(dir))
	if _, err := third.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if third.Len() != 9 {
		t.Errorf("after damage, Len = %d, want 9 (rebuilt)", third.Len())
	}
	for _, q := range queries {
		if got := ids(t, third, q); !slices.Equal(got, want[q]) {
			t.Errorf("rebuilt Search(%q) = %q, want %q", q, got, want[q])
		}
	}
}

const crashChildEnv = "PAPERBOY_SEARCH_CRASH_CHILD"

// TestCrashRestart kills a process that is writing papers and indexing them
// at random moments (SIGKILL, from a timer in the process itself), ten
// times over one store and index directory; after each, a fresh engine
// over the directory must agree with the store: every stored paper found
// at its latest version, no deleted one.
func TestCrashRestart(t *testing.T) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(t, dir)
		return
	}
	if testing.Short() {
		t.Skip("re-runs the test binary ten times")
	}
	ctx := context.Background()
	dir := t.TempDir()
	for run := range 10 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashRestart$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+dir, "PAPERBOY_CRASH_SEED="+strconv.Itoa(run))
		out, err := cmd.CombinedOutput()
		ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("run %d: child ended with %v, not SIGKILL:\n%s", run, err, out)
		}
		checkConsistent(ctx, t, dir, run)
	}
}

func checkConsistent(ctx context.Context, t *testing.T, dir string, run int) {
	t.Helper()
	st, err := store.Open(ctx, filepath.Join(dir, "papers.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := New(st, nil, WithDir(filepath.Join(dir, "index")))
	if _, err := e.Sync(ctx); err != nil {
		t.Fatalf("run %d: Sync after crash: %v", run, err)
	}
	papers, _, err := st.Papers(ctx, paperboy.PaperFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if e.Len() != len(papers) {
		t.Errorf("run %d: index has %d papers, store %d", run, e.Len(), len(papers))
	}
	for _, p := range papers {
		if got := ids(t, e, versionToken(p)); !slices.Equal(got, []string{string(p.ID)}) {
			t.Errorf("run %d: Search(%s) = %q, want [%s] (stored v%d)", run, versionToken(p), got, p.ID, p.Version)
		}
		if p.Version > 1 {
			old := *p
			old.Version--
			if got := ids(t, e, versionToken(&old)); len(got) != 0 {
				t.Errorf("run %d: stale version %s still found: %q", run, versionToken(&old), got)
			}
		}
	}
	t.Logf("run %d: %d papers consistent, seq %d", run, len(papers), e.Seq())
}

// versionToken is a word only one version of one paper has.
func versionToken(p *paperboy.Paper) string {
	return fmt.Sprintf("tok%sx%d", p.ID[5:], p.Version)
}

// crashChild adds, replaces and deletes papers and syncs an engine with a
// directory, in small batches so that segments are written and merged
// often, until a timer kills the process.
func crashChild(t *testing.T, dir string) {
	ctx := context.Background()
	seed, _ := strconv.Atoi(os.Getenv("PAPERBOY_CRASH_SEED"))
	rng := rand.New(rand.NewPCG(uint64(seed), 1))
	st, err := store.Open(ctx, filepath.Join(dir, "papers.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	e := New(st, nil, WithDir(filepath.Join(dir, "index")), WithPageSize(7+rng.IntN(20)))
	e.batch = 3 + rng.IntN(10)
	time.AfterFunc(time.Duration(50+rng.IntN(400))*time.Millisecond, func() {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
	})
	for {
		var batch []*paperboy.Paper
		for range 1 + rng.IntN(20) {
			id := paperboy.ArxivID(fmt.Sprintf("2301.%05d", 1+rng.IntN(300)))
			p := paper(string(id), "", "Crash test abstract.", "Ann Author", "cs.LG", "2023-01-02")
			if old, err := st.Paper(ctx, id); err == nil {
				p.Version = old.Version + 1
			}
			p.Title = "Crash paper " + versionToken(p)
			batch = append(batch, p)
		}
		if _, err := st.UpsertPapers(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if rng.IntN(3) == 0 {
			id := paperboy.ArxivID(fmt.Sprintf("2301.%05d", 1+rng.IntN(300)))
			if err := st.DeletePaper(ctx, id); err != nil && paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
				t.Fatal(err)
			}
		}
		if _, err := e.Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReadOnlyDir checks that an engine over another's directory, read
// only, answers as the engine that keeps it once caught up with changes
// the directory lacks, rebuilds in memory from a damaged or missing one,
// and leaves the directory as it found it.
func TestReadOnlyDir(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	s := newFakeStore(corpus()...)
	keeper := New(s, nil, WithDir(dir))
	if _, err := keeper.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePaper(ctx, "1512.03385"); err != nil { // a change the directory lacks
		t.Fatal(err)
	}
	snapshot := func() map[string]string {
		files := map[string]string{}
		entries, _ := os.ReadDir(dir)
		for _, en := range entries {
			b, err := os.ReadFile(filepath.Join(dir, en.Name()))
			if err != nil {
				t.Fatal(err)
			}
			files[en.Name()] = string(b)
		}
		return files
	}
	before := snapshot()
	if len(before) < 2 {
		t.Fatalf("the keeper wrote %d files; want a manifest and segments", len(before))
	}
	if _, err := keeper.Sync(ctx); err != nil { // caught up, for want; it saves the change
		t.Fatal(err)
	}
	queries := []string{"transformer", "learning", "residual", "cat:cs", "1512.03385"}
	want := map[string][]string{}
	for _, q := range queries {
		want[q] = ids(t, keeper, q)
	}
	saved := snapshot()
	segs, _ := filepath.Glob(filepath.Join(dir, "*.seg"))
	for _, tc := range []struct {
		name   string
		damage func()
		loaded bool // whether the index comes from the directory
	}{
		{"behind the store", func() {
			for name := range saved {
				os.Remove(filepath.Join(dir, name))
			}
			for name, b := range before {
				os.WriteFile(filepath.Join(dir, name), []byte(b), 0o644)
			}
		}, true},
		{"damaged", func() { os.WriteFile(segs[len(segs)-1], []byte("PBSEG001 damaged"), 0o644) }, false},
		{"missing", func() { os.RemoveAll(dir) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.damage()
			found := snapshot()
			e := New(s, nil, WithReadOnlyDir(dir))
			n, err := e.Sync(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if loaded := n < len(corpus())-1; loaded != tc.loaded {
				t.Errorf("Sync read %d changes: loaded from the directory %v, want %v", n, loaded, tc.loaded)
			}
			for _, q := range queries {
				if got := ids(t, e, q); !slices.Equal(got, want[q]) {
					t.Errorf("Search(%q) = %q, want %q", q, got, want[q])
				}
			}
			if after := snapshot(); !maps.Equal(after, found) {
				t.Errorf("the directory changed: %d files, %d before", len(after), len(found))
			}
		})
	}
}
