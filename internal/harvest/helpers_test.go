package harvest

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/arxiv"
	"paperboy/internal/harvest/oaitest"
	"paperboy/internal/store/sqlite"
)

// capturedPage is the real 1,000-record arXivRaw page (set cs, 2019-10-01 to
// 2019-10-09) that the fake server cuts into pages.
const capturedPage = "../arxiv/testdata/oai_listrecords_arxivraw.xml"

// fakeClock stands for time in the client and harvester: sleeping moves it
// on at once, and every wait is recorded.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{now: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	return ctx.Err()
}

func (c *fakeClock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

// testClient is a polite client (3 s between requests, real backoffs) on a
// fake clock, with a short real timeout for the slow-response fault.
func testClient(clock *fakeClock) *arxiv.Client {
	c := arxiv.NewClient("paperboy/test (+https://example.invalid/paperboy)")
	c.Now, c.Sleep = clock.Now, clock.Sleep
	c.Timeout = 2 * time.Second
	c.HTTP.Transport = &inFlight{next: c.HTTP.Transport}
	return c
}

// inFlight counts the client's requests from the moment it sends one until
// it closes the response body (or the round trip fails): one request at a
// time means the count never passes 1. Counting on the client, not in the
// server, keeps a request the client has already abandoned (a timeout, a
// reset) from overlapping the next one while the server notices.
type inFlight struct {
	next   http.RoundTripper
	n, max atomic.Int32
}

func (t *inFlight) RoundTrip(r *http.Request) (*http.Response, error) {
	n := t.n.Add(1)
	for m := t.max.Load(); n > m && !t.max.CompareAndSwap(m, n); m = t.max.Load() {
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil {
		t.n.Add(-1)
		return nil, err
	}
	resp.Body = &doneBody{ReadCloser: resp.Body, done: func() { t.n.Add(-1) }}
	return resp, nil
}

type doneBody struct {
	io.ReadCloser
	once sync.Once
	done func()
}

func (b *doneBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.done)
	return err
}

// maxInFlight returns the most requests h's client ever had out at once.
func maxInFlight(t *testing.T, h *Harvester) int {
	t.Helper()
	c, ok := h.Client.(*arxiv.Client)
	if !ok {
		t.Fatalf("harvester client is %T", h.Client)
	}
	return int(c.HTTP.Transport.(*inFlight).max.Load())
}

func openStore(t *testing.T, name string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), name+".db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// wantStore is the store an uninterrupted import of the captured page
// gives: the reference every harvest must end equal to.
func wantStore(t *testing.T) *sqlite.Store {
	t.Helper()
	body, err := os.ReadFile(capturedPage)
	if err != nil {
		t.Fatal(err)
	}
	page, err := arxiv.ParseOAIPage(body)
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t, "want")
	if _, err := s.UpsertPapers(context.Background(), page.Papers); err != nil {
		t.Fatal(err)
	}
	return s
}

func allPapers(t *testing.T, s paperboy.PaperStore) []*paperboy.Paper {
	t.Helper()
	ps, _, err := s.Papers(context.Background(), paperboy.PaperFilter{Order: "id"})
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// sameStores fails t unless got holds exactly the papers, versions and all,
// of want, each changed only once (no page applied twice bumped a paper).
func sameStores(t *testing.T, got, want paperboy.PaperStore) {
	t.Helper()
	g, w := allPapers(t, got), allPapers(t, want)
	if len(g) != len(w) {
		t.Fatalf("store has %d papers, want %d", len(g), len(w))
	}
	for i := range w {
		if !g[i].Equal(w[i]) {
			t.Fatalf("paper %d differs:\n got %+v\nwant %+v", i, g[i], w[i])
		}
	}
	seq, err := got.LastSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if seq != int64(len(w)) {
		t.Errorf("LastSeq = %d for %d papers: some paper was written more than once", seq, len(w))
	}
}

func newHarvester(s paperboy.HarvestStore, srv *oaitest.Server, clock *fakeClock) *Harvester {
	return &Harvester{Client: testClient(clock), BaseURL: srv.URL, Store: s, Now: clock.Now}
}

var captureDay = time.Date(2019, 10, 9, 23, 0, 0, 0, time.UTC)

var fullWindow = Job{Set: "cs", From: "2019-10-01", Until: "2019-10-09"}
