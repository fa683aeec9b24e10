// Package embed turns papers and queries into dense vectors for semantic
// search. An Embedder is either the built-in model, trained on the
// instance's own corpus with no pretrained weights (a truncated SVD of a
// BM25-weighted term-document matrix: latent semantic analysis, optionally
// refined by contrastive learning on the papers' own sentences), or a client
// of an OpenAI-compatible /v1/embeddings endpoint. Every vector is stored
// with the Contract of the embedder that made it. The built-in model also
// keeps each word's nearest words (Model.Related), by which hybrid search
// lets a paper's words stand in part for a query's.
package embed
