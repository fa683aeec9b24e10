package paperboy

import (
	"slices"
	"time"
)

// Paper is one arXiv paper, keyed by its version-less ID. Its fields describe
// the latest version the instance knows of. Stores keep times to the second,
// in UTC.
type Paper struct {
	ID         ArxivID
	Version    int       // latest known version; 0 when the source named none
	Versions   []Version // history, oldest first
	Title      string
	Abstract   string
	Authors    []Author // in byline order
	Categories []string // primary category first
	DOI        string
	JournalRef string
	Comments   string
	License    string
	ReportNo   string
	Submitter  string
	Submitted  time.Time // first version (v1), UTC
	Updated    time.Time // latest version, or the source's metadata date if later

	// Seq is the store's change sequence number of the paper's last change.
	// Set by the store; ignored on write.
	Seq int64
}

// Version is one entry of a paper's version history.
type Version struct {
	Number int
	Date   time.Time
	Size   string // as arXiv reports it, e.g. "11129kb"
}

// Author is one name in a paper's byline.
type Author struct {
	Name        string // "Balázs Csanád Csáji"
	Affiliation string // "MTA SZTAKI", when the source gives one
}

// PrimaryCategory returns the paper's primary arXiv category, or "".
func (p *Paper) PrimaryCategory() string {
	if len(p.Categories) == 0 {
		return ""
	}
	return p.Categories[0]
}

// AuthorNames returns the authors' names in byline order.
func (p *Paper) AuthorNames() []string {
	names := make([]string, len(p.Authors))
	for i, a := range p.Authors {
		names[i] = a.Name
	}
	return names
}

// Validate reports the first problem that makes p unusable as a stored paper.
// It returns EINVALID.
func (p *Paper) Validate() error {
	if p.ID == "" {
		return Errorf(EINVALID, "Paper has no arXiv ID.")
	}
	if _, _, err := ParseArxivID(string(p.ID)); err != nil {
		return err
	}
	if p.Title == "" {
		return Errorf(EINVALID, "Paper %s has no title.", p.ID)
	}
	return nil
}

// Equal reports whether p and q hold the same metadata. Seq is ignored.
func (p *Paper) Equal(q *Paper) bool {
	return p.ID == q.ID && p.Version == q.Version &&
		slices.EqualFunc(p.Versions, q.Versions, func(a, b Version) bool {
			return a.Number == b.Number && a.Date.Equal(b.Date) && a.Size == b.Size
		}) &&
		p.Title == q.Title && p.Abstract == q.Abstract &&
		slices.Equal(p.Authors, q.Authors) && slices.Equal(p.Categories, q.Categories) &&
		p.DOI == q.DOI && p.JournalRef == q.JournalRef && p.Comments == q.Comments &&
		p.License == q.License && p.ReportNo == q.ReportNo && p.Submitter == q.Submitter &&
		p.Submitted.Equal(q.Submitted) && p.Updated.Equal(q.Updated)
}
