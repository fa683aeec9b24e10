package arxiv

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"paperboy"
)

// sleepRecorder is a fake clock whose Sleep returns at once.
type sleepRecorder struct {
	now   time.Time
	slept []time.Duration
}

func (s *sleepRecorder) Now() time.Time { return s.now }
func (s *sleepRecorder) Sleep(ctx context.Context, d time.Duration) error {
	s.now = s.now.Add(d)
	s.slept = append(s.slept, d)
	return ctx.Err()
}

func testClient(clock *sleepRecorder) *Client {
	c := NewClient("paperboy/test")
	c.Now, c.Sleep = clock.Now, clock.Sleep
	return c
}

func TestFetchRetryPolicy(t *testing.T) {
	date := time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		status    []int // per attempt; 200 ends
		header    string
		wantErr   string // paperboy error code, "" for success
		wantCalls int
		wantSlept []time.Duration
	}{
		{"503 Retry-After seconds", []int{503, 200}, "120", "", 2, []time.Duration{120 * time.Second}},
		{"503 Retry-After date", []int{503, 200}, date.Add(90 * time.Second).Format(http.TimeFormat), "", 2, []time.Duration{90 * time.Second}},
		{"Retry-After capped", []int{503, 200}, "86400", "", 2, []time.Duration{DefaultMaxRetryAfter}},
		{"5xx backoff doubles, capped", []int{500, 502, 504, 500, 500, 500, 500, 200}, "", "", 8,
			[]time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second, 160 * time.Second, 300 * time.Second}},
		{"gives up", []int{500, 500, 500, 500, 500, 500, 500, 500}, "", paperboy.EUNAVAILABLE, 8, nil},
		{"404 is final", []int{404}, "", paperboy.EUNAVAILABLE, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(calls.Add(1)) - 1
				if tt.header != "" {
					w.Header().Set("Retry-After", tt.header)
				}
				w.WriteHeader(tt.status[n])
				w.Write([]byte("ok"))
			}))
			defer srv.Close()
			clock := &sleepRecorder{now: date}
			c := testClient(clock)
			c.MinInterval = 0
			var stats Stats
			err := c.Fetch(context.Background(), srv.URL, &stats, func([]byte) error { return nil })
			if got := paperboy.ErrorCode(err); got != tt.wantErr {
				t.Fatalf("Fetch error %v (code %q), want code %q", err, got, tt.wantErr)
			}
			if int(calls.Load()) != tt.wantCalls || stats.Requests != tt.wantCalls || stats.Retries != tt.wantCalls-1 {
				t.Errorf("%d calls, stats %+v; want %d", calls.Load(), stats, tt.wantCalls)
			}
			if tt.wantSlept != nil && !equalDurations(clock.slept, tt.wantSlept) {
				t.Errorf("waits %v, want %v", clock.slept, tt.wantSlept)
			}
		})
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFetchPoliteness(t *testing.T) {
	var agent atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agent.Store(r.UserAgent())
	}))
	defer srv.Close()
	clock := &sleepRecorder{now: time.Unix(0, 0)}
	c := testClient(clock)
	for range 3 {
		if err := c.Fetch(context.Background(), srv.URL, nil, func([]byte) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if want := []time.Duration{3 * time.Second, 3 * time.Second}; !equalDurations(clock.slept, want) {
		t.Errorf("waits between requests %v, want %v", clock.slept, want)
	}
	if agent.Load() != "paperboy/test" {
		t.Errorf("User-Agent %q", agent.Load())
	}
}

func TestFetchCheckDecides(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
	defer srv.Close()
	c := testClient(&sleepRecorder{})
	final := errors.New("bad argument")
	if err := c.Fetch(context.Background(), srv.URL, nil, func([]byte) error { return final }); !errors.Is(err, final) || calls.Load() != 1 {
		t.Errorf("a final check error: %v after %d calls, want it at once", err, calls.Load())
	}
	calls.Store(0)
	n := 0
	err := c.Fetch(context.Background(), srv.URL, nil, func([]byte) error {
		if n++; n < 3 {
			return Malformed(errors.New("cut off"))
		}
		return nil
	})
	if err != nil || calls.Load() != 3 {
		t.Errorf("malformed twice: %v after %d calls, want success on the third", err, calls.Load())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Fetch(ctx, srv.URL, nil, func([]byte) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled context: %v", err)
	}
}
