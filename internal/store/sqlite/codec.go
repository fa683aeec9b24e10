package sqlite

import (
	"database/sql"
	"time"
)

// The store keeps times as Unix seconds, UTC, and NULL for the zero time.
// Sub-second parts are dropped on write (arXiv dates have none), so a record
// re-read from the store compares Equal to the one written.

func unixOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

func timeOf(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(n.Int64, 0).UTC()
}
