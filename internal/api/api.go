package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"paperboy"
	"paperboy/internal/community"
	"paperboy/internal/trending"
)

// Config is what the JSON API needs.
type Config struct {
	Papers paperboy.PaperStore
	Search paperboy.Searcher

	// Community and Trending serve upvotes, submissions and trending
	// (community.go); nil leaves them out.
	Community *community.Service
	Trending  *trending.Service
}

// Handler serves the JSON API. Its exported methods are the handlers the
// server's route table names.
type Handler struct {
	papers    paperboy.PaperStore
	search    paperboy.Searcher
	community *community.Service
	trending  *trending.Service
}

// New returns the JSON API handler.
func New(c Config) *Handler {
	return &Handler{papers: c.Papers, search: c.Search, community: c.Community, trending: c.Trending}
}

// writeJSON encodes v first, so an encoding error becomes a clean 500.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n')) // the client went away: nothing left to tell it
	return nil
}

// intParam reads an optional integer parameter in [lo, hi]. Returns
// EINVALID, naming the parameter, for anything else.
func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, paperboy.Errorf(paperboy.EINVALID, "Invalid %s %q: expected an integer from %d to %d.", name, s, lo, hi)
	}
	return n, nil
}
