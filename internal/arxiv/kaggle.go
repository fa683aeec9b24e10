package arxiv

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"paperboy"
)

// kaggleRecord is one line of the Kaggle "arxiv-metadata-oai-snapshot" dump.
// JSON nulls leave fields empty.
type kaggleRecord struct {
	ID            string          `json:"id"`
	Submitter     string          `json:"submitter"`
	Authors       string          `json:"authors"`
	Title         string          `json:"title"`
	Comments      string          `json:"comments"`
	JournalRef    string          `json:"journal-ref"`
	DOI           string          `json:"doi"`
	ReportNo      string          `json:"report-no"`
	Categories    string          `json:"categories"`
	License       string          `json:"license"`
	Abstract      string          `json:"abstract"`
	Versions      []kaggleVersion `json:"versions"`
	UpdateDate    string          `json:"update_date"`
	AuthorsParsed [][]string      `json:"authors_parsed"`
}

type kaggleVersion struct {
	Version string `json:"version"`
	Created string `json:"created"`
}

type kaggleReader struct {
	br      *bufio.Reader
	line    int // lines read so far
	records int
	err     error // sticky fatal error
}

// NewKaggleReader returns a Reader for the Kaggle arxiv-metadata-oai-snapshot
// format: one JSON object per line. Lines may be of any length; blank lines
// are skipped. A line that is not a JSON object, or lacks an id or title, is
// a *RecordError; a first record that does not even start with '{' means the
// input is not this format, which is fatal.
func NewKaggleReader(r io.Reader) Reader {
	return &kaggleReader{br: bufio.NewReaderSize(r, 64<<10)}
}

func (k *kaggleReader) Next() (*paperboy.Paper, error) {
	if k.err != nil {
		return nil, k.err
	}
	line, err := k.readLine()
	if err != nil {
		k.err = err
		return nil, err
	}
	k.records++
	if k.records == 1 {
		line = bytes.TrimPrefix(line, utf8BOM)
		if len(line) == 0 || line[0] != '{' {
			k.err = fmt.Errorf("arxiv: line %d: not a JSON object, so not %s input", k.line, FormatKaggle)
			return nil, k.err
		}
	}
	var rec kaggleRecord
	if err := json.Unmarshal(line, &rec); err != nil {
		return nil, &RecordError{Record: k.records, Line: k.line, Err: fmt.Errorf("bad JSON: %w", err)}
	}
	p, err := rec.paper()
	if err != nil {
		return nil, &RecordError{Record: k.records, Line: k.line, ID: strings.TrimSpace(rec.ID), Err: err}
	}
	return p, nil
}

// readLine returns the next non-blank line, trimmed, however long it is.
func (k *kaggleReader) readLine() ([]byte, error) {
	for {
		line, err := k.br.ReadBytes('\n')
		if len(line) > 0 {
			k.line++
		}
		if t := bytes.TrimSpace(line); len(t) > 0 {
			return t, nil
		}
		if err == io.EOF {
			return nil, io.EOF
		}
		if err != nil {
			return nil, fmt.Errorf("arxiv: read line %d: %w", k.line+1, err)
		}
	}
}

func (rec *kaggleRecord) paper() (*paperboy.Paper, error) {
	id, _, err := parseID(rec.ID)
	if err != nil {
		return nil, err
	}
	p := &paperboy.Paper{
		ID:         id,
		Title:      clean(rec.Title),
		Abstract:   clean(rec.Abstract),
		Authors:    kaggleAuthors(rec.Authors, rec.AuthorsParsed),
		Categories: splitCategories(rec.Categories),
		DOI:        clean(rec.DOI),
		JournalRef: clean(rec.JournalRef),
		Comments:   clean(rec.Comments),
		License:    clean(rec.License),
		ReportNo:   clean(rec.ReportNo),
		Submitter:  DecodeLaTeX(clean(rec.Submitter)),
	}
	if err := validate(p); err != nil {
		return nil, err
	}
	for _, v := range rec.Versions {
		n, err := parseVersionNumber(v.Version)
		if err != nil {
			return nil, err
		}
		date, err := parseVersionDate(v.Created)
		if err != nil {
			return nil, err
		}
		p.Versions = append(p.Versions, paperboy.Version{Number: n, Date: date})
	}
	var updated time.Time
	if rec.UpdateDate != "" {
		if updated, err = parseDay(rec.UpdateDate); err != nil {
			return nil, fmt.Errorf("update_date: %w", err)
		}
	}
	finishDates(p, updated)
	return p, nil
}

// kaggleAuthors prefers authors_parsed ([last, first, suffix, affiliation...])
// for names, since Kaggle has already split them, and takes affiliations from
// ParseAuthors on the raw string when both agree on the number of authors:
// that resolves arXiv's numbered footnotes, which authors_parsed leaves as
// "1 and 2".
func kaggleAuthors(raw string, parsed [][]string) []paperboy.Author {
	fromRaw := ParseAuthors(raw)
	if len(parsed) == 0 {
		return fromRaw
	}
	out := make([]paperboy.Author, 0, len(parsed))
	for _, a := range parsed {
		name := parsedName(a)
		if name == "" {
			continue
		}
		author := paperboy.Author{Name: name}
		if len(a) > 3 && !isFootnoteRef(a[3]) {
			author.Affiliation = DecodeLaTeX(clean(a[3]))
		}
		out = append(out, author)
	}
	switch {
	case len(out) == 0:
		return fromRaw
	case len(out) == len(fromRaw):
		for i := range out {
			out[i].Affiliation = fromRaw[i].Affiliation
		}
	}
	return out
}

// parsedName renders Kaggle's [last, first, suffix, ...] as a name.
func parsedName(a []string) string {
	part := func(i int) string {
		if i < len(a) {
			return a[i]
		}
		return ""
	}
	return joinName(part(1), part(0), part(2))
}
