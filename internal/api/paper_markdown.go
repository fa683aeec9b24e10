package api

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"paperboy"
)

// PaperMarkdown serves GET /papers/{id}.md, the paper as markdown, as
// huggingface_hub's read_paper and `hf papers read` fetch it. The route
// shares the pattern /papers/{id...} with the HTML page; the server sends
// here the paths that end in ".md".
func (h *Handler) PaperMarkdown(w http.ResponseWriter, r *http.Request) error {
	raw := strings.TrimSuffix(r.PathValue("id"), ".md")
	p, err := h.hfPaper(r, raw)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(paperMarkdown(p, baseURL(r)))) // the client went away: nothing left to tell it
	return nil
}

// paperMarkdown renders p. Every arXiv-supplied string goes through
// markdownInline or markdownText, so a title or abstract cannot add links,
// images, HTML or headings; the links are built from the validated ID only.
func paperMarkdown(p *paperboy.Paper, base string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", markdownInline(p.Title))
	names := make([]string, 0, len(p.Authors))
	for _, a := range p.Authors {
		names = append(names, markdownInline(a.Name))
	}
	if len(names) > 0 {
		fmt.Fprintf(&b, "**Authors:** %s\n\n", strings.Join(names, ", "))
	}
	fmt.Fprintf(&b, "- arXiv: [%s](%s)\n", p.ID, p.ID.AbsURL())
	fmt.Fprintf(&b, "- PDF: %s\n", p.ID.PDFURL())
	fmt.Fprintf(&b, "- paperboy: %s/papers/%s\n", base, p.ID)
	if !p.Submitted.IsZero() {
		fmt.Fprintf(&b, "- Published: %s\n", p.Submitted.UTC().Format("2006-01-02"))
	}
	if p.Version > 0 && !p.Updated.IsZero() {
		fmt.Fprintf(&b, "- Latest version: v%d, %s\n", p.Version, p.Updated.UTC().Format("2006-01-02"))
	}
	if len(p.Categories) > 0 {
		fmt.Fprintf(&b, "- Categories: %s\n", markdownInline(strings.Join(p.Categories, ", ")))
	}
	for _, f := range []struct{ label, value string }{
		{"DOI", p.DOI}, {"Journal reference", p.JournalRef}, {"Comments", p.Comments},
	} {
		if v := cleanLine(f.value); v != "" {
			fmt.Fprintf(&b, "- %s: %s\n", f.label, markdownInline(v))
		}
	}
	b.WriteString("\n## Abstract\n")
	for _, para := range abstractParagraphs(p.Abstract) {
		fmt.Fprintf(&b, "\n%s\n", markdownText(para))
	}
	return b.String()
}

// markdownSpecial are the characters that start inline markup in
// CommonMark and GitHub-flavoured markdown: emphasis, code, links and
// images, raw HTML and entities, tables and strikethrough.
var markdownSpecial = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `&`, `\&`, `#`, `\#`, `|`, `\|`, `~`, `\~`,
)

// blockStart matches what would open a block at the start of a line: a
// list item, a setext underline or an ordered-list number.
var blockStart = regexp.MustCompile(`^([-+=]|\d+[.)])`)

// markdownInline escapes s, arXiv-supplied text, to render as exactly that
// text on one line after other text. LaTeX comes through readable with its
// backslashes and underscores escaped.
func markdownInline(s string) string { return markdownSpecial.Replace(cleanLine(s)) }

// markdownText is markdownInline for text that starts a line, where a
// leading "-", "+", "=" or "1." would open a block.
func markdownText(s string) string {
	s = markdownInline(s)
	if m := blockStart.FindString(s); m != "" {
		s = m[:len(m)-1] + `\` + s[len(m)-1:]
	}
	return s
}
