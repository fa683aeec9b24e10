package search

import (
	"slices"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// token is one indexed term: its position in the field and the byte span of
// the original text it came from.
type token struct {
	term       string
	pos        int
	start, end int
}

// mode says how text is analyzed.
type mode struct {
	// stop drops English stopwords (titles, abstracts and plain query
	// words; author names keep them: "An" and "Will" are surnames too).
	stop bool
	// query indexes a hyphenated compound by its joined form only; documents
	// index its parts too, so "pre-training" in a query matches documents
	// saying "pre-training" or "pretraining", while "training" in a query
	// still matches "pre-training".
	query bool
}

var (
	docText     = mode{stop: true}
	docAuthors  = mode{}
	queryText   = mode{stop: true, query: true}
	queryAuthor = mode{query: true}
)

// maxStemLen is the longest word the stemmer sees; longer "words" (hashes,
// sequences) are indexed as they are.
const maxStemLen = 40

// analyze splits text into terms. Words are runs of letters and digits of
// the folded text (so $, {, }, ^, _, \ and punctuation separate words, and
// \alpha is alpha); stopwords still take up a position, so phrases keep
// their gaps. All parts of a hyphenated compound and its joined form share
// one position.
func analyze(text string, m mode) []token { return analyzeWith(text, m, nil) }

// analyzeWith is analyze with a stem cache, for indexing many documents.
func analyzeWith(text string, m mode, st *stemmer) []token {
	chars := foldText(text)
	var toks []token
	pos := 0
	for i := 0; i < len(chars); {
		parts, next := compoundAt(chars, i)
		if len(parts) == 0 {
			i = next
			continue
		}
		toks = appendCompound(toks, parts, pos, m, st)
		pos++
		i = next
	}
	return toks
}

// word is one run of letters and digits in folded text.
type word struct {
	text       string
	start, end int
}

// compoundAt reads the words joined by single hyphens starting at chars[i]
// and returns them and the index after them. It returns no words, and the
// next index, when chars[i] does not start a word.
func compoundAt(chars []char, i int) ([]word, int) {
	if !isWordRune(chars[i].r) {
		return nil, i + 1
	}
	var parts []word
	for {
		j := i
		var b strings.Builder
		for j < len(chars) && isWordRune(chars[j].r) {
			b.WriteRune(chars[j].r)
			j++
		}
		parts = append(parts, word{b.String(), chars[i].start, chars[j-1].end})
		if j+1 < len(chars) && isHyphen(chars[j].r) && isWordRune(chars[j+1].r) {
			i = j + 1
			continue
		}
		return parts, j
	}
}

func appendCompound(toks []token, parts []word, pos int, m mode, st *stemmer) []token {
	if len(parts) == 1 || !m.query {
		for _, p := range parts {
			if t := st.normalize(p.text, m.stop); t != "" {
				toks = append(toks, token{t, pos, p.start, p.end})
			}
		}
	}
	if len(parts) == 1 {
		return toks
	}
	var joined strings.Builder
	for _, p := range parts {
		joined.WriteString(p.text)
	}
	t := st.normalize(joined.String(), false)
	for _, have := range toks {
		if have.pos == pos && have.term == t {
			return toks
		}
	}
	return append(toks, token{t, pos, parts[0].start, parts[len(parts)-1].end})
}

// stemmer caches stems while indexing a page of papers: most words repeat,
// and stemming dominates analysis. A nil *stemmer stems without a cache.
type stemmer struct{ cache map[string]string }

func newStemmer() *stemmer { return &stemmer{cache: make(map[string]string)} }

// normalize returns the indexed form of a folded word: its Snowball English
// stem, the word itself for numbers and very long words, or "" for a
// dropped stopword.
func (st *stemmer) normalize(w string, stop bool) string {
	if stop && english.IsStopWord(w) {
		return ""
	}
	if len(w) > maxStemLen || isNumber(w) {
		return w
	}
	if st == nil {
		return english.Stem(w, true)
	}
	s, ok := st.cache[w]
	if !ok {
		s = english.Stem(w, true)
		st.cache[w] = s
	}
	return s
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isHyphen(r rune) bool { return r == '-' || r == '\u2010' || r == '\u2011' }

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// terms returns the distinct terms of text analyzed in mode m.
func terms(text string, m mode) []string {
	var out []string
	for _, t := range analyze(text, m) {
		if !slices.Contains(out, t.term) {
			out = append(out, t.term)
		}
	}
	return out
}

// titleKey is the form in which a query must equal a title to be pinned as
// an exact-title match: folded words, unstemmed, joined by single spaces, so
// case, accents, spacing and punctuation do not matter.
func titleKey(s string) string {
	chars := foldText(s)
	var b strings.Builder
	for i := 0; i < len(chars); i++ {
		if !isWordRune(chars[i].r) {
			continue
		}
		if b.Len() > 0 && (i == 0 || !isWordRune(chars[i-1].r)) {
			b.WriteByte(' ')
		}
		b.WriteRune(chars[i].r)
	}
	return b.String()
}
