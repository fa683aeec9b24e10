package systems

import (
	"context"
	"time"

	"paperboy"
	"paperboy/bench/corpus"
	"paperboy/bench/queries"
	"paperboy/internal/search"
)

// paperboyEngine is internal/search's engine over a genStore, keeping its
// segments in dir as paperboy serve does; its size is that directory's.
type paperboyEngine struct {
	store  *genStore
	engine *search.Engine
	dir    string
}

func newPaperboy(dir string) *paperboyEngine { return &paperboyEngine{dir: dir} }

func (e *paperboyEngine) Build(ctx context.Context, g *corpus.Generator) (time.Duration, error) {
	e.store = &genStore{g: g}
	e.engine = search.New(e.store, nil, search.WithDir(e.dir))
	_, err := e.engine.Sync(ctx)
	return e.store.generating, err
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
	n, err := dirSize(e.dir)
	return n, "index directory (segments and manifest)", err
}

func (e *paperboyEngine) Close() error { return nil }
