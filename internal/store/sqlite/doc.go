// Package sqlite is the embedded SQLite backend of the paper store, built on
// the pure-Go modernc.org/sqlite driver so paperboy builds with CGO_ENABLED=0.
// One writer connection serialises writes (WAL mode lets readers run beside
// it); schema changes are embedded, forward-only migrations.
package sqlite
