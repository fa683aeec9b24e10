// Package mailtest runs a real SMTP server (emersion/go-smtp) on
// 127.0.0.1:0 for tests: STARTTLS or implicit TLS with a self-signed
// certificate, AUTH PLAIN, and every accepted message captured whole and
// parsed with net/mail and mime/multipart. A message is captured before the
// server answers DATA, so once a client's Send returns it is there: tests
// never wait or poll.
package mailtest
