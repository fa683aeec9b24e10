package server

import "net/http"

// communityRoutes adds upvotes, submissions, comments and trending, when
// they are on (they need accounts). Routes that name a paper before a
// suffix come twice: {id} for new-style IDs, {archive}/{num} for old-style
// ones such as hep-th/9901001.
func (s *server) communityRoutes(mux *http.ServeMux) {
	if s.community == nil {
		return
	}
	w, a := s.web, s.api
	for _, id := range []string{"{id}", "{archive}/{num}"} {
		mux.Handle("POST /papers/"+id+"/upvote", s.page(w.VoteCreate))
		mux.Handle("POST /papers/"+id+"/comments", s.page(w.CommentCreate))
		mux.Handle("POST /api/v1/papers/"+id+"/upvote", s.json(a.VoteCreate))
		mux.Handle("DELETE /api/v1/papers/"+id+"/upvote", s.json(a.VoteDelete))
	}
	mux.Handle("GET /submit", s.page(w.SubmissionShow))
	mux.Handle("POST /submit", s.page(w.SubmissionCreate))
	mux.Handle("GET /comments/{cid}/edit", s.page(w.CommentEditShow))
	mux.Handle("POST /comments/{cid}/edit", s.page(w.CommentUpdate))
	mux.Handle("POST /comments/{cid}/delete", s.page(w.CommentDelete))
	mux.Handle("POST /comments/{cid}/hide", s.page(w.CommentHide))
	mux.Handle("GET /trending", s.page(w.TrendingShow))

	mux.Handle("POST /api/v1/submissions", s.json(a.SubmissionCreate))
	mux.Handle("GET /api/v1/trending", s.json(a.TrendingShow))
}
