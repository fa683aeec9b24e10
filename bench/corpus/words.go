package corpus

import (
	"slices"
	"strings"
	"unicode"
)

func sortStrings(s []string) { slices.Sort(s) }

func compareStrings(a, b string) int { return strings.Compare(a, b) }

// words splits text into the word forms the model learns: runs of letters
// and digits (with inner hyphens) that start with a letter. Inline math
// ($...$) and LaTeX commands are dropped. A word keeps its case only when it
// is an acronym (all capitals), so that sentence starts do not split counts.
func words(text string) []string {
	var out []string
	inMath := false
	rs := []rune(text)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '$':
			inMath = !inMath
			i++
		case inMath:
			i++
		case r == '\\':
			i++
			for i < len(rs) && unicode.IsLetter(rs[i]) {
				i++
			}
		case unicode.IsLetter(r):
			j := i
			for j < len(rs) && (isWordRune(rs[j]) || rs[j] == '-' && j+1 < len(rs) && isWordRune(rs[j+1])) {
				j++
			}
			out = append(out, wordKey(string(rs[i:j])))
			i = j
		case unicode.IsDigit(r):
			for i < len(rs) && isWordRune(rs[i]) {
				i++
			}
		default:
			i++
		}
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func wordKey(w string) string {
	if len(w) >= 2 && strings.ToUpper(w) == w && strings.ToLower(w) != w {
		return w
	}
	return strings.ToLower(w)
}

// isStopword reports whether w is in the union of the English stopword lists
// the compared systems use (Snowball's, which PostgreSQL's english
// dictionary and Bleve's "en" analyzer share, plus a few more). Queries
// avoid them so that every system searches for the same words.
func isStopword(w string) bool { return stopwords[strings.ToLower(w)] }

var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(stopwordList) {
		m[w] = true
	}
	return m
}()

const stopwordList = `a about above after again against all am an and any are aren't as at be
because been before being below between both but by can can't cannot could couldn't did didn't do
does doesn't doing don't down during each few for from further had hadn't has hasn't have haven't
having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm
i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off
on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's
should shouldn't so some such than that that's the their theirs them themselves then there there's
these they they'd they'll they're they've this those through to too under until up very was wasn't
we we'd we'll we're we've were weren't what what's when when's where where's which while who who's
whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself
yourselves will just also s t don should now`

// Words splits text into words the way the model learned them: lower case
// except acronyms, math and LaTeX commands dropped.
func Words(text string) []string { return words(text) }
