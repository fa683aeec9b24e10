package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// readPool is the read-only connections, handed out first come, first
// served. database/sql gives a freed connection to a random waiter, so
// when requests outnumber connections (200 to 4 under wrk) a request can
// lose that draw again and again: on the search page, whose four reads
// each drew, some requests waited over 2 s while the median took 0.6 s.
// readPool queues callers on a channel, whose blocked senders go in
// arrival order, and lets through no more callers than the pool has
// connections, so database/sql never has to choose among waiters.
//
// Each method holds its caller's turn until the result is done with:
// Scan of a row, Close of rows (or their last Next), Rollback or Commit of
// a transaction, Close of a connection. A caller holding a turn must not
// wait for a second one.
type readPool struct {
	db    *sql.DB
	turns chan struct{} // one token per caller holding a turn
}

func newReadPool(db *sql.DB, conns int) *readPool {
	return &readPool{db: db, turns: make(chan struct{}, conns)}
}

// take waits for the caller's turn, in arrival order.
func (p *readPool) take(ctx context.Context) error {
	select {
	case p.turns <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (p *readPool) give() { <-p.turns }

func (p *readPool) Close() error { return p.db.Close() }

// QueryRowContext is sql.DB's in turn; the row's Scan ends the turn.
func (p *readPool) QueryRowContext(ctx context.Context, query string, args ...any) *readRow {
	if err := p.take(ctx); err != nil {
		return &readRow{err: err}
	}
	return &readRow{row: p.db.QueryRowContext(ctx, query, args...), give: p.give}
}

// QueryContext is sql.DB's in turn; closing the rows, or their last Next,
// ends the turn.
func (p *readPool) QueryContext(ctx context.Context, query string, args ...any) (*readRows, error) {
	if err := p.take(ctx); err != nil {
		return nil, err
	}
	rows, err := p.db.QueryContext(ctx, query, args...)
	if err != nil {
		p.give()
		return nil, err
	}
	return &readRows{Rows: rows, give: p.give}, nil
}

// BeginTx is sql.DB's in turn; Rollback or Commit ends the turn.
func (p *readPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*readTx, error) {
	if err := p.take(ctx); err != nil {
		return nil, err
	}
	tx, err := p.db.BeginTx(ctx, opts)
	if err != nil {
		p.give()
		return nil, err
	}
	return &readTx{Tx: tx, give: p.give}, nil
}

// Conn is sql.DB's in turn, for several statements outside a
// transaction; Close ends the turn.
func (p *readPool) Conn(ctx context.Context) (*readConn, error) {
	if err := p.take(ctx); err != nil {
		return nil, err
	}
	c, err := p.db.Conn(ctx)
	if err != nil {
		p.give()
		return nil, err
	}
	return &readConn{Conn: c, give: p.give}, nil
}

// with runs fn on one connection, in turn: for helpers that take a
// querier.
func (p *readPool) with(ctx context.Context, fn func(q querier) error) error {
	c, err := p.Conn(ctx)
	if err != nil {
		return dbError("read connection", err)
	}
	defer c.Close()
	return fn(c)
}

// readRow is a sql.Row whose Scan ends its caller's turn.
type readRow struct {
	row  *sql.Row
	err  error // the turn never came
	give func()
}

func (r *readRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.give()
	return r.row.Scan(dest...)
}

// readRows are sql.Rows whose Close, or last Next, ends the turn.
type readRows struct {
	*sql.Rows
	once sync.Once
	give func()
}

func (r *readRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}

func (r *readRows) Close() error {
	err := r.Rows.Close()
	r.once.Do(r.give)
	return err
}

// readTx is a sql.Tx whose Rollback or Commit ends the turn.
type readTx struct {
	*sql.Tx
	once sync.Once
	give func()
}

func (t *readTx) Rollback() error {
	err := t.Tx.Rollback()
	t.once.Do(t.give)
	return err
}

func (t *readTx) Commit() error {
	err := t.Tx.Commit()
	t.once.Do(t.give)
	return err
}

// readConn is a sql.Conn whose Close ends the turn.
type readConn struct {
	*sql.Conn
	once sync.Once
	give func()
}

func (c *readConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.give)
	return err
}
