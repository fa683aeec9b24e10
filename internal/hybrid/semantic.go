package hybrid

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"paperboy"
	"paperboy/internal/embed"
	"paperboy/internal/vector"
)

// Resolver returns the embedder of a stored set, given the model stored
// with it: the built-in embedder decodes its model, an external one is the
// configured client if its contract matches.
type Resolver func(c paperboy.EmbedContract, model []byte) (embed.Embedder, error)

// generation is one embedder with the index of its vectors.
type generation struct {
	emb     embed.Embedder
	idx     *vector.HNSW
	seq     int64     // the change sequence its vectors have caught up to
	created time.Time // of its stored set, which tells it from a later set of the same contract
	unsaved int       // changes applied since the index file was written
	savedAt time.Time
}

// Semantic keeps the vectors of the store's papers up to date and answers
// nearest-neighbour queries. While a new embedder's vectors are being
// built, queries use the previous embedder's; the new set takes over once
// it has caught up with the store.
type Semantic struct {
	papers paperboy.PaperStore
	vecs   paperboy.EmbeddingStore
	logger *slog.Logger
	now    func() time.Time
	batch  int
	dir    string // where the index files are kept; "" keeps none
	// readOnly: the index files are read, never written or removed
	// (WithReadOnlyIndexes).
	readOnly bool
	hnsw     vector.HNSWOptions
	progress func(done, total int64) // WithProgress

	syncMu sync.Mutex // serializes Sync, Use and Load

	mu       sync.RWMutex
	active   *generation
	building *generation
}

// SemanticOption configures a Semantic.
type SemanticOption func(*Semantic)

// WithIndexDir keeps the vector index of each set in a file in dir, so that
// a restart loads the graph and catches it up with the vectors stored
// since, instead of building it again (persist.go).
func WithIndexDir(dir string) SemanticOption { return func(s *Semantic) { s.dir = dir } }

// WithReadOnlyIndexes makes the service read the index files in the
// WithIndexDir directory and never write, replace or remove one, for a
// process that looks a few queries up beside serve (the search command).
// An index file behind the stored vectors is caught up in memory. Where
// there is no sound file, no graph is linked (up to an hour at millions
// of vectors): the stored vectors are searched exactly, a few hundred
// milliseconds a query at 2.5 million.
func WithReadOnlyIndexes() SemanticOption { return func(s *Semantic) { s.readOnly = true } }

// WithProgress calls f after each batch that Sync embeds, with how far
// the set being caught up has come: done of total changes in the store's
// change sequence (the command line's progress bar).
func WithProgress(f func(done, total int64)) SemanticOption {
	return func(s *Semantic) { s.progress = f }
}

// progressLogEvery spaces the vectors_progress lines that a long catch-up
// (a new embedder's set: minutes at hundreds of thousands of papers) logs.
const progressLogEvery = 15 * time.Second

// WithClock sets the clock that spaces the saves of the index files.
func WithClock(now func() time.Time) SemanticOption { return func(s *Semantic) { s.now = now } }

// DefaultHNSW is the vector indexes' options unless WithHNSW says
// otherwise: beam search from layer 1 at the HNSW default beam width,
// which found 0.97 of the exact top 10 of held-out papers and 0.96 for
// search questions at 2.5 million LSA-like vectors, p99 7.3 ms
// (BenchmarkANN), where the greedy entry point found 0.93 and 0.92; and
// a denser graph (M 32, links filled up to M), which on the built-in
// embedder's own vectors of 300,000 synthetic papers found 0.975 of the
// exact top 10 of hybrid search's walk at ef 256, against 0.955 with M 24
// unfilled, for twice the linking time (BenchmarkGraphOptions); at 2.5
// million, 0.907 against 0.875 (docs/semantic.md). The graph is walked on
// int8 codes of the vectors, re-ranked on the floats: at 2.5 million,
// hybrid search's walk took 0.68 to 0.74 of the time on the floats, for
// the same recall (BenchmarkGraphWalks).
func DefaultHNSW() vector.HNSWOptions {
	return vector.HNSWOptions{Beam: true, M: 32, Fill: true, Int8: true}
}

// WithHNSW sets the options of the vector indexes.
func WithHNSW(o vector.HNSWOptions) SemanticOption { return func(s *Semantic) { s.hnsw = o } }

// NewSemantic returns a service with no embedder; call Load or Use, then
// Sync, and Close to save the indexes.
func NewSemantic(papers paperboy.PaperStore, vecs paperboy.EmbeddingStore, logger *slog.Logger, opts ...SemanticOption) *Semantic {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Semantic{papers: papers, vecs: vecs, logger: logger, now: time.Now, batch: 256, hnsw: DefaultHNSW()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Ready reports whether queries can be answered semantically.
func (s *Semantic) Ready() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.active != nil
}

// Active returns the contract of the embedder queries use, and whether
// there is one.
func (s *Semantic) Active() (paperboy.EmbedContract, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.active == nil {
		return paperboy.EmbedContract{}, false
	}
	return s.active.emb.Contract(), true
}

// ActiveEmbedder returns the embedder queries use (nil: none yet).
func (s *Semantic) ActiveEmbedder() embed.Embedder {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.active == nil {
		return nil
	}
	return s.active.emb
}

// Load restores the stored sets: the active one and the newest one still
// building, each index from its file when there is a sound one (caught up
// with the vectors stored since), else from the stored vectors. Sets
// resolve cannot use are skipped with a warning.
func (s *Semantic) Load(ctx context.Context, resolve Resolver) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	sets, err := s.vecs.EmbedSets(ctx)
	if err != nil {
		return err
	}
	for _, set := range sets {
		if set.State == paperboy.EmbedActive && s.active == nil || set.State == paperboy.EmbedBuilding && s.building == nil {
			g, err := s.loadSet(ctx, set, resolve)
			if err != nil {
				s.logger.Warn("embed_set_unusable", "contract", set.Contract.String(), "err", err)
				continue
			}
			s.mu.Lock()
			if set.State == paperboy.EmbedActive {
				s.active = g
			} else {
				s.building = g
			}
			s.mu.Unlock()
		}
	}
	var stored []paperboy.EmbedContract
	for _, set := range sets { // a set that could not be used this time may be next time
		stored = append(stored, set.Contract)
	}
	s.prune(stored)
	return nil
}

func (s *Semantic) loadSet(ctx context.Context, set paperboy.EmbedSet, resolve Resolver) (*generation, error) {
	model, err := s.vecs.EmbedModel(ctx, set.Contract)
	if err != nil {
		return nil, err
	}
	emb, err := resolve(set.Contract, model)
	if err != nil {
		return nil, err
	}
	if emb.Contract() != set.Contract {
		return nil, fmt.Errorf("embedder %v does not match the set", emb.Contract())
	}
	g := &generation{emb: emb, seq: set.Seq, created: set.Created, savedAt: s.now()}
	if err := s.restore(ctx, g, set); err != nil {
		return nil, err
	}
	return g, nil
}

// fill builds g's index from every stored vector of its set.
func (s *Semantic) fill(ctx context.Context, g *generation) error {
	c := g.emb.Contract()
	opts := s.hnsw
	if s.readOnly {
		opts.ExactBelow = math.MaxInt // see WithReadOnlyIndexes
	}
	g.idx = vector.NewHNSW(c.Dim, opts)
	var after paperboy.ArxivID
	for {
		page, err := s.vecs.Vectors(ctx, c, after, 10000)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		g.idx.Add(page...)
		after = page[len(page)-1].ID
	}
}

// Use makes emb the embedder of new vectors: unless it is already active or
// building, a new set is created (with model, the built-in embedder's
// trained model) and Sync fills it in the background of searches, which
// keep using the active set until the new one is complete.
func (s *Semantic) Use(ctx context.Context, emb embed.Embedder, model []byte) error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	c := emb.Contract()
	s.mu.RLock()
	same := s.active != nil && s.active.emb.Contract() == c || s.building != nil && s.building.emb.Contract() == c
	s.mu.RUnlock()
	if same {
		return nil
	}
	if err := s.vecs.CreateEmbedSet(ctx, c, model); err != nil && paperboy.ErrorCode(err) != paperboy.ECONFLICT {
		return err
	}
	created, err := s.setCreated(ctx, c)
	if err != nil {
		return err
	}
	s.mu.Lock()
	old := s.building
	s.building = &generation{emb: emb, idx: vector.NewHNSW(c.Dim, s.hnsw), created: created, savedAt: s.now()}
	s.mu.Unlock()
	if old != nil { // superseded before it was complete
		if err := s.vecs.DeleteEmbedSet(ctx, old.emb.Contract()); err != nil && paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
			return err
		}
		s.prune(s.inUse())
	}
	s.logger.Info("embed_set_building", "contract", c.String())
	return nil
}

// Sync embeds the papers changed since each set last caught up and drops
// the vectors of deleted ones; a building set that has caught up with the
// store becomes the active one. It returns the number of changes applied.
func (s *Semantic) Sync(ctx context.Context) (int, error) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	s.mu.RLock()
	active, building := s.active, s.building
	s.mu.RUnlock()
	var applied int
	for _, g := range []*generation{active, building} {
		if g == nil {
			continue
		}
		n, err := s.catchUp(ctx, g)
		applied += n
		if err != nil {
			return applied, err
		}
		if s.saveDue(g) {
			s.saveLogged(g)
		}
	}
	if building != nil {
		last, err := s.papers.LastSeq(ctx)
		if err != nil {
			return applied, err
		}
		if building.seq >= last {
			if err := s.vecs.ActivateEmbedSet(ctx, building.emb.Contract()); err != nil {
				return applied, err
			}
			s.mu.Lock()
			s.active, s.building = building, nil
			s.mu.Unlock()
			s.prune(s.inUse())
			s.logger.Info("embed_set_active", "contract", building.emb.Contract().String(), "vectors", building.idx.Len())
		}
	}
	return applied, nil
}

// catchUp applies the store's changes after g.seq to g, a batch at a time.
// A catch-up that takes long logs its progress every progressLogEvery.
func (s *Semantic) catchUp(ctx context.Context, g *generation) (int, error) {
	var applied int
	began := s.now()
	logged := began // when the last vectors_progress line was
	from, last := g.seq, int64(-1)
	for {
		changes, err := s.papers.Changes(ctx, g.seq, s.batch)
		if err != nil {
			return applied, fmt.Errorf("semantic sync: changes after %d: %w", g.seq, err)
		}
		if len(changes) == 0 {
			break
		}
		if err := s.apply(ctx, g, changes); err != nil {
			return applied, err
		}
		applied += len(changes)
		if last < 0 { // where the store's changes end, once there are any
			if last, err = s.papers.LastSeq(ctx); err != nil {
				return applied, fmt.Errorf("semantic sync: %w", err)
			}
		}
		last = max(last, g.seq) // papers changed since the catch-up began
		s.reportProgress(g, applied, g.seq-from, last-from, began, &logged)
	}
	if applied > 0 {
		s.logger.Info("vectors_synced", "applied", applied, "seq", g.seq, "contract", g.emb.Contract().String(),
			"duration", s.now().Sub(began))
	}
	return applied, nil
}

func (s *Semantic) reportProgress(g *generation, applied int, done, total int64, began time.Time, logged *time.Time) {
	if s.progress != nil {
		s.progress(done, total)
	}
	now := s.now()
	if now.Sub(*logged) < progressLogEvery {
		return
	}
	*logged = now
	elapsed := now.Sub(began)
	s.logger.Info("vectors_progress", "contract", g.emb.Contract().String(), "applied", applied,
		"seq", g.seq, "percent", float64(done*1000/max(total, 1))/10,
		"per_second", math.Round(float64(applied)/max(elapsed.Seconds(), 1e-9)), "elapsed", elapsed.Round(time.Second))
}

func (s *Semantic) apply(ctx context.Context, g *generation, changes []paperboy.Change) error {
	var texts []string
	var ids, deleted []paperboy.ArxivID
	for _, ch := range changes {
		if ch.Paper == nil {
			deleted = append(deleted, ch.ID)
			continue
		}
		texts = append(texts, embed.PaperText(ch.Paper))
		ids = append(ids, ch.ID)
	}
	var vecs []paperboy.PaperVector
	if len(texts) > 0 {
		out, err := g.emb.EmbedDocuments(ctx, texts)
		if err != nil {
			return fmt.Errorf("semantic sync: embed %d papers: %w", len(texts), err)
		}
		for i, v := range out {
			vecs = append(vecs, paperboy.PaperVector{ID: ids[i], Vec: v})
		}
	}
	seq := changes[len(changes)-1].Seq
	if err := s.vecs.PutVectors(ctx, g.emb.Contract(), seq, vecs, deleted); err != nil {
		return err
	}
	g.idx.Add(vecs...)
	g.idx.Remove(deleted...)
	s.mu.Lock()
	g.seq = seq
	s.mu.Unlock()
	g.unsaved += len(changes)
	return nil
}
