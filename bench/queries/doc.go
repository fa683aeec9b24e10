// Package queries makes the benchmark's query sets from a synthetic corpus:
// words drawn from real documents of the corpus (so that every query has
// matches), sorted into high- and mid-frequency classes by the model.
package queries
