package hybrid

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"paperboy"
	"paperboy/internal/search"
	"paperboy/internal/vector"
)

// DefaultBudget is how long a query may wait for its embedding before the
// search answers lexically.
const DefaultBudget = 300 * time.Millisecond

// Searcher answers searches in the three modes. It implements
// paperboy.ReportingSearcher and paperboy.RelatedPapers.
type Searcher struct {
	lex    *search.Engine
	sem    *Semantic
	papers paperboy.PaperStore
	logger *slog.Logger
	fusion Fusion
	budget time.Duration
	mode   string // the default mode
	// workers is how many goroutines rank one query's lexical results
	// (search.RankOptions.Workers; 0: the engine's).
	workers int
}

var (
	_ paperboy.ReportingSearcher = (*Searcher)(nil)
	_ paperboy.RelatedPapers     = (*Searcher)(nil)
)

// Option configures a Searcher.
type Option func(*Searcher)

// WithFusion sets how rankings are fused.
func WithFusion(f Fusion) Option { return func(s *Searcher) { s.fusion = f } }

// WithBudget sets the time a query may wait for its embedding.
func WithBudget(d time.Duration) Option { return func(s *Searcher) { s.budget = d } }

// WithDefaultMode sets the mode of queries that name none.
func WithDefaultMode(m string) Option { return func(s *Searcher) { s.mode = m } }

// WithLexicalWorkers sets how many goroutines rank the lexical results of
// one hybrid query (at most GOMAXPROCS; 0, the default: as many as the
// lexical engine's searches use, search.WithWorkers).
func WithLexicalWorkers(n int) Option { return func(s *Searcher) { s.workers = n } }

// New returns a searcher over the lexical engine and the semantic service.
func New(lex *search.Engine, sem *Semantic, papers paperboy.PaperStore, logger *slog.Logger, opts ...Option) *Searcher {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Searcher{lex: lex, sem: sem, papers: papers, logger: logger, fusion: DefaultFusion(),
		budget: DefaultBudget, mode: paperboy.ModeHybrid}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Search implements paperboy.Searcher.
func (s *Searcher) Search(ctx context.Context, q paperboy.SearchQuery) ([]paperboy.SearchResult, int, error) {
	res, total, _, err := s.SearchReport(ctx, q)
	return res, total, err
}

// SearchReport implements paperboy.ReportingSearcher. Keyword mode, and
// any query that is an arXiv ID, only filters, or uses phrases, exclusions
// or author filters, goes to the lexical engine; otherwise the semantic
// ranking is used alone or fused with the lexical one, with an exact title
// match still first. When the query cannot be embedded within the budget,
// the answer is lexical and the report says why.
func (s *Searcher) SearchReport(ctx context.Context, q paperboy.SearchQuery) ([]paperboy.SearchResult, int, paperboy.SearchReport, error) {
	mode := q.Mode
	if mode == "" {
		mode = s.mode
	}
	if !paperboy.ValidSearchMode(mode) {
		return nil, 0, paperboy.SearchReport{}, paperboy.Errorf(paperboy.EINVALID,
			"Unknown search mode %q; use hybrid, keyword or semantic.", mode)
	}
	parsed, err := search.ParseQuery(q.Text)
	if err != nil {
		return nil, 0, paperboy.SearchReport{}, err
	}
	lexical := func(why string) ([]paperboy.SearchResult, int, paperboy.SearchReport, error) {
		res, total, err := s.keyword(ctx, q, parsed)
		return res, total, paperboy.SearchReport{Mode: paperboy.ModeKeyword, Fallback: why}, err
	}
	if mode == paperboy.ModeKeyword || !semanticQuery(parsed) {
		return lexical("")
	}
	if s.sem == nil || !s.sem.Ready() {
		return lexical("No vectors are ready yet.")
	}
	res, total, err := s.semanticSearch(ctx, q, parsed, mode)
	switch {
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		return lexical("The embedder did not answer in time.")
	case errors.Is(err, errNotReady):
		return lexical("No vectors are ready yet.")
	case err != nil && ctx.Err() == nil && paperboy.ErrorCode(err) != paperboy.EINVALID:
		s.logger.Warn("semantic_search_failed", "err", err)
		return lexical("The embedder is unavailable.")
	case err != nil:
		return nil, 0, paperboy.SearchReport{}, err
	}
	return res, total, paperboy.SearchReport{Mode: mode}, nil
}

// keyword ranks by the words alone: the lexical engine's ranking, its
// first Fusion.LikelihoodDepth papers re-ranked as hybrid search re-ranks
// its fused ones. Each paper's score is its lexical score over the best
// one's, times the lexical ranking's share in the fusion (1 - Weight),
// plus Likelihood times the query's likelihood under its words, scaled to
// [0, 1] over those papers and translated by the active built-in
// embedder's related words where there is one (Fusion.Translate). Query
// likelihood charges a paper for each of the query's words it lacks,
// where BM25 only rewards those it holds. The papers found are the
// engine's, only their order changes; an exact title stays first. On
// SciFact train this took keyword search from 0.7083 to 0.7274 nDCG@10
// (docs/semantic.md). A query the likelihood does not suit (an ID,
// phrases, exclusions, authors, filters alone) is ranked by the engine
// alone, as is every query when the fusion has no likelihood.
func (s *Searcher) keyword(ctx context.Context, q paperboy.SearchQuery, parsed *search.Query) ([]paperboy.SearchResult, int, error) {
	f := s.fusion
	if f.Likelihood <= 0 || f.LikelihoodDepth <= 1 || !semanticQuery(parsed) {
		return s.lex.Search(ctx, q)
	}
	limit, err := pageSize(q)
	if err != nil {
		return nil, 0, err
	}
	words, err := s.lex.Prepare(q.Text, search.RankOptions{})
	if err != nil {
		return nil, 0, err
	}
	depth := min(f.LikelihoodDepth, search.MaxLimit)
	head, total, err := words.Rank(ctx, paperboy.SearchQuery{Limit: depth})
	if err != nil || len(head) == 0 {
		return nil, total, err
	}
	var best float64
	for _, r := range head {
		best = max(best, r.Score)
	}
	if best <= 0 {
		return s.lex.Search(ctx, q)
	}
	scaled := func(rs []search.Ranked) []Hit {
		out := make([]Hit, len(rs))
		for i, r := range rs {
			out[i] = Hit{ID: r.ID, Score: (1 - f.Weight) * r.Score / best}
		}
		return out
	}
	var tr *search.Translation
	if s.sem != nil {
		tr = f.translation(s.sem.ActiveEmbedder())
	}
	likelihoods := func(ids []paperboy.ArxivID) ([]float64, error) { return words.Likelihoods(ctx, ids, tr) }
	hs, err := boostLikelihood(scaled(head), len(head), f.Likelihood, likelihoods)
	if err != nil {
		return nil, 0, err
	}
	hs = pinTitle(hs, head)
	var pg []Hit
	if q.Offset < len(hs) {
		pg = hs[q.Offset:]
	}
	if end := q.Offset + limit; end > len(hs) && len(head) == depth {
		// The page goes past the re-ranked papers: the rest are the
		// engine's, in its order.
		from := max(q.Offset, len(hs))
		tail, _, err := words.Rank(ctx, paperboy.SearchQuery{Offset: from, Limit: end - from})
		if err != nil {
			return nil, 0, err
		}
		pg = append(slices.Clip(pg), scaled(tail)...)
	}
	return s.page(ctx, pg, 0, limit, total, parsed.Positive())
}

// pageSize returns the page size q asks for, as the lexical engine reads
// it (0: the default, at most search.MaxLimit), or EINVALID for a
// negative offset.
func pageSize(q paperboy.SearchQuery) (int, error) {
	if q.Offset < 0 {
		return 0, paperboy.Errorf(paperboy.EINVALID, "Bad offset %d; use 0 or more.", q.Offset)
	}
	limit := min(max(q.Limit, 0), search.MaxLimit)
	if limit == 0 {
		limit = search.DefaultLimit
	}
	return limit, nil
}

// semanticQuery reports whether a query is plain words, maybe with
// category and date filters, which semantic search can honour.
func semanticQuery(q *search.Query) bool {
	return q.ID == "" && len(q.Terms) > 0 && len(q.Phrases) == 0 && len(q.Excluded) == 0 &&
		len(q.Authors) == 0 && len(q.ExcludedAuthors) == 0
}

// semanticSearch ranks by meaning (mode semantic) or fuses meaning with
// words (mode hybrid), then loads the page.
func (s *Searcher) semanticSearch(ctx context.Context, q paperboy.SearchQuery, parsed *search.Query, mode string) ([]paperboy.SearchResult, int, error) {
	limit, err := pageSize(q)
	if err != nil {
		return nil, 0, err
	}
	depth := max(s.fusion.Depth, q.Offset+limit)
	filtered := hasFilters(parsed)
	var lex []search.Ranked
	var lexTotal int
	var words *search.Prepared // the lexical ranking's query, which also scores the semantic ranking's papers
	if mode == paperboy.ModeHybrid {
		if words, err = s.lex.Prepare(q.Text, s.fusion.lexical(s.workers)); err != nil {
			return nil, 0, err
		}
		if lex, lexTotal, err = words.Rank(ctx, paperboy.SearchQuery{Limit: search.MaxLimit}); err != nil {
			return nil, 0, err
		}
	}
	ectx, cancel := context.WithTimeout(ctx, s.budget)
	g, v, err := s.sem.queryVector(ectx, parsed.String())
	cancel()
	if err != nil {
		return nil, 0, fmt.Errorf("embed query: %w", err)
	}
	want := depth
	if filtered {
		want = depth * 8 // the filters drop some
	}
	if mode == paperboy.ModeSemantic {
		hits := s.keep(ctx, hits(g.idx.Search(v, want)), parsed)
		return s.page(ctx, hits, q.Offset, limit, len(hits), parsed.Positive())
	}
	lexHits := make([]Hit, len(lex))
	for i, r := range lex {
		lexHits[i] = Hit{ID: r.ID, Score: r.Score}
	}
	f := s.fusion
	var top, seeds []paperboy.ArxivID
	if f.PRFDocs > 0 {
		for _, h := range lexHits[:min(f.PRFDocs, len(lexHits))] {
			top = append(top, h.ID)
		}
		v = feedback(g, v, top, f.PRFWeight)
	}
	if f.Seeded {
		seeds = top
	}
	sem := s.keep(ctx, hits(g.idx.SearchFrom(v, want, cmp.Or(f.Ef, g.idx.Ef()), seeds)), parsed)
	sem = sem[:min(len(sem), f.Depth)]
	m := &matchMemo{match: func(ids []paperboy.ArxivID) ([]search.Match, error) { return words.Matches(ctx, ids) }}
	if f.Rescore > 0 {
		if lexHits, err = withOthers(lexHits, sem, m.scores); err != nil {
			return nil, 0, err
		}
	}
	fused := Fuse(f, lexHits[:min(len(lexHits), f.Depth)], sem)
	if fused, err = boostCoverage(fused, q.Offset+limit, f.Coverage, m.coverage); err != nil {
		return nil, 0, err
	}
	tr := f.translation(g.emb)
	likelihoods := func(ids []paperboy.ArxivID) ([]float64, error) { return words.Likelihoods(ctx, ids, tr) }
	if fused, err = boostLikelihood(fused, f.LikelihoodDepth, f.Likelihood, likelihoods); err != nil {
		return nil, 0, err
	}
	fused = pinTitle(fused, lex)
	return s.page(ctx, fused, q.Offset, limit, max(lexTotal, len(fused)), parsed.Positive())
}

// matchMemo looks up how papers match the query's words, each paper once:
// hybrid search asks for the scores of the semantic ranking's papers,
// then for the coverage of the fused ranking's best, which share many.
type matchMemo struct {
	match func(ids []paperboy.ArxivID) ([]search.Match, error) // Prepared.Matches of the query
	got   map[paperboy.ArxivID]search.Match
}

func (m *matchMemo) matches(ids []paperboy.ArxivID) ([]search.Match, error) {
	if m.got == nil {
		m.got = make(map[paperboy.ArxivID]search.Match, 2*len(ids))
	}
	var miss []paperboy.ArxivID
	for _, id := range ids {
		if _, ok := m.got[id]; !ok {
			miss = append(miss, id)
		}
	}
	if len(miss) > 0 {
		ms, err := m.match(miss)
		if err != nil {
			return nil, err
		}
		for i, id := range miss {
			m.got[id] = ms[i]
		}
	}
	out := make([]search.Match, len(ids))
	for i, id := range ids {
		out[i] = m.got[id]
	}
	return out, nil
}

// scores are the papers' scores by the words, as withOthers takes them.
func (m *matchMemo) scores(ids []paperboy.ArxivID) ([]float64, error) {
	return m.field(ids, func(x search.Match) float64 { return x.Score })
}

// coverage is the papers' coverage of the words, as boostCoverage takes it.
func (m *matchMemo) coverage(ids []paperboy.ArxivID) ([]float64, error) {
	return m.field(ids, func(x search.Match) float64 { return x.Coverage })
}

func (m *matchMemo) field(ids []paperboy.ArxivID, of func(search.Match) float64) ([]float64, error) {
	ms, err := m.matches(ids)
	out := make([]float64, len(ms))
	for i, x := range ms {
		out[i] = of(x)
	}
	return out, err
}

// withOthers adds to the lexical ranking lex the papers of the semantic
// ranking sem that it lacks and that match the query, with their scores
// by the words (score, 0 for no match), and returns it re-sorted: when the
// lexical ranking is of a long query's rarest words (Fusion.Rescore), a
// paper with many of its common words may be found by meaning alone.
func withOthers(lex, sem []Hit, score func(ids []paperboy.ArxivID) ([]float64, error)) ([]Hit, error) {
	lex = slices.Clone(lex)
	have := make(map[paperboy.ArxivID]bool, len(lex))
	for _, h := range lex {
		have[h.ID] = true
	}
	var ids []paperboy.ArxivID
	for _, h := range sem {
		if !have[h.ID] {
			ids = append(ids, h.ID)
		}
	}
	scores, err := score(ids)
	if err != nil {
		return nil, err
	}
	for i, id := range ids {
		if scores[i] > 0 {
			lex = append(lex, Hit{ID: id, Score: scores[i]})
		}
	}
	slices.SortStableFunc(lex, func(a, b Hit) int { return cmp.Compare(b.Score, a.Score) })
	return lex, nil
}

func hasFilters(q *search.Query) bool {
	return len(q.Categories) > 0 || len(q.ExcludedCategories) > 0 || q.Year != 0 || !q.After.IsZero() || !q.Before.IsZero()
}

func hits(vh []vector.Hit) []Hit {
	out := make([]Hit, len(vh))
	for i, h := range vh {
		out[i] = Hit{ID: h.ID, Score: float64(h.Score)}
	}
	return out
}

// pinTitle moves the lexical engine's first result to the top when the
// engine pinned it (its title is the query): fusion must not demote it.
func pinTitle(fused []Hit, lex []search.Ranked) []Hit {
	if len(lex) == 0 || !lex[0].Pinned || len(fused) == 0 {
		return fused
	}
	id := lex[0].ID
	out := []Hit{{ID: id, Score: fused[0].Score + 1}}
	for _, h := range fused {
		if h.ID != id {
			out = append(out, h)
		}
	}
	return out
}
