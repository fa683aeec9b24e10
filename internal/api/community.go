package api

import (
	"net/http"

	"paperboy"
)

// voteJSON is a paper's upvotes after a vote.
type voteJSON struct {
	PaperID string `json:"paper_id"`
	Upvotes int    `json:"upvotes"`
	Upvoted bool   `json:"upvoted"` // by the caller
}

// paperIDFrom reads the paper ID of /api/v1/papers/{id}/upvote, or
// /api/v1/papers/{archive}/{num}/upvote for old-style IDs.
func paperIDFrom(r *http.Request) (paperboy.ArxivID, error) {
	raw := r.PathValue("id")
	if a := r.PathValue("archive"); a != "" {
		raw = a + "/" + r.PathValue("num")
	}
	id, _, err := paperboy.ParseArxivID(raw)
	if err != nil {
		return "", paperboy.Errorf(paperboy.ENOTFOUND, "Paper %q not found: %s", raw, paperboy.ErrorMessage(err))
	}
	return id, nil
}
