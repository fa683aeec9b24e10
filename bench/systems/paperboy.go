package systems

import (
	"context"
	"runtime"
	"time"

	"paperboy"
	"paperboy/bench/corpus"
	"paperboy/bench/queries"
	"paperboy/internal/search"
)

// paperboyEngine is internal/search's engine over a genStore. It has no
// on-disk index yet, so its size is the growth of the Go heap over the
// build, measured after garbage collection.
type paperboyEngine struct {
	store  *genStore
	engine *search.Engine
	heap   int64
}

func newPaperboy() *paperboyEngine { return &paperboyEngine{} }

func (e *paperboyEngine) Build(ctx context.Context, g *corpus.Generator) (time.Duration, error) {
	before := heapAlloc()
	e.store = &genStore{g: g}
	e.engine = search.New(e.store, nil)
	if _, err := e.engine.Sync(ctx); err != nil {
		return e.store.generating, err
	}
	e.heap = heapAlloc() - before
	return e.store.generating, nil
}

func (e *paperboyEngine) Search(ctx context.Context, q queries.Query) ([]string, error) {
	res, _, err := e.engine.Search(ctx, paperboy.SearchQuery{Text: q.Text(), Limit: K})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res))
	for i, r := range res {
		ids[i] = string(r.Paper.ID)
	}
	return ids, nil
}

func (e *paperboyEngine) Size(context.Context) (int64, string, error) {
	return e.heap, "in-memory heap (no on-disk index yet)", nil
}

func (e *paperboyEngine) Close() error { return nil }

func heapAlloc() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
