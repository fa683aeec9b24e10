// Package digest turns subscribers into e-mails: double opt-in
// subscriptions and signed links (subscribe.go, token.go), the per-subscriber
// schedule in local time (schedule.go), composition of each issue from
// trending, categories, saved searches and followed authors (compose.go),
// rendering (render.go), and delivery through a durable outbox with leases,
// retries and suppression (outbox.go, deliver.go). It sits between the store
// and internal/mail; the web and API front-ends call its Service.
package digest
