package server

import (
	"net/http"
)

// healthShow serves GET /healthz for load balancers and monitors: 200 "ok"
// when the store answers, 503 when it does not.
func (s *server) healthShow(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if _, err := s.papers.CountPapers(r.Context()); err != nil {
		s.logger.ErrorContext(r.Context(), "health_check_failed", "request_id", requestIDFrom(r.Context()), "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}
