package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"paperboy"
	"paperboy/internal/account"
	"paperboy/internal/api"
	"paperboy/internal/community"
	"paperboy/internal/digest"
	"paperboy/internal/trending"
	"paperboy/internal/web"
)

// Deps are the services and settings the HTTP front-ends need.
type Deps struct {
	Papers  paperboy.PaperStore
	Search  paperboy.Searcher
	Logger  *slog.Logger            // nil discards logs
	Now     func() time.Time        // nil means time.Now; times the access log
	Version string                  // shown in the page footer
	Harvest paperboy.HarvestMonitor // nil: the status shows harvesting off

	// Accounts signs people in (account.go); nil serves no account pages
	// and treats every request as anonymous.
	Accounts *account.Service

	// Community and Trending serve upvotes, submissions, comments and
	// trending (community.go); nil serves none of them.
	Community *community.Service
	Trending  *trending.Service

	// Digest serves subscribing, preferences, unsubscribing and the
	// digest API (digest.go); nil serves none of them.
	Digest *digest.Service
}

// server holds what the routes and middleware share.
type server struct {
	papers  paperboy.PaperStore
	logger  *slog.Logger
	now     func() time.Time
	web     *web.Handler
	api     *api.Handler
	harvest paperboy.HarvestMonitor

	accounts    *account.Service // nil: no accounts
	webAccounts *web.Accounts
	community   *community.Service // nil: no community features
	digest      *digest.Service    // nil: no digest pages
}

// New returns paperboy's HTTP handler. It parses every template; the
// templates are embedded, so a parse error is a bug that the tests catch, and
// New panics on it rather than serve broken pages.
func New(d Deps) http.Handler {
	s := &server{papers: d.Papers, logger: d.Logger, now: d.Now, harvest: d.Harvest}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if d.Community == nil || d.Trending == nil || d.Accounts == nil {
		d.Community, d.Trending = nil, nil // votes and comments need accounts
	}
	s.community = d.Community
	h, err := web.New(web.Config{Papers: d.Papers, Search: d.Search, Version: d.Version, Now: s.now, Community: d.Community, Trending: d.Trending})
	if err != nil {
		panic(fmt.Sprintf("server: %v", err))
	}
	s.web = h
	s.api = api.New(api.Config{Papers: d.Papers, Search: d.Search, Community: d.Community, Trending: d.Trending})
	if s.accounts = d.Accounts; s.accounts != nil {
		s.webAccounts = h.Accounts(s.accounts)
	}
	s.digest = d.Digest
	return s.middleware(s.routes())
}

// middleware wraps the routes in what every request passes, outermost
// first: the request ID is set before the access log reads it, and a
// recovered panic is logged with its final 500 status.
func (s *server) middleware(h http.Handler) http.Handler {
	h = s.authenticate(h)
	h = s.crossOrigin(h)
	h = s.recoverPanics(h)
	h = securityHeaders(h)
	h = s.logAccess(h)
	return requestID(h)
}
