// Package arxiv turns arXiv's metadata formats into paperboy.Paper values:
// the Kaggle JSON-lines snapshot, OAI-PMH responses (arXivRaw, arXiv and
// oai_dc records) and arXiv API Atom feeds. It is the first step of the data
// flow: internal/ingest feeds its Readers from bulk files and harvests, and
// stores what they yield. Readers stream, so a multi-gigabyte dump is parsed
// in constant memory; a malformed record is reported and skipped, not fatal.
package arxiv
