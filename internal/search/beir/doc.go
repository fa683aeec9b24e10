// Package beir evaluates paperboy's search on a retrieval benchmark in BEIR
// format (corpus.jsonl, queries.jsonl, qrels/*.tsv): it reads a dataset,
// turns its documents into papers for a temporary store, runs every judged
// query through a search function and scores the rankings with the standard
// nDCG@10, Recall@100 and MRR@10. It does not import the engine, so the
// engine's own tests can use it for tuning.
package beir
