package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"paperboy/internal/config"
	"paperboy/internal/demo"
	"paperboy/internal/store/sqlite"
)

// writeSample writes the bundled sample to a file, as a user would have it.
func writeSample(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "arxiv-sample.jsonl.gz")
	data, err := io.ReadAll(demo.Sample())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runCLI runs one paperboy command line and returns its exit status and
// output.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &stdout, &stderr, func(k string) string { return env[k] })
	return code, stdout.String(), stderr.String()
}

// bootMain starts the real server program on 127.0.0.1:0.
func bootMain(t *testing.T, db string, demoData bool) *Main {
	t.Helper()
	cfg := config.Default()
	cfg.DB, cfg.Addr, cfg.Demo, cfg.LogLevel = db, "127.0.0.1:0", demoData, "warn"
	m, err := NewMain(cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return m
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	return getAs(t, url, "")
}

// getAs is get with "Authorization: Bearer token" (none for "").
func getAs(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return resp.StatusCode, string(body)
}

func TestEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "data", "paperboy.db")
	env := map[string]string{"PAPERBOY_DB": db}
	sample := writeSample(t)

	code, out, errOut := runCLI(t, env, "import", sample)
	if code != 0 {
		t.Fatalf("import exited %d: %s", code, errOut)
	}
	if !strings.HasSuffix(out, "read 2631, inserted 2631, updated 0, unchanged 0, skipped 0\n") {
		t.Errorf("import output does not end with the summary line:\n%s", out)
	}
	code, out, _ = runCLI(t, env, "import", "--db", db, sample)
	if code != 0 || !strings.HasSuffix(out, "read 2631, inserted 0, updated 0, unchanged 2631, skipped 0\n") {
		t.Errorf("re-import exited %d, output:\n%s", code, out)
	}

	code, out, errOut = runCLI(t, env, "search", "--json", "--limit", "3", "diphoton production")
	if code != 0 {
		t.Fatalf("search exited %d: %s", code, errOut)
	}
	var sr struct {
		Total          int
		Mode, Fallback string
		Results        []struct{ ID, Title string }
	}
	if err := json.Unmarshal([]byte(out), &sr); err != nil {
		t.Fatalf("search --json printed %q: %v", out, err)
	}
	if sr.Total == 0 || len(sr.Results) == 0 || sr.Results[0].ID != "0704.0001" {
		t.Errorf("search for 'diphoton production' = %+v, want 0704.0001 first", sr)
	}
	if sr.Mode != "keyword" || sr.Fallback != "No vectors are ready yet." {
		t.Errorf("search with no vectors: mode %q, fallback %q; want keyword, saying why", sr.Mode, sr.Fallback)
	}
	for _, dir := range []string{db + ".vectors", db + ".index"} {
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("search made %s (%v); it only reads serve's", dir, err)
		}
	}

	m := bootMain(t, db, false)
	base := "http://" + m.Addr()
	checks := []struct {
		path   string
		status int
		want   []string
	}{
		{"/healthz", 200, []string{"ok"}},
		{"/", 200, []string{"<html", "</html>"}},
		{"/papers/0704.0001", 200, []string{"paperboy " + Version() + " ·", "Calculation of prompt diphoton production cross sections", "Balázs", "hep-ph", "https://arxiv.org/pdf/0704.0001"}},
		{"/search?q=diphoton", 200, []string{"0704.0001", "<mark>"}},
		{"/papers/2412.99999", 404, nil},
		{"/papers/9999.99999", 400, nil},
		{"/no/such/page", 404, nil},
		{"/api/v1/papers/0704.0001", 200, []string{`"id":"0704.0001"`}},
		{"/api/v1/search?q=diphoton&limit=2", 200, []string{`"total":`, `"0704.0001"`}},
		{"/api/v1/daily", 200, []string{`"papers":`}},
		{"/api/v1/papers/nonsense", 400, []string{`"error":`, `"code":"invalid"`}},
		{"/api/v1/papers/2401.99999", 404, []string{`"code":"not_found"`}},
		{"/api/v1/daily?date=2019-13-45", 400, []string{`"code":"invalid"`}},
	}
	for _, c := range checks {
		status, body := get(t, base+c.path)
		if status != c.status {
			t.Errorf("GET %s: status %d, want %d", c.path, status, c.status)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: body lacks %q", c.path, w)
			}
		}
	}
}

func TestImportExitStatus(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"PAPERBOY_DB": filepath.Join(dir, "p.db")}
	junk := filepath.Join(dir, "junk.txt")
	os.WriteFile(junk, []byte("not arXiv at all\n"), 0o644)
	good := filepath.Join(dir, "one.jsonl")
	os.WriteFile(good, []byte(`{"id":"0704.0001","authors":"C. Bal\\'azs","title":"A title","abstract":"x","versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"}]}`+"\n{broken\n"), 0o644)

	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   string
		stderrIn string
	}{
		{"nothing usable", []string{"import", junk}, 1, "read 0, inserted 0", "junk.txt"},
		{"missing file", []string{"import", filepath.Join(dir, "nope.jsonl")}, 1, "read 0", "nope.jsonl"},
		{"good with a bad line and a junk file", []string{"import", junk, good}, 0, "read 1, inserted 1, updated 0, unchanged 0, skipped 1", "junk.txt"},
		{"no files", []string{"import"}, 2, "", "needs at least one FILE"},
		{"bad flag", []string{"import", "--nope", good}, 2, "", "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, env, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if !strings.Contains(out, tt.stdout) {
				t.Errorf("stdout %q lacks %q", out, tt.stdout)
			}
			if !strings.Contains(errOut+out, tt.stderrIn) {
				t.Errorf("output %q lacks %q", errOut+out, tt.stderrIn)
			}
		})
	}
}

func TestServeDemoPopulatesEmptyDatabase(t *testing.T) {
	m := bootMain(t, filepath.Join(t.TempDir(), "demo.db"), true)
	n, err := m.Store.CountPapers(context.Background())
	if err != nil || n != demo.SampleRecords {
		t.Fatalf("demo store holds %d papers (%v), want %d", n, err, demo.SampleRecords)
	}
	status, body := get(t, "http://"+m.Addr()+"/search?q=transformer")
	if status != 200 || !strings.Contains(body, "<mark>") {
		t.Errorf("search on the demo site: status %d, highlighted results: %v", status, strings.Contains(body, "<mark>"))
	}
}

// TestServeChild is `paperboy serve` run as a child process, with the
// signal handling of main, by TestServeStopsOnSignal; on its own it does
// nothing.
func TestServeChild(t *testing.T) {
	args := os.Getenv("PAPERBOY_TEST_SERVE_CHILD")
	if args == "" {
		t.Skip("run as a child of TestServeStopsOnSignal")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, strings.Split(args, "\x1f"), strings.NewReader(""), os.Stdout, os.Stderr, func(string) string { return "" }))
}

// TestServeStopsOnSignal starts `serve --demo` as a process, sends it
// SIGTERM or SIGINT once it answers, and checks that it shuts down
// gracefully: exit status 0, the shutdown logged, the database whole.
func TestServeStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			db, addr := filepath.Join(dir, "p.db"), freeAddr(t)
			var out bytes.Buffer
			cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$")
			cmd.Env = append(os.Environ(), "PAPERBOY_TEST_SERVE_CHILD="+strings.Join([]string{"serve", "--demo", "--db", db, "--addr", addr}, "\x1f"))
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if cmd.ProcessState == nil {
					cmd.Process.Kill()
					cmd.Wait()
				}
			})
			poll(t, 60*time.Second, "serve answering /", func() bool {
				resp, err := http.Get("http://" + addr + "/")
				if err != nil {
					return false
				}
				resp.Body.Close()
				return resp.StatusCode == 200
			})
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); err != nil {
				t.Fatalf("serve after %v: %v; output:\n%s", sig, err, out.String())
			}
			if !strings.Contains(out.String(), "msg=shutting_down") {
				t.Errorf("no shutting_down log line in:\n%s", out.String())
			}
			if _, err := http.Get("http://" + addr + "/healthz"); err == nil {
				t.Errorf("%s still answers after serve exited", addr)
			}
			st, err := sqlite.Open(context.Background(), db, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if n, err := st.CountPapers(context.Background()); err != nil || n != demo.SampleRecords {
				t.Errorf("database after shutdown holds %d papers (%v), want %d", n, err, demo.SampleRecords)
			}
		})
	}
}
