package community

import (
	"context"
	"log/slog"
	"time"

	"paperboy"
)

// Daily modes (PAPERBOY_DAILY): which papers make a day's listing.
const (
	DailySubmitted = "submitted" // the papers people submitted that day, as on Hugging Face
	DailyAll       = "all"       // the papers first submitted to arXiv that day
	DailyBoth      = "both"      // the submitted ones first, then the rest of the day's arXiv papers
	DailyAuto      = "auto"      // all until anything has been submitted, then both (the default)
)

// Lookup fetches a paper the store lacks, from the arXiv API
// (arxiv.Client.LookupPaper bound to its URL).
type Lookup func(ctx context.Context, id paperboy.ArxivID) (*paperboy.Paper, error)

// Config is what the Service needs.
type Config struct {
	Papers paperboy.PaperStore
	Store  paperboy.CommunityStore
	Lookup Lookup // nil: only stored papers can be submitted
	Daily  string // a Daily mode; "" means DailyAuto
	// Changed is called after every vote and submission, so trending can
	// refresh (it debounces); nil for none.
	Changed func()
	Now     func() time.Time
	Logger  *slog.Logger
}

// Service applies the community rules.
type Service struct {
	papers  paperboy.PaperStore
	store   paperboy.CommunityStore
	lookup  Lookup
	daily   string
	changed func()
	now     func() time.Time
	logger  *slog.Logger
}

// New returns the community service.
func New(c Config) *Service {
	s := &Service{papers: c.Papers, store: c.Store, lookup: c.Lookup, daily: c.Daily, changed: c.Changed, now: c.Now, logger: c.Logger}
	if s.daily == "" {
		s.daily = DailyAuto
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.changed == nil {
		s.changed = func() {}
	}
	return s
}

// ValidDaily returns EINVALID unless mode is a daily mode ("" is auto).
func ValidDaily(mode string) error {
	switch mode {
	case "", DailySubmitted, DailyAll, DailyBoth, DailyAuto:
		return nil
	}
	return paperboy.Errorf(paperboy.EINVALID, "Invalid daily mode %q: expected submitted, all, both or auto.", mode)
}

// Store is the community store, for readers such as trending.
func (s *Service) Store() paperboy.CommunityStore { return s.store }

// Stats are the community numbers shown with a paper.
type Stats struct {
	Upvotes  int
	Voted    bool // by the user asking
	Comments int
	Stars    float64 // GitHub stars, latest observation; 0 if none
	Repo     string  // GitHub repository URL, if a signal named one
}

// StatsOf returns the stats of papers for user (nil for nobody).
func (s *Service) StatsOf(ctx context.Context, user *paperboy.User, ids []paperboy.ArxivID) (map[paperboy.ArxivID]Stats, error) {
	var uid int64
	if user != nil {
		uid = user.ID
	}
	votes, err := s.store.VoteCounts(ctx, ids, uid)
	if err != nil {
		return nil, err
	}
	comments, err := s.store.CommentCounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	signals, err := s.store.LatestSignals(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[paperboy.ArxivID]Stats, len(ids))
	for _, id := range ids {
		gh := signals[id][paperboy.SignalGitHubStars]
		out[id] = Stats{Upvotes: votes[id].Count, Voted: votes[id].Mine, Comments: comments[id], Stars: gh.Value, Repo: gh.Ref}
	}
	return out, nil
}
