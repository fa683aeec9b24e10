package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"paperboy"
)

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"X-Frame-Options":         "DENY",
	}
	for _, target := range []string{"/", "/papers/0704.0001", "/nope", "/api/v1/papers/0704.0001", "/api/v1/nope", "/static/style.css", "/healthz"} {
		w := f.get(target)
		for name, value := range want {
			if got := w.Header().Get(name); got != value {
				t.Errorf("GET %s: %s = %q, want %q", target, name, got, value)
			}
		}
	}
}

func TestNoInlineScriptsOrStyles(t *testing.T) {
	f := newFixture(t)
	for _, target := range []string{"/", "/papers/0704.0001", "/search?q=neural", "/nope"} {
		body := f.get(target).Body.String()
		wantNotContains(t, body, "<script", "<style", " style=", " onclick=")
	}
}

func TestRequestID(t *testing.T) {
	f := newFixture(t)
	w := f.get("/healthz")
	generated := w.Header().Get("X-Request-ID")
	if !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(generated) {
		t.Errorf("generated X-Request-ID = %q, want 24 hex digits", generated)
	}
	if other := f.get("/healthz").Header().Get("X-Request-ID"); other == generated {
		t.Errorf("two requests share the ID %q", other)
	}
	tests := []struct {
		incoming string
		kept     bool
	}{
		{"proxy-1234.abc", true},
		{"bad id with spaces", false},
		{strings.Repeat("x", 65), false},
		{"<script>", false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		r.Header.Set("X-Request-ID", tt.incoming)
		got := f.do(r).Header().Get("X-Request-ID")
		if (got == tt.incoming) != tt.kept {
			t.Errorf("incoming %q: response ID %q, want kept: %v", tt.incoming, got, tt.kept)
		}
	}
}

// logLines decodes the JSON log lines with the given message.
func logLines(t *testing.T, logs, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

func TestAccessLog(t *testing.T) {
	f := newFixture(t)
	r := httptest.NewRequest(http.MethodGet, "/papers/0704.9999?x=1", nil)
	r.Header.Set("X-Request-ID", "req-42")
	f.do(r)
	lines := logLines(t, f.logs.String(), "http_request")
	if len(lines) != 1 {
		t.Fatalf("%d access log lines, want 1:\n%s", len(lines), f.logs)
	}
	want := map[string]any{
		"request_id": "req-42", "method": "GET", "path": "/papers/0704.9999",
		"status": float64(404), "duration": float64(5 * time.Millisecond),
	}
	for k, v := range want {
		if got := lines[0][k]; got != v {
			t.Errorf("access log %s = %v, want %v", k, got, v)
		}
	}
	// A user's mistake is not an internal error: nothing else is logged.
	if n := len(logLines(t, f.logs.String(), "request_failed")); n != 0 {
		t.Errorf("%d request_failed lines for a 404, want 0", n)
	}
}

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	w := f.get("/healthz")
	wantStatus(t, w, http.StatusOK)
	if got := w.Body.String(); got != "ok\n" {
		t.Errorf("body = %q, want %q", got, "ok\n")
	}
	broken := newFixtureWith(t, failingStore{PaperStore: openEmptyStore(t), fail: "CountPapers"})
	w = broken.get("/healthz")
	wantStatus(t, w, http.StatusServiceUnavailable)
	if n := len(logLines(t, broken.logs.String(), "health_check_failed")); n != 1 {
		t.Errorf("%d health_check_failed log lines, want 1", n)
	}
}

// failingStore fails (or panics in) one method with an internal error
// that users must not see.
type failingStore struct {
	paperboy.PaperStore
	fail  string
	panic bool
}

var errDisk = errors.New("sqlite: disk I/O error at /secret/path")

func (s failingStore) check(method string) error {
	if s.fail != method {
		return nil
	}
	if s.panic {
		panic("store blew up")
	}
	return errDisk
}

func (s failingStore) Papers(ctx context.Context, f paperboy.PaperFilter) ([]*paperboy.Paper, int, error) {
	if err := s.check("Papers"); err != nil {
		return nil, 0, err
	}
	return s.PaperStore.Papers(ctx, f)
}

func (s failingStore) Paper(ctx context.Context, id paperboy.ArxivID) (*paperboy.Paper, error) {
	if err := s.check("Paper"); err != nil {
		return nil, err
	}
	return s.PaperStore.Paper(ctx, id)
}

func (s failingStore) CountPapers(ctx context.Context) (int, error) {
	if err := s.check("CountPapers"); err != nil {
		return 0, err
	}
	return s.PaperStore.CountPapers(ctx)
}

func TestInternalErrorsAreHiddenAndLoggedOnce(t *testing.T) {
	tests := []struct {
		target string
		json   bool
	}{
		{"/?date=2007-04-02", false},
		{"/papers/0704.0001", false},
		{"/api/v1/papers/0704.0001", true},
		{"/api/v1/daily?date=2007-04-02", true},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			method := "Papers"
			if strings.Contains(tt.target, "/papers/") {
				method = "Paper"
			}
			f := newFixtureWith(t, failingStore{PaperStore: openEmptyStore(t), fail: method})
			w := f.get(tt.target)
			checkInternalError(t, w, tt.json)
			failed := logLines(t, f.logs.String(), "request_failed")
			if len(failed) != 1 {
				t.Fatalf("%d request_failed log lines, want 1:\n%s", len(failed), f.logs)
			}
			if got := failed[0]["err"]; !strings.Contains(got.(string), "disk I/O error") {
				t.Errorf("logged err = %q, want the store's error", got)
			}
			if failed[0]["request_id"] != w.Header().Get("X-Request-ID") {
				t.Errorf("logged request_id = %v, want %q", failed[0]["request_id"], w.Header().Get("X-Request-ID"))
			}
		})
	}
}

func checkInternalError(t *testing.T, w *httptest.ResponseRecorder, isJSON bool) {
	t.Helper()
	if isJSON {
		var e apiError
		decodeJSON(t, w, http.StatusInternalServerError, &e)
		if e.Error.Code != "internal" || e.Error.Message != "Internal error." {
			t.Errorf("error = %+v, want internal / Internal error.", e.Error)
		}
		return
	}
	wantStatus(t, w, http.StatusInternalServerError)
	body := w.Body.String()
	wantContains(t, body, "Internal error.", `<p class="status">500</p>`, `class="error-page"`)
	wantNotContains(t, body, "disk I/O", "/secret/path", "store blew up", "goroutine")
}

func TestPanicsBecome500(t *testing.T) {
	tests := []struct {
		target, method string
		json           bool
	}{
		{"/?date=2007-04-02", "Papers", false},
		{"/api/v1/papers/0704.0001", "Paper", true},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			f := newFixtureWith(t, failingStore{PaperStore: openEmptyStore(t), fail: tt.method, panic: true})
			w := f.get(tt.target)
			checkInternalError(t, w, tt.json)
			panics := logLines(t, f.logs.String(), "panic")
			if len(panics) != 1 || !strings.Contains(panics[0]["stack"].(string), "goroutine") {
				t.Fatalf("want one panic log line with a stack:\n%s", f.logs)
			}
			access := logLines(t, f.logs.String(), "http_request")
			if len(access) != 1 || access[0]["status"] != float64(500) {
				t.Errorf("access log = %v, want one line with status 500", access)
			}
		})
	}
}

func TestStaticAssets(t *testing.T) {
	f := newFixture(t)
	page := f.getOK(t, "/")
	m := regexp.MustCompile(`href="(/static/style\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("page does not link the stylesheet with a version")
	}
	w := f.get(m[1])
	wantStatus(t, w, http.StatusOK)
	checks := map[string]string{
		"Content-Type":  "text/css; charset=utf-8",
		"Cache-Control": "public, max-age=31536000, immutable",
	}
	for name, want := range checks {
		if got := w.Header().Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	wantContains(t, w.Body.String(), "prefers-color-scheme: dark")
	// An old or missing version may be cached only briefly.
	if got, want := f.get("/static/style.css?v=old").Header().Get("Cache-Control"), "public, max-age=3600"; got != want {
		t.Errorf("Cache-Control of a stale URL = %q, want %q", got, want)
	}
	r := httptest.NewRequest(http.MethodGet, m[1], nil)
	r.Header.Set("If-None-Match", w.Header().Get("ETag"))
	wantStatus(t, f.do(r), http.StatusNotModified)
}

func TestNewPanicsOnlyOnBrokenTemplates(t *testing.T) {
	// New parses every template; with the embedded ones it must not panic.
	defer func() {
		if v := recover(); v != nil {
			t.Fatalf("New panicked: %v", v)
		}
	}()
	New(Deps{})
}
