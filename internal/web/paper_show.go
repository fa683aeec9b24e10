package web

import (
	"net/http"
	"regexp"
	"strings"

	"paperboy"
)

// paperPage shows one paper in full.
type paperPage struct {
	layout
	ID         string
	Version    int
	Title      string
	Abstract   []string // paragraphs
	Authors    []paperboy.Author
	Primary    string
	Categories []string // the others
	Submitted  string
	Updated    string
	Versions   []versionRow
	Sizes      bool // some version has a size (OAI arXivRaw does; Kaggle does not)
	DOI        string
	JournalRef string
	Comments   string
	ReportNo   string
	License    string
	Links      links
	Community  *paperCommunity // nil when the community features are off
	Related    []relatedRow    // papers like this one (paper_related.go)
}

type versionRow struct {
	Number int
	Date   string
	Size   string
}

type links struct{ Abs, PDF, HTML string }

// paragraphBreak is how arXiv abstracts start a new paragraph: a line break
// followed by indentation.
var paragraphBreak = regexp.MustCompile(`\n[ \t]+`)

// PaperShow serves /papers/{id...}. Versioned, "arXiv:"-prefixed and URL
// forms of an ID redirect to the canonical page.
func (h *Handler) PaperShow(w http.ResponseWriter, r *http.Request) error {
	raw := r.PathValue("id")
	if raw == "" {
		return paperboy.Errorf(paperboy.ENOTFOUND, "Give an arXiv ID after /papers/, e.g. /papers/0704.0001.")
	}
	id, version, err := paperboy.ParseArxivID(raw)
	if err != nil {
		return err
	}
	if version != 0 || id.String() != raw {
		http.Redirect(w, r, paperURL(id), http.StatusMovedPermanently)
		return nil
	}
	p, err := h.papers.Paper(r.Context(), id)
	if err != nil {
		return err
	}
	page := newPaperPage(h.layoutFor(r, cleanText(p.Title)), p)
	if page.Community, err = h.paperCommunity(r, p.ID); err != nil {
		return err
	}
	if page.Related, err = h.relatedRows(r.Context(), p.ID); err != nil {
		return err
	}
	return h.render(w, http.StatusOK, "paper", page)
}

func newPaperPage(l layout, p *paperboy.Paper) paperPage {
	page := paperPage{
		layout: l, ID: p.ID.String(), Version: p.Version,
		Title: cleanText(p.Title), Authors: p.Authors, Primary: p.PrimaryCategory(),
		Submitted: formatDate(p.Submitted), Updated: formatDate(p.Updated),
		DOI: strings.TrimSpace(p.DOI), JournalRef: cleanText(p.JournalRef),
		Comments: cleanText(p.Comments), ReportNo: cleanText(p.ReportNo), License: strings.TrimSpace(p.License),
		Links: links{Abs: p.ID.AbsURL(), PDF: p.ID.PDFURL(), HTML: p.ID.HTMLURL()},
	}
	if len(p.Categories) > 1 {
		page.Categories = p.Categories[1:]
	}
	for _, para := range paragraphBreak.Split(strings.TrimSpace(p.Abstract), -1) {
		if para = cleanText(para); para != "" {
			page.Abstract = append(page.Abstract, para)
		}
	}
	for _, v := range p.Versions {
		page.Versions = append(page.Versions, versionRow{Number: v.Number, Date: formatDate(v.Date), Size: v.Size})
		page.Sizes = page.Sizes || v.Size != ""
	}
	return page
}
