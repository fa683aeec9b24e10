package digest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/digest/smtpsink"
	"paperboy/internal/mail"
	"paperboy/internal/search"
	"paperboy/internal/store/sqlite"
)

// The crash test runs the sender as a child process: this test binary
// re-executed with these variables set.
const (
	envCrashDB   = "PAPERBOY_DIGEST_CRASH_DB"
	envCrashSMTP = "PAPERBOY_DIGEST_CRASH_SMTP"
	crashWorkers = 2
)

var crashDay = date("2025-03-03T00:00:00Z")

func TestMain(m *testing.M) {
	if db := os.Getenv(envCrashDB); db != "" {
		if err := crashChild(db, os.Getenv(envCrashSMTP)); err != nil {
			fmt.Fprintln(os.Stderr, "crash child:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// crashChild is the sender: `digest run --date` on the database, then
// delivery until the outbox holds nothing pending (waiting out the leases
// a killed predecessor left).
func crashChild(db, smtpPort string) error {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db, nil)
	if err != nil {
		return err
	}
	defer st.Close()
	eng := search.New(st, nil)
	if _, err := eng.Sync(ctx); err != nil {
		return err
	}
	port, _ := strconv.Atoi(smtpPort)
	sink := &smtpsink.Sink{Host: "127.0.0.1", Port: port}
	var senders []mail.Sender
	for range crashWorkers {
		s, err := mail.NewSMTPSender(sink.InsecureConfig("paperboy <digest@example.org>"))
		if err != nil {
			return err
		}
		senders = append(senders, s)
	}
	base, _ := url.Parse("https://papers.example.org")
	svc, err := New(Config{Store: st, Papers: st, Search: eng, Mail: senders[0], Senders: senders,
		From: "paperboy <digest@example.org>", BaseURL: base, Secret: testSecret, Lease: 2 * time.Second})
	if err != nil {
		return err
	}
	if _, err := svc.RunDate(ctx, crashDay, false); err != nil {
		return err
	}
	for {
		if _, err := svc.Deliver(ctx); err != nil {
			return err
		}
		stats, err := st.DigestStats(ctx, crashDay, crashDay.AddDate(0, 0, 1))
		if err != nil {
			return err
		}
		if stats[0].Pending == 0 && stats[0].Deferred == 0 {
			return nil
		}
		time.Sleep(100 * time.Millisecond) // a killed predecessor's lease runs out
	}
}

// TestCrashExactlyOnce kills the sender with SIGKILL at random moments,
// restarts it, and checks that every subscriber got exactly one digest:
// one Message-ID each, a repeat of it only for a kill between the SMTP
// server's accept and the outbox commit (at most one per worker per
// kill), nothing lost.
func TestCrashExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: 1,000 subscribers, up to 15 killed senders")
	}
	const subscribers, runs = 1000, 15
	db := filepath.Join(t.TempDir(), "crash.db")
	seedCrashDB(t, db, subscribers)
	sink, err := smtpsink.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	var mu sync.Mutex
	var child *exec.Cmd
	killAt := -1
	inHandler := false
	sink.OnAccept = func(total int) {
		mu.Lock()
		defer mu.Unlock()
		if total != killAt || child == nil {
			return
		}
		if inHandler { // the message is accepted, the client has not heard 250
			child.Process.Signal(syscall.SIGKILL)
		} else { // anywhere shortly after: claiming, rendering, committing
			c := child
			time.AfterFunc(time.Duration(rand.IntN(20))*time.Millisecond, func() { c.Process.Signal(syscall.SIGKILL) })
		}
	}
	kills, finished := 0, false
	// runEnd[r] is the sink's total when sender run r ended; killed[r]
	// says it was killed.
	var runEnd []int
	var killed []bool
	for run := 0; run < runs+1 && !finished; run++ {
		mu.Lock()
		killAt, inHandler = -1, run%2 == 0
		if run < runs {
			killAt = sink.Total() + 1 + rand.IntN(80)
		}
		var stderr bytes.Buffer
		child = exec.Command(os.Args[0], "-test.run=^$")
		child.Env = append(os.Environ(), envCrashDB+"="+db, envCrashSMTP+"="+strconv.Itoa(sink.Port))
		child.Stderr = &stderr
		if err := child.Start(); err != nil {
			mu.Unlock()
			t.Fatal(err)
		}
		c := child
		mu.Unlock()
		err := c.Wait()
		mu.Lock()
		child = nil
		mu.Unlock()
		// A message the sender finished writing before it died may still be
		// in the sink's hands; it belongs to this run, so count once the
		// sink has closed the run's sessions.
		for deadline := time.Now().Add(10 * time.Second); sink.Sessions() > 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("sender run %d ended with %d SMTP sessions still open after 10 s", run, sink.Sessions())
			}
		}
		runEnd = append(runEnd, sink.Total())
		if ws, ok := c.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			killed = append(killed, true)
			kills++
			continue
		}
		killed = append(killed, false)
		if err != nil {
			t.Fatalf("sender run %d failed: %v\n%s", run, err, stderr.String())
		}
		finished = true
	}
	if !finished {
		t.Fatalf("the sender never finished after %d kills", kills)
	}
	// The outbox agrees: one issue per subscriber, every one sent.
	st, err := sqlite.Open(context.Background(), db, nil)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := st.DigestStats(context.Background(), crashDay, crashDay.AddDate(0, 0, 1))
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 1 || stats[0].Sent != subscribers || stats[0].Pending != 0 || stats[0].Failed != 0 {
		t.Errorf("outbox for %s: %+v, want %d sent and nothing else", crashDay.Format(time.DateOnly), stats, subscribers)
	}
	byRcpt := sink.ByRecipient()
	dups, exactlyOne, lost := 0, 0, 0
	for i := range subscribers {
		ids := byRcpt[crashEmail(i)]
		distinct := map[string]bool{}
		for _, id := range ids {
			distinct[id] = true
		}
		switch len(distinct) {
		case 0:
			lost++
		case 1:
			exactlyOne++
		}
		if len(distinct) != 1 {
			t.Errorf("%s got %d distinct digests %v, want exactly 1", crashEmail(i), len(distinct), ids)
		}
		dups += len(ids) - len(distinct)
	}
	// Each duplicate must fall in the window: every copy of a Message-ID
	// but the last was accepted in a run that was then killed (before the
	// outbox recorded the send), each copy in a different run, and a
	// killed run leaves at most one such message per worker.
	runOf := func(n int) int { // run that made the sink's total n
		r, _ := slices.BinarySearch(runEnd, n)
		return r
	}
	copiesIn := map[string][]int{} // Message-ID -> runs that delivered it
	for i, id := range sink.Accepted() {
		copiesIn[id] = append(copiesIn[id], runOf(i+1))
	}
	resentFrom := map[int]int{} // killed run -> messages it sent that a later run resent
	for id, rs := range copiesIn {
		for j := 0; j < len(rs)-1; j++ {
			if rs[j] == rs[j+1] || !killed[rs[j]] {
				t.Errorf("Message-ID %s accepted in runs %v: a copy outside a kill's window (run %d was not killed, or sent it twice)", id, rs, rs[j])
				continue
			}
			resentFrom[rs[j]]++
		}
	}
	inWindow, maxFromOneRun := 0, 0
	for r, n := range resentFrom {
		inWindow += n
		maxFromOneRun = max(maxFromOneRun, n)
		if n > crashWorkers {
			t.Errorf("run %d (killed) left %d messages accepted but not recorded; at most %d (one per worker) can be in flight", r, n, crashWorkers)
		}
	}
	if dups > kills*crashWorkers {
		t.Errorf("%d duplicates after %d kills; at most %d (one per worker per kill) can fall between SMTP accept and outbox commit", dups, kills, kills*crashWorkers)
	}
	t.Logf("%d sender runs, %d killed (SIGKILL), %d subscribers: %d with exactly one digest, %d lost; %d messages accepted, %d duplicates (same Message-ID), %d of them first sent by a run killed before its outbox commit (at most %d from one run, %d allowed), at most %d in all",
		kills+1, kills, subscribers, exactlyOne, lost, sink.Total(), dups, inWindow, maxFromOneRun, crashWorkers, kills*crashWorkers)
}

func crashEmail(i int) string { return fmt.Sprintf("reader%04d@example.org", i) }

// seedCrashDB writes the fixture papers and n confirmed subscribers.
func seedCrashDB(t *testing.T, db string, n int) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.UpsertPapers(ctx, fixturePapers()); err != nil {
		t.Fatal(err)
	}
	p := paperboy.DefaultDigestPrefs()
	p.Categories = []string{"cs.LG"}
	for i := range n {
		sub := &paperboy.Subscriber{Email: crashEmail(i), Status: paperboy.SubConfirmed, Prefs: p, Created: crashDay, Confirmed: crashDay}
		if err := st.CreateSubscriber(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
}
