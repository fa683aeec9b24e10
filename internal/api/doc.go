// Package api is paperboy's JSON front-end, version 1 under /api/v1/: papers,
// search and the daily listing over the same paperboy.PaperStore and
// paperboy.Searcher services the HTML pages use. Handlers return errors;
// internal/server maps their codes to statuses and calls WriteError. The
// shapes are documented in docs/api.md.
package api
