package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"paperboy"
	"paperboy/internal/config"
	"paperboy/internal/digest"
	"paperboy/internal/mail"
	"paperboy/internal/search"
	"paperboy/internal/store"
)

// digestDeps are what the digest service is built from, in serve and in
// `paperboy digest`.
type digestDeps struct {
	cfg    config.Config
	store  paperboy.Store
	search paperboy.Searcher
	mail   mail.Sender // confirmation e-mails; nil: from the configuration
	now    func() time.Time
	logger *slog.Logger
}

// newDigest builds the digest service: the link secret from
// PAPERBOY_SECRET or the database, one SMTP connection per worker, and
// trending from the trending table (recency while it is empty).
func newDigest(ctx context.Context, d digestDeps) (*digest.Service, error) {
	ds := d.store
	secret, err := digest.SecretFromStore(ctx, ds, d.cfg.Digest.Secret)
	if err != nil {
		return nil, err
	}
	base, err := d.cfg.PublicURL()
	if err != nil {
		return nil, &usageError{msg: err.Error()}
	}
	m := &Main{Config: d.cfg, Logger: d.logger}
	if d.mail == nil {
		if d.mail, err = m.newMailSender(); err != nil {
			return nil, err
		}
	}
	senders := []mail.Sender{d.mail}
	for i := 1; i < d.cfg.Digest.Workers && d.cfg.SMTPURL != ""; i++ {
		s, err := m.newMailSender()
		if err != nil {
			return nil, err
		}
		senders = append(senders, s)
	}
	c := digest.Config{Store: ds, Papers: d.store, Search: d.search, Mail: d.mail, Senders: senders,
		From: d.cfg.MailSender(), BaseURL: base, Secret: secret, Rate: d.cfg.Digest.Rate, Lease: d.cfg.Digest.Lease,
		Limits: d.store, Trending: digest.StoreTrending{Community: d.store, Papers: d.store},
		Now: d.now, Logger: d.logger}
	return digest.New(c)
}

// startDigest builds the digest service of serve.
func (m *Main) startDigest(ctx context.Context) error {
	svc, err := newDigest(ctx, digestDeps{cfg: m.Config, store: m.Store, search: m.Search, mail: m.Mail, now: m.Now, logger: m.Logger})
	if err != nil {
		return err
	}
	m.Digest = svc
	return nil
}

// runDigestScheduler ticks every minute (PAPERBOY_DIGEST_INTERVAL): it
// composes the issues due (each subscriber's local send hour) and sends
// what the outbox holds. Several replicas may run it: the outbox's
// (subscriber, date) key and its per-issue leases (SKIP LOCKED on
// PostgreSQL) keep every digest single. The compose step also takes a job
// lease, only so replicas do not all compose the same issues; delivery
// runs on every replica, its workers sharing the outbox.
func (m *Main) runDigestScheduler(ctx context.Context) {
	if m.Digest == nil || !m.Config.Digest.Scheduler {
		return
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(cmp.Or(m.Config.Digest.Interval, time.Minute))
		defer t.Stop()
		for {
			m.digestTick(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

func (m *Main) digestTick(ctx context.Context) {
	var st digest.RunStats
	_, err := m.Jobs.Run(ctx, digestJob, 0, func(ctx context.Context) error {
		var err error
		st, err = m.Digest.Tick(ctx, m.Now())
		return err
	})
	if err != nil && ctx.Err() == nil {
		m.Logger.Error("digest_tick_failed", "err", err)
	}
	sent, err := m.Digest.Deliver(ctx)
	if err != nil && ctx.Err() == nil {
		m.Logger.Error("digest_deliver_failed", "err", err)
	}
	if st.Enqueued+sent.Sent+sent.Deferred+sent.Failed > 0 {
		m.Logger.Info("digest_tick", "enqueued", st.Enqueued, "empty", st.Empty, "sent", sent.Sent,
			"deferred", sent.Deferred, "failed", sent.Failed)
	}
}

// digestJob is the compose step's lease in the job store.
const digestJob = "digest_compose"

const digestUsage = `digest preview --email ADDRESS [--date YYYY-MM-DD]   print a subscriber's digest
       paperboy digest run [--date YYYY-MM-DD] [--dry-run]          compose and send the digests due`

// runDigest runs `paperboy digest preview|run`.
func runDigest(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "preview" && args[0] != "run") {
		return &usageError{msg: "usage: paperboy " + digestUsage}
	}
	sub, args := args[0], args[1:]
	fs := newFlagSet("digest "+sub, digestUsage, stderr)
	cfg.DBFlag(fs)
	cfg.DigestSendFlags(fs)
	email := fs.String("email", "", "the subscriber's address (preview)")
	day := fs.String("date", "", "issue date, YYYY-MM-DD (default: today, UTC)")
	dry := fs.Bool("dry-run", false, "compose and count, but write and send nothing (run)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	date := paperboy.Day(time.Now())
	if *day != "" {
		d, err := time.Parse(time.DateOnly, *day)
		if err != nil {
			return &usageError{msg: fmt.Sprintf("--date %q is not YYYY-MM-DD", *day)}
		}
		date = d
	}
	if sub == "preview" && *email == "" {
		return &usageError{msg: "digest preview needs --email"}
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(ctx, cfg.DB, logger)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()
	engine := search.New(st, logger)
	if _, err := engine.Sync(ctx); err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	svc, err := newDigest(ctx, digestDeps{cfg: cfg, store: st, search: engine, now: time.Now, logger: logger})
	if err != nil {
		return err
	}
	if sub == "preview" {
		m, err := svc.Preview(ctx, *email, date)
		if err != nil {
			return err
		}
		_, err = io.WriteString(stdout, digest.FormatMessage(m))
		return err
	}
	return digestRun(ctx, svc, *day != "", date, *dry, stdout)
}

// digestRun is `paperboy digest run`: the scheduler's tick now (or every
// subscriber's issue of --date), then delivery of what the outbox holds.
func digestRun(ctx context.Context, svc *digest.Service, byDate bool, date time.Time, dry bool, stdout io.Writer) error {
	var st digest.RunStats
	var err error
	switch {
	case byDate || dry:
		st, err = svc.RunDate(ctx, date, dry)
	default:
		st, err = svc.Tick(ctx, time.Now())
	}
	if err != nil {
		return err
	}
	if dry {
		fmt.Fprintf(stdout, "dry run for %s: %d subscribers, %d digests would be sent\n", date.Format(time.DateOnly), st.Considered, st.Enqueued)
		return nil
	}
	sent, err := svc.Deliver(ctx)
	fmt.Fprintf(stdout, "%d subscribers: %d digests enqueued, %d empty, %d already queued; sent %d, deferred %d, failed %d, skipped %d\n",
		st.Considered, st.Enqueued, st.Empty, st.Existing, sent.Sent, sent.Deferred, sent.Failed, sent.Skipped)
	svc.Flush()
	return err
}
