package api

import (
	"net/url"
	"regexp"
	"strconv"
	"time"

	"paperboy"
)

// hfPeriod is the span of first-submission times a daily-papers request
// selects: a UTC day, ISO week or calendar month. The zero value selects
// every paper.
type hfPeriod struct {
	From time.Time // inclusive
	To   time.Time // exclusive
}

var isoWeek = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)

// parseHFPeriod reads the date (YYYY-MM-DD), week (YYYY-Www) or month
// (YYYY-MM) parameter. Returns EINVALID for a malformed or impossible one
// (2025-13-40, 2025-W54) and for more than one.
func parseHFPeriod(q url.Values) (hfPeriod, error) {
	var set []string
	for _, k := range []string{"date", "week", "month"} {
		if q.Get(k) != "" {
			set = append(set, k)
		}
	}
	switch {
	case len(set) == 0:
		return hfPeriod{}, nil
	case len(set) > 1:
		return hfPeriod{}, paperboy.Errorf(paperboy.EINVALID, "Give only one of date, week and month, not %s and %s.", set[0], set[1])
	}
	v := q.Get(set[0])
	switch set[0] {
	case "date":
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return hfPeriod{}, paperboy.Errorf(paperboy.EINVALID, "Invalid date %q: expected YYYY-MM-DD, e.g. 2025-10-29.", v)
		}
		return hfPeriod{From: d, To: d.AddDate(0, 0, 1)}, nil
	case "week":
		return parseHFWeek(v)
	default:
		m, err := time.Parse("2006-01", v)
		if err != nil {
			return hfPeriod{}, paperboy.Errorf(paperboy.EINVALID, "Invalid month %q: expected YYYY-MM, e.g. 2025-02.", v)
		}
		return hfPeriod{From: m, To: m.AddDate(0, 1, 0)}, nil
	}
}

// parseHFWeek reads an ISO week: week 1 is the one holding 4 January, and
// weeks start on Monday.
func parseHFWeek(s string) (hfPeriod, error) {
	bad := paperboy.Errorf(paperboy.EINVALID, "Invalid week %q: expected an ISO week YYYY-Www, e.g. 2025-W09.", s)
	m := isoWeek.FindStringSubmatch(s)
	if m == nil {
		return hfPeriod{}, bad
	}
	year, _ := strconv.Atoi(m[1])
	week, _ := strconv.Atoi(m[2])
	jan4 := time.Date(year, time.January, 4, 0, 0, 0, 0, time.UTC)
	start := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(week-1))
	if y, w := start.ISOWeek(); y != year || w != week {
		return hfPeriod{}, bad
	}
	return hfPeriod{From: start, To: start.AddDate(0, 0, 7)}, nil
}
