package harvest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"paperboy"
	"paperboy/internal/arxiv"
)

// DefaultMaxRestarts bounds how often one run restarts a window after
// badResumptionToken before it gives up.
const DefaultMaxRestarts = 3

// Lister fetches one ListRecords page, whole; *arxiv.Client is one.
type Lister interface {
	ListRecords(ctx context.Context, base string, q arxiv.ListRecordsQuery, stats *arxiv.Stats) (*arxiv.OAIPage, error)
}

// Harvester runs OAI-PMH harvests into a store. Each page is fetched and
// parsed whole, then its papers and the checkpoint after it are applied in
// one store transaction; a run killed at any point resumes from the last
// page applied.
type Harvester struct {
	Client      Lister
	BaseURL     string // arxiv.DefaultOAIBaseURL when ""
	Store       paperboy.HarvestStore
	Logger      *slog.Logger
	Now         func() time.Time
	Lookback    int // DefaultLookback when 0
	MaxRestarts int // DefaultMaxRestarts when 0
	// Progress, when set, is called after each page is applied.
	Progress func(Progress)
}

// Progress is where a run stands after a page.
type Progress struct {
	Set, From, Until string
	Page             int // pages applied in this run
	Run              paperboy.HarvestRun
	Done             bool // the window is finished
}

// Harvest runs job to the end of its window, records the run in the store
// and returns it. A run that fails keeps every page it applied; the next run
// resumes after them.
func (h *Harvester) Harvest(ctx context.Context, job Job) (paperboy.HarvestRun, error) {
	if job.Prefix == "" {
		job.Prefix = DefaultPrefix
	}
	run := paperboy.HarvestRun{Source: "oai", Set: job.setKey(), Prefix: job.Prefix, Started: h.now()}
	err := job.validate()
	if err == nil {
		err = h.harvest(ctx, job, &run)
	}
	run.Finished = h.now()
	if err != nil {
		run.Error = err.Error()
	}
	// Recorded even when ctx is canceled: a shutdown mid-run is still a run.
	id, rerr := h.Store.RecordHarvestRun(context.WithoutCancel(ctx), run)
	run.ID = id
	log := h.logger().With("set", run.Set, "prefix", run.Prefix, "from", run.From, "until", run.Until,
		"pages", run.Pages, "records", run.Records, "inserted", run.Inserted, "updated", run.Updated,
		"skipped", run.Skipped, "retries", run.Retries, "restarts", run.Restarts,
		"duration", run.Finished.Sub(run.Started))
	if err != nil {
		log.Error("harvest_failed", "err", err)
	} else {
		log.Info("harvest_done")
	}
	return run, errors.Join(err, rerr)
}

// harvest runs the job's windows: an incremental job that resumed an old
// window goes on with the next one, up to today.
func (h *Harvester) harvest(ctx context.Context, job Job, run *paperboy.HarvestRun) error {
	today := h.now().UTC().Format(time.DateOnly)
	for {
		cp, err := h.Store.HarvestCheckpoint(ctx, job.setKey(), job.Prefix)
		var stored *paperboy.HarvestCheckpoint
		if err == nil {
			stored = &cp
		} else if paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
			return fmt.Errorf("read checkpoint: %w", err)
		}
		first := ""
		if needsFirst(stored, job) {
			newest, err := h.Store.NewestPaperDate(ctx, setArchives(job.Set))
			if err != nil {
				return fmt.Errorf("find the newest stored paper: %w", err)
			}
			first = firstFrom(today, h.lookback(), newest)
		}
		cur := plan(stored, job, today, first)
		if run.From == "" || cur.From < run.From {
			run.From = cur.From
		}
		run.Until = max(run.Until, cur.Until)
		if err := h.window(ctx, job, cur, run); err != nil {
			return err
		}
		if job.From != "" || job.Until != "" || cur.Until >= today {
			return nil
		}
	}
}

// window harvests one window from cur, page by page, until its last page.
func (h *Harvester) window(ctx context.Context, job Job, cur paperboy.HarvestCheckpoint, run *paperboy.HarvestRun) error {
	restarts := 0
	log := h.logger().With("set", cur.Set, "from", cur.From, "until", cur.Until)
	if cur.Token != "" {
		log.Info("harvest_resume", "pages_done", cur.Pages, "token", cur.Token)
	}
	for {
		q := arxiv.ListRecordsQuery{Prefix: job.Prefix, Set: job.Set, From: cur.From, Until: cur.Until, Token: cur.Token}
		var stats arxiv.Stats
		page, err := h.Client.ListRecords(ctx, h.baseURL(), q, &stats)
		run.Retries += stats.Retries
		var oerr *arxiv.OAIError
		switch {
		case errors.As(err, &oerr) && oerr.Code == "badResumptionToken" && cur.Token != "":
			if restarts++; restarts > h.maxRestarts() {
				return fmt.Errorf("window %s..%s: %d restarts after badResumptionToken: %w", cur.From, cur.Until, restarts-1, err)
			}
			run.Restarts++
			log.Warn("harvest_restart_window", "token", cur.Token, "err", err)
			cur = restart(cur)
			continue
		case errors.As(err, &oerr):
			return paperboy.Errorf(paperboy.EINVALID, "arXiv OAI-PMH refused the request: %s (%s).", oerr.Message, oerr.Code)
		case err != nil:
			return err
		case page.Token != "" && page.Token == cur.Token:
			return fmt.Errorf("arxiv returned the resumption token it was given (%q): stopping", cur.Token)
		}
		if cur, err = h.apply(ctx, cur, page, run); err != nil {
			return err
		}
		if h.Progress != nil {
			h.Progress(Progress{Set: cur.Set, From: cur.From, Until: cur.Until, Page: run.Pages, Run: *run, Done: cur.Done})
		}
		if cur.Done {
			return nil
		}
	}
}

// apply stores a page's valid papers with the checkpoint after it, in one
// transaction, and counts what happened.
func (h *Harvester) apply(ctx context.Context, cur paperboy.HarvestCheckpoint, page *arxiv.OAIPage, run *paperboy.HarvestRun) (paperboy.HarvestCheckpoint, error) {
	papers := make([]*paperboy.Paper, 0, len(page.Papers))
	skipped := len(page.Skipped)
	for _, p := range page.Papers {
		if p.Validate() != nil {
			skipped++
			continue
		}
		papers = append(papers, p)
	}
	for _, rerr := range page.Skipped {
		h.logger().Warn("record_skipped", "set", cur.Set, "err", rerr.Error())
	}
	next := advance(cur, page.Records, page.Token, page.LastDatestamp)
	outcomes, err := h.Store.ApplyHarvestPage(ctx, papers, next)
	if err != nil {
		return cur, fmt.Errorf("store page %d of %s..%s: %w", next.Pages, cur.From, cur.Until, err)
	}
	run.Pages++
	run.Records += page.Records
	run.Skipped += skipped
	for _, o := range outcomes {
		switch o {
		case paperboy.Inserted:
			run.Inserted++
		case paperboy.Updated:
			run.Updated++
		default:
			run.Unchanged++
		}
	}
	h.logger().Debug("harvest_page", "set", cur.Set, "page", next.Pages, "records", page.Records,
		"bytes", page.Bytes, "token", next.Token)
	return next, nil
}

func (h *Harvester) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Harvester) baseURL() string {
	if h.BaseURL != "" {
		return h.BaseURL
	}
	return arxiv.DefaultOAIBaseURL
}

func (h *Harvester) lookback() int {
	if h.Lookback > 0 {
		return h.Lookback
	}
	return DefaultLookback
}

func (h *Harvester) maxRestarts() int {
	if h.MaxRestarts > 0 {
		return h.MaxRestarts
	}
	return DefaultMaxRestarts
}

func (h *Harvester) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.New(slog.DiscardHandler)
}
