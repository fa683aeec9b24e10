package web

import (
	"errors"
	"net/http"

	"paperboy"
)

// errorPage explains why a request failed.
type errorPage struct {
	layout
	Status  int
	Heading string
	Message string
}

// pageError is an error shown on the page that caused it (the search page
// with its query) rather than on the generic error page.
type pageError struct {
	err  error
	name string
	data any
}

func (e *pageError) Error() string { return e.err.Error() }
func (e *pageError) Unwrap() error { return e.err }

// NotFound serves every path no route matches.
func (h *Handler) NotFound(w http.ResponseWriter, r *http.Request) error {
	return paperboy.Errorf(paperboy.ENOTFOUND, "There is no page at %s.", r.URL.Path)
}

// RenderError shows err to the user with the given status, which the caller
// chose from err's code. Internal errors show only "Internal error.".
func (h *Handler) RenderError(w http.ResponseWriter, r *http.Request, status int, err error) {
	var pe *pageError
	if errors.As(err, &pe) {
		if h.render(w, status, pe.name, pe.data) == nil {
			return
		}
	}
	page := errorPage{
		layout:  h.layoutFor(r, http.StatusText(status)),
		Status:  status,
		Heading: heading(status),
		Message: paperboy.ErrorMessage(err),
	}
	if r.URL.Path == "/search" {
		page.Query = r.URL.Query().Get("q")
	}
	if h.render(w, status, "error", page) != nil {
		http.Error(w, page.Message, status)
	}
}

func heading(status int) string {
	switch {
	case status == http.StatusNotFound:
		return "Page not found"
	case status < 500:
		return "Something is wrong with the request"
	case status == http.StatusServiceUnavailable:
		return "Temporarily unavailable"
	default:
		return "Something went wrong on our side"
	}
}
