package server

import (
	"net/http"
	"strings"

	"paperboy/internal/api"
)

// hfJSON adapts a Hugging Face-compatible handler: errors become
// {"error":"..."}, the Hub's shape, which huggingface_hub reports.
func (s *server) hfJSON(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			api.WriteHFError(w, s.handleError(r, err), err)
		}
	})
}

// text adapts a handler whose clients read no HTML or JSON (feed readers,
// `hf papers read`): errors become a plain-text message.
func (s *server) text(fn handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			api.WriteTextError(w, s.handleError(r, err), err)
		}
	})
}

// paperShow serves /papers/{id...}: the HTML page, or the paper's markdown
// when the path ends in ".md" (Hugging Face's /papers/{id}.md). A pattern
// cannot hold a suffix after {id...}, and old-style IDs have a slash, so
// the split happens here; no arXiv ID ends in ".md".
func (s *server) paperShow() http.Handler {
	html, markdown := s.page(s.web.PaperShow), s.text(s.api.PaperMarkdown)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.PathValue("id"), ".md") {
			markdown.ServeHTTP(w, r)
			return
		}
		html.ServeHTTP(w, r)
	})
}
