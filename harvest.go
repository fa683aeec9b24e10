package paperboy

import (
	"context"
	"time"
)

// HarvestCheckpoint is where an OAI-PMH harvest of one set and metadata
// prefix stands. It is written in the same transaction as the papers of the
// page it follows, so a harvest killed at any moment resumes from the last
// page it applied: no gap, and no finished page fetched again.
//
// Dates are OAI-PMH datestamps at day granularity ("2019-10-08"); a window
// includes both ends.
type HarvestCheckpoint struct {
	Set    string // OAI-PMH set, e.g. "cs" or "physics:hep-th"
	Prefix string // metadata prefix, e.g. "arXivRaw"

	From  string // the window being harvested
	Until string
	Token string // resumption token of the next page; "" once the window is done
	Done  bool   // every page of the window is applied

	Pages   int // pages of the window applied so far
	Records int // records of the window applied so far

	// LastDatestamp is the latest record datestamp seen in the window.
	LastDatestamp string
	// Frontier is the latest Until of a finished window: the next
	// incremental harvest starts there.
	Frontier string

	Updated time.Time // when the checkpoint was written; set by the store
}

// HarvestRun is the record of one harvest run, kept for the status page and
// for the scheduler, which must know when a harvest last succeeded.
type HarvestRun struct {
	ID       int64  // set by the store
	Source   string // "oai" or "rss"
	Set      string // OAI-PMH set or RSS category
	Prefix   string // OAI-PMH metadata prefix; "" for RSS
	From     string // the window harvested (OAI-PMH)
	Until    string
	Started  time.Time
	Finished time.Time

	Pages     int
	Records   int // records read, valid or not
	Inserted  int
	Updated   int
	Unchanged int
	Skipped   int
	Retries   int    // requests retried (5xx, 503 Retry-After, timeouts, bad pages)
	Restarts  int    // windows restarted after badResumptionToken
	Error     string // "" when the run succeeded
}

// OK reports whether the run succeeded.
func (r HarvestRun) OK() bool { return r.Error == "" }

// HarvestRunFilter selects harvest runs, newest first.
type HarvestRunFilter struct {
	Source    string // "" for every source
	Succeeded bool   // only runs without an error
	Limit     int    // 0 means no limit
}

// AnnounceType is how an arXiv listing announces a paper.
type AnnounceType string

const (
	AnnounceNew          AnnounceType = "new"           // a new submission in this category
	AnnounceCross        AnnounceType = "cross"         // a cross-list from another category
	AnnounceReplace      AnnounceType = "replace"       // a new version
	AnnounceReplaceCross AnnounceType = "replace-cross" // a new version of a cross-list
)

// Valid reports whether t is one of the four announce types.
func (t AnnounceType) Valid() bool {
	switch t {
	case AnnounceNew, AnnounceCross, AnnounceReplace, AnnounceReplaceCross:
		return true
	}
	return false
}

// Announcement is one item of an arXiv category listing (RSS): the paper as
// the listing describes it and how it was announced.
type Announcement struct {
	Paper     *Paper       // ID, Version and the listing's metadata
	Type      AnnounceType // new, cross, replace or replace-cross
	Category  string       // the listing, e.g. "cs.LG"
	Announced time.Time    // the listing's publication day, UTC midnight
}

// AnnouncedPapers returns the papers of items, in order, after checking
// each announcement's type. Returns EINVALID for an unknown type.
func AnnouncedPapers(items []Announcement) ([]*Paper, error) {
	papers := make([]*Paper, len(items))
	for i, a := range items {
		if !a.Type.Valid() {
			return nil, Errorf(EINVALID, "Announcement %d has an unknown type %q.", i+1, a.Type)
		}
		papers[i] = a.Paper
	}
	return papers, nil
}

// HarvestStore keeps harvested papers together with where each harvest
// stands. Each method is one transaction.
type HarvestStore interface {
	// ApplyHarvestPage merges papers exactly as PaperStore.UpsertPapers
	// does and writes cp as the checkpoint of (cp.Set, cp.Prefix), both in
	// one transaction: either the page and its checkpoint are stored, or
	// neither is. Returns EINVALID, naming the record, for an invalid
	// paper, or for a checkpoint without Set or Prefix.
	ApplyHarvestPage(ctx context.Context, papers []*Paper, cp HarvestCheckpoint) ([]MergeOutcome, error)

	// HarvestCheckpoint returns the checkpoint of a set and prefix.
	// Returns ENOTFOUND if that harvest never applied a page.
	HarvestCheckpoint(ctx context.Context, set, prefix string) (HarvestCheckpoint, error)

	// NewestPaperDate returns the latest Updated or Submitted time of the
	// stored papers in any of the given archives: a paper is in archive
	// "cs" when one of its categories is "cs" or starts with "cs.". No
	// archives means every paper. Returns the zero time when there is no
	// such paper. The first harvest of a set starts there, so it leaves no
	// gap after a bulk import.
	NewestPaperDate(ctx context.Context, archives []string) (time.Time, error)

	// ApplyAnnouncements merges each announcement's paper as UpsertPapers
	// does and records the announcement (once per paper, version, type and
	// category), in one transaction. Returns EINVALID for an invalid paper
	// or announce type.
	ApplyAnnouncements(ctx context.Context, items []Announcement) ([]MergeOutcome, error)

	// Announcements returns the recorded announcements of a paper, oldest
	// first.
	Announcements(ctx context.Context, id ArxivID) ([]Announcement, error)

	// RecordHarvestRun stores a finished run and returns its ID.
	RecordHarvestRun(ctx context.Context, run HarvestRun) (int64, error)

	// HarvestRuns returns the runs the filter selects, newest first.
	// Returns EINVALID for a negative Limit.
	HarvestRuns(ctx context.Context, f HarvestRunFilter) ([]HarvestRun, error)
}

// HarvestStatus is what the status page and GET /api/v1/status show about
// automatic harvesting.
type HarvestStatus struct {
	Enabled bool     // the scheduler runs in this process
	Running bool     // a harvest is in progress now
	Sets    []string // the OAI-PMH sets harvested
	NextRun time.Time
	// NextReason says why the next run is due: "announcement" or "catch-up".
	NextReason  string
	LastRun     *HarvestRun // the latest run, nil if none
	LastSuccess *HarvestRun // the latest successful run, nil if none
	Recent      []HarvestRun
}

// HarvestMonitor reports the state of harvesting.
type HarvestMonitor interface {
	HarvestStatus(ctx context.Context) (HarvestStatus, error)
}
