package search

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"paperboy"
)

// Query is a parsed search. Words and phrases keep the surface forms the
// user typed, for echoing and highlighting; filters are normalized.
//
// Semantics:
//   - Every word must match, in any field (title, abstract, authors); when
//     no paper has them all, papers matching any word are ranked instead,
//     those matching more words first. A long query (Params.LongQuery
//     words, 5 by default) is read as natural language: papers matching
//     any of its terms are ranked by BM25F alone. Quoted phrases are always required:
//     their words must be adjacent, in order, in one field.
//   - -word and -"a phrase" exclude papers that match them in any field.
//   - cat:cs.LG matches papers listing that category (case-insensitive);
//     cat:cs matches the whole archive (cs.*). -cat:... excludes.
//   - author:name matches a word of an author's name, author:"Yann LeCun"
//     those words adjacent within one name. -author:... excludes.
//   - year:2019 is the year of first submission; after:2019-10-01 includes
//     that day, before:2019-10-31 excludes that day (UTC), as in Gmail.
//   - All filters combine with AND. A query of filters only lists the
//     matching papers newest first.
//   - A whole query that is an arXiv ID or arxiv.org URL asks for that
//     paper; a whole query equal to a title pins that paper first.
type Query struct {
	Terms              []string // plain words
	Phrases            []string // quoted phrases, without quotes
	Excluded           []string // -words and -"phrases"
	Categories         []string // lower-case; an archive ("cs") matches its categories
	ExcludedCategories []string
	Authors            []string // words or names an author must match
	ExcludedAuthors    []string
	Year               int       // 0 when not given
	After              time.Time // inclusive; zero when not given
	Before             time.Time // exclusive; zero when not given
	ID                 paperboy.ArxivID
}

// ParseQuery parses a search in paperboy's query language. Returns EINVALID,
// naming the filter and what to type instead, for a bad year or date, an
// empty filter or an unknown category spelling.
func ParseQuery(s string) (*Query, error) {
	q := &Query{}
	if t := strings.TrimSpace(s); t != "" {
		if id, _, err := paperboy.ParseArxivID(t); err == nil {
			q.ID = id
			return q, nil
		}
	}
	sc := scanner{s: s}
	for {
		c, ok := sc.next()
		if !ok {
			return q, nil
		}
		if err := q.add(c); err != nil {
			return nil, err
		}
	}
}

// Empty reports whether q asks for nothing at all.
func (q *Query) Empty() bool {
	return q.ID == "" && len(q.Terms) == 0 && len(q.Phrases) == 0 && !q.hasFilters() && len(q.Excluded) == 0
}

func (q *Query) hasFilters() bool {
	return len(q.Categories) > 0 || len(q.ExcludedCategories) > 0 || len(q.Authors) > 0 ||
		len(q.ExcludedAuthors) > 0 || q.Year != 0 || !q.After.IsZero() || !q.Before.IsZero()
}

// Positive returns the words and phrases a result should show highlighted.
func (q *Query) Positive() []string {
	out := make([]string, 0, len(q.Terms)+len(q.Phrases))
	out = append(out, q.Terms...)
	return append(out, q.Phrases...)
}

// String returns q in canonical query syntax, which parses back to q.
func (q *Query) String() string {
	if q.ID != "" {
		return string(q.ID)
	}
	var parts []string
	add := func(prefix string, list []string) {
		for _, v := range list {
			parts = append(parts, prefix+quoteIfSpaced(v))
		}
	}
	add("", q.Terms)
	for _, p := range q.Phrases {
		parts = append(parts, `"`+p+`"`)
	}
	add("-", q.Excluded)
	add("cat:", q.Categories)
	add("-cat:", q.ExcludedCategories)
	add("author:", q.Authors)
	add("-author:", q.ExcludedAuthors)
	if q.Year != 0 {
		parts = append(parts, "year:"+strconv.Itoa(q.Year))
	}
	if !q.After.IsZero() {
		parts = append(parts, "after:"+q.After.Format(time.DateOnly))
	}
	if !q.Before.IsZero() {
		parts = append(parts, "before:"+q.Before.Format(time.DateOnly))
	}
	return strings.Join(parts, " ")
}

func quoteIfSpaced(s string) string {
	if strings.ContainsFunc(s, unicode.IsSpace) {
		return `"` + s + `"`
	}
	return s
}

// clause is one scanned piece of a query: a word, a "phrase" or field:value.
type clause struct {
	neg    bool
	field  string // "" for words and phrases
	value  string
	quoted bool
}

func (q *Query) add(c clause) error {
	if c.field == "" {
		return q.addText(c)
	}
	if c.value == "" {
		return paperboy.Errorf(paperboy.EINVALID, "Empty %s: filter; use e.g. %s.", c.field, filterExample[c.field])
	}
	switch c.field {
	case "cat":
		return q.addCategory(c)
	case "author":
		if len(analyze(c.value, queryAuthor)) == 0 {
			return paperboy.Errorf(paperboy.EINVALID, "%q in author: names no one; use e.g. %s.", c.value, filterExample["author"])
		}
		if c.neg {
			q.ExcludedAuthors = append(q.ExcludedAuthors, c.value)
		} else {
			q.Authors = append(q.Authors, c.value)
		}
		return nil
	}
	if c.neg {
		return paperboy.Errorf(paperboy.EINVALID, "-%s: is not supported; use after: and before: to bound dates.", c.field)
	}
	if c.field == "year" {
		return q.addYear(c.value)
	}
	return q.addDate(c.field, c.value)
}

var filterExample = map[string]string{
	"cat":    "cat:cs.LG or cat:cs",
	"author": `author:Hinton or author:"Geoffrey Hinton"`,
	"year":   "year:2019",
	"after":  "after:2019-10-01",
	"before": "before:2019-10-31",
}

func (q *Query) addText(c clause) error {
	v := strings.TrimSpace(c.value)
	switch {
	case v == "":
	case c.neg:
		q.Excluded = append(q.Excluded, v)
	case c.quoted:
		q.Phrases = append(q.Phrases, v)
	default:
		q.Terms = append(q.Terms, v)
	}
	return nil
}

func (q *Query) addCategory(c clause) error {
	v := strings.ToLower(c.value)
	for _, r := range v {
		if !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '.' || r == '-') {
			return paperboy.Errorf(paperboy.EINVALID, "Bad category %q in cat:; use e.g. %s.", c.value, filterExample["cat"])
		}
	}
	if c.neg {
		q.ExcludedCategories = append(q.ExcludedCategories, v)
	} else {
		q.Categories = append(q.Categories, v)
	}
	return nil
}

func (q *Query) addYear(v string) error {
	y, err := strconv.Atoi(v)
	if err != nil || len(v) != 4 || y < 1000 {
		return paperboy.Errorf(paperboy.EINVALID, "Bad year %q in year:; use four digits, e.g. year:2019.", v)
	}
	if q.Year != 0 && q.Year != y {
		return paperboy.Errorf(paperboy.EINVALID, "Two different years, %d and %d; use after: and before: for a range.", q.Year, y)
	}
	q.Year = y
	return nil
}

func (q *Query) addDate(field, v string) error {
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return paperboy.Errorf(paperboy.EINVALID, "Bad date %q in %s:; use YYYY-MM-DD.", v, field)
	}
	switch {
	case field == "after" && d.After(q.After):
		q.After = d
	case field == "before" && (q.Before.IsZero() || d.Before(q.Before)):
		q.Before = d
	}
	return nil
}

// bounds returns the submission-time range [from, to) that the year:,
// after: and before: filters allow; zero ends are open.
func (q *Query) bounds() (from, to time.Time) {
	from, to = q.After, q.Before
	if q.Year != 0 {
		ys := time.Date(q.Year, 1, 1, 0, 0, 0, 0, time.UTC)
		if ys.After(from) {
			from = ys
		}
		if ye := ys.AddDate(1, 0, 0); to.IsZero() || ye.Before(to) {
			to = ye
		}
	}
	return from, to
}
