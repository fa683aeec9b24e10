package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// filterFields are the field: prefixes the query language knows; any other
// "word:" is an ordinary word.
var filterFields = []string{"cat", "author", "year", "after", "before"}

// scanner splits a query into clauses at white space, keeping "quoted
// phrases" (straight or curly quotes) and field:"quoted values" whole.
type scanner struct {
	s string
	i int
}

func (sc *scanner) next() (clause, bool) {
	for sc.i < len(sc.s) {
		r, size := utf8.DecodeRuneInString(sc.s[sc.i:])
		if !unicode.IsSpace(r) {
			break
		}
		sc.i += size
	}
	if sc.i >= len(sc.s) {
		return clause{}, false
	}
	var c clause
	if sc.s[sc.i] == '-' && sc.i+1 < len(sc.s) && !sc.spaceAt(sc.i+1) {
		c.neg = true
		sc.i++
	}
	c.field = sc.field()
	if sc.quoteAt(sc.i) {
		c.value, c.quoted = sc.quoted(), true
	} else {
		c.value = sc.bare()
	}
	return c, true
}

// field consumes and returns a known field name and its colon, or returns
// "" and consumes nothing.
func (sc *scanner) field() string {
	rest := sc.s[sc.i:]
	name, _, ok := strings.Cut(rest, ":")
	if !ok {
		return ""
	}
	name = strings.ToLower(name)
	for _, f := range filterFields {
		if name == f {
			sc.i += len(f) + 1
			return f
		}
	}
	return ""
}

func (sc *scanner) quoted() string {
	_, size := utf8.DecodeRuneInString(sc.s[sc.i:])
	sc.i += size
	start := sc.i
	for sc.i < len(sc.s) {
		if sc.quoteAt(sc.i) {
			v := sc.s[start:sc.i]
			_, size := utf8.DecodeRuneInString(sc.s[sc.i:])
			sc.i += size
			return v
		}
		sc.i++
	}
	return sc.s[start:] // an unclosed quote runs to the end
}

func (sc *scanner) bare() string {
	start := sc.i
	for sc.i < len(sc.s) && !sc.spaceAt(sc.i) {
		_, size := utf8.DecodeRuneInString(sc.s[sc.i:])
		sc.i += size
	}
	return sc.s[start:sc.i]
}

func (sc *scanner) spaceAt(i int) bool {
	r, _ := utf8.DecodeRuneInString(sc.s[i:])
	return unicode.IsSpace(r)
}

func (sc *scanner) quoteAt(i int) bool {
	r, _ := utf8.DecodeRuneInString(sc.s[i:])
	return r == '"' || r == '\u201c' || r == '\u201d'
}
