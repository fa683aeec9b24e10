package trending

import (
	"math"
	"testing"
	"time"

	"paperboy"
)

func TestScore(t *testing.T) {
	day := ParamsFor(paperboy.WindowDay) // window 24h, tau 6h
	h := time.Hour
	tests := []struct {
		name       string
		in         Inputs
		p          Params
		want       float64
		wantVotes  int
		wantPoints float64 // VotePoints
	}{
		{"nothing, listed long ago", Inputs{ListedAge: 100 * 24 * h}, day, math.Exp(-100), 0, 0},
		{"one vote now, listed now", Inputs{VoteAges: []time.Duration{0}}, day, 2, 1, 1},
		{"vote tau old", Inputs{VoteAges: []time.Duration{6 * h}, ListedAge: 24 * h}, day, math.Exp(-1) + math.Exp(-1), 1, math.Exp(-1)},
		{"votes outside the window and in the future ignored", Inputs{VoteAges: []time.Duration{24 * h, 30 * h, -h}, ListedAge: 24 * h}, day, math.Exp(-1), 0, 0},
		{"stars gained are log-scaled", Inputs{StarsGained: math.E - 1, Stars: 500, ListedAge: 24 * h}, day, 1 + math.Exp(-1), 0, 0},
		{"external upvotes weigh 2 ln(1+n)", Inputs{ExternalGained: math.E*math.E - 1, ListedAge: 24 * h}, day, 4 + math.Exp(-1), 0, 0},
		{"negative growth is none", Inputs{StarsGained: -50, ExternalGained: -3, ListedAge: 24 * h}, day, math.Exp(-1), 0, 0},
		{"listed in the future counts as now", Inputs{ListedAge: -h}, day, 1, 0, 0},
		{"week decays slower", Inputs{VoteAges: []time.Duration{42 * h}, ListedAge: 7 * 24 * h}, ParamsFor(paperboy.WindowWeek), 2 * math.Exp(-1), 1, math.Exp(-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, c := Score(tt.in, tt.p)
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Score = %v, want %v (components %+v)", got, tt.want, c)
			}
			if sum := c.VotePoints + c.StarPoints + c.ExternalPoints + c.RecencyPoints; math.Abs(sum-got) > 1e-9 {
				t.Errorf("components sum to %v, score is %v", sum, got)
			}
			if c.Upvotes != tt.wantVotes || math.Abs(c.VotePoints-tt.wantPoints) > 1e-9 {
				t.Errorf("upvotes %d (%v points), want %d (%v)", c.Upvotes, c.VotePoints, tt.wantVotes, tt.wantPoints)
			}
		})
	}
}

func TestGrowthOf(t *testing.T) {
	now := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	start := now.Add(-7 * 24 * time.Hour)
	obs := func(pairs ...float64) []paperboy.Signal { // days ago, value
		var out []paperboy.Signal
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, paperboy.Signal{Value: pairs[i+1], Ref: "r", Observed: now.Add(-time.Duration(pairs[i] * 24 * float64(time.Hour)))})
		}
		return out
	}
	tests := []struct {
		name       string
		obs        []paperboy.Signal
		isNew      bool
		wantLatest float64
		wantGained float64
	}{
		{"none", nil, false, 0, 0},
		{"baseline before the window", obs(10, 100, 3, 300, 1, 440), false, 440, 340},
		{"no baseline, old paper: from the first in the window", obs(5, 100, 1, 150), false, 150, 50},
		{"no baseline, new paper: everything", obs(5, 100, 1, 150), true, 150, 150},
		{"only before the window: no growth seen", obs(9, 100, 8, 200), false, 200, 0},
		{"stars lost count as none", obs(9, 300, 1, 250), false, 250, 0},
		{"observations after now ignored", obs(9, 100, 1, 150, -1, 999), false, 150, 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := GrowthOf(tt.obs, start, now, tt.isNew)
			if g.Latest != tt.wantLatest || g.Gained != tt.wantGained {
				t.Errorf("GrowthOf = latest %v gained %v, want %v and %v", g.Latest, g.Gained, tt.wantLatest, tt.wantGained)
			}
		})
	}
}

func TestReason(t *testing.T) {
	tests := []struct {
		window string
		c      paperboy.TrendingComponents
		want   string
	}{
		{paperboy.WindowDay, paperboy.TrendingComponents{Upvotes: 12, StarsGained: 340}, "+12 upvotes today, +340 GitHub stars today"},
		{paperboy.WindowWeek, paperboy.TrendingComponents{Upvotes: 1, ExternalUpvotes: 1}, "+1 upvote this week, +1 upvote elsewhere this week"},
		{paperboy.WindowMonth, paperboy.TrendingComponents{RecencyPoints: 0.9}, "new this month"},
	}
	for _, tt := range tests {
		if got := Reason(paperboy.TrendingEntry{Window: tt.window, Components: tt.c}); got != tt.want {
			t.Errorf("Reason(%s, %+v) = %q, want %q", tt.window, tt.c, got, tt.want)
		}
	}
}
