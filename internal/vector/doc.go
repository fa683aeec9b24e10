// Package vector is paperboy's nearest-neighbour index over unit-length
// paper vectors. HNSW, a layered proximity graph searched greedily, serves
// semantic search and related papers; below 20,000 vectors it scans them
// exactly. Index, an inverted file of k-means clusters, is kept as the
// baseline the benchmarks compare against. Both are derived from the
// vectors in the store and updated in place as papers are embedded; HNSW
// saves itself, graph included, to a checksummed file, so that a restart
// need not link the graph again.
package vector
