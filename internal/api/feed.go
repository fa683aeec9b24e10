package api

import (
	"encoding/xml"
	"net/http"
	"regexp"
	"time"

	"paperboy"
)

// The Atom feeds (RFC 4287) are written with encoding/xml rather than
// gorilla/feeds: its items carry one author and no categories, and a paper
// has many of both. encoding/xml escapes every string, and replaces the
// characters XML 1.0 forbids, so arXiv-supplied text cannot break out.

type atomFeed struct {
	XMLName   xml.Name      `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string        `xml:"id"`
	Title     string        `xml:"title"`
	Subtitle  string        `xml:"subtitle,omitempty"`
	Updated   string        `xml:"updated"`
	Links     []atomLink    `xml:"link"`
	Generator atomGenerator `xml:"generator"`
	Entries   []atomEntry   `xml:"entry"`
}

type atomGenerator struct {
	URI  string `xml:"uri,attr"`
	Name string `xml:",chardata"`
}

type atomLink struct {
	Rel   string `xml:"rel,attr"`
	Type  string `xml:"type,attr,omitempty"`
	Href  string `xml:"href,attr"`
	Title string `xml:"title,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Authors    []atomPerson   `xml:"author"`
	Summary    atomText       `xml:"summary"`
	Categories []atomCategory `xml:"category"`
	Links      []atomLink     `xml:"link"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr"`
}

// arxivCategoryScheme is the scheme arXiv's own Atom API gives categories.
const arxivCategoryScheme = "http://arxiv.org/schemas/atom"

// feedMaxEntries bounds every feed; a reader polls, it does not page.
const feedMaxEntries = 200

// feedMeta is what distinguishes one feed from another.
type feedMeta struct {
	Title    string
	Subtitle string
	Self     string // path and query of the feed, e.g. /feeds/daily.atom
	Page     string // path and query of the HTML page it follows
}

// writeFeed renders papers as an Atom feed. Its updated time is the latest
// change among its papers, so an unchanged feed reads the same at every
// poll; an empty feed says 1970.
func writeFeed(w http.ResponseWriter, r *http.Request, m feedMeta, papers []*paperboy.Paper) error {
	base := baseURL(r)
	f := atomFeed{
		ID: base + m.Self, Title: m.Title, Subtitle: m.Subtitle,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: base + m.Self},
			{Rel: "alternate", Type: "text/html", Href: base + m.Page},
		},
		Generator: atomGenerator{URI: base + "/", Name: "paperboy"},
	}
	var updated time.Time
	for _, p := range papers {
		f.Entries = append(f.Entries, newAtomEntry(p, base))
		updated = later(updated, paperUpdated(p))
	}
	f.Updated = atomTime(updated)
	body, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append([]byte(xml.Header), append(body, '\n')...)) // the client went away: nothing left to tell it
	return nil
}

func newAtomEntry(p *paperboy.Paper, base string) atomEntry {
	e := atomEntry{
		ID:      p.ID.AbsURL(),
		Title:   atomText{Type: "text", Text: cleanLine(p.Title)},
		Updated: atomTime(paperUpdated(p)),
		Summary: atomText{Type: "text", Text: cleanAbstract(p.Abstract)},
		Links: []atomLink{
			{Rel: "alternate", Type: "text/html", Href: base + "/papers/" + p.ID.String()},
			{Rel: "related", Type: "text/html", Href: p.ID.AbsURL(), Title: "arXiv"},
			{Rel: "related", Type: "application/pdf", Href: p.ID.PDFURL(), Title: "PDF"},
		},
	}
	if !p.Submitted.IsZero() {
		e.Published = atomTime(p.Submitted)
	}
	for _, a := range p.Authors {
		e.Authors = append(e.Authors, atomPerson{Name: cleanLine(a.Name)})
	}
	for _, c := range p.Categories {
		e.Categories = append(e.Categories, atomCategory{Term: c, Scheme: arxivCategoryScheme})
	}
	return e
}

// paperUpdated is the latest time the paper changed on arXiv.
func paperUpdated(p *paperboy.Paper) time.Time { return later(p.Submitted, p.Updated) }

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// atomTime is an RFC 3339 UTC time; the zero time is the Unix epoch.
func atomTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

// validHost is a host name or IP literal with an optional port: anything
// else in the Host header is not echoed into feeds and markdown.
var validHost = regexp.MustCompile(`^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?$`)

// baseURL is the scheme and host the request reached paperboy at, for the
// absolute links that feeds and markdown need. X-Forwarded-Proto from a
// TLS-terminating proxy is honoured.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	host := r.Host
	if !validHost.MatchString(host) {
		host = "localhost"
	}
	return scheme + "://" + host
}
