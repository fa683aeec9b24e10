package web

import (
	"html/template"
	"strings"

	"paperboy/internal/search"
)

// segment is a run of text that does or does not match the query.
type segment struct {
	Text  string
	Match bool
}

// highlighter returns a function that splits text into the runs that
// match terms the way the search analyzer matches them (stems, folded
// accents) and the runs that do not.
func highlighter(terms []string) func(string) []segment {
	if len(terms) == 0 {
		return noHighlight
	}
	return func(text string) []segment {
		var segs []segment
		for _, s := range search.Highlight(text, terms) {
			segs = append(segs, segment{Text: s.Text, Match: s.Match})
		}
		return segs
	}
}

// highlightHTML escapes every segment and wraps the matching ones in <mark>.
// It is the only place web builds template.HTML, and it builds it only from
// escaped text.
func highlightHTML(segs []segment) template.HTML {
	var b strings.Builder
	for _, s := range segs {
		text := template.HTMLEscapeString(s.Text)
		if s.Match {
			b.WriteString("<mark>" + text + "</mark>")
		} else {
			b.WriteString(text)
		}
	}
	return template.HTML(b.String())
}

// clip shortens segments to about max bytes of text for a snippet: from the
// start when that shows the first match, else from a word boundary shortly
// before it. An ellipsis marks each cut.
func clip(segs []segment, max int) []segment {
	total, first := 0, -1
	for _, s := range segs {
		if s.Match && first < 0 {
			first = total
		}
		total += len(s.Text)
	}
	if total <= max {
		return segs
	}
	start := 0
	if first > max*2/3 {
		start = wordStart(segs, first-max/4)
	}
	return cut(segs, start, start+max)
}

// wordStart moves offset forward to the start of the next word.
func wordStart(segs []segment, offset int) int {
	pos := 0
	for _, s := range segs {
		if offset < pos+len(s.Text) {
			if i := strings.IndexByte(s.Text[offset-pos:], ' '); i >= 0 {
				return offset + i + 1
			}
			return pos + len(s.Text)
		}
		pos += len(s.Text)
	}
	return offset
}

// cut keeps the text between byte offsets from and to, ending at a word
// boundary and never splitting a match or a UTF-8 sequence.
func cut(segs []segment, from, to int) []segment {
	var out []segment
	if from > 0 {
		out = append(out, segment{Text: "… "})
	}
	pos := 0
	for _, s := range segs {
		end := pos + len(s.Text)
		switch {
		case end <= from:
		case pos >= to:
		default:
			text := s.Text[max(from-pos, 0):]
			if end > to && !s.Match {
				text = trimToWord(text[:to-max(pos, from)])
			}
			out = append(out, segment{Text: text, Match: s.Match})
		}
		pos = end
	}
	if pos > to {
		out = append(out, segment{Text: " …"})
	}
	return out
}

// trimToWord drops a trailing partial word.
func trimToWord(s string) string {
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return strings.TrimRight(s[:i], " ,;:")
	}
	return ""
}
