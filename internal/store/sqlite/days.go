package sqlite

import (
	"context"
	"database/sql"
	"math"
	"time"

	"paperboy"
)

const secondsPerDay = 24 * 60 * 60

// Days locates day among the UTC days of first submission that have papers:
// Day is the latest such day on or before it (the latest of all for a zero
// day), Prev the one before Day, and Next the first one after the requested
// day. Any of them is zero when there is none.
func (s *Store) Days(ctx context.Context, day time.Time) (paperboy.DayNeighbours, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return paperboy.DayNeighbours{}, dbError("begin read", err)
	}
	defer rollback(tx)
	var d paperboy.DayNeighbours
	end := int64(math.MaxInt64)
	if !day.IsZero() {
		end = paperboy.Day(day).Unix() + secondsPerDay // start of the next day
	}
	if d.Day, err = dayOf(ctx, tx, `SELECT max(submitted) FROM papers WHERE submitted < ?`, end); err != nil {
		return d, err
	}
	if !d.Day.IsZero() {
		if d.Prev, err = dayOf(ctx, tx, `SELECT max(submitted) FROM papers WHERE submitted < ?`, d.Day.Unix()); err != nil {
			return d, err
		}
	}
	if !day.IsZero() {
		d.Next, err = dayOf(ctx, tx, `SELECT min(submitted) FROM papers WHERE submitted >= ?`, end)
	}
	return d, err
}

// dayOf runs a query for one submission time and returns its UTC day, or
// zero when the query finds none.
func dayOf(ctx context.Context, q querier, query string, arg int64) (time.Time, error) {
	var t sql.NullInt64
	if err := q.QueryRowContext(ctx, query, arg).Scan(&t); err != nil {
		return time.Time{}, dbError("find day", err)
	}
	if !t.Valid {
		return time.Time{}, nil
	}
	return paperboy.Day(time.Unix(t.Int64, 0)), nil
}
