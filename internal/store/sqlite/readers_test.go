package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"testing/synctest"
)

// TestReadPoolFirstComeFirstServed queues callers behind a held turn, one
// after another, and checks that they get their turns in that order.
func TestReadPoolFirstComeFirstServed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &readPool{turns: make(chan struct{}, 1)}
		ctx := context.Background()
		if err := p.take(ctx); err != nil {
			t.Fatal(err)
		}
		const waiters = 8
		served := make(chan int, waiters)
		for i := range waiters {
			go func() {
				if err := p.take(ctx); err != nil {
					t.Error(err)
					return
				}
				served <- i
				p.give()
			}()
			synctest.Wait() // waiter i is queued before i+1 arrives
		}
		p.give()
		for want := range waiters {
			if got := <-served; got != want {
				t.Fatalf("turn %d went to waiter %d", want, got)
			}
		}
	})
}

// TestReadPoolCanceledWait leaves the queue when its context ends, without
// taking a turn.
func TestReadPoolCanceledWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &readPool{turns: make(chan struct{}, 1)}
		if err := p.take(context.Background()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- p.take(ctx) }()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Errorf("take after cancel = %v, want context.Canceled", err)
		}
		if len(p.turns) != 1 {
			t.Errorf("%d turns held, want only the first caller's", len(p.turns))
		}
	})
}

// TestReadPoolEndsTurns runs each way of reading and checks that none
// keeps its turn once its result is done with: a kept turn would stall
// every later read once the pool's turns ran out.
func TestReadPoolEndsTurns(t *testing.T) {
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "p.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	var n int
	reads := []struct {
		name string
		read func() error
	}{
		{"row scanned", func() error { return s.r.QueryRowContext(ctx, `SELECT 1`).Scan(&n) }},
		{"no row", func() error {
			if err := s.r.QueryRowContext(ctx, `SELECT 1 WHERE 0`).Scan(&n); !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			return nil
		}},
		{"bad query row", func() error {
			if s.r.QueryRowContext(ctx, `SELEKT`).Scan(&n) == nil {
				return errors.New("no error")
			}
			return nil
		}},
		{"rows read to the end, not closed", func() error {
			rows, err := s.r.QueryContext(ctx, `SELECT 1 UNION ALL SELECT 2`)
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			return rows.Err()
		}},
		{"rows closed early", func() error {
			rows, err := s.r.QueryContext(ctx, `SELECT 1 UNION ALL SELECT 2`)
			if err != nil {
				return err
			}
			rows.Next()
			rows.Close()
			return rows.Close() // twice is harmless
		}},
		{"bad query", func() error {
			if _, err := s.r.QueryContext(ctx, `SELEKT`); err == nil {
				return errors.New("no error")
			}
			return nil
		}},
		{"transaction rolled back", func() error {
			tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
			if err != nil {
				return err
			}
			defer rollback(tx)
			return tx.QueryRowContext(ctx, `SELECT 1`).Scan(&n)
		}},
		{"transaction committed", func() error {
			tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
			if err != nil {
				return err
			}
			return tx.Commit()
		}},
		{"connection", func() error {
			return s.r.with(ctx, func(q querier) error { return q.QueryRowContext(ctx, `SELECT 1`).Scan(&n) })
		}},
	}
	for _, r := range reads {
		if err := r.read(); err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		if held := len(s.r.turns); held != 0 {
			t.Errorf("%s: %d turns still held", r.name, held)
		}
	}
}
