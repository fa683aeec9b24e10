package server

import (
	"net/http"

	"paperboy/internal/api"
)

// routes is the route table: every URL paperboy serves.
func (s *server) routes() *http.ServeMux {
	mux := http.NewServeMux()

	// HTML pages
	mux.Handle("GET /{$}", s.page(s.web.DailyShow))
	mux.Handle("GET /papers/{id...}", s.paperShow()) // and /papers/{id}.md, see paperShow
	mux.Handle("GET /search", s.page(s.web.SearchShow))
	mux.Handle("GET /status", s.page(s.web.StatusShow(s.harvest)))
	mux.Handle("GET /static/{file}", s.page(s.web.StaticShow))
	mux.Handle("/", s.page(s.web.NotFound))

	// JSON API v1
	mux.Handle("GET /api/v1/papers/{id...}", s.apiPaperShow()) // and .../{id}/related, see apiPaperShow
	mux.Handle("GET /api/v1/search", s.json(s.api.SearchList))
	mux.Handle("GET /api/v1/daily", s.json(s.api.DailyShow))
	mux.Handle("GET /api/v1/status", s.json(api.StatusShow(s.harvest)))
	mux.Handle("/api/", s.json(s.api.NotFound))

	// Hugging Face-compatible API (docs/hf-api.md)
	mux.Handle("GET /api/daily_papers", s.hfJSON(s.api.HFDailyList))
	mux.Handle("GET /api/papers/search", s.hfJSON(s.api.HFSearchList))
	mux.Handle("GET /api/papers/{id...}", s.hfJSON(s.api.HFPaperShow))

	// Atom feeds
	mux.Handle("GET /feeds/daily.atom", s.text(s.api.FeedDailyShow))
	mux.Handle("GET /feeds/trending.atom", s.text(s.api.FeedTrendingShow))
	mux.Handle("GET /feeds/search.atom", s.text(s.api.FeedSearchShow))

	s.accountRoutes(mux)   // sign-in, settings, /api/v1/me: account.go
	s.digestRoutes(mux)    // subscribe, preferences, unsubscribe, mail events: digest.go
	s.communityRoutes(mux) // upvotes, submissions, comments, trending: community.go

	// Operations
	mux.HandleFunc("GET /healthz", s.healthShow)
	return mux
}
