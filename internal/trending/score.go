package trending

import (
	"fmt"
	"math"
	"strings"
	"time"

	"paperboy"
)

// Params are the constants of the formula for one window.
type Params struct {
	Window         time.Duration // votes and growth count within it
	Tau            time.Duration // a vote's weight falls by e every Tau
	StarWeight     float64       // points per ln(1+stars gained)
	ExternalWeight float64       // points per ln(1+upvotes gained elsewhere)
	RecencyWeight  float64       // points of a paper listed this instant
}

// ParamsFor returns the published parameters of a window (docs/trending.md).
func ParamsFor(window string) Params {
	p := Params{StarWeight: 1, ExternalWeight: 2, RecencyWeight: 1}
	switch window {
	case paperboy.WindowDay:
		p.Window = 24 * time.Hour
	case paperboy.WindowMonth:
		p.Window = 30 * 24 * time.Hour
	default:
		p.Window = 7 * 24 * time.Hour
	}
	p.Tau = p.Window / 4
	return p
}

// Inputs are what Score needs to know of one paper.
type Inputs struct {
	VoteAges       []time.Duration // age of each upvote; those outside [0, Window) are ignored
	Stars          float64         // GitHub stars now
	StarsGained    float64         // GitHub stars gained in the window
	ExternalGained float64         // upvotes gained elsewhere in the window
	ListedAge      time.Duration   // time since the paper was listed (arXiv v1, or its submission if later)
}

// Score computes a paper's trending score and its components:
//
//	VotePoints     = Σ exp(-age/τ) over the upvotes of the window
//	StarPoints     = StarWeight · ln(1 + stars gained in the window)
//	ExternalPoints = ExternalWeight · ln(1 + upvotes gained elsewhere)
//	RecencyPoints  = RecencyWeight · exp(-listed age / window)
//	score          = the sum of the four
//
// Negative growth counts as none; a paper listed in the future (clock skew)
// counts as listed now.
func Score(in Inputs, p Params) (float64, paperboy.TrendingComponents) {
	var c paperboy.TrendingComponents
	for _, age := range in.VoteAges {
		if age < 0 || age >= p.Window {
			continue
		}
		c.Upvotes++
		c.VotePoints += math.Exp(-float64(age) / float64(p.Tau))
	}
	c.Stars, c.StarsGained, c.ExternalUpvotes = in.Stars, max(in.StarsGained, 0), max(in.ExternalGained, 0)
	c.StarPoints = p.StarWeight * math.Log1p(c.StarsGained)
	c.ExternalPoints = p.ExternalWeight * math.Log1p(c.ExternalUpvotes)
	c.RecencyPoints = p.RecencyWeight * math.Exp(-float64(max(in.ListedAge, 0))/float64(p.Window))
	return c.VotePoints + c.StarPoints + c.ExternalPoints + c.RecencyPoints, c
}

// Reason says in words why an entry trends: "+12 upvotes today, +340
// GitHub stars this week".
func Reason(e paperboy.TrendingEntry) string {
	span := map[string]string{paperboy.WindowDay: "today", paperboy.WindowWeek: "this week", paperboy.WindowMonth: "this month"}[e.Window]
	c := e.Components
	var parts []string
	if c.Upvotes > 0 {
		parts = append(parts, fmt.Sprintf("+%d %s %s", c.Upvotes, plural(c.Upvotes, "upvote"), span))
	}
	if c.StarsGained >= 1 {
		parts = append(parts, fmt.Sprintf("+%.0f GitHub %s %s", c.StarsGained, plural(int(c.StarsGained), "star"), span))
	}
	if c.ExternalUpvotes >= 1 {
		parts = append(parts, fmt.Sprintf("+%.0f %s elsewhere %s", c.ExternalUpvotes, plural(int(c.ExternalUpvotes), "upvote"), span))
	}
	if len(parts) == 0 {
		return "new " + span
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
