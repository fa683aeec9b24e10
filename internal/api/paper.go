package api

import (
	"encoding/json"
	"strings"
	"time"

	"paperboy"
)

// paper is the JSON shape of a paper, shared by every endpoint.
type paper struct {
	ID              string    `json:"id"`
	Version         int       `json:"version"`
	Versions        []version `json:"versions"`
	Title           string    `json:"title"`
	Abstract        string    `json:"abstract"`
	Authors         []author  `json:"authors"`
	Categories      []string  `json:"categories"`
	PrimaryCategory string    `json:"primary_category"`
	DOI             string    `json:"doi"`
	JournalRef      string    `json:"journal_ref"`
	Comments        string    `json:"comments"`
	License         string    `json:"license"`
	Submitted       timestamp `json:"submitted"`
	Updated         timestamp `json:"updated"`
	Links           links     `json:"links"`
}

type version struct {
	Version int       `json:"version"`
	Date    timestamp `json:"date"`
	Size    string    `json:"size,omitempty"`
}

type author struct {
	Name        string `json:"name"`
	Affiliation string `json:"affiliation,omitempty"`
}

type links struct {
	Abs  string `json:"abs"`
	PDF  string `json:"pdf"`
	HTML string `json:"html"`
}

// timestamp is an RFC 3339 UTC time, null when unknown.
type timestamp time.Time

func (t timestamp) MarshalJSON() ([]byte, error) {
	if time.Time(t).IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(time.Time(t).UTC().Format(time.RFC3339))
}

func newPaper(p *paperboy.Paper) paper {
	out := paper{
		ID: p.ID.String(), Version: p.Version, Versions: []version{},
		Title:    strings.Join(strings.Fields(p.Title), " "),
		Abstract: strings.TrimSpace(p.Abstract), Authors: []author{},
		Categories: p.Categories, PrimaryCategory: p.PrimaryCategory(),
		DOI: p.DOI, JournalRef: p.JournalRef, Comments: p.Comments, License: p.License,
		Submitted: timestamp(p.Submitted), Updated: timestamp(p.Updated),
		Links: links{Abs: p.ID.AbsURL(), PDF: p.ID.PDFURL(), HTML: p.ID.HTMLURL()},
	}
	if out.Categories == nil {
		out.Categories = []string{}
	}
	for _, v := range p.Versions {
		out.Versions = append(out.Versions, version{Version: v.Number, Date: timestamp(v.Date), Size: v.Size})
	}
	for _, a := range p.Authors {
		out.Authors = append(out.Authors, author{Name: a.Name, Affiliation: a.Affiliation})
	}
	return out
}

func newPapers(ps []*paperboy.Paper) []paper {
	out := make([]paper, 0, len(ps))
	for _, p := range ps {
		out = append(out, newPaper(p))
	}
	return out
}
