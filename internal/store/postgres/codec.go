package postgres

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// The store keeps times as timestamptz in whole seconds, and NULL for the
// zero time. Sub-second parts are dropped on write (arXiv dates have none),
// so a record re-read from the store compares Equal to the one written, as
// in the SQLite store.

func timestamptz(t time.Time) pgtype.Timestamptz {
	if t.IsZero() {
		return pgtype.Timestamptz{}
	}
	return pgtype.Timestamptz{Time: t, Valid: true}
}

func timeOf(t pgtype.Timestamptz) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}
