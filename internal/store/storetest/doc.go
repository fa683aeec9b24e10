// Package storetest is the conformance suite every paperboy.PaperStore
// backend must pass. It checks the interface contract and the version rules
// of paperboy.MergePaper as seen through a store, so SQLite and PostgreSQL
// behave the same. Backends call Run from their own tests.
package storetest
