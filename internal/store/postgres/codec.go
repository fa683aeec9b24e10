package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"paperboy"
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

// normalize returns a copy of p with its times in the store's precision, so
// that merging compares like with like.
func normalize(p *paperboy.Paper) *paperboy.Paper {
	q := *p
	q.Submitted = storeTime(p.Submitted)
	q.Updated = storeTime(p.Updated)
	if p.Versions != nil {
		q.Versions = make([]paperboy.Version, len(p.Versions))
		for i, v := range p.Versions {
			v.Date = storeTime(v.Date)
			q.Versions[i] = v
		}
	}
	return &q
}

func storeTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Second).UTC()
}

type authorJSON struct {
	Name        string `json:"name"`
	Affiliation string `json:"affiliation,omitempty"`
}

func encodeAuthors(as []paperboy.Author) (string, error) {
	js := make([]authorJSON, len(as))
	for i, a := range as {
		js[i] = authorJSON(a)
	}
	b, err := json.Marshal(js)
	return string(b), err
}

func decodeAuthors(s string) ([]paperboy.Author, error) {
	var js []authorJSON
	if err := json.Unmarshal([]byte(s), &js); err != nil {
		return nil, fmt.Errorf("decode authors: %w", err)
	}
	if len(js) == 0 {
		return nil, nil
	}
	as := make([]paperboy.Author, len(js))
	for i, a := range js {
		as[i] = paperboy.Author(a)
	}
	return as, nil
}

// versionJSON is one row of paper_versions as the read query aggregates it:
// the date as Unix seconds.
type versionJSON struct {
	N int    `json:"n"`
	D *int64 `json:"d"`
	S string `json:"s"`
}

func decodeVersions(s string) ([]paperboy.Version, error) {
	var js []versionJSON
	if err := json.Unmarshal([]byte(s), &js); err != nil {
		return nil, fmt.Errorf("decode versions: %w", err)
	}
	if len(js) == 0 {
		return nil, nil
	}
	vs := make([]paperboy.Version, len(js))
	for i, v := range js {
		vs[i] = paperboy.Version{Number: v.N, Size: v.S}
		if v.D != nil {
			vs[i].Date = time.Unix(*v.D, 0).UTC()
		}
	}
	return vs, nil
}
