package web

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"paperboy"
)

// Period kinds of the daily page.
const (
	kindDay   = "day"
	kindWeek  = "week"
	kindMonth = "month"
)

// period is the span of first-submission dates a daily page lists: a UTC
// day, ISO week or calendar month.
type period struct {
	Kind  string
	Start time.Time // UTC midnight, inclusive
	End   time.Time // exclusive
}

var weekParam = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)

// parsePeriod reads the date, week or month parameter. It returns a zero
// period when none is given and EINVALID for a malformed one or for more
// than one.
func parsePeriod(q url.Values) (period, error) {
	var set []string
	for _, k := range []string{"date", "week", "month"} {
		if q.Has(k) {
			set = append(set, k)
		}
	}
	if len(set) == 0 {
		return period{}, nil
	}
	if len(set) > 1 {
		return period{}, paperboy.Errorf(paperboy.EINVALID, "Give only one of date, week and month, not %s and %s.", set[0], set[1])
	}
	v := q.Get(set[0])
	switch set[0] {
	case "date":
		return parseDay(v)
	case "week":
		return parseWeek(v)
	default:
		return parseMonth(v)
	}
}

func parseDay(s string) (period, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return period{}, paperboy.Errorf(paperboy.EINVALID, "Invalid date %q: expected YYYY-MM-DD, e.g. 2007-04-02.", s)
	}
	return periodOf(kindDay, t), nil
}

func parseWeek(s string) (period, error) {
	bad := paperboy.Errorf(paperboy.EINVALID, "Invalid week %q: expected an ISO week YYYY-Www, e.g. 2007-W14.", s)
	m := weekParam.FindStringSubmatch(s)
	if m == nil {
		return period{}, bad
	}
	year, _ := strconv.Atoi(m[1])
	week, _ := strconv.Atoi(m[2])
	start := isoWeekStart(year, week)
	if y, w := start.ISOWeek(); y != year || w != week {
		return period{}, bad
	}
	return period{Kind: kindWeek, Start: start, End: start.AddDate(0, 0, 7)}, nil
}

// isoWeekStart returns the Monday of ISO week w of year y; week 1 is the
// week with the year's first Thursday, so it always holds 4 January.
func isoWeekStart(y, w int) time.Time {
	jan4 := time.Date(y, time.January, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w-1))
}

func parseMonth(s string) (period, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return period{}, paperboy.Errorf(paperboy.EINVALID, "Invalid month %q: expected YYYY-MM, e.g. 2007-04.", s)
	}
	return periodOf(kindMonth, t), nil
}

// periodOf returns the period of the given kind that contains t.
func periodOf(kind string, t time.Time) period {
	d := paperboy.Day(t)
	switch kind {
	case kindWeek:
		start := d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
		return period{Kind: kindWeek, Start: start, End: start.AddDate(0, 0, 7)}
	case kindMonth:
		start := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		return period{Kind: kindMonth, Start: start, End: start.AddDate(0, 1, 0)}
	default:
		return period{Kind: kindDay, Start: d, End: d.AddDate(0, 0, 1)}
	}
}

// lastDay is the UTC midnight of the period's last day.
func (p period) lastDay() time.Time { return p.End.AddDate(0, 0, -1) }

// query is the URL query that selects the period, with a page number above 1.
func (p period) query(page int) string {
	v := url.Values{}
	switch p.Kind {
	case kindWeek:
		y, w := p.Start.ISOWeek()
		v.Set("week", fmt.Sprintf("%04d-W%02d", y, w))
	case kindMonth:
		v.Set("month", p.Start.Format("2006-01"))
	default:
		v.Set("date", p.Start.Format(time.DateOnly))
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v.Encode()
}

// URL is the daily page of the period.
func (p period) URL() string { return "/?" + p.query(1) }

// Label names the period for headings and links.
func (p period) Label() string {
	switch p.Kind {
	case kindWeek:
		y, w := p.Start.ISOWeek()
		return fmt.Sprintf("Week %d, %d (%s – %s)", w, y, p.Start.Format("2 Jan"), p.lastDay().Format("2 Jan 2006"))
	case kindMonth:
		return p.Start.Format("January 2006")
	default:
		return p.Start.Format("Monday, 2 January 2006")
	}
}
