// Package search is paperboy's lexical search engine: an analyzer (accent
// folding, simple LaTeX, Greek letters spelled out, stemming), a query
// language (words, "phrases", -exclusions, cat:, author:, year:, after:,
// before:), and an in-memory BM25F index over titles, abstracts and
// authors. The index is derived from the store: Engine.Sync builds it from,
// and then follows, the store's change sequence; Search ranks from memory
// and loads the page's papers from the store.
package search
