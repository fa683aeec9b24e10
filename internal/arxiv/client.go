package arxiv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"paperboy"
)

// Politeness and retry defaults, after arXiv's API terms: one connection,
// no more than one request every three seconds, and 503 Retry-After obeyed.
const (
	DefaultMinInterval   = 3 * time.Second
	DefaultTimeout       = 2 * time.Minute // one request, headers and body; a page is ~2 MB
	DefaultMaxAttempts   = 8
	DefaultBaseBackoff   = 5 * time.Second
	DefaultMaxBackoff    = 5 * time.Minute
	DefaultMaxRetryAfter = 15 * time.Minute
	DefaultMaxBody       = 64 << 20
)

// Client fetches from arXiv's HTTP services (OAI-PMH, RSS) politely and
// survives their failures. Requests are serialised: one at a time, over one
// connection, at least MinInterval apart. A 503 or 429 with Retry-After is
// waited out; other 5xx, timeouts, connection resets and bodies that do not
// parse are retried with capped exponential backoff. The whole body is read
// and checked before a caller sees any of it, so a page is used whole or not
// at all.
//
// NewClient sets the defaults; tests set MinInterval and the backoffs to 0
// and inject Now and Sleep, so that nothing really waits.
type Client struct {
	HTTP          *http.Client
	UserAgent     string
	MinInterval   time.Duration // between the starts of two requests
	Timeout       time.Duration // per attempt; 0 means none
	MaxAttempts   int           // attempts per fetch, the first included
	BaseBackoff   time.Duration // wait after the first failure, doubled after each
	MaxBackoff    time.Duration
	MaxRetryAfter time.Duration // a longer Retry-After is cut to this
	MaxBody       int64         // a larger body is an error
	Now           func() time.Time
	Sleep         func(ctx context.Context, d time.Duration) error
	Logger        *slog.Logger

	mu   sync.Mutex // held for a whole fetch: one request at a time
	last time.Time  // start of the previous request
}

// NewClient returns a client with the polite defaults that sends userAgent,
// which should name the program, its version and a contact URL.
func NewClient(userAgent string) *Client {
	return &Client{
		HTTP:          &http.Client{Transport: oneConnTransport()},
		UserAgent:     userAgent,
		MinInterval:   DefaultMinInterval,
		Timeout:       DefaultTimeout,
		MaxAttempts:   DefaultMaxAttempts,
		BaseBackoff:   DefaultBaseBackoff,
		MaxBackoff:    DefaultMaxBackoff,
		MaxRetryAfter: DefaultMaxRetryAfter,
		MaxBody:       DefaultMaxBody,
	}
}

// oneConnTransport keeps at most one connection per host, reused.
func oneConnTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxConnsPerHost = 1
	t.MaxIdleConnsPerHost = 1
	t.ForceAttemptHTTP2 = false // HTTP/1.1: one request per connection at a time
	return t
}

// Stats counts what a client's fetches did.
type Stats struct {
	Requests int // HTTP requests sent
	Retries  int // attempts after a failed one
	Bytes    int64
}

// retryable marks a body that was received but is unusable (truncated,
// malformed): fetching it again may help.
type retryable struct{ err error }

func (e *retryable) Error() string { return e.err.Error() }
func (e *retryable) Unwrap() error { return e.err }

// Malformed wraps err, from a check of a fetched body, to say that the body
// was damaged and fetching it again may help.
func Malformed(err error) error { return &retryable{err: err} }

// waitError asks the retry loop to wait d (a Retry-After) instead of its
// own backoff.
type waitError struct {
	err  error
	wait time.Duration
}

func (e *waitError) Error() string { return e.err.Error() }
func (e *waitError) Unwrap() error { return e.err }

// Fetch GETs url and hands the whole body to check. It retries transient
// failures and bodies check rejects with Malformed, and returns check's
// other errors, and an HTTP 4xx, at once. Once attempts run out it returns
// EUNAVAILABLE wrapping the last failure.
func (c *Client) Fetch(ctx context.Context, url string, stats *Stats, check func(body []byte) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if stats == nil {
		stats = &Stats{}
	}
	var last error
	for attempt := 1; attempt <= max(c.MaxAttempts, 1); attempt++ {
		if attempt > 1 {
			stats.Retries++
			if err := c.sleep(ctx, c.backoff(attempt-1, last)); err != nil {
				return err
			}
		}
		if err := c.sleep(ctx, c.last.Add(c.MinInterval).Sub(c.now())); err != nil {
			return err
		}
		c.last = c.now()
		stats.Requests++
		body, err := c.get(ctx, url)
		stats.Bytes += int64(len(body))
		if err == nil {
			if err = check(body); err == nil {
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !isTransient(err) {
			return err
		}
		last = err
		c.logger().Warn("arxiv_fetch_retry", "url", url, "attempt", attempt, "err", err)
	}
	return fmt.Errorf("%w: %w", paperboy.Errorf(paperboy.EUNAVAILABLE,
		"arXiv did not answer usefully after %d attempts.", max(c.MaxAttempts, 1)), last)
}

// get does one request and reads the whole body within the timeout.
func (c *Client) get(ctx context.Context, url string) ([]byte, error) {
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, paperboy.Errorf(paperboy.EINVALID, "Bad arXiv URL %q: %v", url, err)
	}
	req.Header.Set("User-Agent", c.UserAgent) // gzip is asked for and undone by the transport
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, &retryable{err: fmt.Errorf("GET %s: %w", url, err)}
	}
	defer resp.Body.Close()
	if err := c.statusError(resp, url); err != nil {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // so the connection is reused
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody()+1))
	if err != nil {
		return body, &retryable{err: fmt.Errorf("GET %s: read body: %w", url, err)}
	}
	if int64(len(body)) > c.maxBody() {
		return nil, fmt.Errorf("GET %s: body larger than %d bytes", url, c.maxBody())
	}
	return body, nil
}

// statusError classifies a non-200 response: 503 and 429 wait their
// Retry-After, other 5xx back off, anything else is final.
func (c *Client) statusError(resp *http.Response, url string) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	err := fmt.Errorf("GET %s: HTTP %s", url, resp.Status)
	switch {
	case resp.StatusCode == http.StatusServiceUnavailable, resp.StatusCode == http.StatusTooManyRequests:
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), c.now()); ok {
			return &waitError{err: err, wait: min(d, c.MaxRetryAfter)}
		}
		return &retryable{err: err}
	case resp.StatusCode >= 500:
		return &retryable{err: err}
	}
	return paperboy.Errorf(paperboy.EUNAVAILABLE, "arXiv answered %s for %s.", resp.Status, url)
}

// parseRetryAfter reads delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func isTransient(err error) bool {
	var r *retryable
	var w *waitError
	var ne net.Error
	return errors.As(err, &r) || errors.As(err, &w) || errors.As(err, &ne) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded)
}

// backoff is the wait before retry n (1-based): the server's Retry-After
// when it sent one, else BaseBackoff doubled n-1 times, capped at MaxBackoff.
func (c *Client) backoff(n int, last error) time.Duration {
	var w *waitError
	if errors.As(last, &w) {
		return w.wait
	}
	d := c.BaseBackoff
	for i := 1; i < n && d < c.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, c.MaxBackoff)
}

func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	if c.Sleep != nil {
		return c.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

func (c *Client) maxBody() int64 {
	if c.MaxBody > 0 {
		return c.MaxBody
	}
	return DefaultMaxBody
}

func (c *Client) logger() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.New(slog.DiscardHandler)
}
