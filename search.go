package paperboy

import (
	"context"
	"time"
)

// SearchQuery is a search as a user typed it, plus paging. Text is in the
// query language: words, "quoted phrases", -excluded, cat:cs.LG,
// author:name, year:2019, after:2019-10-01, before:2019-10-31.
type SearchQuery struct {
	Text   string
	Limit  int // 0 means the default page size
	Offset int
	Mode   string // ModeHybrid, ModeKeyword or ModeSemantic; "" is the searcher's default
}

// SearchResult is one ranked paper with the query terms it matched, for
// highlighting.
type SearchResult struct {
	Paper *Paper
	Score float64
	// Terms are the surface forms of the query's positive words and
	// phrases, for highlighting; the search package's Highlight matches them
	// the way the analyzer does.
	Terms []string
}

// Searcher ranks papers for a query. Search returns one page of results and
// the total number of matching papers. Returns EINVALID for a query that
// does not parse (a bad date, an empty filter).
type Searcher interface {
	Search(ctx context.Context, q SearchQuery) ([]SearchResult, int, error)
}

// Day truncates t to its UTC midnight, the unit of the daily pages.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
