package server

import (
	"net/http"

	"paperboy"
	"paperboy/internal/api"
)

// handlerFunc is a front-end handler: it writes a response, or returns an
// error for the server to map to a status and show.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// statusOf is the one map from error codes to HTTP statuses: any code
// without its own status, EINTERNAL included, is a 500.
func statusOf(err error) int {
	switch paperboy.ErrorCode(err) {
	case paperboy.EINVALID:
		return http.StatusBadRequest
	case paperboy.ENOTFOUND:
		return http.StatusNotFound
	case paperboy.ECONFLICT:
		return http.StatusConflict
	case paperboy.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case paperboy.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case paperboy.EFORBIDDEN:
		return http.StatusForbidden
	case paperboy.ERATELIMITED:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// handleError maps err to its status and logs it once if it is not the
// user's doing. Users see the message of a paperboy error, or "Internal
// error.".
func (s *server) handleError(r *http.Request, err error) int {
	status := statusOf(err)
	if status >= 500 {
		s.logger.ErrorContext(r.Context(), "request_failed",
			"request_id", requestIDFrom(r.Context()), "method", r.Method, "path", r.URL.Path,
			"status", status, "err", err)
	}
	return status
}

// page adapts an HTML handler: errors become a styled error page.
func (s *server) page(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			s.web.RenderError(w, r, s.handleError(r, err), err)
		}
	})
}

// json adapts a JSON handler: errors become {"error":{...}}.
func (s *server) json(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			api.WriteError(w, s.handleError(r, err), err)
		}
	})
}
