// Package server assembles paperboy's HTTP handler: the one route table
// naming the HTML (internal/web) and JSON (internal/api) handlers, the
// middleware every request passes (request ID, access log, security headers,
// panic recovery), and the one map from error codes to HTTP statuses.
// cmd/paperboy serves what New returns.
package server
