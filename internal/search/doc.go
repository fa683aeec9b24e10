// Package search is paperboy's lexical search engine: an analyzer (accent
// folding, simple LaTeX, Greek letters spelled out, stemming), a query
// language (words, "phrases", -exclusions, cat:, author:, year:, after:,
// before:), and a BM25F index over titles, abstracts and authors in
// immutable segments (block-encoded postings with block-max bounds; see
// segment.go; frequent terms also with high-impact lists, impact.go),
// searched top-k with dynamic pruning (prune.go) and filters that skip
// what they exclude (filter.go). The index
// is derived from the store: Engine.Sync builds it from, and then follows,
// the store's change sequence, persisting it with WithDir; Search ranks
// from the index and loads the page's papers from the store.
package search
