package server

import "net/http"

// routes is the route table: every URL paperboy serves.
func (s *server) routes() *http.ServeMux {
	mux := http.NewServeMux()

	// HTML pages
	mux.Handle("GET /{$}", s.page(s.web.DailyShow))
	mux.Handle("GET /papers/{id...}", s.page(s.web.PaperShow))
	mux.Handle("GET /search", s.page(s.web.SearchShow))
	mux.Handle("GET /static/{file}", s.page(s.web.StaticShow))
	mux.Handle("/", s.page(s.web.NotFound))

	// JSON API v1
	mux.Handle("GET /api/v1/papers/{id...}", s.json(s.api.PaperShow))
	mux.Handle("GET /api/v1/search", s.json(s.api.SearchList))
	mux.Handle("GET /api/v1/daily", s.json(s.api.DailyShow))
	mux.Handle("/api/", s.json(s.api.NotFound))

	// Operations
	mux.HandleFunc("GET /healthz", s.healthShow)
	return mux
}
