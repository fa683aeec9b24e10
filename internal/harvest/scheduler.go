package harvest

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"paperboy"
	"paperboy/internal/jobs"
)

// ErrBusy is returned by RunNow while a harvest is already running.
var ErrBusy = paperboy.Errorf(paperboy.ECONFLICT, "A harvest is already running.")

// Service harvests the configured sets on a schedule inside serve, never
// two harvests at once, and reports its status. With Enabled false it only
// reports what the store recorded (harvests run by `paperboy harvest`).
type Service struct {
	Harvester *Harvester
	RSS       *RSSHarvester // when set, each run also reads each set's listing
	Store     paperboy.HarvestStore
	Sets      []string
	Schedule  Schedule
	Enabled   bool
	Now       func() time.Time
	// After is time.After; tests pass a fake clock's.
	After  func(d time.Duration) <-chan time.Time
	Logger *slog.Logger
	// Jobs leases the harvest, so replicas on one database never harvest
	// at once (nil: this process only).
	Jobs *jobs.Runner

	mu          sync.Mutex
	running     bool
	next        time.Time
	reason      string
	lastSuccess time.Time // start of the latest successful run
	lastAttempt time.Time

	harvest func(ctx context.Context, j Job) error // tests replace Harvester.Harvest
}

// Loop runs harvests when the schedule says, until ctx is done.
func (s *Service) Loop(ctx context.Context) {
	if err := s.load(ctx); err != nil {
		s.logger().Error("harvest_status_unreadable", "err", err)
	}
	for {
		now := s.now()
		s.mu.Lock()
		next, reason := s.Schedule.Next(now, s.lastSuccess, s.lastAttempt)
		s.next, s.reason = next, reason
		s.mu.Unlock()
		s.logger().Info("harvest_scheduled", "at", next, "reason", reason)
		if wait := next.Sub(now); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-s.after(wait):
			}
		}
		if ctx.Err() != nil {
			return
		}
		if !s.stillDue(ctx) {
			s.logger().Info("harvest_skipped", "reason", "another replica harvested")
			continue
		}
		// The harvester has logged a failure; the next slot or catch-up retries.
		err := s.RunNow(ctx, reason)
		s.logger().Info("harvest_run_done", "reason", reason, "ok", err == nil, "busy", errors.Is(err, ErrBusy))
	}
}

// RunNow harvests every set once, unless a harvest is already running
// here or, with Jobs, in another replica (ErrBusy). It returns the first set's error, after trying them all.
func (s *Service) RunNow(ctx context.Context, reason string) error {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return ErrBusy
	}
	s.running = true
	start := s.now()
	s.lastAttempt = start
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.running = false
		s.mu.Unlock()
	}()
	ran, err := s.Jobs.Run(ctx, JobName, 0, func(ctx context.Context) error {
		return s.harvestSets(ctx, reason)
	})
	if !ran && err == nil {
		return ErrBusy // another replica is harvesting
	} else if err != nil {
		return err
	}
	s.mu.Lock()
	s.lastSuccess = start
	s.mu.Unlock()
	return nil
}

// JobName is the harvest's lease in the job store.
const JobName = "harvest"

// stillDue reloads the last success from the store, which another replica
// may have harvested since the schedule was read, and says whether a run
// is still due now.
func (s *Service) stillDue(ctx context.Context) bool {
	if s.Jobs == nil {
		return true
	}
	if err := s.load(ctx); err != nil {
		s.logger().Error("harvest_status_unreadable", "err", err)
		return true
	}
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	next, _ := s.Schedule.Next(now, s.lastSuccess, s.lastAttempt)
	return !next.After(now)
}

// harvestSets harvests every set once and returns the first set's error.
func (s *Service) harvestSets(ctx context.Context, reason string) error {
	s.logger().Info("harvest_start", "reason", reason, "sets", s.Sets)
	var first error
	for _, set := range s.Sets {
		if err := s.harvestSet(ctx, Job{Set: set}); err != nil && first == nil {
			first = err
		}
		if s.RSS != nil && s.harvest == nil {
			// Announcements are extra freshness: a failed listing does not
			// fail the run, OAI-PMH brings the same papers.
			s.RSS.Harvest(ctx, rssCategory(set))
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return first
}

func (s *Service) harvestSet(ctx context.Context, j Job) error {
	if s.harvest != nil {
		return s.harvest(ctx, j)
	}
	_, err := s.Harvester.Harvest(ctx, j)
	return err
}

// load reads when the last harvest succeeded, so a restarted server does
// not harvest again what it already has.
func (s *Service) load(ctx context.Context) error {
	runs, err := s.Store.HarvestRuns(ctx, paperboy.HarvestRunFilter{Source: "oai", Succeeded: true, Limit: 1})
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(runs) > 0 && runs[0].Started.After(s.lastSuccess) {
		s.lastSuccess = runs[0].Started
	}
	return nil
}

// recentRuns is how many runs the status shows.
const recentRuns = 10

// HarvestStatus reports the scheduler's state and the runs the store
// recorded.
func (s *Service) HarvestStatus(ctx context.Context) (paperboy.HarvestStatus, error) {
	runs, err := s.Store.HarvestRuns(ctx, paperboy.HarvestRunFilter{Limit: recentRuns})
	if err != nil {
		return paperboy.HarvestStatus{}, err
	}
	ok, err := s.Store.HarvestRuns(ctx, paperboy.HarvestRunFilter{Succeeded: true, Limit: 1})
	if err != nil {
		return paperboy.HarvestStatus{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := paperboy.HarvestStatus{Enabled: s.Enabled, Running: s.running, Sets: s.Sets, Recent: runs}
	if s.Enabled {
		st.NextRun, st.NextReason = s.next, s.reason
	}
	if len(runs) > 0 {
		st.LastRun = &runs[0]
	}
	if len(ok) > 0 {
		st.LastSuccess = &ok[0]
	}
	return st, nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) after(d time.Duration) <-chan time.Time {
	if s.After != nil {
		return s.After(d)
	}
	return time.After(d)
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}
