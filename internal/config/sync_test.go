package config

import (
	"strings"
	"testing"
	"time"
)

func TestSyncInterval(t *testing.T) {
	tests := []struct {
		env     string
		want    time.Duration
		problem string // "" when valid
	}{
		{"", DefaultSyncInterval, ""},
		{"250ms", 250 * time.Millisecond, ""},
		{"2s", 2 * time.Second, ""},
		{"soon", 0, "PAPERBOY_SYNC_INTERVAL"},
		{"-1s", -time.Second, "negative"},
	}
	for _, tt := range tests {
		c := Load(func(k string) string {
			if k == "PAPERBOY_SYNC_INTERVAL" {
				return tt.env
			}
			return ""
		})
		err := c.Validate()
		if tt.problem == "" && (err != nil || c.SyncInterval != tt.want) {
			t.Errorf("PAPERBOY_SYNC_INTERVAL=%q: got %v, %v; want %v, nil", tt.env, c.SyncInterval, err, tt.want)
		}
		if tt.problem != "" && (err == nil || !strings.Contains(err.Error(), tt.problem)) {
			t.Errorf("PAPERBOY_SYNC_INTERVAL=%q: error %v, want one mentioning %q", tt.env, err, tt.problem)
		}
	}
	if DefaultSyncInterval > time.Second {
		t.Errorf("DefaultSyncInterval = %v; replicas must see new papers within 2s", DefaultSyncInterval)
	}
}
