package harvest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"paperboy"
)

// TestHarvestCapturedFlowControl replays a real exchange with arXiv's
// OAI-PMH endpoint (testdata/README.md): ListRecords answered first by a
// 503 with Retry-After: 10 (arXiv's flow control), then, asked again, by a
// 200 with two records. The harvest waits the 10 s it was told, no less
// and no more, asks once more with the same request and stores both papers.
func TestHarvestCapturedFlowControl(t *testing.T) {
	busy, page := readFile(t, "testdata/oai_flowcontrol_503.html"), readFile(t, "testdata/oai_flowcontrol_200.xml")
	var mu sync.Mutex
	var queries []url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		queries = append(queries, r.URL.Query())
		n := len(queries)
		mu.Unlock()
		w.Header().Set("Connection", "close") // as arXiv's Apache answered
		if n == 1 {
			w.Header().Set("Retry-After", "10")
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write(busy)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		w.Write(page)
	}))
	t.Cleanup(srv.Close)

	clock := newFakeClock(time.Date(2015, 1, 4, 12, 0, 0, 0, time.UTC))
	s := openStore(t, "flow")
	h := &Harvester{Client: testClient(clock), BaseURL: srv.URL, Store: s, Now: clock.Now}
	run, err := h.Harvest(context.Background(), Job{Prefix: "arXiv", From: "2015-01-01", Until: "2015-01-03"})
	if err != nil || !run.OK() || run.Pages != 1 || run.Inserted != 2 || run.Retries != 1 {
		t.Fatalf("Harvest = %+v, %v; want one page, 2 papers, the 503 retried once", run, err)
	}
	if slept := clock.Slept(); !slices.Equal(slept, []time.Duration{10 * time.Second}) {
		t.Errorf("waits %v, want the 503's Retry-After of 10s, once", slept)
	}
	want := url.Values{"verb": {"ListRecords"}, "metadataPrefix": {"arXiv"}, "from": {"2015-01-01"}, "until": {"2015-01-03"}}
	if len(queries) != 2 {
		t.Fatalf("%d requests, want 2", len(queries))
	}
	for i, q := range queries {
		if q.Encode() != want.Encode() {
			t.Errorf("request %d = %s, want %s (the captured request)", i+1, q.Encode(), want.Encode())
		}
	}
	for _, id := range []paperboy.ArxivID{"1412.8544", "hep-th/9504118"} {
		if p, err := s.Paper(context.Background(), id); err != nil || p.Title == "" {
			t.Errorf("paper %s = %+v, %v; want it stored", id, p, err)
		}
	}
	cp, err := s.HarvestCheckpoint(context.Background(), "*", "arXiv")
	if err != nil || !cp.Done || cp.Frontier != "2015-01-03" || cp.LastDatestamp != "2015-01-03" {
		t.Errorf("checkpoint = %+v, %v; want the window done", cp, err)
	}
}
