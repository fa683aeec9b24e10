package search

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"paperboy"
)

// Params are the ranking parameters of BM25F (see index.score): the
// saturation k1, and each field's weight and length normalization b.
// Only the ratios of the weights to one another and to k1 matter.
type Params struct {
	K1             float64
	TitleWeight    float64
	AbstractWeight float64
	AuthorsWeight  float64
	TitleB         float64
	AbstractB      float64
	AuthorsB       float64
	// TitleAffinity, when above 0, weighs each query term by how much more
	// often than chance it is in the titles of the papers that hold it
	// (titles or abstracts), to this power: a word of titles names what
	// papers are about (a method, a molecule, a disease), one only
	// abstracts use ("suggest", "observed", "levels") reports on it. See
	// view.affinity.
	TitleAffinity float64
	// Dirichlet is the prior of the papers' language models by which
	// Prepared.Likelihoods gives a query's likelihood (μ in Zhai and
	// Lafferty, 2001): how many words of the corpus's each paper's own
	// are smoothed with. Ranking does not use it.
	Dirichlet float64
	// LongQuery is the number of words from which a query is treated as
	// natural language rather than keywords: ranked over papers matching
	// any of its terms instead of all of them (0: never).
	LongQuery int
}

// DefaultParams are tuned on SciFact's train queries. Title affinity 0.25
// took keyword search's nDCG@10 there from 0.6987 to 0.7083 (0.2 to 0.35:
// 0.7079 to 0.7087; 0.5: 0.7064; 1: 0.6953); chosen by 5-fold
// cross-validation among 0, 0.1, 0.2, 0.25, 0.3, 0.35 and 0.5, it scores
// 0.7055 on the held-out folds (hybrid.TestTuneFusion).
func DefaultParams() Params {
	return Params{
		K1:          1.2,
		TitleWeight: 3.0, AbstractWeight: 1.0, AuthorsWeight: 1.5,
		TitleB: 0.4, AbstractB: 0.4, AuthorsB: 0.75,
		TitleAffinity: 0.25,
		Dirichlet:     1000,
		LongQuery:     5,
	}
}

func (p Params) weight(field int) float64 {
	return [numFields]float64{p.TitleWeight, p.AbstractWeight, p.AuthorsWeight}[field]
}

func (p Params) b(field int) float64 {
	return [numFields]float64{p.TitleB, p.AbstractB, p.AuthorsB}[field]
}

// Page sizes of Search.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Engine is a lexical index derived from a paper store: immutable segments
// with deletions as bitsets, held in a view that Sync replaces atomically,
// so searches never wait for writes. With WithDir it persists its segments
// and the change sequence they reflect, and resumes from them.
type Engine struct {
	store    paperboy.PaperStore
	logger   *slog.Logger
	params   Params
	pageSize int // changes read from the store at once
	batch    int // changes made into one segment and published at once
	dir      string
	workers  int // goroutines a search uses when its RankOptions name none

	syncMu sync.Mutex // serializes Sync
	st     []*stemmer // one analyzer cache per worker, kept across syncs; under syncMu
	disk   *diskState // the persisted state, when dir is set; under syncMu
	// readOnly: dir is read and never written (WithReadOnlyDir).
	readOnly bool
	loaded   bool // whether the directory was read; under syncMu

	cur atomic.Pointer[view]
}

// Option configures an Engine.
type Option func(*Engine)

// WithParams sets the ranking parameters.
func WithParams(p Params) Option { return func(e *Engine) { e.params = p } }

// WithPageSize sets how many changes Sync reads from the store at once.
func WithPageSize(n int) Option { return func(e *Engine) { e.pageSize = max(n, 1) } }

// WithWorkers sets how many goroutines one search may use, at most
// GOMAXPROCS (default 1); RankWith's options override it.
func WithWorkers(n int) Option { return func(e *Engine) { e.workers = n } }

// ParallelWorkers is how many goroutines paperboy serve lets one search
// use: one a core, at most 4.
func ParallelWorkers() int { return min(4, runtime.GOMAXPROCS(0)) }

// New returns an empty engine over store; call Sync to build the index.
func New(store paperboy.PaperStore, logger *slog.Logger, opts ...Option) *Engine {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	e := &Engine{
		store:    store,
		logger:   logger,
		params:   DefaultParams(),
		pageSize: 10000,
		batch:    10000,
	}
	for _, o := range opts {
		o(e)
	}
	e.cur.Store(newView(nil, 0))
	return e
}

// Seq returns the store change sequence number the index has caught up to.
func (e *Engine) Seq() int64 { return e.cur.Load().seq }

// Len returns the number of indexed papers.
func (e *Engine) Len() int { return e.cur.Load().live }

// Sync applies the store's changes after the last one applied: the first
// call indexes every paper, later ones add new papers, replace changed ones
// and drop deleted ones. It returns the number of changes applied, which
// stay applied if it then fails.
func (e *Engine) Sync(ctx context.Context) (applied int, err error) {
	e.syncMu.Lock()
	defer e.syncMu.Unlock()
	began := time.Now()
	if err := e.load(); err != nil {
		return 0, err
	}
	for {
		after := e.Seq()
		changes, err := e.store.Changes(ctx, after, e.pageSize)
		if err != nil {
			return applied, fmt.Errorf("search sync: changes after %d: %w", after, err)
		}
		if len(changes) == 0 {
			break
		}
		if err := e.apply(ctx, changes); err != nil {
			return applied, err
		}
		applied += len(changes)
		if len(changes) < e.pageSize {
			break
		}
	}
	if applied > 0 {
		if err := e.merge(); err != nil {
			return applied, err
		}
		e.logger.Info("search index synced", "applied", applied, "seq", e.Seq(),
			"papers", e.Len(), "duration", time.Since(began))
	}
	return applied, nil
}

// minPerWorker is the fewest papers worth another analysis goroutine.
const minPerWorker = 256

// analyze analyzes the changed papers, on up to GOMAXPROCS goroutines
// that each keep their own stem cache; deletions stay nil.
func (e *Engine) analyze(changes []paperboy.Change) []*analyzedDoc {
	docs := make([]*analyzedDoc, len(changes))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(changes)/minPerWorker))
	for len(e.st) < workers {
		e.st = append(e.st, newStemmer())
	}
	var wg sync.WaitGroup
	per := (len(changes) + workers - 1) / workers
	for w := range workers {
		st, from, to := e.st[w], w*per, min((w+1)*per, len(changes))
		wg.Go(func() {
			for i := from; i < to; i++ {
				if p := changes[i].Paper; p != nil {
					docs[i] = analyzePaper(p, st)
				}
			}
		})
	}
	wg.Wait()
	return docs
}

// apply analyzes a page of changes, then makes each batch of them a
// segment, deletes the papers' earlier versions, and publishes the result.
// The merges that the policy asks for after a batch wait for the next
// batch, or for the end of Sync: those after a page's last batch run
// while the next page is analyzed, so that merging, whose writing is
// serial, and analysis share the CPUs.
func (e *Engine) apply(ctx context.Context, changes []paperboy.Change) error {
	merged := make(chan error, 1)
	go func() { merged <- e.merge() }()
	docs := e.analyze(changes)
	if err := <-merged; err != nil {
		return err
	}
	for start := 0; start < len(changes); start += e.batch {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("search sync: %w", err)
		}
		if start > 0 {
			if err := e.merge(); err != nil {
				return err
			}
		}
		end := min(start+e.batch, len(changes))
		if err := e.commit(changes[start:end], docs[start:end]); err != nil {
			return err
		}
	}
	return nil
}
