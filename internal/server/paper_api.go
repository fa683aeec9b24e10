package server

import (
	"net/http"
	"strings"
)

// apiPaperShow serves /api/v1/papers/{id...}: the paper, or its related
// papers when the path ends in "/related". A pattern cannot hold a suffix
// after {id...}, and old-style IDs have a slash, so the split happens here.
func (s *server) apiPaperShow() http.Handler {
	paper, related := s.json(s.api.PaperShow), s.json(s.api.RelatedList)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.PathValue("id"), "/related") {
			related.ServeHTTP(w, r)
			return
		}
		paper.ServeHTTP(w, r)
	})
}
