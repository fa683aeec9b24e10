package trending

import (
	"cmp"
	"context"
	"log/slog"
	"slices"
	"time"

	"paperboy"
	"paperboy/internal/jobs"
)

// Defaults of the background job.
const (
	DefaultInterval = 5 * time.Minute  // a full refresh at least this often
	DefaultDebounce = 10 * time.Second // after a vote, wait this long for more before refreshing
	MaxEntries      = 500              // entries kept per window
	maxRecentPapers = 5000             // papers new in the month read per refresh
)

// Config is what the Service needs.
type Config struct {
	Papers   paperboy.PaperStore
	Store    paperboy.CommunityStore
	Now      func() time.Time
	After    func(time.Duration) <-chan time.Time // time.After; tests inject a fake clock
	Interval time.Duration                        // 0: DefaultInterval
	Debounce time.Duration                        // 0: DefaultDebounce
	Logger   *slog.Logger
	// Jobs leases the periodic refresh, so replicas on one database
	// refresh once per Interval between them (nil: this process only).
	Jobs *jobs.Runner
}

// JobName is the periodic refresh's lease in the job store.
const JobName = "trending_refresh"

// Service computes the trending table and reads it.
type Service struct {
	papers   paperboy.PaperStore
	store    paperboy.CommunityStore
	now      func() time.Time
	after    func(time.Duration) <-chan time.Time
	interval time.Duration
	debounce time.Duration
	logger   *slog.Logger
	jobs     *jobs.Runner
	poke     chan struct{}
}

// New returns the trending service.
func New(c Config) *Service {
	s := &Service{papers: c.Papers, store: c.Store, now: c.Now, after: c.After,
		interval: cmp.Or(c.Interval, DefaultInterval), debounce: cmp.Or(c.Debounce, DefaultDebounce),
		logger: c.Logger, jobs: c.Jobs, poke: make(chan struct{}, 1)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.after == nil {
		s.after = time.After
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	return s
}

// Poke asks Run for a refresh soon; it never blocks. Votes call it.
func (s *Service) Poke() {
	select {
	case s.poke <- struct{}{}:
	default:
	}
}

// Run refreshes the table at once, then every interval, and after a Poke
// once the debounce has passed without one more being needed (pokes during
// the debounce join the same refresh). It returns when ctx ends.
//
// The periodic refreshes take the job lease and keep it for the interval,
// so of several replicas only one refreshes per interval; a refresh after
// a vote runs on the replica that took the vote (it is idempotent).
func (s *Service) Run(ctx context.Context) {
	s.periodic(ctx)
	for {
		tick := s.after(s.interval)
		select {
		case <-ctx.Done():
			return
		case <-tick:
			s.periodic(ctx)
		case <-s.poke:
			if !s.settle(ctx) {
				return
			}
			s.refreshLogged(ctx)
		}
	}
}

// periodic refreshes unless another replica did within the interval.
func (s *Service) periodic(ctx context.Context) {
	// A failed refresh is logged and its lease released, for a retry.
	ran, err := s.jobs.Run(ctx, JobName, s.interval, s.refreshLogged)
	if err != nil && !ran && ctx.Err() == nil {
		s.logger.Error("trending_lease_failed", "err", err)
	} else if !ran {
		s.logger.Debug("trending_refresh_skipped", "reason", "another replica refreshed")
	}
}

// settle waits out the debounce, absorbing pokes; false if ctx ended.
func (s *Service) settle(ctx context.Context) bool {
	done := s.after(s.debounce)
	for {
		select {
		case <-ctx.Done():
			return false
		case <-s.poke:
		case <-done:
			return true
		}
	}
}

func (s *Service) refreshLogged(ctx context.Context) error {
	start := s.now()
	if err := s.Refresh(ctx); err != nil {
		if ctx.Err() == nil {
			s.logger.Error("trending_refresh_failed", "err", err)
		}
		return err
	}
	s.logger.Debug("trending_refreshed", "duration", s.now().Sub(start))
	return nil
}

// Refresh recomputes every window now.
func (s *Service) Refresh(ctx context.Context) error {
	now := s.now().UTC()
	in, err := s.gather(ctx, now)
	if err != nil {
		return err
	}
	for _, w := range paperboy.TrendingWindows {
		if err := s.store.ReplaceTrending(ctx, w, in.rank(w, now)); err != nil {
			return err
		}
	}
	return nil
}

// candidate is what a refresh knows of one paper.
type candidate struct {
	listed  time.Time
	votes   []time.Time
	signals map[string][]paperboy.Signal
}

type gathered map[paperboy.ArxivID]*candidate

// gather reads the month's votes, signals, submissions and new papers.
func (s *Service) gather(ctx context.Context, now time.Time) (gathered, error) {
	since := now.Add(-ParamsFor(paperboy.WindowMonth).Window)
	g := gathered{}
	get := func(id paperboy.ArxivID) *candidate {
		if g[id] == nil {
			g[id] = &candidate{signals: map[string][]paperboy.Signal{}}
		}
		return g[id]
	}
	votes, err := s.store.VotesSince(ctx, since)
	if err != nil {
		return nil, err
	}
	for _, v := range votes {
		get(v.PaperID).votes = append(get(v.PaperID).votes, v.Created)
	}
	signals, err := s.store.Signals(ctx, since)
	if err != nil {
		return nil, err
	}
	for _, sg := range signals {
		c := get(sg.PaperID)
		c.signals[sg.Name] = append(c.signals[sg.Name], sg)
	}
	recent, _, err := s.papers.Papers(ctx, paperboy.PaperFilter{SubmittedFrom: since, SubmittedTo: now.Add(time.Second), Limit: maxRecentPapers})
	if err != nil {
		return nil, err
	}
	for _, p := range recent {
		get(p.ID).listed = p.Submitted
	}
	return g, s.fillListed(ctx, g, since)
}

// fillListed sets the listing time of the candidates that are not new on
// arXiv (from the paper), and moves it to the submission when later. Signals
// of papers this instance does not store are dropped.
func (s *Service) fillListed(ctx context.Context, g gathered, since time.Time) error {
	var missing []paperboy.ArxivID
	for id, c := range g {
		if c.listed.IsZero() {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		papers, _, err := s.papers.Papers(ctx, paperboy.PaperFilter{IDs: missing})
		if err != nil {
			return err
		}
		found := map[paperboy.ArxivID]bool{}
		for _, p := range papers {
			g[p.ID].listed, found[p.ID] = p.Submitted, true
		}
		for _, id := range missing {
			if !found[id] {
				delete(g, id)
			}
		}
	}
	subs, _, err := s.store.Submissions(ctx, paperboy.SubmissionFilter{From: since})
	if err != nil {
		return err
	}
	for _, sub := range subs {
		if c := g[sub.PaperID]; c != nil && sub.Created.After(c.listed) {
			c.listed = sub.Created
		}
	}
	return nil
}

// rank scores the candidates for one window and returns the top entries.
func (g gathered) rank(window string, now time.Time) []paperboy.TrendingEntry {
	p := ParamsFor(window)
	start := now.Add(-p.Window)
	var out []paperboy.TrendingEntry
	for id, c := range g {
		isNew := !c.listed.Before(start)
		stars := GrowthOf(c.signals[paperboy.SignalGitHubStars], start, now, isNew)
		ext := GrowthOf(c.signals[paperboy.SignalExternalUpvotes], start, now, isNew)
		in := Inputs{Stars: stars.Latest, StarsGained: stars.Gained, ExternalGained: ext.Gained, ListedAge: now.Sub(c.listed)}
		for _, v := range c.votes {
			in.VoteAges = append(in.VoteAges, now.Sub(v))
		}
		score, comp := Score(in, p)
		if comp.Upvotes == 0 && comp.StarsGained == 0 && comp.ExternalUpvotes == 0 && !isNew {
			continue // nothing happened in the window
		}
		out = append(out, paperboy.TrendingEntry{PaperID: id, Window: window, Score: score, Components: comp, Computed: now})
	}
	slices.SortFunc(out, func(a, b paperboy.TrendingEntry) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.PaperID, b.PaperID))
	})
	out = out[:min(len(out), MaxEntries)]
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}
