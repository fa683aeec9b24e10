package search

import (
	"cmp"
	"slices"
	"sync"
)

// highlightStemmers lend Highlight stemmers whose stem caches outlive a
// call: a results page highlights thousands of words, mostly the same few
// hundred, and stemming each afresh was half the page's CPU.
var highlightStemmers = sync.Pool{New: func() any { return newStemmer() }}

// maxHighlightCache bounds a lent stemmer's cache; past it the cache starts
// over.
const maxHighlightCache = 50_000

// withStemmer runs fn with a lent stemmer.
func withStemmer(fn func(st *stemmer)) {
	st := highlightStemmers.Get().(*stemmer)
	if len(st.cache) > maxHighlightCache {
		st.reset()
	}
	fn(st)
	highlightStemmers.Put(st)
}

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
	var spans [][2]int // marked byte ranges
	withStemmer(func(st *stemmer) {
		for _, t := range terms {
			for _, tok := range analyzeWith(t, queryText, st) {
				want[tok.term] = true
			}
		}
		if text == "" {
			return
		}
		for _, tok := range analyzeWith(text, docAuthors, st) {
			if want[tok.term] {
				spans = append(spans, [2]int{tok.start, tok.end})
			}
		}
	})
	if len(want) == 0 || text == "" {
		return []Segment{{Text: text}}
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
