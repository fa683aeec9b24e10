package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"paperboy"
	"paperboy/internal/arxiv"
	"paperboy/internal/config"
	"paperboy/internal/harvest"
	"paperboy/internal/store"
)

// userAgent names paperboy, its version and, as arXiv asks of harvesters,
// a way to reach the operator when one is configured: the instance's mail
// sender address (PAPERBOY_MAIL_FROM), else its public URL
// (PAPERBOY_BASE_URL).
func userAgent(cfg config.Config) string {
	ua := fmt.Sprintf("paperboy/%s (self-hosted research-paper radar", Version())
	switch {
	case cfg.MailFrom != "":
		ua += "; mailto:" + cfg.MailFrom
	case cfg.BaseURL != "":
		ua += "; +" + cfg.BaseURL
	}
	return ua + ")"
}

const harvestSynopsis = `harvest [--db PATH] [--set cs] [--from DATE] [--until DATE] [--prefix arXivRaw] [--base-url URL]

Harvests arXiv's OAI-PMH endpoint into the database, politely (one
connection, one request every 3 seconds), resuming where the last harvest of
each set stopped. Without --from it is incremental: it finishes an interrupted
window, or harvests from the end of the last one (or the last 7 days) to
today. This is what 'paperboy serve --harvest' runs after each arXiv
announcement.

It takes the same lease as serve's scheduled harvest, so the two never run
at once on one database: when a harvest is already running (a replica's, or
another 'paperboy harvest'), it says who holds the lease and exits with
status 1, or with --wait waits for it to finish and then harvests.`

// harvestFlags are the command line of `paperboy harvest`.
type harvestFlags struct {
	sets, from, until, prefix, baseURL string
	interval, timeout                  time.Duration
	wait                               bool
}

func runHarvest(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("harvest", harvestSynopsis, stderr)
	cfg.DBFlag(fs)
	f := harvestFlags{}
	fs.StringVar(&f.sets, "set", strings.Join(cfg.ArxivSets, ","), "OAI-PMH sets, comma-separated (env PAPERBOY_ARXIV_SETS)")
	fs.StringVar(&f.from, "from", "", "first datestamp of the window, YYYY-MM-DD (default: incremental)")
	fs.StringVar(&f.until, "until", "", "last datestamp of the window, YYYY-MM-DD (default: today, UTC)")
	fs.StringVar(&f.prefix, "prefix", harvest.DefaultPrefix, "metadata prefix: arXivRaw, arXiv or oai_dc")
	fs.StringVar(&f.baseURL, "base-url", cfg.OAIURL, "OAI-PMH endpoint (env PAPERBOY_OAI_URL)")
	fs.DurationVar(&f.interval, "request-interval", arxiv.DefaultMinInterval, "least time between two requests (keep 3s against arXiv)")
	fs.DurationVar(&f.timeout, "timeout", arxiv.DefaultTimeout, "time limit of one request")
	fs.BoolVar(&f.wait, "wait", false, "wait for a harvest already running on the database instead of exiting with status 1")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("harvest takes no arguments, got %q", fs.Args())}
	}
	sets := strings.Split(f.sets, ",")
	terminal := isTerminal(stderr)
	logger := cliLogger(stderr, terminal)
	st, err := store.Open(ctx, cfg.DB, logger)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()
	h, client := newHarvester(st, f.baseURL, userAgent(cfg), logger)
	client.MinInterval, client.Timeout = f.interval, f.timeout
	if f.interval < arxiv.DefaultMinInterval && strings.Contains(f.baseURL, "arxiv.org") {
		logger.Warn("request_interval_impolite", "interval", f.interval, "want", arxiv.DefaultMinInterval)
	}
	c := harvestCommand{flags: f, sets: sets, h: h, stdout: stdout, stderr: stderr, terminal: terminal, logger: logger}
	lease := harvestLease{store: st, wait: f.wait, poll: time.Second, stderr: stderr, logger: logger, now: time.Now}
	return lease.run(ctx, c.harvestSets)
}

// harvestCommand is `paperboy harvest` once its flags are read.
type harvestCommand struct {
	flags          harvestFlags
	sets           []string
	h              *harvest.Harvester
	stdout, stderr io.Writer
	terminal       bool
	logger         *slog.Logger
}

// harvestSets harvests each set in turn and returns the last failure,
// after trying them all.
func (c harvestCommand) harvestSets(ctx context.Context) error {
	var failed error
	for _, set := range c.sets {
		set = strings.TrimSpace(set)
		p := newHarvestProgress(set, c.stderr, c.terminal, c.logger)
		c.h.Progress = p.update
		run, err := c.h.Harvest(ctx, harvest.Job{Set: set, Prefix: c.flags.prefix, From: c.flags.from, Until: c.flags.until})
		p.finish()
		fmt.Fprintln(c.stdout, harvestSummary(run))
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			fmt.Fprintf(c.stderr, "paperboy: harvest %s: %s\n", set, paperboy.ErrorMessage(err))
			failed = err
		}
	}
	return failed
}

// newHarvester is the harvester serve and `paperboy harvest` share: a
// polite client with paperboy's User-Agent.
func newHarvester(hs paperboy.HarvestStore, baseURL, userAgent string, logger *slog.Logger) (*harvest.Harvester, *arxiv.Client) {
	c := arxiv.NewClient(userAgent)
	c.Logger = logger
	return &harvest.Harvester{Client: c, BaseURL: baseURL, Store: hs, Logger: logger}, c
}

// cliLogger logs warnings only on a terminal, where progress shows the rest.
func cliLogger(w io.Writer, terminal bool) *slog.Logger {
	level := slog.LevelInfo
	if terminal {
		level = slog.LevelWarn
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
}

// harvestSummary is the line a harvest of one set ends with.
func harvestSummary(r paperboy.HarvestRun) string {
	d := r.Finished.Sub(r.Started)
	rate := float64(r.Records) / max(d.Seconds(), 1e-9)
	status := "done"
	if !r.OK() {
		status = "FAILED"
	}
	return fmt.Sprintf("harvest %s %s..%s %s: %d pages, %d records, inserted %d, updated %d, unchanged %d, skipped %d, retries %d, restarts %d in %s (%.0f records/s)",
		r.Set, r.From, r.Until, status, r.Pages, r.Records, r.Inserted, r.Updated, r.Unchanged, r.Skipped,
		r.Retries, r.Restarts, d.Round(time.Millisecond), rate)
}

// harvestProgress shows a harvest's pages: one rewritten line on a
// terminal, a structured log line per page otherwise.
type harvestProgress struct {
	set    string
	w      io.Writer
	tty    bool
	logger *slog.Logger
}

func newHarvestProgress(set string, w io.Writer, terminal bool, logger *slog.Logger) *harvestProgress {
	return &harvestProgress{set: set, w: w, tty: terminal, logger: logger}
}

func (p *harvestProgress) update(pr harvest.Progress) {
	r := pr.Run
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[Kharvest %s %s..%s: page %d, %d records, %d new, %d updated, %d retries",
			p.set, pr.From, pr.Until, pr.Page, r.Records, r.Inserted, r.Updated, r.Retries)
		return
	}
	p.logger.Info("harvest_progress", "set", p.set, "from", pr.From, "until", pr.Until, "page", pr.Page,
		"records", r.Records, "inserted", r.Inserted, "updated", r.Updated, "retries", r.Retries, "done", pr.Done)
}

func (p *harvestProgress) finish() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

// startHarvest builds the harvest service of serve: the scheduler when
// --harvest is on, else only the status of harvests `paperboy harvest` ran.
func (m *Main) startHarvest() (*harvest.Service, error) {
	hs := m.Store
	h, client := newHarvester(hs, m.Config.OAIURL, userAgent(m.Config), m.Logger)
	h.Now = m.Now
	svc := &harvest.Service{Harvester: h, Store: hs, Sets: m.Config.ArxivSets,
		Schedule: harvest.DefaultSchedule(), Enabled: m.Config.Harvest, Now: m.Now, Logger: m.Logger, Jobs: m.Jobs}
	if u := m.Config.RSSURL; u != "" && u != "none" {
		// The same client: one request at a time to arXiv, whatever the host.
		svc.RSS = &harvest.RSSHarvester{Client: client, BaseURL: u, Store: hs, Logger: m.Logger, Now: m.Now}
	}
	return svc, nil
}

// harvestMonitor is the service as the status pages see it; nil when
// there is none.
func (m *Main) harvestMonitor() paperboy.HarvestMonitor {
	if m.Harvest == nil {
		return nil
	}
	return m.Harvest
}

// harvestLoop runs the scheduler until ctx ends, when harvesting is on.
func (m *Main) harvestLoop(ctx context.Context) {
	defer m.wg.Done()
	if m.Harvest != nil && m.Harvest.Enabled {
		m.Harvest.Loop(ctx)
	}
}
