// Package systems puts each compared search system behind one interface:
// build an index of a generated corpus, answer benchmark queries with the
// top-10 arXiv IDs, and say how big the index is.
package systems
