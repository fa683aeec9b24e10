package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"paperboy"
	"paperboy/internal/config"
	"paperboy/internal/embed"
	"paperboy/internal/hybrid"
)

// Retraining of the built-in embedder: once a day, or sooner when the
// corpus has grown by a fifth since the model was trained.
const (
	retrainEvery  = 24 * time.Hour
	retrainGrowth = 1.2
	retrainCheck  = time.Hour
	probeTimeout  = 10 * time.Second
)

// semanticState is what serve knows about its embedder beyond the
// Semantic service: when and on how many papers the built-in model was
// trained, and whether the first vectors are ready.
type semanticState struct {
	mu        sync.Mutex
	client    *embed.Client // the configured external embedder; nil: built-in
	trainedAt time.Time
	docs      int // papers in the store when the active built-in model was trained
	readyOnce sync.Once
	ready     chan struct{}
	loaded    atomic.Bool // the stored sets are restored (see loadSemantic)
}

// SemanticReady is closed once semantic search has a complete set of
// vectors; until then searches answer lexically and say so.
func (m *Main) SemanticReady() <-chan struct{} { return m.semState.ready }

// startSemantic makes the semantic side of search; embedLoop restores its
// vectors in the background (loadSemantic).
func (m *Main) startSemantic() {
	m.semState = &semanticState{ready: make(chan struct{})}
	m.Semantic = hybrid.NewSemantic(m.Store, m.Store, m.Logger, hybrid.WithClock(m.Now), hybrid.WithIndexDir(vectorDir(m.Config.DB, m.Config.Embed.VectorDir)))
}

// loadSemantic restores the stored vector sets and, with an embeddings
// service configured, probes it and makes it the embedder of new vectors.
// It runs behind serve, which answers lexically (and says so) until the
// vectors are ready: restoring is quick from the index files, but a first
// start, or one without them, builds the vector index of every stored
// vector, tens of minutes for millions of papers. Training the built-in
// embedder is left to embedLoop.
func (m *Main) loadSemantic(ctx context.Context) error {
	if m.vectorsLoading != nil {
		m.vectorsLoading()
	}
	st := m.Store
	// Without the service, search answers lexically (and says so) until a
	// restart reaches it; the built-in embedder is not trained behind the
	// operator's back.
	m.semState.client = probeClient(ctx, m.Config, m.Logger)
	if err := m.Semantic.Load(ctx, embedderResolver(m.semState.client)); err != nil {
		return fmt.Errorf("load vectors: %w", err)
	}
	if c, ok := m.Semantic.Active(); ok && c.Embedder == embed.BuiltinName {
		// The daily retraining counts from this start.
		n, err := st.CountPapers(ctx)
		if err != nil {
			return fmt.Errorf("count papers: %w", err)
		}
		m.semState.docs, m.semState.trainedAt = n, m.Now()
	}
	if client := m.semState.client; client != nil {
		if err := m.Semantic.Use(ctx, client, nil); err != nil {
			return fmt.Errorf("use embedder %v: %w", client.Contract(), err)
		}
	}
	m.semState.loaded.Store(true)
	m.markSemanticReady()
	return nil
}

// probeClient returns the configured embeddings service once it has
// answered a probe; nil when none is configured or it did not answer
// (logged).
func probeClient(ctx context.Context, cfg config.Config, logger *slog.Logger) *embed.Client {
	c := cfg.Embed
	if c.URL == "" {
		return nil
	}
	client := embed.NewClient(embed.ClientConfig{BaseURL: c.URL, Model: c.Model, Key: c.Key})
	pctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	if err := client.Probe(pctx); err != nil {
		logger.Error("embed_probe_failed", "url", c.URL, "model", c.Model, "err", err)
		return nil
	}
	return client
}

// embedderResolver restores the embedder of a stored set: the built-in
// one from its model, an external one only if it is client (nil: none).
func embedderResolver(client *embed.Client) hybrid.Resolver {
	return func(c paperboy.EmbedContract, model []byte) (embed.Embedder, error) {
		if c.Embedder == embed.ClientName {
			if client != nil && client.Contract() == c {
				return client, nil
			}
			return nil, fmt.Errorf("no embeddings service configured for %v", c)
		}
		return builtinResolver(c, model)
	}
}

func (m *Main) markSemanticReady() {
	if m.Semantic != nil && m.Semantic.Ready() {
		m.semState.readyOnce.Do(func() { close(m.semState.ready) })
	}
}

// vectorDir is where serve keeps its vector indexes: the configured
// directory, or beside a plain SQLite database file; "" (rebuild them at
// each start) for PostgreSQL without one.
func vectorDir(db, configured string) string {
	if configured != "" {
		return configured
	}
	return besideDB(db, ".vectors")
}

// besideDB is the path of a directory kept beside a plain SQLite database
// file, db+suffix; "" for a PostgreSQL URL or no database.
func besideDB(db, suffix string) string {
	if db == "" || strings.Contains(db, ":") {
		return ""
	}
	return db + suffix
}

// embedLoop trains the built-in embedder when no vectors exist yet, and
// retrains it daily or when the corpus has grown by a fifth. New vectors
// are filled in here; searches keep using the previous ones meanwhile.
// When serve stops, it saves the vector indexes.
func (m *Main) embedLoop(ctx context.Context) {
	defer m.wg.Done()
	if m.Semantic == nil {
		return
	}
	defer m.closeSemantic()
	began := m.Now()
	if err := m.loadSemantic(ctx); err != nil {
		if ctx.Err() == nil {
			m.Logger.Error("vector_load_failed", "err", err)
		}
		return
	}
	m.Logger.Info("vectors_loaded", "duration", m.Now().Sub(began))
	if m.semState.client != nil || m.Config.Embed.URL != "" {
		<-ctx.Done()
		return
	}
	if _, ok := m.Semantic.Active(); !ok {
		m.retrain(ctx)
	}
	t := time.NewTicker(retrainCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if m.retrainDue(ctx) {
				m.retrain(ctx)
			}
		}
	}
}

func (m *Main) retrainDue(ctx context.Context) bool {
	n, err := m.Store.CountPapers(ctx)
	if err != nil {
		m.Logger.Error("embed_retrain_check_failed", "err", err)
		return false
	}
	m.semState.mu.Lock()
	defer m.semState.mu.Unlock()
	return m.Now().Sub(m.semState.trainedAt) >= retrainEvery || float64(n) >= retrainGrowth*float64(m.semState.docs)
}

// retrain trains the built-in embedder on every paper, makes it the
// embedder of new vectors and fills them.
func (m *Main) retrain(ctx context.Context) {
	began := m.Now()
	n, err := m.Store.CountPapers(ctx)
	if err != nil || n == 0 {
		return // nothing to learn from yet (or no store): the next check tries again
	}
	emb, model, err := trainBuiltin(ctx, m.Store, m.Store, retrainOptions(m.Semantic.ActiveEmbedder()), io.Discard)
	if err != nil {
		if ctx.Err() == nil {
			m.Logger.Error("embed_train_failed", "err", err)
		}
		return
	}
	m.semState.mu.Lock()
	m.semState.docs, m.semState.trainedAt = n, m.Now()
	m.semState.mu.Unlock()
	if err := m.Semantic.Use(ctx, emb, model); err != nil {
		m.Logger.Error("embed_use_failed", "contract", emb.Contract().String(), "err", err)
		return
	}
	m.syncSemantic(ctx)
	m.Logger.Info("embed_trained", "contract", emb.Contract().String(), "papers", n, "duration", m.Now().Sub(began))
}

// retrainOptions are the options of a retraining: the defaults, with the
// dimension and refinement of the built-in model in use (active), so that
// what `paperboy embed train` chose lasts.
func retrainOptions(active embed.Embedder) embed.TrainOptions {
	o := embed.DefaultTrainOptions()
	if b, ok := active.(*embed.Builtin); ok {
		o.Dim, o.Refine = b.Model().Dim, b.Model().Refined
	}
	return o
}

func (m *Main) closeSemantic() {
	if err := m.Semantic.Close(); err != nil {
		m.Logger.Error("vector_index_save_failed", "err", err)
	}
}

// syncSemantic embeds the papers changed since the last call.
func (m *Main) syncSemantic(ctx context.Context) {
	if m.Semantic == nil || !m.semState.loaded.Load() {
		return // loadSemantic catches up as it loads
	}
	if _, err := m.Semantic.Sync(ctx); err != nil && ctx.Err() == nil {
		m.Logger.Error("vector_sync_failed", "err", err)
	}
	m.markSemanticReady()
}
