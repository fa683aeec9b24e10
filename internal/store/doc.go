// Package store opens the paper store named by a data source name: a SQLite
// file by default, PostgreSQL for a postgres:// URL. It sits between ingest,
// which writes papers, and the search index and web front-ends, which read
// them and follow the change sequence. Backends live in sub-packages and all
// pass storetest; Open and Migrate decide when a schema is upgraded.
package store
