package paperboy

import "context"

// Search modes: how a query is matched.
const (
	ModeHybrid   = "hybrid"   // words and meaning, fused (the default)
	ModeKeyword  = "keyword"  // words only: the lexical engine
	ModeSemantic = "semantic" // meaning only: nearest vectors
)

// ValidSearchMode reports whether m names a search mode; "" means the
// default.
func ValidSearchMode(m string) bool {
	return m == "" || m == ModeHybrid || m == ModeKeyword || m == ModeSemantic
}

// SearchReport says how a search was answered.
type SearchReport struct {
	Mode string // the mode that ranked the results
	// Fallback is set when the mode asked for could not be used (the
	// embedder was slow or down, or no vectors are ready yet) and the
	// results are lexical; it says why.
	Fallback string
}

// ReportingSearcher is a Searcher that also reports how it answered.
type ReportingSearcher interface {
	Searcher
	SearchReport(ctx context.Context, q SearchQuery) ([]SearchResult, int, SearchReport, error)
}

// RelatedPapers finds papers like a given one.
type RelatedPapers interface {
	// Related returns up to limit papers most like the paper id, best
	// first. Returns ENOTFOUND if the paper does not exist.
	Related(ctx context.Context, id ArxivID, limit int) ([]SearchResult, error)
}
