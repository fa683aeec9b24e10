package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"paperboy"
	"paperboy/internal/account"
	"paperboy/internal/community"
	"paperboy/internal/config"
	"paperboy/internal/demo"
	"paperboy/internal/digest"
	"paperboy/internal/harvest"
	"paperboy/internal/hybrid"
	"paperboy/internal/ingest"
	"paperboy/internal/jobs"
	"paperboy/internal/mail"
	"paperboy/internal/search"
	"paperboy/internal/server"
	"paperboy/internal/store"
	"paperboy/internal/trending"
)

// Main is the paperboy server program. Tests boot it on 127.0.0.1:0 with a
// temporary database, exactly as `paperboy serve` runs it.
type Main struct {
	Config config.Config
	Logger *slog.Logger
	Now    func() time.Time

	Store  paperboy.Store
	Search *search.Engine
	// Harvest keeps the store current from arXiv (with --harvest) and
	// reports on harvesting.
	Harvest *harvest.Service
	// Accounts signs people in (accounts.go). Mail, when set before Run,
	// delivers its e-mails instead of the sender the configuration names.
	Accounts *account.Service
	Mail     mail.Sender
	// Community and Trending (community.go): upvotes, submissions,
	// comments and the trending job. ArxivAPI, when set before Run,
	// replaces the arXiv API URL submissions look papers up at.
	Community *community.Service
	Trending  *trending.Service
	ArxivAPI  string
	// Digest sends the e-mail digest (digest.go).
	Digest *digest.Service
	// Jobs leases background jobs so each runs once across the replicas
	// of one database (jobs.go).
	Jobs *jobs.Runner
	// Semantic keeps paper vectors current for semantic search and
	// related papers (semantic.go); nil when the store keeps no vectors.
	Semantic *hybrid.Semantic
	semState *semanticState
	// vectorsLoading, when set, is called as the vectors start loading in
	// the background (tests hold it to see serve answer meanwhile).
	vectorsLoading func()

	ln     net.Listener
	http   *http.Server
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// NewMain returns a Main with the given configuration that logs to w.
func NewMain(cfg config.Config, w io.Writer) (*Main, error) {
	if err := cfg.Validate(); err != nil {
		return nil, &usageError{msg: "invalid configuration:\n" + err.Error()}
	}
	level, _ := cfg.Level()
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(w, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(w, opts)
	}
	return &Main{Config: cfg, Logger: slog.New(h), Now: time.Now}, nil
}

// Run opens the store, imports the demo data if asked and the store is
// empty, builds the search index, and starts serving HTTP. It returns once
// the server is listening; Close stops it.
func (m *Main) Run(ctx context.Context) error {
	start := m.Now()
	// serve never upgrades a schema that is behind: `paperboy migrate` does.
	st, err := store.Open(ctx, m.Config.DB, m.Logger, store.RequireCurrentSchema())
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	m.Store = st
	m.Jobs = m.newJobs()
	if m.Config.Demo {
		if err := m.importDemo(ctx); err != nil {
			return err
		}
	}
	if m.Harvest, err = m.startHarvest(); err != nil {
		return err
	}
	if err := m.startAccounts(); err != nil {
		return err
	}
	if err := m.startCommunity(); err != nil {
		return err
	}
	searchOpts := []search.Option{search.WithWorkers(search.ParallelWorkers())}
	if dir := lexicalDir(m.Config.DB); dir != "" {
		searchOpts = append(searchOpts, search.WithDir(dir))
	}
	m.Search = search.New(st, m.Logger, searchOpts...)
	n, err := m.Search.Sync(ctx)
	if err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	m.Logger.Info("search_index_ready", "papers", m.Search.Len(), "applied", n, "duration", m.Now().Sub(start))
	m.startSemantic()
	if err := m.startDigest(ctx); err != nil {
		return err
	}
	if m.ln, err = net.Listen("tcp", m.Config.Addr); err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.http = &http.Server{
		Handler: server.New(server.Deps{
			Papers: st, Search: hybrid.New(m.Search, m.Semantic, st, m.Logger), Logger: m.Logger, Now: m.Now, Version: Version(),
			Harvest: m.harvestMonitor(), Accounts: m.Accounts,
			Community: m.Community, Trending: m.Trending, Digest: m.Digest,
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	bg, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.cancel = cancel
	m.wg.Add(4)
	go m.serve()
	go m.syncLoop(bg)
	go m.embedLoop(bg)
	go m.harvestLoop(bg)
	m.runTrending(bg)
	m.runDigestScheduler(bg)
	m.Logger.Info("listening", "addr", "http://"+m.Addr(), "db", m.Config.DB, "startup", m.Now().Sub(start))
	return nil
}

// Addr is the address the server listens on, with the real port.
func (m *Main) Addr() string {
	if m.ln == nil {
		return ""
	}
	return m.ln.Addr().String()
}

func (m *Main) serve() {
	defer m.wg.Done()
	if err := m.http.Serve(m.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		m.Logger.Error("http_serve_failed", "err", err)
	}
}

// syncLoop keeps the search index caught up with the store's change sequence.
func (m *Main) syncLoop(ctx context.Context) {
	defer m.wg.Done()
	interval := m.Config.SyncInterval
	if interval <= 0 {
		interval = config.DefaultSyncInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := m.Search.Sync(ctx); err != nil && ctx.Err() == nil {
				m.Logger.Error("search_sync_failed", "err", err)
			} else if n > 0 {
				m.Logger.Info("search_synced", "changes", n)
			}
			m.syncSemantic(ctx)
		}
	}
}

// importDemo imports the bundled sample into an empty store.
func (m *Main) importDemo(ctx context.Context) error {
	n, err := m.Store.CountPapers(ctx)
	if err != nil {
		return fmt.Errorf("count papers: %w", err)
	}
	if n > 0 {
		m.Logger.Info("demo_skipped", "reason", "database not empty", "papers", n)
		return nil
	}
	im := &ingest.Importer{Store: m.Store, Logger: m.Logger}
	stats, err := im.Import(ctx, demo.SampleName, demo.Sample())
	if err != nil {
		return fmt.Errorf("import demo data: %w", err)
	}
	m.Logger.Info("demo_imported", "papers", stats.Inserted)
	return nil
}

// Close shuts the server down gracefully, letting requests in flight
// finish, then closes the store.
func (m *Main) Close() error {
	var errs []error
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		errs = append(errs, m.http.Shutdown(ctx))
	}
	if m.cancel != nil {
		m.cancel()
	}
	m.wg.Wait()
	errs = append(errs, m.closeAccounts())
	if m.Store != nil {
		errs = append(errs, m.Store.Close())
	}
	return errors.Join(errs...)
}
