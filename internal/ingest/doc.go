// Package ingest moves arXiv records into the store: it reads files in any
// format internal/arxiv understands, batches papers into store transactions
// (where the version rules are applied), skips and reports malformed records,
// and reports progress. It sits between internal/arxiv and internal/store.
package ingest
