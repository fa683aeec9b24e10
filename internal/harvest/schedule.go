package harvest

import (
	"slices"
	"time"
	_ "time/tzdata" // America/New_York without the system's zoneinfo
)

// Reasons a run is due.
const (
	ReasonAnnouncement = "announcement" // after arXiv's evening announcement
	ReasonCatchUp      = "catch-up"     // the daily catch-up, or a slot missed (down, or its run failed)
)

// Schedule says when harvests are due. arXiv announces new papers at about
// 20:00 US Eastern, Sunday to Thursday, and its OAI-PMH records follow
// shortly; nothing is announced on Friday or Saturday evenings. A harvest
// runs at At on each of Days, and a catch-up every day, all seven, at
// CatchUpAt: it brings what a failed or late announcement run missed, and
// OAI-PMH updates (replacements, metadata fixes) on days without an
// announcement. If the latest slot of either kind passed with no run
// started since (the server was down, or busy with a long run), a
// catch-up runs at once.
type Schedule struct {
	Location  *time.Location
	At        time.Duration  // after local midnight: 20h30m
	Days      []time.Weekday // Sunday to Thursday
	CatchUpAt time.Duration  // after local midnight, every day: 8h
}

// DefaultSchedule is 20:30 America/New_York, Sunday to Thursday, with the
// daily catch-up at 08:00.
func DefaultSchedule() Schedule {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err) // time/tzdata is embedded
	}
	return Schedule{
		Location:  loc,
		At:        20*time.Hour + 30*time.Minute,
		Days:      []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday},
		CatchUpAt: 8 * time.Hour,
	}
}

// at is the wall-clock time of day d on the local date of t (DST-safe:
// built from the date, not by adding hours to midnight).
func (s Schedule) at(t time.Time, d time.Duration) time.Time {
	y, m, day := t.In(s.Location).Date()
	h, min := int(d/time.Hour), int(d%time.Hour/time.Minute)
	return time.Date(y, m, day, h, min, 0, 0, s.Location)
}

// NextAnnouncement returns the first announcement slot after t.
func (s Schedule) NextAnnouncement(t time.Time) time.Time {
	for i := 0; i <= 7; i++ {
		c := s.at(t.In(s.Location).AddDate(0, 0, i), s.At)
		if c.After(t) && slices.Contains(s.Days, c.Weekday()) {
			return c
		}
	}
	panic("harvest: schedule has no days")
}

// PrevAnnouncement returns the latest announcement slot at or before t.
func (s Schedule) PrevAnnouncement(t time.Time) time.Time {
	for i := 0; i <= 7; i++ {
		c := s.at(t.In(s.Location).AddDate(0, 0, -i), s.At)
		if !c.After(t) && slices.Contains(s.Days, c.Weekday()) {
			return c
		}
	}
	panic("harvest: schedule has no days")
}

// nextCatchUp returns the first daily catch-up time after t.
func (s Schedule) nextCatchUp(t time.Time) time.Time {
	c := s.at(t, s.CatchUpAt)
	if !c.After(t) {
		c = s.at(t.In(s.Location).AddDate(0, 0, 1), s.CatchUpAt)
	}
	return c
}

// prevCatchUp returns the latest daily catch-up time at or before t.
func (s Schedule) prevCatchUp(t time.Time) time.Time {
	c := s.at(t, s.CatchUpAt)
	if c.After(t) {
		c = s.at(t.In(s.Location).AddDate(0, 0, -1), s.CatchUpAt)
	}
	return c
}

// NextSlot returns the first slot after t, announcement or daily
// catch-up, and its reason.
func (s Schedule) NextSlot(t time.Time) (time.Time, string) {
	a, c := s.NextAnnouncement(t), s.nextCatchUp(t)
	if c.Before(a) {
		return c, ReasonCatchUp
	}
	return a, ReasonAnnouncement
}

// prevSlot returns the latest slot of either kind at or before t.
func (s Schedule) prevSlot(t time.Time) time.Time {
	a, c := s.PrevAnnouncement(t), s.prevCatchUp(t)
	if c.After(a) {
		return c
	}
	return a
}

// Next returns when the next run is due and why, at time now, given when
// the latest successful run and the latest attempt started (zero for
// never). A slot that passed with no run started at or after it is due at
// once, as a catch-up; otherwise the next slot is.
func (s Schedule) Next(now, lastSuccess, lastAttempt time.Time) (time.Time, string) {
	prev := s.prevSlot(now)
	if lastSuccess.Before(prev) && lastAttempt.Before(prev) {
		return now, ReasonCatchUp
	}
	return s.NextSlot(now)
}
