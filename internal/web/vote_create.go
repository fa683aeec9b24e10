package web

import (
	"net/http"
)

// VoteCreate serves POST /papers/{id}/upvote, the button on every card:
// vote=up gives the user's upvote, vote=down takes it back. The button
// says which, so a double click sends the same thing twice and counts
// once. The browser goes back to next, a path on this site.
func (h *Handler) VoteCreate(w http.ResponseWriter, r *http.Request) error {
	user := signedIn(w, r)
	if user == nil {
		return nil
	}
	id, err := paperIDFrom(r)
	if err != nil {
		return err
	}
	if r.PostFormValue("vote") == "down" {
		_, err = h.community.Unvote(r.Context(), user, id)
	} else {
		_, err = h.community.Upvote(r.Context(), user, id)
	}
	if err != nil {
		return err
	}
	localRedirect(w, r, r.PostFormValue("next"), paperURL(id))
	return nil
}
