package embed

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"paperboy"
)

// ClientName is the embedder name in the contract of an external model.
const ClientName = "openai"

// ClientConfig configures a client of an OpenAI-compatible embeddings API.
type ClientConfig struct {
	BaseURL     string // e.g. http://localhost:11434 (Ollama); /v1/embeddings is appended
	Model       string
	Key         string // sent as a bearer token when set
	Batch       int    // texts per request (default 64)
	Concurrency int    // requests in flight (default 4)
	Retries     int    // retries of a batch after 429 or 5xx (default 4)
	Backoff     time.Duration
	HTTP        *http.Client
}

// Client is an Embedder backed by POST {base}/v1/embeddings, the API of
// OpenAI, Ollama, vLLM, TEI and llama.cpp's server. Its dimension is learnt
// from the first answer (see Probe).
type Client struct {
	cfg  ClientConfig
	url  string
	mu   sync.Mutex
	dim  int
	wait func(ctx context.Context, d time.Duration) error
}

var _ Embedder = (*Client)(nil)

// NewClient returns a client; Probe must succeed before Contract is
// complete.
func NewClient(cfg ClientConfig) *Client {
	if cfg.Batch <= 0 {
		cfg.Batch = 64
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.Retries <= 0 {
		cfg.Retries = 4
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 500 * time.Millisecond
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: time.Minute}
	}
	return &Client{cfg: cfg, url: strings.TrimRight(cfg.BaseURL, "/") + "/v1/embeddings", wait: sleep}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Probe embeds one word to learn the model's dimension.
func (c *Client) Probe(ctx context.Context) error {
	_, err := c.EmbedQuery(ctx, "dimension")
	return err
}

// Contract implements Embedder.
func (c *Client) Contract() paperboy.EmbedContract {
	c.mu.Lock()
	defer c.mu.Unlock()
	return paperboy.EmbedContract{Embedder: ClientName, Model: c.cfg.Model, Dim: c.dim}
}

// EmbedQuery implements Embedder with one request and no retries: the
// caller's deadline is the query's budget.
func (c *Client) EmbedQuery(ctx context.Context, text string) ([]float32, error) {
	out, err := c.post(ctx, []string{text})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// EmbedDocuments implements Embedder: batches of cfg.Batch texts, at most
// cfg.Concurrency in flight, each retried with exponential backoff on 429
// and 5xx answers.
func (c *Client) EmbedDocuments(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sem := make(chan struct{}, c.cfg.Concurrency)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for start := 0; start < len(texts); start += c.cfg.Batch {
		end := min(start+c.cfg.Batch, len(texts))
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			vecs, err := c.postRetrying(ctx, texts[start:end])
			if err != nil {
				once.Do(func() { first = err; cancel() })
				return
			}
			copy(out[start:end], vecs)
		})
	}
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return out, nil
}

func (c *Client) postRetrying(ctx context.Context, texts []string) ([][]float32, error) {
	delay := c.cfg.Backoff
	for attempt := 0; ; attempt++ {
		out, err := c.post(ctx, texts)
		var he *httpError
		if err == nil || attempt >= c.cfg.Retries || !asHTTPError(err, &he) || !he.retryable() {
			return out, err
		}
		d := delay
		if he.retryAfter > 0 {
			d = he.retryAfter
		}
		if err := c.wait(ctx, d); err != nil {
			return nil, err
		}
		delay *= 2
	}
}

type embedRequest struct {
	Model string   `json:"model"`
	Input []string `json:"input"`
}

type embedResponse struct {
	Data []struct {
		Index     int       `json:"index"`
		Embedding []float32 `json:"embedding"`
	} `json:"data"`
}

// post sends one request and returns normalized vectors in input order.
func (c *Client) post(ctx context.Context, texts []string) ([][]float32, error) {
	body, _ := json.Marshal(embedRequest{Model: c.cfg.Model, Input: texts})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("embeddings request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.cfg.Key != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.Key)
	}
	resp, err := c.cfg.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("embeddings request: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		he := &httpError{status: resp.StatusCode, body: strings.TrimSpace(string(msg))}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
			he.retryAfter = time.Duration(s) * time.Second
		}
		return nil, he
	}
	var r embedResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 256<<20)).Decode(&r); err != nil {
		return nil, fmt.Errorf("embeddings response: %w", err)
	}
	return c.collect(r, len(texts))
}

// collect orders the answer's vectors by index and checks their number and
// dimension.
func (c *Client) collect(r embedResponse, n int) ([][]float32, error) {
	if len(r.Data) != n {
		return nil, fmt.Errorf("embeddings response: %d vectors for %d texts", len(r.Data), n)
	}
	out := make([][]float32, n)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range r.Data {
		if d.Index < 0 || d.Index >= n || out[d.Index] != nil || len(d.Embedding) == 0 {
			return nil, fmt.Errorf("embeddings response: bad or repeated index %d", d.Index)
		}
		if c.dim == 0 {
			c.dim = len(d.Embedding)
		}
		if len(d.Embedding) != c.dim {
			return nil, fmt.Errorf("embeddings response: dimension %d, want %d", len(d.Embedding), c.dim)
		}
		out[d.Index] = Normalize(d.Embedding)
	}
	return out, nil
}

// httpError is a non-200 answer.
type httpError struct {
	status     int
	body       string
	retryAfter time.Duration
}

func (e *httpError) Error() string {
	return fmt.Sprintf("embeddings endpoint answered %d: %s", e.status, e.body)
}

func (e *httpError) retryable() bool {
	return e.status == http.StatusTooManyRequests || e.status >= 500
}

func asHTTPError(err error, target **httpError) bool {
	he, ok := err.(*httpError)
	if ok {
		*target = he
	}
	return ok
}
