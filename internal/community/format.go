package community

import (
	"html/template"
	"net/url"
	"regexp"
	"strings"
)

// Format renders a comment body as HTML, in a deliberately tiny subset:
//
//   - a blank line starts a new paragraph; a single line break is kept;
//   - `code` is shown as code, verbatim;
//   - *words* are emphasised;
//   - http:// and https:// URLs become links with rel="nofollow ugc
//     noopener" (punctuation ending a sentence is left out of the link).
//
// Everything else, < > & " ' included, is escaped: the output holds no tag
// or attribute the body wrote, so no script, no raw HTML and no other link
// scheme (javascript:, data:) gets through.
func Format(body string) template.HTML {
	var b strings.Builder
	for _, para := range paragraphs(body) {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			formatLine(&b, line)
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String()) // built from escaped text and our own tags only
}

// paragraphs splits text at blank lines, trimming each paragraph.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var out []string
	for _, p := range regexp.MustCompile(`\n[ \t]*\n`).Split(text, -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// formatLine writes one line: code spans between backticks, the rest as
// text. An unpaired backtick is text.
func formatLine(b *strings.Builder, line string) {
	parts := strings.Split(line, "`")
	for i, part := range parts {
		switch {
		case i%2 == 1 && i < len(parts)-1 && part != "":
			b.WriteString("<code>" + template.HTMLEscapeString(part) + "</code>")
		case i%2 == 1 && i < len(parts)-1: // ``: two literal backticks
			b.WriteString("``")
		case i%2 == 1: // the unpaired last backtick
			b.WriteString("`")
			formatText(b, part)
		default:
			formatText(b, part)
		}
	}
}

var (
	urlPattern      = regexp.MustCompile(`https?://[^\s<>"'` + "`" + `]+`)
	emphasisPattern = regexp.MustCompile(`\*([^*\s](?:[^*]*[^*\s])?)\*`)
)

// formatText writes text with its URLs linked and *emphasis* marked.
func formatText(b *strings.Builder, text string) {
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(text, -1) {
		raw := strings.TrimRight(text[m[0]:m[1]], ".,;:!?)]}")
		end := m[0] + len(raw)
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			continue
		}
		formatEmphasis(b, text[last:m[0]])
		href := template.HTMLEscapeString(u.String())
		b.WriteString(`<a href="` + href + `" rel="nofollow ugc noopener">` + template.HTMLEscapeString(raw) + "</a>")
		last = end
	}
	formatEmphasis(b, text[last:])
}

func formatEmphasis(b *strings.Builder, text string) {
	last := 0
	for _, m := range emphasisPattern.FindAllStringSubmatchIndex(text, -1) {
		b.WriteString(template.HTMLEscapeString(text[last:m[0]]))
		b.WriteString("<em>" + template.HTMLEscapeString(text[m[2]:m[3]]) + "</em>")
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
}
