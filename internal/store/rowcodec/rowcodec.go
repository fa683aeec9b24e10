// Package rowcodec holds what the SQL backends share about rows: the
// precision times are stored in, and the JSON forms of authors, categories
// and the version history. The SQL itself stays in each backend.
package rowcodec

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"paperboy"
)

// Normalize returns a copy of p with its times in the stores' precision
// (whole seconds, UTC), so merging compares like with like and a paper
// re-read from a store compares Equal to the one written.
func Normalize(p *paperboy.Paper) *paperboy.Paper {
	q := *p
	q.Submitted = StoreTime(p.Submitted)
	q.Updated = StoreTime(p.Updated)
	if p.Versions != nil {
		q.Versions = make([]paperboy.Version, len(p.Versions))
		for i, v := range p.Versions {
			v.Date = StoreTime(v.Date)
			q.Versions[i] = v
		}
	}
	return &q
}

// StoreTime is t as the stores keep it: whole seconds, UTC; zero stays zero.
func StoreTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Second).UTC()
}

type authorJSON struct {
	Name        string `json:"name"`
	Affiliation string `json:"affiliation,omitempty"`
}

// EncodeAuthors is the JSON column form of a byline.
func EncodeAuthors(as []paperboy.Author) (string, error) {
	js := make([]authorJSON, len(as))
	for i, a := range as {
		js[i] = authorJSON(a)
	}
	b, err := json.Marshal(js)
	return string(b), err
}

// DecodeAuthors reads EncodeAuthors' form; an empty list is nil.
func DecodeAuthors(s string) ([]paperboy.Author, error) {
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

// versionJSON is one row of paper_versions as the backends' read queries
// aggregate it: the date as Unix seconds, or null.
type versionJSON struct {
	N int    `json:"n"`
	D *int64 `json:"d"`
	S string `json:"s"`
}

// DecodeVersions reads a version history aggregated as versionJSON rows;
// an empty list is nil.
func DecodeVersions(s string) ([]paperboy.Version, error) {
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

// DecodeCategories reads a JSON list of categories; an empty list is nil.
func DecodeCategories(s string) ([]string, error) {
	var cs []string
	if err := json.Unmarshal([]byte(s), &cs); err != nil {
		return nil, fmt.Errorf("decode categories: %w", err)
	}
	if len(cs) == 0 {
		return nil, nil
	}
	return cs, nil
}

// SameVersions reports whether two version histories are equal, times
// compared with Equal.
func SameVersions(a, b []paperboy.Version) bool {
	return slices.EqualFunc(a, b, func(x, y paperboy.Version) bool {
		return x.Number == y.Number && x.Date.Equal(y.Date) && x.Size == y.Size
	})
}

// EncodePrefs is the JSON column form of a subscriber's preferences.
func EncodePrefs(p paperboy.DigestPrefs) (string, error) {
	b, err := json.Marshal(p)
	return string(b), err
}

// DecodePrefs reads EncodePrefs' form.
func DecodePrefs(s string) (paperboy.DigestPrefs, error) {
	var p paperboy.DigestPrefs
	err := json.Unmarshal([]byte(s), &p)
	return p, err
}

// NewerSchemaError is ECONFLICT for a database whose schema is ahead of
// this binary.
func NewerSchemaError(have, want int) error {
	return paperboy.Errorf(paperboy.ECONFLICT,
		"The database schema is at version %d, newer than this paperboy knows (%d). Upgrade paperboy to use this database.", have, want)
}
