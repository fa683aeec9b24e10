package search

import (
	"cmp"
	"slices"
)

// Segment is a piece of text to display, marked when it matches a query
// term. The segments of a text concatenate back to it.
type Segment struct {
	Text  string
	Match bool
}

// Highlight splits text into segments, marking the words that match any of
// terms the way search does: stem-equal, ignoring case and accents, and a
// hyphenated compound whole when the term is the compound. Terms are the
// surface forms in paperboy.SearchResult.Terms. The web layer escapes each
// segment and wraps the marked ones in <mark>.
func Highlight(text string, terms []string) []Segment {
	want := make(map[string]bool)
	for _, t := range terms {
		for _, tok := range analyze(t, queryText) {
			want[tok.term] = true
		}
	}
	if len(want) == 0 || text == "" {
		return []Segment{{Text: text}}
	}
	var spans [][2]int // marked byte ranges
	for _, tok := range analyze(text, docAuthors) {
		if want[tok.term] {
			spans = append(spans, [2]int{tok.start, tok.end})
		}
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return cmp.Compare(a[0], b[0]) })
	merged := spans[:0]
	for _, sp := range spans {
		if n := len(merged); n > 0 && sp[0] <= merged[n-1][1] {
			merged[n-1][1] = max(merged[n-1][1], sp[1])
			continue
		}
		merged = append(merged, sp)
	}
	var segs []Segment
	at := 0
	for _, sp := range merged {
		if sp[0] > at {
			segs = append(segs, Segment{Text: text[at:sp[0]]})
		}
		segs = append(segs, Segment{Text: text[sp[0]:sp[1]], Match: true})
		at = sp[1]
	}
	if at < len(text) || len(segs) == 0 {
		segs = append(segs, Segment{Text: text[at:]})
	}
	return segs
}
