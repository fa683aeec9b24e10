package server

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"paperboy"
)

// kaggleRecord is the part of an arXiv Kaggle-snapshot record the tests use.
type kaggleRecord struct {
	ID         string  `json:"id"`
	Submitter  string  `json:"submitter"`
	Authors    string  `json:"authors"`
	Title      string  `json:"title"`
	Comments   *string `json:"comments"`
	JournalRef *string `json:"journal-ref"`
	DOI        *string `json:"doi"`
	ReportNo   *string `json:"report-no"`
	Categories string  `json:"categories"`
	License    *string `json:"license"`
	Abstract   string  `json:"abstract"`
	Versions   []struct {
		Version string `json:"version"`
		Created string `json:"created"`
	} `json:"versions"`
	AuthorsParsed [][]string `json:"authors_parsed"`
}

// loadFixtures reads testdata/papers.jsonl: 35 real arXiv records, 30 of
// them first submitted on 31 Mar, 1 Apr and 2 Apr 2007, two old-style
// hep-th IDs from January 1999, and three from January 2019.
func loadFixtures(t *testing.T) []*paperboy.Paper {
	t.Helper()
	f, err := os.Open("testdata/papers.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var papers []*paperboy.Paper
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec kaggleRecord
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatal(err)
		}
		papers = append(papers, rec.paper(t))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return papers
}

func (rec kaggleRecord) paper(t *testing.T) *paperboy.Paper {
	t.Helper()
	p := &paperboy.Paper{
		ID: paperboy.MustParseArxivID(rec.ID), Title: rec.Title, Abstract: rec.Abstract,
		Categories: strings.Fields(rec.Categories), Submitter: rec.Submitter,
		DOI: deref(rec.DOI), JournalRef: deref(rec.JournalRef), Comments: deref(rec.Comments),
		ReportNo: deref(rec.ReportNo), License: deref(rec.License),
	}
	for _, v := range rec.Versions {
		date, err := time.Parse("Mon, 2 Jan 2006 15:04:05 MST", v.Created)
		if err != nil {
			t.Fatalf("%s: %v", rec.ID, err)
		}
		n := len(p.Versions) + 1
		p.Versions = append(p.Versions, paperboy.Version{Number: n, Date: date.UTC()})
	}
	p.Version = len(p.Versions)
	p.Submitted = p.Versions[0].Date
	p.Updated = p.Versions[len(p.Versions)-1].Date
	p.Authors = parseAuthors(rec)
	return p
}

func parseAuthors(rec kaggleRecord) []paperboy.Author {
	var authors []paperboy.Author
	if rec.AuthorsParsed != nil {
		for _, a := range rec.AuthorsParsed {
			authors = append(authors, paperboy.Author{Name: strings.TrimSpace(a[1] + " " + a[0])})
		}
		return authors
	}
	s := strings.ReplaceAll(strings.Join(strings.Fields(rec.Authors), " "), " and ", ", ")
	for _, name := range strings.Split(s, ", ") {
		if name = strings.TrimSpace(name); name != "" {
			authors = append(authors, paperboy.Author{Name: name})
		}
	}
	return authors
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// scriptPaper is crafted: its title, abstract and author carry markup that
// must come out escaped on every page.
func scriptPaper() *paperboy.Paper {
	day := time.Date(2019, 1, 29, 9, 0, 0, 0, time.UTC)
	return &paperboy.Paper{
		ID:         "1901.99999",
		Version:    1,
		Versions:   []paperboy.Version{{Number: 1, Date: day, Size: "12kb"}},
		Title:      `Escaping <script>alert("title")</script> in neural networks`,
		Abstract:   `We show that <b>bold</b> claims & <script>alert(1)</script> neural payloads are inert.`,
		Authors:    []paperboy.Author{{Name: `Eve <img src=x onerror=alert(2)>`, Affiliation: "Lab & Co"}},
		Categories: []string{"cs.CR", "cs.LG"},
		License:    "javascript:alert(3)",
		Submitted:  day,
		Updated:    day,
	}
}
