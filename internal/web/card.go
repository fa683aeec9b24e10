package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"paperboy"
)

// card is one paper in a grid of paper cards. Title and Snippet are HTML
// built only from escaped text (see highlightHTML).
type card struct {
	URL      string
	ID       string
	Title    template.HTML
	Authors  string
	Category string
	Date     string
	DateTime string // for <time datetime>
	Snippet  template.HTML

	// Community, set by withStats (community_cards.go) when it is on.
	Community   bool
	Upvotes     int
	Voted       bool // by the signed-in user
	Comments    int
	SubmittedBy string // public name of the submitter, "" if not submitted
	Reason      string // why it trends, on the trending page
	Next        string // where the upvote button returns to: the page showing the card
}

const snippetLen = 280

// newCard builds the card of a paper; segs highlights the title and
// abstract (nil when there is nothing to highlight).
func newCard(p *paperboy.Paper, hl func(string) []segment) card {
	title, abstract := cleanText(p.Title), cleanText(p.Abstract)
	return card{
		URL:      paperURL(p.ID),
		ID:       p.ID.String(),
		Title:    highlightHTML(hl(title)),
		Authors:  shortAuthors(p.AuthorNames()),
		Category: p.PrimaryCategory(),
		Date:     formatDate(p.Submitted),
		DateTime: isoDate(p.Submitted),
		Snippet:  highlightHTML(clip(hl(abstract), snippetLen)),
	}
}

// noHighlight is the highlighter of pages without a query.
func noHighlight(s string) []segment { return []segment{{Text: s}} }

// paperURL is the paper's page on this site. Old-style IDs keep their
// slash: the route takes the rest of the path.
func paperURL(id paperboy.ArxivID) string { return "/papers/" + id.String() }

// cleanText collapses arXiv's hard line breaks and indentation.
func cleanText(s string) string { return strings.Join(strings.Fields(s), " ") }

// shortAuthors lists up to four names, and the first three and a count
// beyond that, the way paper cards do.
func shortAuthors(names []string) string {
	if len(names) <= 4 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d others", strings.Join(names[:3], ", "), len(names)-3)
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006")
}

func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// pager links the pages of a long list.
type pager struct {
	Page, Pages int
	Prev, Next  string // URLs; empty at either end
}

// newPager builds the pager of total items shown perPage at a time; link
// returns the URL of a page.
func newPager(page, perPage, total int, link func(page int) string) pager {
	pages := (total + perPage - 1) / perPage
	p := pager{Page: page, Pages: pages}
	if page > 1 {
		p.Prev = link(min(page-1, max(pages, 1)))
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p
}

// parsePage reads the 1-based page parameter. Returns EINVALID for anything
// but a positive integer.
func parsePage(q url.Values) (int, error) {
	s := q.Get("page")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 100000 {
		return 0, paperboy.Errorf(paperboy.EINVALID, "Invalid page %q: expected a page number from 1.", s)
	}
	return n, nil
}
