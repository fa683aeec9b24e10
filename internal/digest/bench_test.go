package digest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, to seed subscribers in one transaction

	"paperboy"
	"paperboy/internal/demo"
	"paperboy/internal/digest/smtpsink"
	"paperboy/internal/ingest"
	"paperboy/internal/mail"
	"paperboy/internal/search"
	"paperboy/internal/store/sqlite"
)

// benchDay counts the benchmark's runs: each composes a new issue date.
var benchDay = 0

// BenchmarkDigestRun composes, renders and hands to a local SMTP sink
// one issue for every subscriber (PAPERBOY_BENCH_SUBSCRIBERS, default
// 100,000, with varied preferences over the demo sample), per iteration,
// and reports digests/s. Run it with -benchtime=1x -count=3 and take the
// median.
func BenchmarkDigestRun(b *testing.B) {
	n := 100000
	if v := os.Getenv("PAPERBOY_BENCH_SUBSCRIBERS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	ctx := context.Background()
	db := filepath.Join(b.TempDir(), "bench.db")
	st, err := sqlite.Open(ctx, db, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	im := &ingest.Importer{Store: st}
	if _, err := im.Import(ctx, demo.SampleName, demo.Sample()); err != nil {
		b.Fatal(err)
	}
	nb, err := st.Days(ctx, time.Time{})
	if err != nil {
		b.Fatal(err)
	}
	seedBenchSubscribers(b, db, n, benchPrefs(ctx, b, st, nb.Day))
	eng := search.New(st, nil)
	if _, err := eng.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	sink, err := smtpsink.Start()
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	workers := 4
	if v := os.Getenv("PAPERBOY_BENCH_WORKERS"); v != "" {
		workers, _ = strconv.Atoi(v)
	}
	var senders []mail.Sender
	for range workers {
		s, err := mail.NewSMTPSender(sink.Config("paperboy <digest@example.org>"))
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		senders = append(senders, s)
	}
	base, _ := url.Parse("https://papers.example.org")
	svc, err := New(Config{Store: st, Papers: st, Search: eng, Mail: senders[0], Senders: senders,
		From: "paperboy <digest@example.org>", BaseURL: base, Secret: testSecret})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		benchDay++
		day := nb.Day.AddDate(0, 0, benchDay)
		start := time.Now()
		before := sink.Total()
		run, err := svc.RunDate(ctx, day, false)
		if err != nil {
			b.Fatal(err)
		}
		composed := time.Since(start)
		sent, err := svc.Deliver(ctx)
		if err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		if got := sink.Total() - before; got != sent.Sent || sent.Sent != run.Enqueued {
			b.Fatalf("sink accepted %d, sent %d, enqueued %d", got, sent.Sent, run.Enqueued)
		}
		b.ReportMetric(float64(run.Considered)/elapsed.Seconds(), "subscribers/s")
		b.ReportMetric(float64(sent.Sent)/elapsed.Seconds(), "digests/s")
		b.ReportMetric(float64(sent.Sent), "sent")
		b.Logf("%s: %d subscribers, %d sent, %d empty, compose+enqueue %s, total %s, %.0f subscribers/s, %.0f digests sent/s",
			day.Format(time.DateOnly), run.Considered, sent.Sent, run.Empty, composed.Round(time.Millisecond),
			elapsed.Round(time.Millisecond), float64(run.Considered)/elapsed.Seconds(), float64(sent.Sent)/elapsed.Seconds())
	}
}

// benchPrefs returns varied preferences: categories, topics and authors
// drawn from the sample's most common ones.
func benchPrefs(ctx context.Context, b *testing.B, st *sqlite.Store, latest time.Time) []paperboy.DigestPrefs {
	papers, _, err := st.Papers(ctx, paperboy.PaperFilter{Limit: 400})
	if err != nil {
		b.Fatal(err)
	}
	var cats, authors []string
	for _, p := range papers {
		if c := p.PrimaryCategory(); c != "" && !slices.Contains(cats, c) && len(cats) < 20 {
			cats = append(cats, c)
		}
		if len(p.Authors) > 0 && len(authors) < 40 {
			authors = append(authors, p.Authors[0].Name)
		}
	}
	topics := []string{"neural network", "graph", "quantum", "diffusion", "language model", "optimization",
		"reinforcement learning", "transformer", "bayesian", "robot", "image", "privacy"}
	var out []paperboy.DigestPrefs
	for i := range 97 {
		p := paperboy.DefaultDigestPrefs()
		p.Trending = i%3 != 0
		p.Categories = []string{cats[i%len(cats)], cats[(i*7)%len(cats)]}
		if i%2 == 0 {
			p.Topics = []string{topics[i%len(topics)]}
		}
		if i%5 == 0 {
			p.Authors = []string{authors[i%len(authors)]}
		}
		p.MaxItems = 5 + i%16
		p.TimeZone = []string{"UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"}[i%4]
		out = append(out, p)
	}
	return out
}

// seedBenchSubscribers inserts n confirmed subscribers in one transaction.
func seedBenchSubscribers(b *testing.B, db string, n int, prefs []paperboy.DigestPrefs) {
	conn, err := sql.Open("sqlite", db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.Begin()
	if err != nil {
		b.Fatal(err)
	}
	stmt, err := tx.Prepare(`INSERT INTO subscribers (email, status, prefs, created, confirmed) VALUES (?, 'confirmed', ?, 0, 0)`)
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		js, _ := json.Marshal(prefs[i%len(prefs)])
		if _, err := stmt.Exec(fmt.Sprintf("bench%06d@example.org", i), string(js)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
