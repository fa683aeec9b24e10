package queries

import (
	"strconv"
	"strings"
)

// Query is one benchmark query in a neutral form that each system
// translates to its own language. All of Words and Phrase must match (AND),
// and the filters restrict the matches.
type Query struct {
	Set      string   `json:"set"`                // "1w", "2w", "3w", "5w", "phrase", "cat", "date"
	Class    string   `json:"class"`              // "high" or "mid" frequency words
	Words    []string `json:"words,omitempty"`    // plain words
	Phrase   []string `json:"phrase,omitempty"`   // words that must be adjacent, in order
	Category string   `json:"category,omitempty"` // any of the paper's categories
	Year     int      `json:"year,omitempty"`     // year of first submission
}

// Text renders the query in paperboy's query language.
func (q Query) Text() string {
	parts := append([]string(nil), q.Words...)
	if len(q.Phrase) > 0 {
		parts = append(parts, `"`+strings.Join(q.Phrase, " ")+`"`)
	}
	if q.Category != "" {
		parts = append(parts, "cat:"+q.Category)
	}
	if q.Year != 0 {
		parts = append(parts, "year:"+strconv.Itoa(q.Year))
	}
	return strings.Join(parts, " ")
}
