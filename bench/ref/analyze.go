package ref

import (
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// Token is an analyzed word and its position in the field.
type Token struct {
	Term string
	Pos  int
}

// Analyzer turns text into tokens. It caches stems and is not safe for
// concurrent use; give each goroutine its own.
type Analyzer struct{ stems map[string]string }

// NewAnalyzer returns an analyzer with an empty stem cache.
func NewAnalyzer() *Analyzer { return &Analyzer{stems: map[string]string{}} }

// Analyze returns the tokens of text. With stop, stopwords are dropped (their
// positions stay taken, so phrases keep their gaps); author names keep them.
func (a *Analyzer) Analyze(text string, stop bool) []Token {
	var toks []Token
	pos := 0
	for w := range strings.FieldsFuncSeq(fold(text), func(r rune) bool { return !isWordRune(r) }) {
		if t := a.term(w, stop); t != "" {
			toks = append(toks, Token{t, pos})
		}
		pos++
	}
	return toks
}

func (a *Analyzer) term(w string, stop bool) string {
	if stop && english.IsStopWord(w) {
		return ""
	}
	if s, ok := a.stems[w]; ok {
		return s
	}
	s := w
	if len(w) <= 40 && !isNumber(w) {
		s = english.Stem(w, true)
	}
	a.stems[w] = s
	return s
}

// fold lower-cases text and strips accents when there are any to strip.
func fold(text string) string {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(text)
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(text) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
