package api

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"paperboy"
)

func TestParseHFPeriod(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		query    string
		from, to time.Time
		wantErr  bool
	}{
		{"", time.Time{}, time.Time{}, false},
		{"date=", time.Time{}, time.Time{}, false},
		{"date=2025-10-29", day(2025, 10, 29), day(2025, 10, 30), false},
		{"date=2024-12-31", day(2024, 12, 31), day(2025, 1, 1), false},
		{"week=2025-W09", day(2025, 2, 24), day(2025, 3, 3), false},
		{"week=2025-W01", day(2024, 12, 30), day(2025, 1, 6), false},
		{"week=2020-W53", day(2020, 12, 28), day(2021, 1, 4), false},
		{"week=2021-W53", time.Time{}, time.Time{}, true},
		{"week=2025-W00", time.Time{}, time.Time{}, true},
		{"week=2025W09", time.Time{}, time.Time{}, true},
		{"month=2025-02", day(2025, 2, 1), day(2025, 3, 1), false},
		{"month=2025-12", day(2025, 12, 1), day(2026, 1, 1), false},
		{"month=2025-2", time.Time{}, time.Time{}, true},
		{"date=2025-13-40", time.Time{}, time.Time{}, true},
		{"date=2025-10-29T00:00:00Z", time.Time{}, time.Time{}, true},
		{"date=2025-10-29&month=2025-10", time.Time{}, time.Time{}, true},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		got, err := parseHFPeriod(q)
		if tt.wantErr {
			if code := paperboy.ErrorCode(err); code != paperboy.EINVALID {
				t.Errorf("parseHFPeriod(%q) error code = %q, want %q", tt.query, code, paperboy.EINVALID)
			}
			continue
		}
		if err != nil || !got.From.Equal(tt.from) || !got.To.Equal(tt.to) {
			t.Errorf("parseHFPeriod(%q) = %v..%v, %v; want %v..%v", tt.query, got.From, got.To, err, tt.from, tt.to)
		}
	}
}

func TestHFTimeJSON(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Date(2007, 4, 2, 19, 18, 42, 0, time.UTC), `"2007-04-02T19:18:42.000Z"`},
		{time.Date(2007, 4, 2, 21, 18, 42, 123456789, time.FixedZone("CEST", 2*3600)), `"2007-04-02T19:18:42.123Z"`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(hfTime(tt.t))
		if err != nil || string(got) != tt.want {
			t.Errorf("marshal %v = %s, %v; want %s", tt.t, got, err, tt.want)
		}
	}
}

func TestMarkdownText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Plain title", "Plain title"},
		{"<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"[click](javascript:alert(1))", `\[click\](javascript:alert(1))`},
		{"![img](http://x/y.png)", `!\[img\](http://x/y.png)`},
		{"*bold* and _it_ and `code`", "\\*bold\\* and \\_it\\_ and \\`code\\`"},
		{"# Not a heading", `\# Not a heading`},
		{"- not a list", `\- not a list`},
		{"+ not a list", `\+ not a list`},
		{"=== not an underline", `\=== not an underline`},
		{"1. not a list", `1\. not a list`},
		{"12) not a list", `12\) not a list`},
		{"a - b. 3.5", "a - b. 3.5"},
		{"&amp; &lt;", `\&amp; \&lt;`},
		{`$\Lambda_{\alpha}$`, `$\\Lambda\_{\\alpha}$`},
		{"a | b ~~c~~", `a \| b \~\~c\~\~`},
		{"line one\n# line two", `line one \# line two`},
	}
	for _, tt := range tests {
		if got := markdownText(tt.in); got != tt.want {
			t.Errorf("markdownText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPaperMarkdown(t *testing.T) {
	day := time.Date(2019, 1, 29, 9, 0, 0, 0, time.UTC)
	p := &paperboy.Paper{
		ID: "1901.99999", Version: 2, Submitted: day, Updated: day.AddDate(0, 0, 3),
		Title:      "Escaping <script>alert(\"t\")</script>\n  in [nets](javascript:x)",
		Abstract:   "  First *paragraph*\nwraps.\n  # Second <img src=x onerror=y>\nparagraph.",
		Authors:    []paperboy.Author{{Name: "Eve <b>"}, {Name: "Bob_Smith"}},
		Categories: []string{"cs.CR", "cs.LG"},
		DOI:        "10.1/x)](javascript:y)",
	}
	got := paperMarkdown(p, "http://example.com")
	want := `# Escaping \<script\>alert("t")\</script\> in \[nets\](javascript:x)

**Authors:** Eve \<b\>, Bob\_Smith

- arXiv: [1901.99999](https://arxiv.org/abs/1901.99999)
- PDF: https://arxiv.org/pdf/1901.99999
- paperboy: http://example.com/papers/1901.99999
- Published: 2019-01-29
- Latest version: v2, 2019-02-01
- Categories: cs.CR, cs.LG
- DOI: 10.1/x)\](javascript:y)

## Abstract

First \*paragraph\* wraps.

\# Second \<img src=x onerror=y\> paragraph.
`
	if got != want {
		t.Errorf("paperMarkdown =\n%s\nwant\n%s", got, want)
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		host, proto, want string
	}{
		{"example.com", "", "http://example.com"},
		{"example.com:8080", "https", "https://example.com:8080"},
		{"127.0.0.1:0", "", "http://127.0.0.1:0"},
		{"[::1]:8080", "", "http://[::1]:8080"},
		{"evil.com/x)](javascript:y)", "", "http://localhost"},
		{"a b", "", "http://localhost"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/feeds/daily.atom", nil)
		r.Host = tt.host
		if tt.proto != "" {
			r.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		if got := baseURL(r); got != tt.want {
			t.Errorf("baseURL(Host %q, proto %q) = %q, want %q", tt.host, tt.proto, got, tt.want)
		}
	}
}

func TestHFItemUnsubmitted(t *testing.T) {
	it := newHFItem(&paperboy.Paper{ID: "0704.0001", Title: " T\n  x ", Submitted: time.Date(2007, 4, 2, 0, 0, 0, 0, time.UTC)})
	body, err := json.Marshal(it)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"submittedBy":{"_id":"","avatarUrl":"","fullname":"","isPro":false,"name":"","type":"user"}`,
		`"authors":[]`, `"title":"T x"`, `"upvotes":0`, `"numComments":0`, `"thumbnail":""`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("item %s\nwant it to contain %s", body, want)
		}
	}
}
