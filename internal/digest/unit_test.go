package digest

import (
	"slices"
	"testing"
	"time"

	"paperboy"
)

func TestTokens(t *testing.T) {
	s := signer{key: testSecret}
	now := date("2025-03-03T10:00:00Z")
	good := s.sign(token{Purpose: purposeConfirm, SubscriberID: 7, Expires: now.Add(time.Hour)}, "ada@example.org")
	tests := []struct {
		name, raw, purpose, email string
		at                        time.Time
		ok                        bool
	}{
		{"valid", good, purposeConfirm, "ada@example.org", now, true},
		{"expired", good, purposeConfirm, "ada@example.org", now.Add(time.Hour), false},
		{"other purpose", good, purposeUnsub, "ada@example.org", now, false},
		{"other address", good, purposeConfirm, "eve@example.org", now, false},
		{"tampered mac", good[:len(good)-2] + "AA", purposeConfirm, "ada@example.org", now, false},
		{"forged payload", "Y29uZmlybXw4fHww" + good[len("Y29uZmlybXw3fHw"):], purposeConfirm, "ada@example.org", now, false},
		{"empty", "", purposeConfirm, "ada@example.org", now, false},
		{"garbage", "!!.??", purposeConfirm, "ada@example.org", now, false},
	}
	for _, tt := range tests {
		tok, payload, err := parseToken(tt.raw, tt.purpose)
		if err == nil {
			err = s.verify(tt.raw, payload, tt.email, tok, tt.at)
		}
		if got := err == nil; got != tt.ok {
			t.Errorf("%s: valid = %v (%v), want %v", tt.name, got, err, tt.ok)
		}
	}
	if other := (signer{key: []byte("another secret, 32 bytes long...")}); other.sign(token{Purpose: purposePrefs, SubscriberID: 7}, "a@b.c") ==
		s.sign(token{Purpose: purposePrefs, SubscriberID: 7}, "a@b.c") {
		t.Error("two secrets sign the same token alike")
	}
}

func TestSchedule(t *testing.T) {
	daily := paperboy.DefaultDigestPrefs() // 7:00
	weekly := daily
	weekly.Frequency = paperboy.FreqWeekly
	paused := daily
	paused.PausedUntil = date("2025-03-20T00:00:00Z")
	off := daily
	off.Frequency = paperboy.FreqOff
	tests := []struct {
		name string
		p    paperboy.DigestPrefs
		tz   string
		now  string
		want string // "" for never
	}{
		{"before the hour: today", daily, "UTC", "2025-03-03T06:59:00Z", "2025-03-03T07:00:00Z"},
		{"at the hour: now", daily, "UTC", "2025-03-03T07:00:00Z", "2025-03-03T07:00:00Z"},
		{"after the hour: tomorrow", daily, "UTC", "2025-03-03T07:01:00Z", "2025-03-04T07:00:00Z"},
		{"Paris winter", daily, "Europe/Paris", "2025-03-03T05:00:00Z", "2025-03-03T06:00:00Z"},
		{"Paris summer (DST)", daily, "Europe/Paris", "2025-03-31T04:00:00Z", "2025-03-31T05:00:00Z"},
		{"Tokyo: local date is ahead", daily, "Asia/Tokyo", "2025-03-03T23:00:00Z", "2025-03-04T22:00:00Z"},
		{"New York evening", daily, "America/New_York", "2025-03-03T23:30:00Z", "2025-03-04T12:00:00Z"},
		{"weekly: next Monday", weekly, "UTC", "2025-03-04T08:00:00Z", "2025-03-10T07:00:00Z"},
		{"weekly: this Monday", weekly, "UTC", "2025-03-10T06:00:00Z", "2025-03-10T07:00:00Z"},
		{"paused: resumes on the date", paused, "UTC", "2025-03-03T08:00:00Z", "2025-03-20T07:00:00Z"},
		{"off: never", off, "UTC", "2025-03-03T08:00:00Z", ""},
	}
	for _, tt := range tests {
		loc, err := loadLocation(tt.tz)
		if err != nil {
			t.Fatal(err)
		}
		got := firstDue(tt.p, loc, date(tt.now))
		var want time.Time
		if tt.want != "" {
			want = date(tt.want)
		}
		if !got.Equal(want) {
			t.Errorf("%s: firstDue = %v, want %v", tt.name, got, want)
		}
	}
	for _, bad := range []string{"", "Local", "Mars/Olympus", "../etc/passwd"} {
		if _, err := loadLocation(bad); paperboy.ErrorCode(err) != paperboy.EINVALID {
			t.Errorf("loadLocation(%q) = %v, want EINVALID", bad, err)
		}
	}
}

func TestRank(t *testing.T) {
	p := func(id, cat string, day int) *paperboy.Paper {
		return &paperboy.Paper{ID: paperboy.ArxivID(id), Categories: []string{cat}, Submitted: time.Date(2025, 3, day, 0, 0, 0, 0, time.UTC)}
	}
	a, b, c, d := p("2503.00001", "cs.LG", 2), p("2503.00002", "cs.CV", 2), p("2503.00003", "math.PR", 1), p("2503.00004", "cs.LG", 3)
	cand := func(pp *paperboy.Paper, src string, score float64) candidate {
		return candidate{paper: pp, source: src, reason: src + " " + string(pp.ID), score: score}
	}
	tests := []struct {
		name        string
		cands       []candidate
		sent        []paperboy.ArxivID
		likes, dis  []string
		limit       int
		wantIDs     []string
		wantReasons []string
	}{
		{"by score, capped", []candidate{cand(a, "category", 1), cand(b, "topic", 2.5), cand(c, "author", 3)}, nil, nil, nil, 2,
			[]string{"2503.00003", "2503.00002"}, []string{"author 2503.00003", "topic 2503.00002"}},
		{"sent papers dropped", []candidate{cand(a, "category", 1), cand(b, "topic", 2.5)}, []paperboy.ArxivID{"2503.00002"}, nil, nil, 5,
			[]string{"2503.00001"}, []string{"category 2503.00001"}},
		{"merged: strongest reason, bonus", []candidate{cand(a, "category", 1), cand(b, "category", 1.2), cand(a, "topic", 1.1)}, nil, nil, nil, 5,
			[]string{"2503.00001", "2503.00002"}, []string{"topic 2503.00001", "category 2503.00002"}},
		{"ties: newer first", []candidate{cand(a, "category", 1), cand(d, "category", 1)}, nil, nil, nil, 5,
			[]string{"2503.00004", "2503.00001"}, nil},
		{"feedback", []candidate{cand(a, "category", 1), cand(b, "category", 1.2), cand(c, "category", 1.1)}, nil, []string{"math.PR"}, []string{"cs.CV"}, 5,
			[]string{"2503.00003", "2503.00001", "2503.00002"}, nil},
		{"nothing", nil, nil, nil, nil, 5, []string{}, nil},
	}
	for _, tt := range tests {
		sent := map[paperboy.ArxivID]bool{}
		for _, id := range tt.sent {
			sent[id] = true
		}
		set := func(l []string) map[string]bool {
			m := map[string]bool{}
			for _, s := range l {
				m[s] = true
			}
			return m
		}
		got := rank(tt.cands, sent, set(tt.likes), set(tt.dis), tt.limit)
		ids, reasons := []string{}, []string{}
		for _, g := range got {
			ids, reasons = append(ids, string(g.paper.ID)), append(reasons, g.reason)
		}
		if !slices.Equal(ids, tt.wantIDs) || (tt.wantReasons != nil && !slices.Equal(reasons, tt.wantReasons)) {
			t.Errorf("%s: got %v %q, want %v %q", tt.name, ids, reasons, tt.wantIDs, tt.wantReasons)
		}
	}
}

func TestSubject(t *testing.T) {
	day := date("2025-03-03T00:00:00Z")
	tests := []struct {
		n       int
		catchUp bool
		want    string
	}{
		{0, false, "paperboy · Mon 3 Mar 2025 · no new papers"},
		{1, false, "paperboy · Mon 3 Mar 2025 · 1 paper for you"},
		{12, true, "paperboy catch-up · Mon 3 Mar 2025 · 12 papers for you"},
	}
	for _, tt := range tests {
		if got := subject(day, tt.n, tt.catchUp); got != tt.want {
			t.Errorf("subject(%d, %v) = %q, want %q", tt.n, tt.catchUp, got, tt.want)
		}
	}
}
