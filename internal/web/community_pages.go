package web

import (
	"html/template"
	"net/http"
	"net/url"
	"time"

	"paperboy"
	"paperboy/internal/account"
	"paperboy/internal/community"
)

// submitPage asks for an arXiv ID or URL and a note.
type submitPage struct {
	layout
	Paper   string
	Comment string
	Error   string // why the last attempt failed, or the polite duplicate notice
}

// trendingPage lists a window's trending papers with their reasons.
type trendingPage struct {
	layout
	Window   string
	Windows  []periodLink
	Cards    []card
	Computed string // when the table was computed, "" before the first run
}

// commentEditPage edits one comment.
type commentEditPage struct {
	layout
	Comment  commentView
	PaperURL string
	Error    string
}

// paperCommunity is the community part of a paper page.
type paperCommunity struct {
	PaperURL    string
	Vote        card // the upvote button
	Upvotes     int
	Voted       bool
	SignedIn    bool
	SubmittedBy string
	SubmittedOn string
	SubmitNote  string
	Stars       float64
	Repo        string
	Comments    []commentView
}

// commentView is one comment of a thread as a reader may see it.
type commentView struct {
	ID       int64
	Author   string
	Created  string
	DateTime string
	Edited   bool
	Hidden   bool
	HTML     template.HTML // the formatted body; empty when hidden
	Body     string        // the raw body, for its author's edit form
	Mine     bool          // the reader wrote it: edit and delete
	CanHide  bool          // the reader is an admin
}

func newCommentView(c *paperboy.Comment, reader *paperboy.User) commentView {
	v := commentView{
		ID: c.ID, Author: c.Author.PublicName(), Created: c.Created.UTC().Format("2 Jan 2006 15:04"),
		DateTime: c.Created.UTC().Format(time.RFC3339), Edited: !c.Edited.IsZero(), Hidden: c.Hidden,
	}
	if !c.Hidden {
		v.HTML = formatCommentHTML(c.Body)
	}
	if reader != nil {
		v.Mine, v.CanHide = reader.ID == c.UserID, reader.Admin
		if v.Mine && !c.Hidden {
			v.Body = c.Body
		}
	}
	return v
}

// formatCommentHTML renders a comment body in the safe subset.
var formatCommentHTML = community.Format

// paperCommunity gathers the votes, submission and thread of a paper.
func (h *Handler) paperCommunity(r *http.Request, id paperboy.ArxivID) (*paperCommunity, error) {
	if h.community == nil {
		return nil, nil
	}
	ctx := r.Context()
	user := account.UserFrom(ctx)
	stats, err := h.community.StatsOf(ctx, user, []paperboy.ArxivID{id})
	if err != nil {
		return nil, err
	}
	st := stats[id]
	pc := &paperCommunity{PaperURL: paperURL(id), Upvotes: st.Upvotes, Voted: st.Voted, SignedIn: user != nil, Stars: st.Stars, Repo: safeRepo(st.Repo)}
	pc.Vote = card{URL: pc.PaperURL, Upvotes: st.Upvotes, Voted: st.Voted, Next: pc.PaperURL}
	if sub, err := h.community.Submission(ctx, id); err == nil {
		pc.SubmittedBy, pc.SubmittedOn, pc.SubmitNote = sub.Submitter.PublicName(), formatDate(sub.Created), sub.Comment
	} else if paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
		return nil, err
	}
	comments, err := h.community.Comments(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, c := range comments {
		pc.Comments = append(pc.Comments, newCommentView(c, user))
	}
	return pc, nil
}

// safeRepo is an imported repository URL if it is an https:// URL, else
// "": signals come from files, and a link must not run script.
func safeRepo(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return ""
	}
	return u.String()
}
