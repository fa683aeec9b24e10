package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"paperboy/internal/account"
)

// TestCrossOriginPostRefused forges the POSTs another site's page would make
// with the victim's cookies; each must be refused and change nothing.
func TestCrossOriginPostRefused(t *testing.T) {
	rig := newAccountRig(t, account.SignupOpen)
	b := rig.browser(t)
	b.signIn("ada@example.org")
	tests := []struct {
		name   string
		header http.Header
	}{
		{"cross-site fetch metadata", http.Header{"Sec-Fetch-Site": {"cross-site"}}},
		{"foreign origin", http.Header{"Origin": {"https://evil.example"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/settings/tokens", "/signout", "/signin"} {
				resp, _ := b.do("POST", path, url.Values{"name": {"evil"}, "email": {"eve@example.org"}}, tt.header)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("forged POST %s: status %d, want 403", path, resp.StatusCode)
				}
			}
		})
	}
	if got := b.signedInAs(); got != "ada@example.org" {
		t.Errorf("after forged sign-out signed in as %q", got)
	}
	_, body := b.wantStatus("GET", "/settings", nil, http.StatusOK)
	if strings.Contains(body, "evil") {
		t.Error("a forged POST created a token")
	}
	// The same POST from the site's own page passes.
	b.do("POST", "/settings/tokens", url.Values{"name": {"mine"}}, http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {rig.srv.URL}})
	if _, body := b.wantStatus("GET", "/settings", nil, http.StatusOK); !strings.Contains(body, "mine") {
		t.Error("a same-origin POST was refused")
	}
}

func TestSignInRejectsHeaderInjection(t *testing.T) {
	rig := newAccountRig(t, account.SignupOpen)
	b := rig.browser(t)
	for _, email := range []string{
		"ada@example.org\r\nBcc: eve@example.org",
		"ada@example.org\nBcc: eve@example.org",
		"ada@example.org, eve@example.org",
		"Ada <ada@example.org>",
		"not-an-address",
	} {
		resp, body := b.do("POST", "/signin", url.Values{"email": {email}}, nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Enter one e-mail address") {
			t.Errorf("POST /signin %q: status %d, want 400 with the form's error", email, resp.StatusCode)
		}
	}
	rig.svc.Flush()
	if n := len(rig.mbox.Messages()); n != 0 {
		t.Errorf("%d e-mails sent, want 0", n)
	}
}

func TestSessionRevokedSignsOut(t *testing.T) {
	rig := newAccountRig(t, account.SignupOpen)
	laptop, phone := rig.browser(t), rig.browser(t)
	laptop.signIn("ada@example.org")
	phone.signIn("ada@example.org")
	_, body := laptop.wantStatus("GET", "/settings", nil, http.StatusOK)
	m := regexp.MustCompile(`(?s)<tr>.*?/settings/sessions/(\d+)/delete.*?</tr>`).FindAllStringSubmatch(body, -1)
	var other string
	for _, row := range m {
		if !strings.Contains(row[0], "(this browser)") {
			other = row[1]
		}
	}
	if len(m) != 2 || other == "" {
		t.Fatalf("settings lists %d sessions, want 2 with one other than this browser", len(m))
	}
	laptop.wantStatus("POST", "/settings/sessions/"+other+"/delete", url.Values{}, http.StatusSeeOther)
	if got := phone.signedInAs(); got != "" {
		t.Errorf("revoked phone still signed in as %q", got)
	}
	if got := laptop.signedInAs(); got != "ada@example.org" {
		t.Errorf("laptop signed in as %q, want ada@example.org", got)
	}

	// Another user cannot revoke ada's session.
	eve := rig.browser(t)
	eve.signIn("eve@example.org")
	_, body = laptop.wantStatus("GET", "/settings", nil, http.StatusOK)
	mine := regexp.MustCompile(`/settings/sessions/(\d+)/delete`).FindStringSubmatch(body)
	eve.wantStatus("POST", "/settings/sessions/"+mine[1]+"/delete", url.Values{}, http.StatusNotFound)
	if got := laptop.signedInAs(); got != "ada@example.org" {
		t.Errorf("after eve's attempt laptop signed in as %q", got)
	}
}

// TestSignInRotatesSession checks that signing in again replaces the
// session ID, so a cookie planted before sign-in is worthless after it.
func TestSignInRotatesSession(t *testing.T) {
	rig := newAccountRig(t, account.SignupOpen)
	b := rig.browser(t)
	first := b.signIn("ada@example.org")
	second := b.signIn("ada@example.org")
	if first.Value == second.Value {
		t.Fatal("second sign-in kept the session secret")
	}
	old := rig.browser(t)
	old.c.Jar.SetCookies(mustURL(t, rig.srv.URL), []*http.Cookie{first})
	if got := old.signedInAs(); got != "" {
		t.Errorf("the pre-sign-in session still signs in as %q", got)
	}
}

func TestAccountPagesNeedSignIn(t *testing.T) {
	rig := newAccountRig(t, account.SignupOpen)
	b := rig.browser(t)
	for _, path := range []string{"/settings/tokens", "/settings/tokens/1/delete", "/settings/sessions/1/delete"} {
		resp, _ := b.do("POST", path, url.Values{"name": {"x"}}, nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/signin" {
			t.Errorf("anonymous POST %s: %d to %q, want 303 to /signin", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	req, _ := http.NewRequest("GET", rig.srv.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer pb_nonsense")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me with a bad token: %d, want 401", resp.StatusCode)
	}
}
