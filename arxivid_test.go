package paperboy_test

import (
	"strings"
	"testing"

	"paperboy"
)

func TestParseArxivID(t *testing.T) {
	tests := []struct {
		in      string
		id      paperboy.ArxivID
		version int
	}{
		{"2401.01234", "2401.01234", 0},
		{"2401.01234v3", "2401.01234", 3},
		{"0704.0001", "0704.0001", 0},
		{"1412.8544v2", "1412.8544", 2},
		{"hep-th/9901001", "hep-th/9901001", 0},
		{"hep-th/9901001v2", "hep-th/9901001", 2},
		{"math.GT/0309136", "math/0309136", 0},
		{"arXiv:2401.01234", "2401.01234", 0},
		{"arxiv:2401.01234v1", "2401.01234", 1},
		{"  2401.01234  ", "2401.01234", 0},
		{"https://arxiv.org/abs/2401.01234", "2401.01234", 0},
		{"https://arxiv.org/abs/2401.01234v2", "2401.01234", 2},
		{"http://arxiv.org/pdf/2401.01234v2.pdf", "2401.01234", 2},
		{"https://arxiv.org/pdf/2401.01234", "2401.01234", 0},
		{"https://arxiv.org/html/2401.01234v1", "2401.01234", 1},
		{"https://www.arxiv.org/abs/hep-th/9901001", "hep-th/9901001", 0},
		{"https://export.arxiv.org/abs/2206.06921?context=cs", "2206.06921", 0},
		{"arxiv.org/abs/1706.03762", "1706.03762", 0},
		{"www.arxiv.org/abs/1706.03762v5", "1706.03762", 5},
		{"https://arxiv.org/abs/math.GT/0309136v2", "math/0309136", 2},
		{"http://arxiv.org/abs/2206.06921v2", "2206.06921", 2},
	}
	for _, tt := range tests {
		if tt.id == "" {
			continue
		}
		id, v, err := paperboy.ParseArxivID(tt.in)
		if err != nil {
			t.Errorf("ParseArxivID(%q): unexpected error %v", tt.in, err)
			continue
		}
		if id != tt.id || v != tt.version {
			t.Errorf("ParseArxivID(%q) = %q v%d, want %q v%d", tt.in, id, v, tt.id, tt.version)
		}
	}
}

func TestParseArxivIDRejects(t *testing.T) {
	tests := []struct {
		in  string
		why string // a fragment of the message
	}{
		{"", "Empty"},
		{"hello", "not an arXiv ID"},
		{"2401.1234", "5-digit"},
		{"1401.12345", "4-digit"},
		{"2413.01234", "month 13"},
		{"0703.0001", "start at 0704"},
		{"2401.01234v0", "version"},
		{"hep-th/9913001", "month 13"},
		{"HEP-TH/9901001", "not an arXiv ID"},
		{"https://example.com/abs/2401.01234", "not an arxiv.org URL"},
		{"https://arxiv.org/list/cs.LG/recent", "abs, pdf or html"},
		{"https://arxiv.org/abs/", "no arXiv ID"},
		{"2401.01234 2401.01235", "not an arXiv ID"},
		{"2401.01234v", "not an arXiv ID"},
	}
	for _, tt := range tests {
		_, _, err := paperboy.ParseArxivID(tt.in)
		if err == nil {
			t.Errorf("ParseArxivID(%q): got no error, want one mentioning %q", tt.in, tt.why)
			continue
		}
		if got := paperboy.ErrorCode(err); got != paperboy.EINVALID {
			t.Errorf("ParseArxivID(%q): code %q, want %q", tt.in, got, paperboy.EINVALID)
		}
		if msg := paperboy.ErrorMessage(err); !strings.Contains(msg, tt.why) {
			t.Errorf("ParseArxivID(%q): message %q does not say %q", tt.in, msg, tt.why)
		}
	}
}

func FuzzParseArxivID(f *testing.F) {
	for _, s := range []string{"2401.01234v3", "hep-th/9901001", "math.GT/0309136", "https://arxiv.org/abs/0704.0001", "arXiv:1706.03762"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, v, err := paperboy.ParseArxivID(s)
		if err != nil {
			return
		}
		// A parsed ID is canonical: parsing it again gives itself, version-less.
		id2, v2, err := paperboy.ParseArxivID(string(id))
		if err != nil || id2 != id || v2 != 0 {
			t.Fatalf("ParseArxivID(%q) = %q v%d, but re-parsing gives %q v%d, %v", s, id, v, id2, v2, err)
		}
	})
}
