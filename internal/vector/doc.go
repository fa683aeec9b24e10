// Package vector is paperboy's approximate nearest-neighbour index over
// unit-length paper vectors: an inverted-file (IVF) index of k-means
// clusters, scanned exactly in the clusters nearest the query. It is
// derived from the vectors in the store and updated in place as papers are
// embedded, like the lexical index.
package vector
