package api

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"paperboy"
)

func TestIntParam(t *testing.T) {
	tests := []struct {
		query   string
		want    int
		wantErr bool
	}{
		{"", 20, false},
		{"limit=1", 1, false},
		{"limit=100", 100, false},
		{"limit=0", 0, true},
		{"limit=101", 0, true},
		{"limit=-5", 0, true},
		{"limit=1e2", 0, true},
		{"limit=", 20, false},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		got, err := intParam(q, "limit", 20, 1, 100)
		if tt.wantErr {
			if code := paperboy.ErrorCode(err); code != paperboy.EINVALID {
				t.Errorf("intParam(%q) error code = %q, want %q", tt.query, code, paperboy.EINVALID)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("intParam(%q) = %d, %v; want %d", tt.query, got, err, tt.want)
		}
	}
}

func TestTimestampJSON(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, `null`},
		{time.Date(2007, 4, 2, 19, 18, 42, 0, time.UTC), `"2007-04-02T19:18:42Z"`},
		{time.Date(2007, 4, 2, 21, 18, 42, 999, time.FixedZone("CEST", 2*3600)), `"2007-04-02T19:18:42Z"`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(timestamp(tt.t))
		if err != nil || string(got) != tt.want {
			t.Errorf("marshal %v = %s, %v; want %s", tt.t, got, err, tt.want)
		}
	}
}

func TestNewPaperNeverNullLists(t *testing.T) {
	p := newPaper(&paperboy.Paper{ID: "0704.0001", Title: "T"})
	body, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"versions", "authors", "categories"} {
		if _, ok := m[k].([]any); !ok {
			t.Errorf("%s = %v, want an empty list", k, m[k])
		}
	}
}
