package api

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"time"

	"paperboy"
)

// The Hugging Face-compatible shapes, as huggingface_hub and the hf papers
// CLI read them (docs/hf-api.md lists every field and what fills it). Fields
// paperboy has no data for yet carry the zero value of their documented
// type when the schema marks them required, and are left out when it marks
// them optional.

// hfDailyItem is one entry of GET /api/daily_papers and /api/papers/search.
type hfDailyItem struct {
	Paper                 hfPaper `json:"paper"`
	PublishedAt           hfTime  `json:"publishedAt"` // when it entered the daily listing
	Title                 string  `json:"title"`
	Summary               string  `json:"summary"`
	Thumbnail             string  `json:"thumbnail"`
	NumComments           int     `json:"numComments"`
	SubmittedBy           hfUser  `json:"submittedBy"`
	IsAuthorParticipating bool    `json:"isAuthorParticipating"`
}

// hfPaper is the paper object: nested in a daily item, and the whole body of
// GET /api/papers/{id}.
type hfPaper struct {
	ID                 string     `json:"id"`
	Authors            []hfAuthor `json:"authors"`
	DiscussionID       string     `json:"discussionId"`
	PublishedAt        hfTime     `json:"publishedAt"` // first version on arXiv
	SubmittedOnDailyAt hfTime     `json:"submittedOnDailyAt"`
	Summary            string     `json:"summary"`
	Title              string     `json:"title"`
	Upvotes            int        `json:"upvotes"`

	// Set from submissions and imported signals (hf_community.go).
	SubmittedOnDailyBy *hfUser  `json:"submittedOnDailyBy,omitempty"`
	GitHubRepo         string   `json:"githubRepo,omitempty"`
	GitHubStars        *float64 `json:"githubStars,omitempty"`
}

type hfAuthor struct {
	ID     string `json:"_id"`
	Hidden bool   `json:"hidden"`
	Name   string `json:"name"`
}

// hfUser is a Hugging Face user object: a submitter, or, for a paper nobody
// submitted, this object with empty strings. User is the optional username
// key huggingface_hub's User reads its username from.
type hfUser struct {
	ID        string `json:"_id"`
	AvatarURL string `json:"avatarUrl"`
	Fullname  string `json:"fullname"`
	IsPro     bool   `json:"isPro"`
	Name      string `json:"name"`
	Type      string `json:"type"`
	User      string `json:"user,omitempty"`
}

// hfTime is a UTC time the way the Hub writes it, with milliseconds and a
// Z: 2007-04-02T19:18:42.000Z. huggingface_hub's parse_datetime needs the
// Z; releases before 0.27 also need the fraction.
type hfTime time.Time

const hfTimeLayout = "2006-01-02T15:04:05.000Z"

func (t hfTime) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Time(t).UTC().Format(hfTimeLayout))
}

func newHFPaper(p *paperboy.Paper) hfPaper {
	out := hfPaper{
		ID: p.ID.String(), Authors: []hfAuthor{},
		PublishedAt: hfTime(p.Submitted), SubmittedOnDailyAt: hfTime(p.Submitted),
		Summary: cleanAbstract(p.Abstract), Title: cleanLine(p.Title),
	}
	for _, a := range p.Authors {
		out.Authors = append(out.Authors, hfAuthor{Name: cleanLine(a.Name)})
	}
	return out
}

func newHFItem(p *paperboy.Paper) hfDailyItem {
	hp := newHFPaper(p)
	return hfDailyItem{
		Paper: hp, PublishedAt: hfTime(p.Submitted), Title: hp.Title, Summary: hp.Summary,
		SubmittedBy: hfUser{Type: "user"},
	}
}

func newHFItems(ps []*paperboy.Paper) []hfDailyItem {
	out := make([]hfDailyItem, 0, len(ps))
	for _, p := range ps {
		out = append(out, newHFItem(p))
	}
	return out
}

// paragraphBreak is how arXiv abstracts start a new paragraph: a line break
// followed by indentation.
var paragraphBreak = regexp.MustCompile(`\n[ \t]+`)

// cleanLine collapses arXiv's hard line breaks and indentation.
func cleanLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// abstractParagraphs splits an abstract into paragraphs, each on one line.
func abstractParagraphs(s string) []string {
	var paras []string
	for _, p := range paragraphBreak.Split(strings.TrimSpace(s), -1) {
		if p = cleanLine(p); p != "" {
			paras = append(paras, p)
		}
	}
	return paras
}

// cleanAbstract is the abstract with one line per paragraph, the way the
// Hub's summaries read.
func cleanAbstract(s string) string { return strings.Join(abstractParagraphs(s), "\n") }

type hfErrorResponse struct {
	Error string `json:"error"`
}

// WriteHFError writes err as the Hub does, {"error":"..."}, which
// huggingface_hub shows in the exception it raises. Internal errors say only
// "Internal error.".
func WriteHFError(w http.ResponseWriter, status int, err error) {
	body := hfErrorResponse{Error: paperboy.ErrorMessage(err)}
	if writeJSON(w, status, body) != nil {
		http.Error(w, body.Error, status)
	}
}

// WriteTextError writes err as plain text, for the Atom feeds and the
// markdown of a paper, whose clients expect no JSON.
func WriteTextError(w http.ResponseWriter, status int, err error) {
	http.Error(w, paperboy.ErrorMessage(err), status)
}
