package harvest

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"paperboy"
	"paperboy/internal/arxiv"
)

// RSSReader fetches one category listing; *arxiv.Client is one.
type RSSReader interface {
	RSS(ctx context.Context, base, category string, stats *arxiv.Stats) (*arxiv.RSSFeed, error)
}

// RSSHarvester reads arXiv's per-category listings, which announce the
// day's papers before OAI-PMH has them, and records each announcement; a
// replacement raises the stored paper's version.
type RSSHarvester struct {
	Client  RSSReader
	BaseURL string // arxiv.DefaultRSSBaseURL when ""
	Store   paperboy.HarvestStore
	Logger  *slog.Logger
	Now     func() time.Time
}

// Harvest reads the listing of category and applies it in one
// transaction, then records the run.
func (h *RSSHarvester) Harvest(ctx context.Context, category string) (paperboy.HarvestRun, error) {
	run := paperboy.HarvestRun{Source: "rss", Set: category, Started: h.now()}
	err := h.harvest(ctx, category, &run)
	run.Finished = h.now()
	if err != nil {
		run.Error = err.Error()
	}
	id, rerr := h.Store.RecordHarvestRun(context.WithoutCancel(ctx), run)
	run.ID = id
	log := h.logger().With("category", category, "records", run.Records, "inserted", run.Inserted,
		"updated", run.Updated, "skipped", run.Skipped)
	if err != nil {
		log.Error("rss_harvest_failed", "err", err)
	} else {
		log.Info("rss_harvest_done")
	}
	return run, errors.Join(err, rerr)
}

func (h *RSSHarvester) harvest(ctx context.Context, category string, run *paperboy.HarvestRun) error {
	base := h.BaseURL
	if base == "" {
		base = arxiv.DefaultRSSBaseURL
	}
	var stats arxiv.Stats
	feed, err := h.Client.RSS(ctx, base, category, &stats)
	run.Retries = stats.Retries
	if err != nil {
		return err
	}
	run.Pages, run.Records, run.Skipped = 1, len(feed.Items)+len(feed.Skipped), len(feed.Skipped)
	if d := feed.Day; !d.IsZero() {
		run.From, run.Until = d.Format(time.DateOnly), d.Format(time.DateOnly)
	}
	items := make([]paperboy.Announcement, 0, len(feed.Items))
	for _, a := range feed.Items {
		if a.Paper.Validate() != nil {
			run.Skipped++
			continue
		}
		items = append(items, a)
	}
	outcomes, err := h.Store.ApplyAnnouncements(ctx, items)
	if err != nil {
		return err
	}
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
	return nil
}

// rssCategory is the listing of an OAI-PMH set: "physics:hep-th" is
// listed as "hep-th", "cs" as "cs".
func rssCategory(set string) string {
	if _, after, ok := strings.Cut(set, ":"); ok {
		return after
	}
	return set
}

func (h *RSSHarvester) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *RSSHarvester) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.New(slog.DiscardHandler)
}
