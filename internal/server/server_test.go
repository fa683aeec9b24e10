package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/search"
	"paperboy/internal/store"
)

// fixture is the real handler over a real SQLite store, holding the papers
// of testdata/papers.jsonl and scriptPaper, and the real search engine.
type fixture struct {
	t       *testing.T
	store   paperboy.PaperStore
	engine  *search.Engine
	handler http.Handler
	logs    *syncBuffer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "paperboy.db"), nil)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.UpsertPapers(ctx, append(loadFixtures(t), scriptPaper())); err != nil {
		t.Fatalf("UpsertPapers: %v", err)
	}
	return newFixtureWith(t, st)
}

// newFixtureWith serves st, indexed by a real search engine.
func newFixtureWith(t *testing.T, st paperboy.PaperStore) *fixture {
	t.Helper()
	engine := search.New(st, nil)
	if _, err := engine.Sync(t.Context()); err != nil {
		t.Fatalf("Sync: %v", err)
	}
	f := &fixture{t: t, store: st, engine: engine, logs: &syncBuffer{}}
	f.handler = New(Deps{
		Papers:  st,
		Search:  engine,
		Logger:  slog.New(slog.NewJSONHandler(f.logs, nil)),
		Now:     stepClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), 5*time.Millisecond),
		Version: "v1.2.3-test",
	})
	return f
}

// stepClock is a clock that moves on by step at every reading, so that
// logged durations are exact without sleeping.
func stepClock(start time.Time, step time.Duration) func() time.Time {
	var mu sync.Mutex
	now := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(step)
		return now
	}
}

// syncBuffer is a log sink that handlers may write to concurrently.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// get serves a GET request for target.
func (f *fixture) get(target string) *httptest.ResponseRecorder {
	f.t.Helper()
	return f.do(httptest.NewRequest(http.MethodGet, target, nil))
}

func (f *fixture) do(r *http.Request) *httptest.ResponseRecorder {
	f.t.Helper()
	w := httptest.NewRecorder()
	f.handler.ServeHTTP(w, r)
	return w
}

// getOK serves target and fails the test unless the status is 200.
func (f *fixture) getOK(t *testing.T, target string) string {
	t.Helper()
	w := f.get(target)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: status = %d, want 200; body:\n%s", target, w.Code, w.Body)
	}
	return w.Body.String()
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, want int) {
	t.Helper()
	if w.Code != want {
		t.Fatalf("status = %d, want %d; body:\n%s", w.Code, want, w.Body)
	}
}

func wantContains(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("body does not contain %q", want)
		}
	}
}

func wantNotContains(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("body contains %q, want it absent", u)
		}
	}
}

var cardLink = regexp.MustCompile(`<h3 class="card-title"><a href="/papers/([^"]+)"`)

// cardIDs returns the IDs of the paper cards of a page, sorted.
func cardIDs(body string) []string {
	var ids []string
	for _, m := range cardLink.FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	slices.Sort(ids)
	return ids
}

func wantIDs(t *testing.T, body string, want []string) {
	t.Helper()
	got := cardIDs(body)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("cards = %q, want %q", got, want)
	}
}

// linkRel returns the href of the link with the given rel, "" if none.
func linkRel(body, rel string) string {
	m := regexp.MustCompile(`rel="` + rel + `" href="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

func openEmptyStore(t *testing.T) paperboy.PaperStore {
	t.Helper()
	st, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "empty.db"), nil)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
