package embed

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeServer answers /v1/embeddings with 3-dimensional vectors whose first
// component is the text's length; fail decides, per request number, to
// answer an error status instead (0: answer normally).
type fakeServer struct {
	requests atomic.Int32
	inFlight atomic.Int32
	maxIn    atomic.Int32
	fail     func(n int) int
	delay    time.Duration
	release  chan struct{} // closed at the end of the test: delayed answers stop waiting
	mu       sync.Mutex
	auth     []string
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(f.requests.Add(1))
	in := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for m := f.maxIn.Load(); in > m && !f.maxIn.CompareAndSwap(m, in); m = f.maxIn.Load() {
	}
	f.mu.Lock()
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.mu.Unlock()
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-r.Context().Done():
			return
		case <-f.release:
			return
		}
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	if f.fail != nil {
		if status := f.fail(n); status != 0 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "busy", status)
			return
		}
	}
	var req embedRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var resp embedResponse
	for i := len(req.Input) - 1; i >= 0; i-- { // out of order, as servers may answer
		resp.Data = append(resp.Data, struct {
			Index     int       `json:"index"`
			Embedding []float32 `json:"embedding"`
		}{i, []float32{float32(len(req.Input[i])), 1, 0}})
	}
	json.NewEncoder(w).Encode(resp)
}

func newFake(t *testing.T, f *fakeServer, cfg ClientConfig) *Client {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	f.release = make(chan struct{})
	t.Cleanup(func() { close(f.release) })
	cfg.BaseURL = srv.URL + "/"
	c := NewClient(cfg)
	c.wait = func(ctx context.Context, _ time.Duration) error { return ctx.Err() } // no real sleeping
	return c
}

func TestClientBatchesInOrder(t *testing.T) {
	f := &fakeServer{}
	c := newFake(t, f, ClientConfig{Model: "m", Key: "secret", Batch: 3, Concurrency: 2})
	texts := []string{"a", "bb", "ccc", "dddd", "eeeee", "ffffff", "g"}
	got, err := c.EmbedDocuments(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		want := Normalize([]float32{float32(len(texts[i])), 1, 0})
		if v[0] != want[0] || v[1] != want[1] {
			t.Errorf("vector %d = %v, want %v", i, v, want)
		}
	}
	if n := f.requests.Load(); n != 3 {
		t.Errorf("requests = %d, want 3 batches", n)
	}
	if m := f.maxIn.Load(); m > 2 {
		t.Errorf("%d requests in flight, want at most 2", m)
	}
	if f.auth[0] != "Bearer secret" {
		t.Errorf("Authorization = %q", f.auth[0])
	}
	if c.Contract().Dim != 3 || c.Contract().Model != "m" || c.Contract().Embedder != ClientName {
		t.Errorf("contract = %v", c.Contract())
	}
}

func TestClientRetries(t *testing.T) {
	tests := []struct {
		name     string
		fail     func(n int) int
		wantErr  bool
		wantReqs int32
	}{
		{"429 then ok", func(n int) int { return map[int]int{1: 429}[n] }, false, 2},
		{"503 twice then ok", func(n int) int { return map[int]int{1: 503, 2: 503}[n] }, false, 3},
		{"always 500", func(int) int { return 500 }, true, 3}, // 1 + 2 retries
		{"400 is not retried", func(int) int { return 400 }, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeServer{fail: tt.fail}
			c := newFake(t, f, ClientConfig{Model: "m", Retries: 2})
			_, err := c.EmbedDocuments(context.Background(), []string{"x"})
			if (err != nil) != tt.wantErr {
				t.Errorf("err = %v, want error %v", err, tt.wantErr)
			}
			if got := f.requests.Load(); got != tt.wantReqs {
				t.Errorf("requests = %d, want %d", got, tt.wantReqs)
			}
		})
	}
}

func TestClientQueryDeadline(t *testing.T) {
	f := &fakeServer{delay: time.Minute}
	c := newFake(t, f, ClientConfig{Model: "m"})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.EmbedQuery(ctx, "slow"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}
