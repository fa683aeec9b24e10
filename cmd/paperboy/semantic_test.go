package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"paperboy/internal/config"
)

// waitSemantic waits for serve's first vectors: the built-in embedder is
// trained in the background of start-up.
func waitSemantic(t *testing.T, m *Main) {
	t.Helper()
	select {
	case <-m.SemanticReady():
	case <-time.After(2 * time.Minute):
		t.Fatal("semantic search not ready two minutes after start-up")
	}
}

// TestServeAnswersWhileVectorsLoad holds a restarted serve's vector
// loading (a first start may build the index of millions of vectors):
// serve listens at once and answers lexically, saying why, then
// semantically once the vectors are in.
func TestServeAnswersWhileVectorsLoad(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	m := bootMain(t, db, true)
	waitSemantic(t, m)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DB, cfg.Addr, cfg.LogLevel = db, "127.0.0.1:0", "warn"
	m, err := NewMain(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	release, loading := make(chan struct{}), make(chan struct{})
	m.vectorsLoading = func() { close(loading); <-release }
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) }) // runs before Close
	<-loading
	q := "how to keep training stable at large learning rates"
	mode, fallback, ids := searchMode(t, m, q, "hybrid")
	if mode != "keyword" || fallback == nil || len(ids) == 0 {
		t.Errorf("while the vectors load: mode %q, fallback %v, %d results; want keyword, a reason, some", mode, fallback, len(ids))
	}
	once.Do(func() { close(release) })
	waitSemantic(t, m)
	if mode, fallback, ids := searchMode(t, m, q, "hybrid"); mode != "hybrid" || fallback != nil || len(ids) == 0 {
		t.Errorf("once loaded: mode %q, fallback %v, %d results; want hybrid, none, some", mode, fallback, len(ids))
	}
}

func searchMode(t *testing.T, m *Main, q, mode string) (gotMode string, fallback *string, ids []string) {
	t.Helper()
	status, body := get(t, "http://"+m.Addr()+"/api/v1/search?"+url.Values{"q": {q}, "mode": {mode}}.Encode())
	var resp struct {
		Mode     string
		Fallback *string
		Results  []struct{ Paper struct{ ID string } }
	}
	if err := json.Unmarshal([]byte(body), &resp); status != 200 || err != nil {
		t.Fatalf("search %q in mode %s: status %d, %v: %s", q, mode, status, err, body)
	}
	for _, r := range resp.Results {
		ids = append(ids, r.Paper.ID)
	}
	return resp.Mode, resp.Fallback, ids
}

func TestServeSemanticSearch(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	m := bootMain(t, db, true)
	waitSemantic(t, m)
	q := "how to keep training stable at large learning rates"
	mode, fallback, ids := searchMode(t, m, q, "semantic")
	if mode != "semantic" || fallback != nil || len(ids) == 0 {
		t.Errorf("semantic search: mode %q, fallback %v, %d results; want semantic, none, some", mode, fallback, len(ids))
	}
	status, body := get(t, "http://"+m.Addr()+"/api/v1/papers/0704.0001/related")
	if status != 200 || !json.Valid([]byte(body)) {
		t.Errorf("related papers: status %d: %.200s", status, body)
	}
	modes := []string{"semantic", "hybrid", "keyword"}
	served := map[string][]string{} // each mode's top 10
	for _, mode := range modes {
		_, _, ids := searchMode(t, m, q, mode)
		served[mode] = ids[:min(10, len(ids))]
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(db + ".vectors/*.hnsw")
	if len(files) != 1 {
		t.Fatalf("vector index files after Close: %v; want one", files)
	}
	saved, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}

	// The search command ranks as serve does, from serve's index files,
	// which it leaves alone.
	env := map[string]string{"PAPERBOY_DB": db}
	lexical := dirState(t, db+".index")
	for _, mode := range modes {
		code, out, errOut := runCLI(t, env, "search", "--json", "--mode", mode, q)
		var got struct {
			Mode, Fallback string
			Results        []struct{ ID string }
		}
		if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
			t.Fatalf("search --mode %s: exit %d, %v: %s %s", mode, code, err, out, errOut)
		}
		var cli []string
		for _, r := range got.Results {
			cli = append(cli, r.ID)
		}
		if got.Mode != mode || got.Fallback != "" || len(cli) == 0 || !slices.Equal(cli, served[mode]) {
			t.Errorf("search --mode %s: mode %q, fallback %q, %v; serve gave %v", mode, got.Mode, got.Fallback, cli, served[mode])
		}
	}
	if code, _, errOut := runCLI(t, env, "search", "--mode", "fuzzy", q); code != 2 || !strings.Contains(errOut, `--mode "fuzzy"`) {
		t.Errorf("search --mode fuzzy: exit %d, stderr %q; want 2 naming the flag", code, errOut)
	}
	if after := dirState(t, db+".index"); after != lexical {
		t.Errorf("the search command changed serve's lexical index:\n%s\nwas\n%s", after, lexical)
	}

	// A restart loads the vector index (in the background of serving).
	m = bootMain(t, db, false)
	waitSemantic(t, m)
	if mode, fallback, again := searchMode(t, m, q, "semantic"); mode != "semantic" || fallback != nil || len(again) == 0 || again[0] != ids[0] {
		t.Errorf("after restart: mode %q, fallback %v, results %v; want semantic, none, starting %s", mode, fallback, again, ids[0])
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(files[0]); err != nil || !fi.ModTime().Equal(saved.ModTime()) {
		t.Errorf("vector index rebuilt or rewritten by a restart with nothing to catch up (%v)", err)
	}
}

func TestVectorDir(t *testing.T) {
	for _, c := range []struct{ db, configured, want string }{
		{"/data/paperboy.db", "", "/data/paperboy.db.vectors"},
		{"/data/paperboy.db", "/cache/vectors", "/cache/vectors"},
		{"postgres://paperboy@db/paperboy", "", ""}, // rebuilt at each start
		{"postgres://paperboy@db/paperboy", "/var/lib/paperboy/vectors", "/var/lib/paperboy/vectors"},
	} {
		if got := vectorDir(c.db, c.configured); got != c.want {
			t.Errorf("vectorDir(%q, %q) = %q, want %q", c.db, c.configured, got, c.want)
		}
	}
}

// dirState describes the files in dir: names, sizes and times.
func dirState(t *testing.T, dir string) string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("read %s: %d entries, %v", dir, len(entries), err)
	}
	var b strings.Builder
	for _, en := range entries {
		fi, err := en.Info()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d %v\n", en.Name(), fi.Size(), fi.ModTime())
	}
	return b.String()
}
