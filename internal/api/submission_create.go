package api

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"paperboy"
	"paperboy/internal/account"
)

// submissionRequest is the body of POST /api/v1/submissions.
type submissionRequest struct {
	Paper   string `json:"paper"`   // an arXiv ID or arxiv.org URL
	Comment string `json:"comment"` // optional
}

type submissionJSON struct {
	PaperID     string    `json:"paper_id"`
	Title       string    `json:"title,omitempty"`
	SubmittedBy string    `json:"submitted_by"`
	Comment     string    `json:"comment"`
	Submitted   time.Time `json:"submitted"`
}

// SubmissionCreate serves POST /api/v1/submissions with a JSON body
// {"paper": "2401.01234", "comment": "..."}: 201 and the submission, or
// 409 with the polite message when the paper was submitted already (the
// caller's upvote is counted).
func (h *Handler) SubmissionCreate(w http.ResponseWriter, r *http.Request) error {
	user, err := account.RequireUser(r.Context())
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="paperboy"`)
		return err
	}
	var req submissionRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return paperboy.Errorf(paperboy.EINVALID, "The body must be JSON like {\"paper\": \"2401.01234\", \"comment\": \"...\"}: %v.", err)
	}
	sub, err := h.community.Submit(r.Context(), user, req.Paper, req.Comment)
	if err != nil {
		return err
	}
	out := submissionJSON{PaperID: sub.PaperID.String(), SubmittedBy: sub.Submitter.PublicName(), Comment: sub.Comment, Submitted: sub.Created.UTC()}
	if p, err := h.papers.Paper(r.Context(), sub.PaperID); err == nil {
		out.Title = cleanLine(p.Title)
	}
	return writeJSON(w, http.StatusCreated, out)
}
