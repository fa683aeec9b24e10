package arxiv

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"paperboy"
)

// fakeAPI serves the captured API responses: atom_query_doc.xml for
// 2206.06921, atom_query_missing_id.xml (another paper's entry) for
// 2201.13455, and the empty feed for anything else. It records the
// id_list of each request.
func fakeAPI(t *testing.T, asked *[]string) *httptest.Server {
	t.Helper()
	files := map[string]string{"2206.06921": "atom_query_doc.xml", "2201.13455": "atom_query_missing_id.xml"}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id_list")
		*asked = append(*asked, id)
		name, ok := files[id]
		if !ok {
			name = "atom_query_empty.xml"
		}
		body, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/atom+xml")
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestLookupPaper(t *testing.T) {
	tests := []struct {
		id        string
		wantTitle string
		wantCode  string
	}{
		{"2206.06921", "Attainable forms of Assouad spectra", ""},
		{"1201.56789", "", paperboy.ENOTFOUND}, // the empty feed
		{"2201.13455", "", paperboy.ENOTFOUND}, // the feed holds another paper
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			var asked []string
			srv := fakeAPI(t, &asked)
			c := testClient(&sleepRecorder{now: time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)})
			p, err := c.LookupPaper(context.Background(), srv.URL, paperboy.ArxivID(tt.id))
			if got := paperboy.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("LookupPaper(%s) error %v (code %q), want code %q", tt.id, err, got, tt.wantCode)
			}
			if len(asked) != 1 || asked[0] != tt.id {
				t.Errorf("requests asked for %q, want one for %s", asked, tt.id)
			}
			if tt.wantCode != "" {
				return
			}
			if p.Title != tt.wantTitle || p.ID.String() != tt.id || p.Version != 3 || p.PrimaryCategory() != "math.CA" {
				t.Errorf("paper = %s v%d %q in %s; want %s v3 %q in math.CA", p.ID, p.Version, p.Title, p.PrimaryCategory(), tt.id, tt.wantTitle)
			}
		})
	}
}

// TestLookupPaperRateLimit checks that lookups through one client keep
// arXiv's three seconds apart, measured on a fake clock.
func TestLookupPaperRateLimit(t *testing.T) {
	var asked []string
	srv := fakeAPI(t, &asked)
	clock := &sleepRecorder{now: time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)}
	c := testClient(clock)
	for _, id := range []string{"2206.06921", "1201.56789", "2206.06921"} {
		c.LookupPaper(context.Background(), srv.URL, paperboy.ArxivID(id))
	}
	if len(asked) != 3 {
		t.Fatalf("%d requests, want 3", len(asked))
	}
	want := []time.Duration{3 * time.Second, 3 * time.Second}
	if len(clock.slept) != 2 || clock.slept[0] != want[0] || clock.slept[1] != want[1] {
		t.Errorf("waited %v between lookups, want %v", clock.slept, want)
	}
}

// TestLookupPaperTimeout checks that a server that never answers is an
// EUNAVAILABLE error once the attempts run out, not a hang.
func TestLookupPaperTimeout(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	c := testClient(&sleepRecorder{now: time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)})
	c.Timeout, c.MaxAttempts = 50*time.Millisecond, 2
	_, err := c.LookupPaper(context.Background(), srv.URL, "2206.06921")
	if got := paperboy.ErrorCode(err); got != paperboy.EUNAVAILABLE {
		t.Errorf("LookupPaper against a silent server: %v (code %q), want %q", err, got, paperboy.EUNAVAILABLE)
	}
}
