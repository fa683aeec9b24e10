package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/harvest"
	"paperboy/internal/harvest/oaitest"
	"paperboy/internal/store"
)

// lockedBuffer is a bytes.Buffer a running command writes while the test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestHarvestTakesTheLease runs `paperboy harvest` while a serve replica
// (played by the test) holds the harvest lease: it refuses, naming the
// holder, without a single request to arXiv; with --wait it waits until
// the replica releases the lease, then harvests under its own lease and
// releases it. On SQLite and on PostgreSQL.
func TestHarvestTakesTheLease(t *testing.T) {
	backends := []struct {
		name string
		db   func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "paperboy.db") }},
		{"postgres", postgresDB},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := b.db(t)
			ctx := context.Background()
			st, err := store.Open(ctx, db, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			const replica = "web-2/4711/0a1b2c3d"
			if ok, err := st.ClaimJob(ctx, harvest.JobName, replica, time.Now(), time.Now().Add(time.Hour)); !ok || err != nil {
				t.Fatalf("ClaimJob = %v, %v", ok, err)
			}
			srv := oaitest.New(t, oaitest.LoadRecords(t, capturedOAIPage), 250)

			code, out, errOut := runCLI(t, nil, harvestArgs(db, srv.URL)...)
			if code != 1 || !strings.Contains(errOut, "A harvest is already running on this database") || !strings.Contains(errOut, "held by "+replica) {
				t.Errorf("harvest under another's lease: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("harvest under another's lease sent %d requests to the OAI-PMH server", n)
			}

			waitHarvest(t, st, db, srv.URL, replica)
			l, err := st.JobLease(ctx, harvest.JobName)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(l.Holder, fmt.Sprintf("/%d/", os.Getpid())) || l.Held(time.Now()) {
				t.Errorf("lease after the harvest: %+v; want this process's, released", l)
			}
		})
	}
}

// waitHarvest runs `paperboy harvest --wait` while replica holds the
// lease, releases it once the command says it waits, and checks that the
// harvest then ran.
func waitHarvest(t *testing.T, st paperboy.JobStore, db, url, replica string) {
	t.Helper()
	var stdout, stderr lockedBuffer
	done := make(chan int)
	go func() {
		args := append(harvestArgs(db, url), "--wait")
		done <- run(context.Background(), args, strings.NewReader(""), &stdout, &stderr, func(string) string { return "" })
	}()
	poll(t, 20*time.Second, "harvest --wait to say it waits", func() bool {
		return strings.Contains(stderr.String(), "waiting for the harvest running on this database: the harvest lease is held by "+replica)
	})
	select {
	case code := <-done:
		t.Fatalf("harvest --wait exited %d while the lease was held\n%s", code, stderr.String())
	default:
	}
	if ok, err := st.ReleaseJob(context.Background(), harvest.JobName, replica, time.Now()); !ok || err != nil {
		t.Fatalf("ReleaseJob = %v, %v", ok, err)
	}
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(stdout.String(), "1000 records, inserted 1000") {
			t.Errorf("harvest --wait: exit %d\nstdout: %s\nstderr: %s", code, stdout.String(), stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("harvest --wait did not finish 30 s after the lease was released\n%s", stderr.String())
	}
}
