package account

import (
	"testing"
	"time"

	"paperboy"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{" Ada@Example.ORG ", "ada@example.org", true},
		{"ada+papers@example.org", "ada+papers@example.org", true},
		{"ada@example.org\r\nBcc: eve@example.org", "", false},
		{"ada@example.org, eve@example.org", "", false},
		{"Ada <ada@example.org>", "", false},
		{"<ada@example.org>", "", false},
		{"ada", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := NormalizeEmail(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestRateBucketTake(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	b := paperboy.RateBucket{Burst: 2, Every: time.Minute}
	steps := []struct {
		at         time.Duration
		want       bool
		wantTokens float64
	}{
		{0, true, 1},
		{0, true, 0},
		{30 * time.Second, false, 0.5},
		{60 * time.Second, true, 0},
		{10 * time.Minute, true, 1}, // refilled only up to Burst
		{9 * time.Minute, true, 0},  // a clock going back refills nothing
		{9 * time.Minute, false, 0},
	}
	var s paperboy.RateState
	for i, st := range steps {
		var ok bool
		s, ok = b.Take(s, t0.Add(st.at))
		if ok != st.want || s.Tokens != st.wantTokens {
			t.Errorf("step %d (+%v): took %v with %.2f left, want %v with %.2f", i, st.at, ok, s.Tokens, st.want, st.wantTokens)
		}
	}
}
