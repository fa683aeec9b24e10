package arxiv

import (
	"regexp"
	"strings"

	"paperboy"
)

// ParseAuthors splits an arXiv author string ("A. Smith (MIT), B. Jones and
// C. Li") into names in byline order. Names are split on commas, semicolons,
// colons and " and " outside parentheses; LaTeX accents are decoded.
//
// A parenthesised group after a name is its affiliation ("B. Jones (Oxford
// and CERN)"). arXiv's numbered form, "A. Smith (1), B. Jones (1, 2) ((1)
// Oxford, (2) CERN)", is resolved through the trailing footnote block;
// numbers that the block does not define are dropped. "et al" is dropped; a
// collaboration is kept as an author ("for the ATLAS Collaboration" becomes
// "ATLAS Collaboration"), and "(for the STAR Collaboration)" after a name
// becomes that author's affiliation. A lone "Jr." or "III" is joined to the
// name before it.
func ParseAuthors(s string) []paperboy.Author {
	s = clean(DecodeLaTeX(s))
	body, notes := splitFootnotes(s)
	var out []paperboy.Author
	for _, part := range splitNames(body) {
		a, ok := parseAuthor(part, notes)
		switch {
		case !ok:
		case isNameSuffix(a.Name) && len(out) > 0:
			out[len(out)-1].Name += " " + a.Name
		default:
			out = append(out, a)
		}
	}
	return out
}

var (
	footnoteRef  = regexp.MustCompile(`^\s*(?:\d{1,3}|[a-z]|\*{1,3})(?:\s*(?:,|;|and|&)\s*(?:\d{1,3}|[a-z]|\*{1,3}))*\s*$`)
	refSeparator = regexp.MustCompile(`\s*(?:,|;|\band\b|&)\s*`)
	etAl         = regexp.MustCompile(`(?i)(?:^|\s)et\.?\s+al\.?$`)
)

// isFootnoteRef reports whether s is a list of footnote markers such as
// "1", "1,2" or "1 and 3", rather than an affiliation.
func isFootnoteRef(s string) bool { return footnoteRef.MatchString(s) }

func isNameSuffix(s string) bool {
	switch strings.TrimSuffix(s, ".") {
	case "Jr", "Sr", "II", "III", "IV":
		return true
	}
	return false
}

// group is a parenthesised span s[open:close+1]; close is len(s) when the
// parenthesis is never closed.
type group struct{ open, close int }

func (g group) inner(s string) string { return s[g.open+1 : min(g.close, len(s))] }

// topGroups returns the outermost parenthesised groups of s. A stray ')' is
// ordinary text.
func topGroups(s string) []group {
	var out []group
	depth, open := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			if depth == 0 {
				open = i
			}
			depth++
		case ')':
			if depth == 0 {
				continue
			}
			depth--
			if depth == 0 {
				out = append(out, group{open, i})
			}
		}
	}
	if depth > 0 {
		out = append(out, group{open, len(s)})
	}
	return out
}

// splitFootnotes separates a trailing "((1) Oxford, (2) CERN)" block from the
// author list and returns the list and the footnotes by marker.
func splitFootnotes(s string) (string, map[string]string) {
	groups := topGroups(s)
	if len(groups) == 0 {
		return s, nil
	}
	last := groups[len(groups)-1]
	if last.close < len(s)-1 {
		return s, nil // the last group does not end the string
	}
	notes := parseFootnotes(last.inner(s))
	if notes == nil {
		return s, nil
	}
	return strings.TrimSpace(s[:last.open]), notes
}

// parseFootnotes reads "(1) Oxford, (2) CERN" as {"1": "Oxford", "2":
// "CERN"}, or returns nil when block does not start with a marker.
func parseFootnotes(block string) map[string]string {
	var markers []group
	for _, g := range topGroups(block) {
		if g.close < len(block) && isFootnoteRef(g.inner(block)) {
			markers = append(markers, g)
		}
	}
	if len(markers) == 0 || strings.TrimSpace(block[:markers[0].open]) != "" {
		return nil
	}
	notes := make(map[string]string, len(markers))
	for i, m := range markers {
		end := len(block)
		if i+1 < len(markers) {
			end = markers[i+1].open
		}
		text := strings.Trim(block[m.close+1:end], " ,;")
		notes[strings.TrimSpace(m.inner(block))] = text
	}
	return notes
}

// splitNames splits an author list on the separators found outside
// parentheses.
func splitNames(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth > 0:
		case c == ',' || c == ';' || c == ':':
			parts, start = append(parts, s[start:i]), i+1
		case strings.HasPrefix(s[i:], " and "):
			parts, start = append(parts, s[start:i]), i+5
			i += 4
		}
	}
	return append(parts, s[start:])
}

// parseAuthor reads one name with its parenthesised groups.
func parseAuthor(part string, notes map[string]string) (paperboy.Author, bool) {
	var name strings.Builder
	var affs []string
	groups := topGroups(part)
	at := 0
	for i, g := range groups {
		end := min(g.close+1, len(part))
		next := len(part)
		if i+1 < len(groups) {
			next = groups[i+1].open
		}
		inner := g.inner(part)
		if strings.TrimSpace(part[end:next]) != "" && !isFootnoteRef(inner) {
			continue // a nickname inside the name: "Havana (Inbal) Rika"
		}
		name.WriteString(part[at:g.open])
		name.WriteByte(' ')
		at = end
		affs = append(affs, affiliations(inner, notes)...)
	}
	name.WriteString(part[at:])
	n := cleanName(name.String())
	if n == "" {
		return paperboy.Author{}, false
	}
	return paperboy.Author{Name: n, Affiliation: strings.Join(affs, "; ")}, true
}

// affiliations resolves one parenthesised group after a name: footnote
// markers through notes, anything else as the affiliation itself.
func affiliations(inner string, notes map[string]string) []string {
	inner = strings.TrimSpace(inner)
	if !isFootnoteRef(inner) {
		if inner = stripLead(clean(inner)); inner != "" {
			return []string{inner}
		}
		return nil
	}
	var out []string
	for _, ref := range refSeparator.Split(inner, -1) {
		if text := notes[ref]; text != "" {
			out = appendUnique(out, text)
		}
	}
	return out
}

// cleanName trims what surrounds a name in a byline: "et al", "for the",
// stray punctuation.
func cleanName(s string) string {
	s = clean(s)
	s = strings.TrimSpace(etAl.ReplaceAllString(s, ""))
	s = strings.Trim(s, " ,;:")
	if s == "and" {
		return ""
	}
	return stripLead(s)
}

// stripLead drops a leading "for the", "for", "and" or lower-case "the" before a
// collaboration name.
func stripLead(s string) string {
	for _, p := range []string{"for the ", "For the ", "for ", "the ", "and "} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return strings.TrimSpace(rest)
		}
	}
	return s
}
