package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"paperboy"
	"paperboy/internal/harvest"
	"paperboy/internal/jobs"
)

// harvestLease runs `paperboy harvest` under the harvest's job lease, the
// one serve's scheduler takes (internal/jobs), so an operator's harvest
// and a replica's scheduled one never run at once on one database. The
// lease is renewed while the harvest runs and released when it ends; one
// left by a process that died lapses after jobs.DefaultTTL.
type harvestLease struct {
	store  paperboy.JobStore
	wait   bool          // wait for a lease held elsewhere instead of failing
	poll   time.Duration // how often a waiting harvest asks again
	stderr io.Writer     // where a waiting harvest says what it waits for
	logger *slog.Logger
	now    func() time.Time
}

// run runs fn while this process holds the lease. When another process
// holds it, run returns ECONFLICT naming the holder, or with Wait, asks
// again every Poll until it gets the lease or ctx ends.
func (l harvestLease) run(ctx context.Context, fn func(context.Context) error) error {
	runner := jobs.New(l.store, l.logger)
	runner.Now = l.now
	told := false
	for {
		ran, err := runner.Run(ctx, harvest.JobName, 0, fn)
		if ran || err != nil {
			return err
		}
		lease, err := l.store.JobLease(ctx, harvest.JobName)
		if err != nil && paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
			return err
		}
		if !lease.Held(l.now()) {
			continue // released between the claim and the read: claim again
		}
		if !l.wait {
			return paperboy.Errorf(paperboy.ECONFLICT, "A harvest is already running on this database: %s. "+
				"Try again when it is done, or pass --wait to wait for it.", describeLease(lease))
		}
		if !told {
			fmt.Fprintf(l.stderr, "paperboy: waiting for the harvest running on this database: %s\n", describeLease(lease))
			told = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(l.poll):
		}
	}
}

// describeLease names a lease's holder (host/pid/random, see
// jobs.NewHolder) and when it lapses unless renewed.
func describeLease(l paperboy.JobLease) string {
	return fmt.Sprintf("the harvest lease is held by %s until %s (renewed every %s while its harvest runs: it lapses then only if its holder died)",
		l.Holder, l.Expires.UTC().Format("2006-01-02 15:04:05 UTC"), jobs.DefaultTTL/3)
}
