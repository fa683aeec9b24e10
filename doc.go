// Package paperboy is the domain vocabulary of the paperboy research-paper
// radar: papers and their arXiv identifiers, search queries and results,
// error codes, and the store interfaces every backend implements.
//
// It performs no I/O. Adapters live under internal/ and point at this
// package; cmd/paperboy wires them together.
package paperboy
