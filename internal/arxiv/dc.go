package arxiv

import (
	"fmt"
	"strings"
	"time"

	"paperboy"
)

// paper converts oai_dc metadata, which arXiv fills in as follows (see
// arXiv/oaipmh templates/record_formats.xml):
//
//   - dc:creator is "Last Suffix, First"; it becomes "First Last Suffix".
//   - dc:subject holds category names ("Computer Science - Machine
//     Learning"), then MSC and ACM classes. Names are mapped back to
//     category codes through the arXiv taxonomy, the first mapped one taken
//     as primary; anything unmapped is dropped. The header's setSpec ("cs")
//     is an archive, not a category, and is not used.
//   - dc:description: the first is the abstract, the next ones comments (the
//     legacy server prefixed them "Comment: ", which is stripped).
//   - dc:date: the v1 date, then the latest version's date when it differs.
//     No version numbers are given, so Version stays 0, Versions holds only
//     v1, and the latest date only feeds Updated.
//   - dc:identifier: the abs URL (the id), "doi:..." (the DOI), and the
//     journal reference as plain text.
func (m *dcMeta) paper(headerID string, metaDate time.Time) (*paperboy.Paper, error) {
	p := &paperboy.Paper{}
	rawID := headerID
	for _, ident := range m.Identifiers {
		ident = clean(ident)
		switch {
		case strings.HasPrefix(ident, "http://arxiv.org/abs/"), strings.HasPrefix(ident, "https://arxiv.org/abs/"):
			rawID = ident
		case strings.HasPrefix(strings.ToLower(ident), "doi:"):
			p.DOI = strings.TrimSpace(ident[4:])
		case ident != "" && !strings.Contains(ident, "://"):
			p.JournalRef = ident
		}
	}
	id, _, err := parseID(rawID)
	if err != nil {
		return nil, err
	}
	p.ID = id
	if len(m.Titles) > 0 {
		p.Title = clean(m.Titles[0])
	}
	if err := validate(p); err != nil {
		return nil, err
	}
	p.Authors = dcAuthors(m.Creators)
	p.Abstract, p.Comments = dcDescriptions(m.Descriptions)
	for _, s := range m.Subjects {
		p.Categories = appendUnique(p.Categories, subjectCategories[clean(s)])
	}
	if err := dcDates(p, m.Dates, metaDate); err != nil {
		return nil, err
	}
	return p, nil
}

func dcAuthors(creators []string) []paperboy.Author {
	var out []paperboy.Author
	for _, c := range creators {
		last, first, _ := strings.Cut(c, ",")
		name := joinName(first, last, "")
		if name != "" {
			out = append(out, paperboy.Author{Name: name})
		}
	}
	return out
}

func dcDescriptions(descs []string) (abstract, comments string) {
	var notes []string
	for i, d := range descs {
		d = clean(d)
		if c, ok := strings.CutPrefix(d, "Comment:"); ok {
			notes = append(notes, strings.TrimSpace(c))
		} else if i == 0 {
			abstract = d
		} else if d != "" {
			notes = append(notes, d)
		}
	}
	return abstract, strings.Join(notes, " ")
}

func dcDates(p *paperboy.Paper, dates []string, metaDate time.Time) error {
	for i, s := range dates {
		d, err := parseDay(s)
		if err != nil {
			return fmt.Errorf("dc:date: %w", err)
		}
		if i == 0 {
			p.Versions = []paperboy.Version{{Number: 1, Date: d}}
		}
		metaDate = later(metaDate, d)
	}
	finishDates(p, metaDate)
	p.Version = 0
	return nil
}
