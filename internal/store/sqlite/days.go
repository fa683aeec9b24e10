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
// day. Any of them is zero when there is none. One statement, so one
// snapshot: the daily page asks three times per view.
func (s *Store) Days(ctx context.Context, day time.Time) (paperboy.DayNeighbours, error) {
	end := int64(math.MaxInt64)
	if !day.IsZero() {
		end = paperboy.Day(day).Unix() + secondsPerDay // start of the next day
	}
	// Prev: before the start of Day's UTC day (t - t mod 86400, floored).
	const q = `WITH d AS (SELECT max(submitted) AS t FROM papers WHERE submitted < ?1)
		SELECT d.t,
			(SELECT max(submitted) FROM papers WHERE submitted < d.t - ((d.t % 86400) + 86400) % 86400),
			(SELECT min(submitted) FROM papers WHERE submitted >= ?1)
		FROM d`
	var t, prev, next sql.NullInt64
	if err := s.r.QueryRowContext(ctx, q, end).Scan(&t, &prev, &next); err != nil {
		return paperboy.DayNeighbours{}, dbError("find days", err)
	}
	return paperboy.DayNeighbours{Day: dayOf(t), Prev: dayOf(prev), Next: dayOf(next)}, nil
}

// dayOf is the UTC day of a submission time, zero for none.
func dayOf(t sql.NullInt64) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return paperboy.Day(time.Unix(t.Int64, 0))
}
