package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"

	"paperboy"
)

var _ paperboy.Searcher = (*Engine)(nil)

// Search parses q.Text (see Query for the language) and returns one page of
// matching papers, best first, and the number of matches (exact, unless
// dynamic pruning skipped matches that could not make the page: then a
// lower bound). Pinned papers (the arXiv ID asked for, an exact title) come
// first. It answers from the index as of the last Sync, loading the page's
// papers from the store in one call. Returns EINVALID for a query that does
// not parse or a negative offset.
func (e *Engine) Search(ctx context.Context, q paperboy.SearchQuery) ([]paperboy.SearchResult, int, error) {
	query, err := ParseQuery(q.Text)
	if err != nil {
		return nil, 0, err
	}
	page, total, err := e.rank(query, q, RankOptions{})
	if err != nil || len(page) == 0 {
		return nil, total, err
	}
	ids := make([]paperboy.ArxivID, len(page))
	for i, r := range page {
		ids[i] = r.ID
	}
	papers, _, err := e.store.Papers(ctx, paperboy.PaperFilter{IDs: ids})
	if err != nil {
		return nil, 0, fmt.Errorf("search: load %d papers: %w", len(ids), err)
	}
	byID := make(map[paperboy.ArxivID]*paperboy.Paper, len(papers))
	for _, paper := range papers {
		byID[paper.ID] = paper
	}
	terms := query.Positive()
	results := make([]paperboy.SearchResult, 0, len(ids))
	for _, r := range page {
		if paper := byID[r.ID]; paper != nil { // deleted since the last Sync
			results = append(results, paperboy.SearchResult{Paper: paper, Score: r.Score, Terms: terms})
		}
	}
	return results, total, nil
}

// Ranked is one result of Rank.
type Ranked struct {
	ID     paperboy.ArxivID
	Score  float64
	Pinned bool // the arXiv ID asked for, or a paper whose title is the query
}

// Rank is Search without loading papers: one page of IDs and scores, best
// first, and the number of matches as Search counts them. Rank fusion uses
// it, so it does not read a hundred papers from the store to keep a few.
func (e *Engine) Rank(ctx context.Context, q paperboy.SearchQuery) ([]Ranked, int, error) {
	return e.RankWith(ctx, q, RankOptions{})
}

// RankOptions tune one ranking: what it may give up for speed (Slack,
// MaxTerms), whether it asks for every word, and how many goroutines it
// uses.
type RankOptions struct {
	// Slack, when above 1, lets pruning skip a document whose score may
	// reach the top k's threshold but not Slack times it: every document
	// scoring at least Slack times the final k-th score is still found,
	// those below may be missed. Rank fusion uses it, where the lexical
	// ranking's tail weighs little.
	Slack float64
	// MaxTerms, when above 0, ranks a long query (or one with AnyWord,
	// without phrases) by its MaxTerms words found in the fewest papers:
	// the others, common and many, add little to the ranking and much to
	// its cost.
	MaxTerms int
	// AnyWord ranks the papers matching any of the query's words, as for
	// a query of Params.LongQuery words or more, whatever its length.
	AnyWord bool
	// Rescore, when above 0, ranks an any-word query of more words (after
	// MaxTerms) by its Rescore rarest words, then scores the papers found
	// by all of its words and orders them by that: a top k of papers
	// matching the rare words, at a fraction of the cost of ranking every
	// paper with a common word. Rank fusion uses it for long queries, and
	// scores the other ranking's papers by all the words too (Score).
	Rescore int
	// RescoreAbove, when above 0, limits Rescore to queries whose words are
	// found, together, in more than RescoreAbove times the papers (their
	// document frequencies summed): the queries costly to rank whole.
	RescoreAbove float64
	// Workers, when above 1, searches parts of the index on that many
	// goroutines at once (at most GOMAXPROCS), for the same results; 0
	// leaves it to the engine (WithWorkers).
	Workers int
}

// RankWith is Rank with options.
func (e *Engine) RankWith(ctx context.Context, q paperboy.SearchQuery, o RankOptions) ([]Ranked, int, error) {
	query, err := ParseQuery(q.Text)
	if err != nil {
		return nil, 0, err
	}
	return e.rank(query, q, o)
}

// Prepared is a query compiled once to be ranked and to score papers
// with the same options, sharing its terms' lookups in the index (rank
// fusion ranks by it, then scores the other ranking's papers). It is not
// safe for concurrent use.
type Prepared struct {
	e *Engine
	p *plan
	o RankOptions
}

// Prepare parses and compiles the query text for ranking with o.
func (e *Engine) Prepare(text string, o RankOptions) (*Prepared, error) {
	query, err := ParseQuery(text)
	if err != nil {
		return nil, err
	}
	return &Prepared{e: e, p: compile(query, e.rankParams(o)), o: e.withWorkers(o)}, nil
}

// withWorkers is o with the engine's workers when it names none.
func (e *Engine) withWorkers(o RankOptions) RankOptions {
	o.Workers = cmp.Or(o.Workers, e.workers)
	return o
}

// Rank is RankWith of the prepared query and options; q gives the page
// (its Text is not read).
func (pq *Prepared) Rank(_ context.Context, q paperboy.SearchQuery) ([]Ranked, int, error) {
	return pq.e.rankPlan(pq.p, q, pq.o)
}

func (e *Engine) rank(query *Query, q paperboy.SearchQuery, o RankOptions) ([]Ranked, int, error) {
	return e.rankPlan(compile(query, e.rankParams(o)), q, e.withWorkers(o))
}

func (e *Engine) rankPlan(p *plan, q paperboy.SearchQuery, o RankOptions) ([]Ranked, int, error) {
	if q.Offset < 0 {
		return nil, 0, paperboy.Errorf(paperboy.EINVALID, "Bad offset %d; use 0 or more.", q.Offset)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)

	v := e.cur.Load()
	n := q.Offset + limit
	if n < q.Offset { // overflow
		n = math.MaxInt
	}
	hits, total, _ := v.exec(p, e.params, n, false, o)
	page := hits[min(q.Offset, len(hits)):]
	out := make([]Ranked, len(page))
	for i, h := range page {
		out[i] = Ranked{ID: cloneID(h.id), Score: h.score, Pinned: h.pin < 2}
	}
	runtime.KeepAlive(v) // hits point into its segments
	return out, total, nil
}
