package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"paperboy/internal/account"
)

func TestAccountFlow(t *testing.T) {
	rig := newAccountRig(t, account.SignupOpen)
	b := rig.browser(t)

	link := b.requestLink("Ada@Example.org")
	msg := rig.mbox.Messages()[0]
	if got, want := msg.EnvelopeTo, []string{"ada@example.org"}; len(got) != 1 || got[0] != want[0] {
		t.Errorf("mail to %v, want %v", got, want)
	}
	if got, want := msg.Subject(), "Create your paperboy account"; got != want {
		t.Errorf("subject %q, want %q", got, want)
	}

	// Opening the link (as a mail scanner would) signs nobody in.
	path := strings.TrimPrefix(link, rig.srv.URL)
	resp, body := b.wantStatus("GET", path, nil, http.StatusOK)
	if len(resp.Cookies()) != 0 || !strings.Contains(body, `action="/signin/confirm"`) {
		t.Errorf("confirm page: cookies %v, form present %v", resp.Cookies(), strings.Contains(body, "/signin/confirm"))
	}
	if got := b.signedInAs(); got != "" {
		t.Fatalf("after GET of the link signed in as %q, want nobody", got)
	}

	resp, _ = b.wantStatus("POST", "/signin/confirm", url.Values{"token": {tokenOf(t, link)}}, http.StatusSeeOther)
	var c *http.Cookie
	for _, rc := range resp.Cookies() {
		if rc.Name == account.CookieName {
			c = rc
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Path != "/" || len(c.Value) < 40 {
		t.Fatalf("session cookie = %+v; want HttpOnly, SameSite=Lax, not Secure over http, Path=/, a long secret", c)
	}
	if got, want := b.signedInAs(), "ada@example.org"; got != want {
		t.Fatalf("signed in as %q, want %q", got, want)
	}
	_, body = b.wantStatus("GET", "/", nil, http.StatusOK)
	if !strings.Contains(body, `<a href="/settings">ada@example.org</a>`) {
		t.Error("header does not show the signed-in user")
	}

	// Settings: sessions, then the digest, then API tokens.
	_, body = b.wantStatus("GET", "/settings", nil, http.StatusOK)
	sessions, digest, tokens := strings.Index(body, "<h2>Sessions</h2>"), strings.Index(body, "<h2>Digest</h2>"), strings.Index(body, "<h2>API tokens</h2>")
	if sessions < 0 || digest < sessions || tokens < digest ||
		!strings.Contains(body[digest:tokens], `<a href="/subscribe">Your e-mail digest</a>: subscribe this address, or change what you get and when.`) {
		t.Errorf("settings page lacks a Digest section linking /subscribe between Sessions and API tokens:\n%s", body)
	}

	// An API token, shown once, works with Bearer until revoked.
	_, body = b.wantStatus("POST", "/settings/tokens", url.Values{"name": {"laptop <script>"}}, http.StatusCreated)
	secret := regexp.MustCompile(`pb_[A-Za-z0-9_-]{43}`).FindString(body)
	if secret == "" || !strings.Contains(body, "laptop &lt;script&gt;") {
		t.Fatalf("token page lacks the secret or the escaped name:\n%s", body)
	}
	var me struct {
		Email string `json:"email"`
	}
	if status := getMe(t, rig, secret, &me); status != http.StatusOK || me.Email != "ada@example.org" {
		t.Fatalf("GET /api/v1/me = %d, %q; want 200, ada@example.org", status, me.Email)
	}
	id := regexp.MustCompile(`/settings/tokens/(\d+)/delete`).FindStringSubmatch(body)
	if id == nil {
		t.Fatal("no revoke form for the token")
	}
	b.wantStatus("POST", "/settings/tokens/"+id[1]+"/delete", url.Values{}, http.StatusSeeOther)
	if status := getMe(t, rig, secret, &me); status != http.StatusUnauthorized {
		t.Errorf("GET /api/v1/me with a revoked token = %d, want 401", status)
	}

	// Sign-out ends the session on the server, not just the cookie.
	b.wantStatus("POST", "/signout", url.Values{}, http.StatusSeeOther)
	if got := b.signedInAs(); got != "" {
		t.Errorf("after sign-out signed in as %q", got)
	}
	stale := rig.browser(t)
	stale.c.Jar.SetCookies(mustURL(t, rig.srv.URL), []*http.Cookie{c})
	if got := stale.signedInAs(); got != "" {
		t.Errorf("the signed-out session's cookie still signs in as %q", got)
	}
}

func getMe(t *testing.T, rig *accountRig, token string, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", rig.srv.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestSignInLinkSingleUseAndExpiry(t *testing.T) {
	rig := newAccountRig(t, account.SignupOpen)
	b := rig.browser(t)
	token := tokenOf(t, b.requestLink("ada@example.org"))
	b.wantStatus("POST", "/signin/confirm", url.Values{"token": {token}}, http.StatusSeeOther)

	other := rig.browser(t)
	other.wantStatus("POST", "/signin/confirm", url.Values{"token": {token}}, http.StatusNotFound)
	if got := other.signedInAs(); got != "" {
		t.Errorf("reused link signed in as %q", got)
	}

	// A link works until its 15 minutes are up, and not a second after.
	inTime := tokenOf(t, other.requestLink("ada@example.org"))
	rig.clock.Add(account.SignInTTL - time.Second)
	other.wantStatus("POST", "/signin/confirm", url.Values{"token": {inTime}}, http.StatusSeeOther)
	other.wantStatus("POST", "/signout", url.Values{}, http.StatusSeeOther)

	late := tokenOf(t, other.requestLink("ada@example.org"))
	rig.clock.Add(account.SignInTTL + time.Second)
	other.wantStatus("POST", "/signin/confirm", url.Values{"token": {late}}, http.StatusNotFound)
	other.wantStatus("POST", "/signin/confirm", url.Values{"token": {"forged"}}, http.StatusNotFound)
	if got := other.signedInAs(); got != "" {
		t.Errorf("expired link signed in as %q", got)
	}
}

// TestSignInDoesNotEnumerate checks that known and unknown addresses get
// byte-identical answers, and that a closed instance mails only known ones.
func TestSignInDoesNotEnumerate(t *testing.T) {
	for _, mode := range []string{account.SignupOpen, account.SignupClosed} {
		t.Run(mode, func(t *testing.T) {
			rig := newAccountRig(t, mode)
			if _, err := rig.svc.CreateUser(t.Context(), "known@example.org", "", false); err != nil {
				t.Fatal(err)
			}
			b := rig.browser(t)
			r1, known := b.do("POST", "/signin", url.Values{"email": {"known@example.org"}}, nil)
			r2, unknown := b.do("POST", "/signin", url.Values{"email": {"stranger@example.org"}}, nil)
			if r1.StatusCode != r2.StatusCode || known != unknown {
				t.Errorf("known: %d, unknown: %d; bodies equal: %v", r1.StatusCode, r2.StatusCode, known == unknown)
			}
			rig.svc.Flush()
			var to []string
			for _, m := range rig.mbox.Messages() {
				to = append(to, m.EnvelopeTo...)
			}
			want := "known@example.org stranger@example.org"
			if mode == account.SignupClosed {
				want = "known@example.org"
			}
			slices.Sort(to) // sent in the background, in either order
			if got := strings.Join(to, " "); got != want {
				t.Errorf("mailed %q, want %q", got, want)
			}
		})
	}
}

func TestClosedSignupConfirmsOnlyKnown(t *testing.T) {
	rig := newAccountRig(t, account.SignupClosed)
	if _, err := rig.svc.CreateUser(t.Context(), "known@example.org", "", true); err != nil {
		t.Fatal(err)
	}
	b := rig.browser(t)
	b.signIn("known@example.org")
	if got := b.signedInAs(); got != "known@example.org" {
		t.Errorf("signed in as %q, want known@example.org", got)
	}
}

func TestSignInRateLimits(t *testing.T) {
	t.Run("per address", func(t *testing.T) {
		rig := newAccountRig(t, account.SignupOpen)
		b := rig.browser(t)
		var got []int
		for range 4 {
			resp, _ := b.do("POST", "/signin", url.Values{"email": {"ada@example.org"}}, nil)
			got = append(got, resp.StatusCode)
		}
		if want := []int{200, 200, 200, 429}; !slices.Equal(got, want) {
			t.Errorf("statuses %v, want %v", got, want)
		}
		rig.clock.Add(10 * time.Minute)
		b.wantStatus("POST", "/signin", url.Values{"email": {"ada@example.org"}}, http.StatusOK)
	})
	t.Run("per network", func(t *testing.T) {
		rig := newAccountRig(t, account.SignupOpen)
		b := rig.browser(t)
		var got []int
		for i := range 11 {
			resp, _ := b.do("POST", "/signin", url.Values{"email": {string(rune('a'+i)) + "@example.org"}}, nil)
			got = append(got, resp.StatusCode)
		}
		if got[9] != 200 || got[10] != 429 {
			t.Errorf("statuses %v, want ten 200s then 429", got)
		}
	})
}
