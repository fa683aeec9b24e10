package trending

import (
	"time"

	"paperboy"
)

// Growth is what a series of observations of one signal says about a
// window starting at start.
type Growth struct {
	Latest float64 // the latest observation's value
	Gained float64 // growth within the window
	Ref    string  // the latest observation's Ref
}

// GrowthOf reads the observations of one signal of one paper, oldest first,
// for the window from start to now. The gain is the latest value less the
// baseline: the last observation before start, or, with none, the first in
// the window; a paper new in the window (newInWindow) has no baseline, so
// everything it has gained counts. Observations after now are ignored.
func GrowthOf(obs []paperboy.Signal, start, now time.Time, newInWindow bool) Growth {
	var g Growth
	var baseline, first *paperboy.Signal
	var latest *paperboy.Signal
	for i := range obs {
		o := &obs[i]
		switch {
		case o.Observed.After(now):
			continue
		case o.Observed.Before(start):
			baseline = o
		case first == nil:
			first = o
		}
		latest = o
	}
	if latest == nil {
		return g
	}
	g.Latest, g.Ref = latest.Value, latest.Ref
	switch {
	case first == nil: // nothing observed in the window: no growth seen
	case baseline != nil:
		g.Gained = latest.Value - baseline.Value
	case newInWindow:
		g.Gained = latest.Value
	default:
		g.Gained = latest.Value - first.Value
	}
	g.Gained = max(g.Gained, 0)
	return g
}
