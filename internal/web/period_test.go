package web

import (
	"net/url"
	"testing"
	"time"

	"paperboy"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		query      string
		kind       string
		start, end string
		wantQuery  string
	}{
		{"", "", "", "", ""},
		{"date=2007-04-02", kindDay, "2007-04-02", "2007-04-03", "date=2007-04-02"},
		{"week=2007-W14", kindWeek, "2007-04-02", "2007-04-09", "week=2007-W14"},
		{"week=2007-W01", kindWeek, "2007-01-01", "2007-01-08", "week=2007-W01"},
		{"week=2021-W01", kindWeek, "2021-01-04", "2021-01-11", "week=2021-W01"},
		{"week=2020-W53", kindWeek, "2020-12-28", "2021-01-04", "week=2020-W53"},
		{"month=2007-02", kindMonth, "2007-02-01", "2007-03-01", "month=2007-02"},
		{"month=2007-12", kindMonth, "2007-12-01", "2008-01-01", "month=2007-12"},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		p, err := parsePeriod(q)
		if err != nil {
			t.Errorf("parsePeriod(%q): %v", tt.query, err)
			continue
		}
		if p.Kind != tt.kind {
			t.Errorf("parsePeriod(%q).Kind = %q, want %q", tt.query, p.Kind, tt.kind)
		}
		if tt.kind == "" {
			continue
		}
		if !p.Start.Equal(day(tt.start)) || !p.End.Equal(day(tt.end)) {
			t.Errorf("parsePeriod(%q) = [%s, %s), want [%s, %s)", tt.query, p.Start, p.End, tt.start, tt.end)
		}
		if got := p.query(1); got != tt.wantQuery {
			t.Errorf("parsePeriod(%q).query(1) = %q, want %q", tt.query, got, tt.wantQuery)
		}
	}
}

func TestParsePeriodInvalid(t *testing.T) {
	for _, query := range []string{
		"date=2025-13-40", "date=2007-4-2", "date=", "date=yesterday",
		"week=2007-W00", "week=2021-W53", "week=2007-14", "week=2007-W1",
		"month=2007-13", "month=2007", "date=2007-04-02&week=2007-W14",
	} {
		q, _ := url.ParseQuery(query)
		_, err := parsePeriod(q)
		if got := paperboy.ErrorCode(err); got != paperboy.EINVALID {
			t.Errorf("parsePeriod(%q) code = %q, want %q (err %v)", query, got, paperboy.EINVALID, err)
		}
	}
}

func TestPeriodOf(t *testing.T) {
	tests := []struct {
		kind, day, start string
	}{
		{kindDay, "2007-04-02", "2007-04-02"},
		{kindWeek, "2007-04-01", "2007-03-26"}, // a Sunday ends its ISO week
		{kindWeek, "2007-04-02", "2007-04-02"}, // a Monday starts one
		{kindMonth, "2007-04-30", "2007-04-01"},
	}
	for _, tt := range tests {
		got := periodOf(tt.kind, day(tt.day).Add(15*time.Hour))
		if !got.Start.Equal(day(tt.start)) {
			t.Errorf("periodOf(%s, %s).Start = %s, want %s", tt.kind, tt.day, got.Start.Format(time.DateOnly), tt.start)
		}
	}
}
