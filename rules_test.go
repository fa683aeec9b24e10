package paperboy_test

import (
	"testing"

	"paperboy"
)

func TestValidateSignals(t *testing.T) {
	tests := []struct {
		name    string
		signals []paperboy.Signal
		want    string // error code, "" for none
	}{
		{"fine", []paperboy.Signal{{PaperID: "2401.01234", Name: paperboy.SignalGitHubStars, Value: 3}}, ""},
		{"no name", []paperboy.Signal{{PaperID: "2401.01234", Value: 3}}, paperboy.EINVALID},
		{"bad id", []paperboy.Signal{{PaperID: "nonsense", Name: "x"}}, paperboy.EINVALID},
		{"none", nil, ""},
	}
	for _, tt := range tests {
		if got := paperboy.ErrorCode(paperboy.ValidateSignals(tt.signals)); got != tt.want {
			t.Errorf("%s: code %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestAnnouncedPapers(t *testing.T) {
	p := &paperboy.Paper{ID: "2401.01234", Title: "T"}
	got, err := paperboy.AnnouncedPapers([]paperboy.Announcement{{Paper: p, Type: paperboy.AnnounceNew}})
	if err != nil || len(got) != 1 || got[0] != p {
		t.Errorf("got %v, %v; want the one paper", got, err)
	}
	_, err = paperboy.AnnouncedPapers([]paperboy.Announcement{{Paper: p, Type: "sideways"}})
	if paperboy.ErrorCode(err) != paperboy.EINVALID {
		t.Errorf("unknown type: %v, want EINVALID", err)
	}
}
