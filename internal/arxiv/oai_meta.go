package arxiv

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"paperboy"
)

// Namespaces of the metadata formats an OAI-PMH record may carry.
const (
	nsArXivRaw = "http://arxiv.org/OAI/arXivRaw/"
	nsArXiv    = "http://arxiv.org/OAI/arXiv/"
	nsOAIDC    = "http://www.openarchives.org/OAI/2.0/oai_dc/"
)

type oaiRecord struct {
	Header   oaiHeader `xml:"header"`
	Metadata struct {
		Raw   *rawMeta   `xml:"http://arxiv.org/OAI/arXivRaw/ arXivRaw"`
		ArXiv *arxivMeta `xml:"http://arxiv.org/OAI/arXiv/ arXiv"`
		DC    *dcMeta    `xml:"http://www.openarchives.org/OAI/2.0/oai_dc/ dc"`
		Other *struct {
			XMLName xml.Name
		} `xml:",any"`
	} `xml:"metadata"`
}

type oaiHeader struct {
	Status     string `xml:"status,attr"`
	Identifier string `xml:"identifier"`
	Datestamp  string `xml:"datestamp"`
}

// arxivFields are the elements arXivRaw and arXiv share.
type arxivFields struct {
	ID         string `xml:"id"`
	Title      string `xml:"title"`
	Categories string `xml:"categories"`
	Comments   string `xml:"comments"`
	JournalRef string `xml:"journal-ref"`
	DOI        string `xml:"doi"`
	ReportNo   string `xml:"report-no"`
	License    string `xml:"license"`
	Abstract   string `xml:"abstract"`
}

// rawMeta is metadataPrefix=arXivRaw: the full version history, authors as
// one string.
type rawMeta struct {
	arxivFields
	Submitter string `xml:"submitter"`
	Authors   string `xml:"authors"`
	Versions  []struct {
		Version string `xml:"version,attr"`
		Date    string `xml:"date"`
		Size    string `xml:"size"`
	} `xml:"version"`
}

// arxivMeta is metadataPrefix=arXiv: structured authors, first and latest
// dates but no version numbers.
type arxivMeta struct {
	arxivFields
	Created string `xml:"created"`
	Updated string `xml:"updated"`
	Authors []struct {
		Keyname      string   `xml:"keyname"`
		Forenames    string   `xml:"forenames"`
		Suffix       string   `xml:"suffix"`
		Affiliations []string `xml:"affiliation"`
	} `xml:"authors>author"`
}

// dcMeta is metadataPrefix=oai_dc, simple Dublin Core.
type dcMeta struct {
	Titles       []string `xml:"title"`
	Creators     []string `xml:"creator"`
	Subjects     []string `xml:"subject"`
	Descriptions []string `xml:"description"`
	Dates        []string `xml:"date"`
	Identifiers  []string `xml:"identifier"`
}

// paper converts the record's metadata, whichever format it is in.
func (rec *oaiRecord) paper() (*paperboy.Paper, error) {
	var metaDate time.Time
	if d := strings.TrimSpace(rec.Header.Datestamp); d != "" {
		var err error
		if metaDate, err = parseDay(d); err != nil {
			return nil, fmt.Errorf("datestamp: %w", err)
		}
	}
	m := &rec.Metadata
	switch {
	case m.Raw != nil:
		return m.Raw.paper(rec.Header.Identifier, metaDate)
	case m.ArXiv != nil:
		return m.ArXiv.paper(rec.Header.Identifier, metaDate)
	case m.DC != nil:
		return m.DC.paper(rec.Header.Identifier, metaDate)
	case m.Other != nil:
		n := m.Other.XMLName
		return nil, fmt.Errorf("unsupported metadata format <%s xmlns=%q>", n.Local, n.Space)
	}
	return nil, fmt.Errorf("record has no metadata")
}

// base fills in the fields arXivRaw and arXiv share; headerID stands in for a
// missing <id>.
func (f *arxivFields) base(headerID string) (*paperboy.Paper, error) {
	raw := f.ID
	if strings.TrimSpace(raw) == "" {
		raw = headerID
	}
	id, _, err := parseID(raw)
	if err != nil {
		return nil, err
	}
	p := &paperboy.Paper{
		ID:         id,
		Title:      clean(f.Title),
		Abstract:   clean(f.Abstract),
		Categories: splitCategories(f.Categories),
		DOI:        clean(f.DOI),
		JournalRef: clean(f.JournalRef),
		Comments:   clean(f.Comments),
		License:    clean(f.License),
		ReportNo:   clean(f.ReportNo),
	}
	return p, validate(p)
}

func (m *rawMeta) paper(headerID string, metaDate time.Time) (*paperboy.Paper, error) {
	p, err := m.base(headerID)
	if err != nil {
		return nil, err
	}
	p.Submitter = DecodeLaTeX(clean(m.Submitter))
	p.Authors = ParseAuthors(m.Authors)
	for _, v := range m.Versions {
		n, err := parseVersionNumber(v.Version)
		if err != nil {
			return nil, err
		}
		date, err := parseVersionDate(v.Date)
		if err != nil {
			return nil, err
		}
		p.Versions = append(p.Versions, paperboy.Version{Number: n, Date: date, Size: strings.TrimSpace(v.Size)})
	}
	finishDates(p, metaDate)
	return p, nil
}

// paper converts arXiv-format metadata. The format names no versions, so
// Version stays 0 and Versions holds only v1, dated <created>; <updated>
// (the latest version's date) only feeds Updated.
func (m *arxivMeta) paper(headerID string, metaDate time.Time) (*paperboy.Paper, error) {
	p, err := m.base(headerID)
	if err != nil {
		return nil, err
	}
	for _, a := range m.Authors {
		name := joinName(a.Forenames, a.Keyname, a.Suffix)
		if name == "" {
			continue
		}
		var affs []string
		for _, aff := range a.Affiliations {
			affs = appendUnique(affs, DecodeLaTeX(clean(aff)))
		}
		p.Authors = append(p.Authors, paperboy.Author{Name: name, Affiliation: strings.Join(affs, "; ")})
	}
	if c := strings.TrimSpace(m.Created); c != "" {
		created, err := parseDay(c)
		if err != nil {
			return nil, fmt.Errorf("created: %w", err)
		}
		p.Versions = []paperboy.Version{{Number: 1, Date: created}}
	}
	if u := strings.TrimSpace(m.Updated); u != "" {
		updated, err := parseDay(u)
		if err != nil {
			return nil, fmt.Errorf("updated: %w", err)
		}
		metaDate = later(metaDate, updated)
	}
	finishDates(p, metaDate)
	p.Version = 0
	return p, nil
}
