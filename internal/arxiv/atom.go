package arxiv

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"paperboy"
)

// APIError is the error entry the arXiv API puts in a feed (its id is
// http://arxiv.org/api/errors#...) when a query is malformed.
type APIError struct {
	Message string
}

func (e *APIError) Error() string { return "arxiv: api error: " + e.Message }

// AtomReader reads an arXiv API (export.arxiv.org/api/query) Atom feed, one
// <entry> at a time. An unknown id gives an empty feed, not an error; an
// error entry is returned by Next as a fatal *APIError. XML breakage is
// handled as in OAIReader: an entry without id or title, or one that is
// not well-formed XML, is a *RecordError; a truncated feed is fatal.
type AtomReader struct {
	xmlStream
	total int
}

// NewAtomReader returns a reader for an arXiv API response body.
func NewAtomReader(r io.Reader) *AtomReader {
	return &AtomReader{xmlStream: newXMLStream(r, FormatAtom, "feed", "atom", "entry"), total: -1}
}

// TotalResults returns the feed's opensearch:totalResults, the number of
// matches over all pages, or -1 if it has not been read yet.
func (r *AtomReader) TotalResults() int { return r.total }

type atomEntry struct {
	ID        string `xml:"http://www.w3.org/2005/Atom id"`
	Title     string `xml:"http://www.w3.org/2005/Atom title"`
	Summary   string `xml:"http://www.w3.org/2005/Atom summary"`
	Updated   string `xml:"http://www.w3.org/2005/Atom updated"`
	Published string `xml:"http://www.w3.org/2005/Atom published"`
	Authors   []struct {
		Name         string   `xml:"name"`
		Affiliations []string `xml:"http://arxiv.org/schemas/atom affiliation"`
	} `xml:"http://www.w3.org/2005/Atom author"`
	Categories []atomTerm `xml:"http://www.w3.org/2005/Atom category"`
	Primary    atomTerm   `xml:"http://arxiv.org/schemas/atom primary_category"`
	DOI        string     `xml:"http://arxiv.org/schemas/atom doi"`
	JournalRef string     `xml:"http://arxiv.org/schemas/atom journal_ref"`
	Comment    string     `xml:"http://arxiv.org/schemas/atom comment"`
	Links      []struct {
		Rel   string `xml:"rel,attr"`
		Title string `xml:"title,attr"`
		Href  string `xml:"href,attr"`
	} `xml:"http://www.w3.org/2005/Atom link"`
}

type atomTerm struct {
	Term string `xml:"term,attr"`
}

// Next returns the next paper; see Reader.
func (r *AtomReader) Next() (*paperboy.Paper, error) { return r.next(r.element) }

func (r *AtomReader) element(start xml.StartElement, offset int64) (*paperboy.Paper, error) {
	switch start.Name.Local {
	case "entry":
		return r.entry(start, offset)
	case "totalResults":
		var s string
		if r.decode(&s, start, offset) {
			if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
				r.total = n
			}
		}
	}
	return nil, nil
}

func (r *AtomReader) entry(start xml.StartElement, offset int64) (*paperboy.Paper, error) {
	r.units++
	line := r.line()
	var e atomEntry
	if ok, broken := r.decodeUnit(&e, start, offset, line); !ok {
		return nil, broken
	}
	if strings.Contains(e.ID, "arxiv.org/api/errors") {
		r.err = &APIError{Message: clean(e.Summary)}
		return nil, nil
	}
	p, err := e.paper()
	if err != nil {
		return nil, &RecordError{Record: r.units, Line: line, ID: strings.TrimSpace(e.ID), Err: err}
	}
	return p, nil
}

// paper converts an entry. The version comes from the id URL; Versions holds
// v1 at <published> and the latest version at <updated>, which is all the
// API tells.
func (e *atomEntry) paper() (*paperboy.Paper, error) {
	if strings.TrimSpace(e.ID) == "" {
		return nil, errMissing("id")
	}
	id, version, err := parseID(e.ID)
	if err != nil {
		return nil, err
	}
	p := &paperboy.Paper{
		ID:         id,
		Title:      clean(e.Title),
		Abstract:   clean(e.Summary),
		DOI:        clean(e.DOI),
		JournalRef: clean(e.JournalRef),
		Comments:   clean(e.Comment),
	}
	if err := validate(p); err != nil {
		return nil, err
	}
	p.Categories = appendUnique(nil, strings.TrimSpace(e.Primary.Term))
	for _, c := range e.Categories {
		p.Categories = appendUnique(p.Categories, strings.TrimSpace(c.Term))
	}
	if p.DOI == "" {
		p.DOI = e.doiLink()
	}
	e.authors(p)
	return p, e.dates(p, version)
}

func (e *atomEntry) authors(p *paperboy.Paper) {
	for _, a := range e.Authors {
		name := DecodeLaTeX(clean(a.Name))
		if name == "" {
			continue
		}
		var affs []string
		for _, aff := range a.Affiliations {
			affs = appendUnique(affs, DecodeLaTeX(clean(aff)))
		}
		p.Authors = append(p.Authors, paperboy.Author{Name: name, Affiliation: strings.Join(affs, "; ")})
	}
}

func (e *atomEntry) dates(p *paperboy.Paper, version int) error {
	published, err := parseAtomTime(e.Published)
	if err != nil {
		return fmt.Errorf("published: %w", err)
	}
	updated, err := parseAtomTime(e.Updated)
	if err != nil {
		return fmt.Errorf("updated: %w", err)
	}
	if !published.IsZero() {
		p.Versions = append(p.Versions, paperboy.Version{Number: 1, Date: published})
	}
	if version > 1 && !updated.IsZero() {
		p.Versions = append(p.Versions, paperboy.Version{Number: version, Date: updated})
	}
	finishDates(p, updated)
	p.Version = max(p.Version, version)
	return nil
}

// doiLink returns the DOI from a <link rel="related"> to doi.org (titled
// "doi" in older feeds), for entries without arxiv:doi.
func (e *atomEntry) doiLink() string {
	for _, l := range e.Links {
		if l.Rel == "related" {
			href := strings.TrimSpace(l.Href)
			if i := strings.Index(href, "doi.org/"); i >= 0 && href[i+len("doi.org/"):] != "" {
				return href[i+len("doi.org/"):]
			}
		}
	}
	return ""
}

func parseAtomTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad time %q", s)
	}
	return t.UTC().Truncate(time.Second), nil
}
