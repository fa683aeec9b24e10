package digest

import (
	"sync"
	"time"

	"paperboy"
)

// The schedule is pure: each subscriber's next issue is their send hour on
// their next issue date in their own time zone, stored as NextDue, so the
// scheduler's query is one indexed range scan whatever the time zones.

// locations caches time.LoadLocation, which reads the zone database.
var locations sync.Map // name -> *time.Location; immutable after load, so safe to share

func loadLocation(name string) (*time.Location, error) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return nil, paperboy.Errorf(paperboy.EINVALID, "%q is not a time zone; use a name like Europe/Paris.", name)
	}
	locations.Store(name, loc)
	return loc, nil
}

// localDate is the date of t in loc, as a UTC midnight.
func localDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// sendInstant is the send hour of local date day in loc. On a day when the
// clocks skip that hour, time.Date moves it forward.
func sendInstant(day time.Time, hour int, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, loc).UTC()
}

// issueDay reports whether p gets an issue on local date day.
func issueDay(p paperboy.DigestPrefs, day time.Time) bool {
	if p.Paused(day) {
		return false
	}
	switch p.Frequency {
	case paperboy.FreqDaily:
		return true
	case paperboy.FreqWeekly:
		return day.Weekday() == time.Monday
	}
	return false
}

// nextDue is the send instant of the first issue date after day; zero if
// p gets no issues (frequency off).
func nextDue(p paperboy.DigestPrefs, loc *time.Location, day time.Time) time.Time {
	if p.Frequency == paperboy.FreqOff {
		return time.Time{}
	}
	start := day.AddDate(0, 0, 1)
	if p.PausedUntil.After(start) {
		start = p.PausedUntil
	}
	for d := start; d.Before(start.AddDate(0, 0, 8)); d = d.AddDate(0, 0, 1) {
		if issueDay(p, d) {
			return sendInstant(d, p.SendHour, loc)
		}
	}
	return time.Time{}
}

// firstDue is the first send instant at or after now: today's, if today
// is an issue day and its hour has not passed, else the next one.
func firstDue(p paperboy.DigestPrefs, loc *time.Location, now time.Time) time.Time {
	today := localDate(now, loc)
	if p.Frequency != paperboy.FreqOff && issueDay(p, today) {
		if at := sendInstant(today, p.SendHour, loc); !at.Before(now) {
			return at
		}
	}
	return nextDue(p, loc, today)
}

// dueIssueDate is the local date of the issue a due subscriber gets at
// now: the date they were due on, but never older than yesterday, so a
// server that was down sends one late issue, not a backlog.
func dueIssueDate(sub *paperboy.Subscriber, loc *time.Location, now time.Time) time.Time {
	day := localDate(sub.NextDue, loc)
	if floor := localDate(now, loc).AddDate(0, 0, -1); day.Before(floor) {
		day = floor
	}
	return day
}
