// Package hybrid is paperboy's search front: it answers a query with the
// lexical engine (internal/search), the semantic one (an embedder and a
// vector index over stored vectors), or both fused, and finds a paper's
// related papers. It follows the store's change sequence to embed new
// papers, and switches to a new embedder's vectors only once they are
// complete. Each set's vector index is kept in a file, loaded at start-up
// and caught up with the vectors stored since.
package hybrid
