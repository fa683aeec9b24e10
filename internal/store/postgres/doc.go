// Package postgres is the PostgreSQL paper store, for deployments that run
// several `paperboy serve` replicas on one database. It passes the same
// conformance suite (storetest) as the SQLite store and keeps its migrations
// in step with SQLite's, number for number. Writers are serialized on the
// change-sequence row, so sequence numbers become visible in order and every
// replica's search index can tail them without missing a change.
package postgres
