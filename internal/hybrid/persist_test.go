package hybrid

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/embed"
	"paperboy/internal/store/sqlite"
	"paperboy/internal/vector"
)

// hashEmbedder embeds a text as a random unit vector seeded by its hash,
// and counts the documents it embeds.
type hashEmbedder struct {
	version int
	docs    atomic.Int64
}

const hashDim = 16

func (e *hashEmbedder) Contract() paperboy.EmbedContract {
	return paperboy.EmbedContract{Embedder: "test", Model: "hash/fnv:1", Dim: hashDim, Version: e.version}
}

func (e *hashEmbedder) EmbedDocuments(_ context.Context, texts []string) ([][]float32, error) {
	e.docs.Add(int64(len(texts)))
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = hashVector(t)
	}
	return out, nil
}

func (e *hashEmbedder) EmbedQuery(_ context.Context, text string) ([]float32, error) {
	return hashVector(text), nil
}

func hashVector(text string) []float32 {
	h := fnv.New64a()
	h.Write([]byte(text))
	rng := rand.New(rand.NewPCG(h.Sum64(), 3))
	v := make([]float32, hashDim)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return embed.Normalize(v)
}

// persisted is a store of papers, an index directory, and a log of what
// the semantic services over them said.
type persisted struct {
	st   *sqlite.Store
	dir  string
	emb  *hashEmbedder
	hnsw vector.HNSWOptions
	logs bytes.Buffer
	// readOnly opens services WithReadOnlyIndexes.
	readOnly bool
}

func newPersisted(t *testing.T, papers int) *persisted {
	t.Helper()
	ctx := context.Background()
	p := &persisted{dir: filepath.Join(t.TempDir(), "h.db.vectors"), emb: &hashEmbedder{version: 1},
		hnsw: vector.HNSWOptions{ExactBelow: 1, EfSearch: 400, Workers: 1}} // a graph that does not hang on scheduling
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "h.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p.st = st
	p.upsert(t, 0, papers, "")
	return p
}

// upsert stores papers from..to-1, their abstracts marked with v.
func (p *persisted) upsert(t *testing.T, from, to int, v string) {
	t.Helper()
	var papers []*paperboy.Paper
	for i := from; i < to; i++ {
		papers = append(papers, &paperboy.Paper{
			ID: paperboy.ArxivID(fmt.Sprintf("2401.%05d", i+1)), Version: 1,
			Title: fmt.Sprintf("Paper %d", i), Abstract: "About topic " + fmt.Sprint(i%7) + v,
			Submitted: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		})
	}
	if _, err := p.st.UpsertPapers(context.Background(), papers); err != nil {
		t.Fatal(err)
	}
}

// open returns a semantic service over the store that keeps its indexes
// in the directory.
func (p *persisted) open(t *testing.T) *Semantic {
	t.Helper()
	p.logs.Reset()
	opts := []SemanticOption{WithIndexDir(p.dir), WithHNSW(p.hnsw)}
	if p.readOnly {
		opts = append(opts, WithReadOnlyIndexes())
	}
	return NewSemantic(p.st, p.st, slog.New(slog.NewTextHandler(&p.logs, nil)), opts...)
}

// start opens a service, makes the embedder its own and syncs it.
func (p *persisted) start(t *testing.T) *Semantic {
	t.Helper()
	ctx := context.Background()
	s := p.open(t)
	if err := s.Use(ctx, p.emb, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// restart opens a service and loads the stored sets, without embedding a
// single paper.
func (p *persisted) restart(t *testing.T) *Semantic {
	t.Helper()
	s := p.open(t)
	before := p.emb.docs.Load()
	resolve := func(c paperboy.EmbedContract, _ []byte) (embed.Embedder, error) { return p.emb, nil }
	if err := s.Load(context.Background(), resolve); err != nil {
		t.Fatal(err)
	}
	if n := p.emb.docs.Load() - before; n != 0 {
		t.Errorf("Load embedded %d papers; want none", n)
	}
	return s
}

func (p *persisted) logged(msg string) bool { return strings.Contains(p.logs.String(), "msg="+msg+" ") }

func (p *persisted) path() string {
	return (&Semantic{dir: p.dir}).indexPath(p.emb.Contract())
}

// neighbours returns the ten nearest papers of a few queries.
func neighbours(t *testing.T, s *Semantic) [][]Hit {
	t.Helper()
	var out [][]Hit
	for i := range 8 {
		hs, err := s.Nearest(context.Background(), fmt.Sprintf("query %d", i), 10)
		if err != nil || len(hs) != 10 {
			t.Fatalf("Nearest = %d hits, %v", len(hs), err)
		}
		out = append(out, hs)
	}
	return out
}

func TestIndexSurvivesRestart(t *testing.T) {
	p := newPersisted(t, 300)
	s := p.start(t)
	want := neighbours(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	saved, err := os.Stat(p.path())
	if err != nil {
		t.Fatalf("no index file after Close: %v", err)
	}

	s = p.restart(t)
	if !p.logged("vector_index_loaded") || p.logged("vector_index_built") {
		t.Fatalf("restart did not load the index file:\n%s", p.logs.String())
	}
	if got := neighbours(t, s); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("after restart, neighbours %v, want %v", got, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(p.path()); err != nil || !fi.ModTime().Equal(saved.ModTime()) {
		t.Errorf("index file rewritten (%v) though nothing changed", err)
	}
}

func TestIndexCatchesUpAfterRestart(t *testing.T) {
	p := newPersisted(t, 300)
	ctx := context.Background()
	s := p.start(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	p.logs.Reset()
	// The service goes on without saving (too few changes), then stops
	// without Close, as in a crash.
	p.upsert(t, 300, 340, "")       // new
	p.upsert(t, 0, 10, ", revised") // changed
	for i := 20; i < 30; i++ {      // deleted
		if err := p.st.DeletePaper(ctx, paperboy.ArxivID(fmt.Sprintf("2401.%05d", i+1))); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.Sync(ctx); err != nil || n != 60 {
		t.Fatalf("Sync = %d, %v; want 60 changes", n, err)
	}
	if p.logged("vector_index_saved") {
		t.Fatal("index saved after 60 changes; the test wants a file behind the store")
	}
	want := neighbours(t, s)

	s = p.restart(t)
	if !p.logged("vector_index_loaded") || !strings.Contains(p.logs.String(), "changes=60") {
		t.Fatalf("restart did not catch the index file up by 60 changes:\n%s", p.logs.String())
	}
	idx := s.active.idx
	for i := range 340 {
		id := paperboy.ArxivID(fmt.Sprintf("2401.%05d", i+1))
		v, ok := idx.Vector(id)
		stored, err := p.st.Vector(ctx, p.emb.Contract(), id)
		switch {
		case i >= 20 && i < 30:
			if ok {
				t.Errorf("deleted %s still indexed", id)
			}
		case err != nil || !ok || !slices.Equal(v, stored):
			t.Errorf("%s: indexed %v, vector equal to the stored one %v (%v)", id, ok, slices.Equal(v, stored), err)
		case i >= 300 && idx.Search(v, 1)[0].ID != id:
			t.Errorf("new paper %s not found by its own vector", id)
		}
	}
	if got := neighbours(t, s); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("after restart, neighbours %v, want %v", got, want)
	}
	// Caught up, the index was saved: the next start has nothing to do.
	s = p.restart(t)
	if !p.logged("vector_index_loaded") || !strings.Contains(p.logs.String(), "changes=0") {
		t.Errorf("second restart:\n%s", p.logs.String())
	}
}

// TestReadOnlyIndexes checks that a service with read-only indexes, as
// the search command opens beside serve, answers as serve does from an
// index file behind the store (caught up), a damaged one or none (exact
// search, no graph linked), and leaves the directory as it found it.
func TestReadOnlyIndexes(t *testing.T) {
	p := newPersisted(t, 300) // its graph's beam (400) takes in every vector: it answers as exact search
	ctx := context.Background()
	s := p.start(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	p.upsert(t, 300, 340, "") // embedded by serve, not yet saved
	if n, err := s.Sync(ctx); err != nil || n != 40 {
		t.Fatalf("Sync = %d, %v; want 40 changes", n, err)
	}
	want := neighbours(t, s)
	stray := filepath.Join(p.dir, "retired-v1-d16-00000000.hnsw") // another set's file, which serve would prune
	if err := os.WriteFile(stray, []byte("another set"), 0o644); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(p.path())
	if err != nil {
		t.Fatal(err)
	}
	p.readOnly = true
	for _, tc := range []struct {
		name   string
		file   []byte // the index file the service finds; nil: none
		logged string
		graph  bool // whether the index has a graph
	}{
		{"behind the store", good, "vector_index_loaded", true},
		{"damaged", good[:len(good)/2], "vector_index_built", false},
		{"missing", nil, "vector_index_built", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(p.path())
			if tc.file != nil {
				if err := os.WriteFile(p.path(), tc.file, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s := p.restart(t)
			if !p.logged(tc.logged) {
				t.Errorf("want %s:\n%s", tc.logged, p.logs.String())
			}
			if d := s.active.idx.MeanDegree(); d > 0 != tc.graph {
				t.Errorf("the index's mean degree is %.1f; want a graph: %v", d, tc.graph)
			}
			if got := neighbours(t, s); !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("neighbours %v, want %v", got, want)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			after, err := os.ReadFile(p.path())
			if tc.file == nil && !os.IsNotExist(err) || tc.file != nil && !bytes.Equal(after, tc.file) {
				t.Errorf("index file changed: %d bytes, %v; it was %d bytes", len(after), err, len(tc.file))
			}
			if _, err := os.Stat(stray); err != nil {
				t.Errorf("another set's file removed: %v", err)
			}
			if p.logged("vector_index_saved") || p.logged("vector_index_removed") {
				t.Errorf("read-only service wrote:\n%s", p.logs.String())
			}
		})
	}
}

func TestDamagedIndexRebuilt(t *testing.T) {
	p := newPersisted(t, 300)
	// Exact search, so that the rebuilt index answers as the first did:
	// two graphs of the same vectors need not.
	p.hnsw = vector.HNSWOptions{ExactBelow: 1000}
	s := p.start(t)
	want := neighbours(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(p.path())
	if err != nil {
		t.Fatal(err)
	}
	idx, raw, err := vector.LoadHNSWFile(p.path(), s.hnsw)
	if err != nil {
		t.Fatal(err)
	}
	var meta indexMeta
	if err := json.Unmarshal(raw, &meta); err != nil {
		t.Fatal(err)
	}
	// resave writes the index as found, with its metadata changed by edit
	// and a vector fewer when drop is set.
	resave := func(edit func(m *indexMeta), x *vector.HNSW) func(string) error {
		return func(path string) error {
			m := meta
			edit(&m)
			b, _ := json.Marshal(m)
			return x.SaveFile(path, b)
		}
	}
	short, _, _ := vector.LoadHNSWFile(p.path(), s.hnsw)
	short.Remove("2401.00007")
	otherDim := vector.NewHNSW(hashDim+1, s.hnsw)
	for _, tc := range []struct {
		name   string
		damage func(path string) error
	}{
		{"truncated", func(path string) error { return os.WriteFile(path, good[:len(good)/2], 0o644) }},
		{"flipped byte", func(path string) error {
			b := slices.Clone(good)
			b[len(b)*3/4] ^= 0x40
			return os.WriteFile(path, b, 0o644)
		}},
		{"other contract", resave(func(m *indexMeta) { m.Contract.Version = 7 }, idx)},
		{"other dimension", resave(func(*indexMeta) {}, otherDim)},
		{"other set", resave(func(m *indexMeta) { m.Created = m.Created.Add(-time.Hour) }, idx)},
		{"ahead of the store", resave(func(m *indexMeta) { m.Seq += 100 }, idx)},
		{"a vector short", resave(func(*indexMeta) {}, short)},
		{"other options", func(path string) error {
			x := vector.NewHNSW(hashDim, vector.HNSWOptions{ExactBelow: 1000, M: 8})
			b, _ := json.Marshal(meta)
			return x.SaveFile(path, b)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.damage(p.path()); err != nil {
				t.Fatal(err)
			}
			s := p.restart(t)
			if !p.logged("vector_index_discarded") || !p.logged("vector_index_built") {
				t.Fatalf("damaged index not discarded and rebuilt:\n%s", p.logs.String())
			}
			if got := neighbours(t, s); !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("after rebuild, neighbours %v, want %v", got, want)
			}
			p.restart(t) // the rebuilt index was saved, soundly
			if !p.logged("vector_index_loaded") || p.logged("vector_index_discarded") {
				t.Errorf("rebuilt index not loaded at the next start:\n%s", p.logs.String())
			}
		})
	}
}

func TestIndexFilesFollowSets(t *testing.T) {
	p := newPersisted(t, 50)
	ctx := context.Background()
	s := p.start(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	old := p.path()
	os.WriteFile(old+".tmp123", []byte("left by a crash"), 0o644)
	p.emb = &hashEmbedder{version: 2}
	if err := s.Use(ctx, p.emb, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(p.dir)
	if err != nil || len(entries) != 1 || filepath.Join(p.dir, entries[0].Name()) != p.path() {
		t.Errorf("index directory holds %v (%v); want only %s", entries, err, filepath.Base(p.path()))
	}
	if s := p.restart(t); !p.logged("vector_index_loaded") || s.active.idx.Len() != 50 {
		t.Errorf("restart after the switch-over:\n%s", p.logs.String())
	}
}

// A long catch-up reports how far it has come: to WithProgress after each
// batch, and in a vectors_progress log line every progressLogEvery.
func TestCatchUpReportsProgress(t *testing.T) {
	p := newPersisted(t, 1000)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tick := func() time.Time { clock = clock.Add(10 * time.Second); return clock }
	type step struct{ done, total int64 }
	var steps []step
	s := NewSemantic(p.st, p.st, slog.New(slog.NewTextHandler(&p.logs, nil)), WithHNSW(p.hnsw), WithClock(tick),
		WithProgress(func(done, total int64) { steps = append(steps, step{done, total}) }))
	ctx := context.Background()
	if err := s.Use(ctx, p.emb, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(steps) != 4 { // 1,000 papers in batches of 256
		t.Fatalf("progress reported %d times (%v); want once a batch, 4", len(steps), steps)
	}
	for i, st := range steps {
		if st.total != 1000 || st.done <= 0 || i > 0 && st.done <= steps[i-1].done {
			t.Errorf("progress %d = %d of %d; want rising to 1000 of 1000", i, st.done, st.total)
		}
	}
	if last := steps[len(steps)-1]; last.done != last.total {
		t.Errorf("progress ended at %d of %d", last.done, last.total)
	}
	logs := p.logs.String()
	if !p.logged("vectors_progress") || !strings.Contains(logs, "percent=") || !strings.Contains(logs, "contract=") {
		t.Errorf("no vectors_progress line with percent and contract in:\n%s", logs)
	}

	// A sync with nothing to do reports nothing.
	steps = nil
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(steps) != 0 {
		t.Errorf("an idle sync reported progress %v", steps)
	}
}
