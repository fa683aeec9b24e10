package paperboy

import (
	"context"
	"time"
)

// Store is everything a paperboy database keeps. Every backend implements
// all of it (internal/store/storetest checks); services take the narrowest
// of the interfaces below that they need.
type Store interface {
	PaperStore
	HarvestStore
	AccountStore
	CommunityStore
	DigestStore
	EmbeddingStore
	JobStore
}

// PaperStore is the source of truth for papers. Every change to a paper bumps
// a monotonically increasing change sequence, which derived indexes (search)
// follow with Changes. Each method is one transaction.
type PaperStore interface {
	// UpsertPapers merges each incoming record with the stored paper of the
	// same ID using MergePaper, in one transaction, and reports the outcome
	// of each record in order. A paper that changed gets a new Seq. Returns
	// EINVALID, naming the paper, if a record fails Validate; nothing is
	// written then.
	UpsertPapers(ctx context.Context, papers []*Paper) ([]MergeOutcome, error)

	// Paper returns the paper with the given ID. Returns ENOTFOUND if the
	// paper does not exist.
	Paper(ctx context.Context, id ArxivID) (*Paper, error)

	// Papers returns the papers matching the filter and the total number of
	// matches ignoring Limit and Offset.
	Papers(ctx context.Context, f PaperFilter) ([]*Paper, int, error)

	// DeletePaper removes a paper, recording the removal in the change
	// sequence. Returns ENOTFOUND if the paper does not exist.
	DeletePaper(ctx context.Context, id ArxivID) error

	// Changes returns up to limit changes with Seq greater than after, in
	// Seq order. A paper changed several times appears once, at its latest
	// Seq. A limit of 0 means no limit; a negative one is EINVALID.
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)

	// LastSeq returns the highest change sequence number, 0 for a new store.
	LastSeq(ctx context.Context) (int64, error)

	// Days returns the first-submission days that have papers nearest to
	// day: the latest day on or before it, and the previous and next days
	// with papers. A zero day asks for the latest day with papers. Any of
	// the returned days is zero when there is none.
	Days(ctx context.Context, day time.Time) (DayNeighbours, error)

	// CountPapers returns the number of stored papers.
	CountPapers(ctx context.Context) (int, error)

	Close() error
}

// Change is one entry of the store's change sequence: the paper as it now is,
// or nil when it was deleted.
type Change struct {
	Seq   int64
	ID    ArxivID
	Paper *Paper
}

// PaperFilter selects papers. Zero fields do not filter; in particular an
// empty IDs list selects every paper, so a caller with no IDs to look up must
// not call Papers. Papers returns EINVALID for an unknown Order or a negative
// Limit or Offset.
type PaperFilter struct {
	IDs           []ArxivID // with Order "", papers come back in this order, repeats dropped
	SubmittedFrom time.Time // inclusive, by first-submission time
	SubmittedTo   time.Time // exclusive
	Category      string    // any of the paper's categories
	Limit         int       // 0 means no limit
	Offset        int
	// Order: "submitted" (newest first; the default without IDs) or "id".
	Order string
}

// DayNeighbours locates a day among the days that have papers. Days are UTC
// midnights.
type DayNeighbours struct {
	Day  time.Time // the requested day if it has papers, else the latest earlier one with papers
	Prev time.Time // the latest day with papers before Day
	Next time.Time // the earliest day with papers after Day
}
