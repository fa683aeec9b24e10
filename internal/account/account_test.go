package account

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// TestSessionCookieFlags checks the session cookie's flags: always HttpOnly
// and SameSite=Lax, Secure when the request came over TLS or the public URL
// is https (TLS ended at a proxy in front).
func TestSessionCookieFlags(t *testing.T) {
	tests := []struct {
		base       string
		tls        bool
		wantSecure bool
	}{
		{"http://127.0.0.1:8080", false, false},
		{"http://127.0.0.1:8080", true, true},
		{"https://papers.example.org", false, true},
		{"https://papers.example.org", true, true},
	}
	for _, tt := range tests {
		base, _ := url.Parse(tt.base)
		s := New(Config{BaseURL: base})
		r := httptest.NewRequest("POST", "/signin/confirm", nil)
		if !tt.tls {
			r.TLS = nil
		} else if r.TLS == nil {
			r.TLS = &tls.ConnectionState{}
		}
		for name, set := range map[string]func(http.ResponseWriter, *http.Request){
			"set":   func(w http.ResponseWriter, r *http.Request) { s.SetSessionCookie(w, r, "secret") },
			"clear": s.ClearSessionCookie,
		} {
			w := httptest.NewRecorder()
			set(w, r)
			cs := w.Result().Cookies()
			if len(cs) != 1 {
				t.Fatalf("%s over %s (TLS %v): %d cookies", name, tt.base, tt.tls, len(cs))
			}
			c := cs[0]
			if c.Name != CookieName || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tt.wantSecure || c.Path != "/" {
				t.Errorf("%s over %s (TLS %v): %+v; want HttpOnly, SameSite=Lax, Secure %v, Path /", name, tt.base, tt.tls, c, tt.wantSecure)
			}
		}
	}
}
