package server

import (
	"bytes"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
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

// unsafeRoutes reads every POST, PUT, PATCH and DELETE pattern from the
// route tables' source, so a route added later is checked too. A paper ID
// spliced into a pattern ("POST /papers/"+id+"/upvote") becomes
// 2401.00001; other wildcards become 1.
func unsafeRoutes(t *testing.T) []string {
	t.Helper()
	handle := regexp.MustCompile(`mux\.Handle(?:Func)?\("((?:POST|PUT|PATCH|DELETE) [^,]*),`)
	var routes []string
	for _, file := range []string{"routes.go", "account.go", "community.go", "digest.go"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range handle.FindAllStringSubmatch(string(src), -1) {
			r := strings.ReplaceAll(m[1], `"+id+"`, "2401.00001")
			r = regexp.MustCompile(`\{[a-z]+\.*\}`).ReplaceAllString(strings.Trim(r, `"`), "1")
			routes = append(routes, r)
		}
	}
	return routes
}

// TestEveryUnsafeRouteRefusesCrossSite walks every state-changing route of
// the route tables: a request another site's page makes with the user's
// cookies is refused before it reaches the handler, and the same request
// from paperboy's own pages is not refused as cross-site.
func TestEveryUnsafeRouteRefusesCrossSite(t *testing.T) {
	rig := newCommunityRig(t)
	routes := unsafeRoutes(t)
	if len(routes) < 20 {
		t.Fatalf("found %d unsafe routes in the route tables, want 20 or more: %v", len(routes), routes)
	}
	t.Logf("%d unsafe routes: %v", len(routes), routes)
	victim, _ := rig.user(t, "root@example.org", true)
	probe, _ := rig.user(t, "probe@example.org", true) // same-origin requests: they may end its session
	sameSite := http.Header{"Origin": {rig.srv.URL}, "Sec-Fetch-Site": {"same-origin"}}
	for _, route := range routes {
		method, path, _ := strings.Cut(route, " ")
		for _, h := range []http.Header{crossSite, {"Sec-Fetch-Site": {"cross-site"}}, {"Origin": {"https://evil.example"}}} {
			resp, body := victim.do(method, path, url.Values{"body": {"forged"}, "name": {"forged"}}, h)
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "sent from another site") {
				t.Errorf("cross-site %s %s (%v): %d, want 403 as cross-site", method, path, h, resp.StatusCode)
			}
		}
		if path == "/signout" {
			continue // would sign the probe out for the routes after it
		}
		resp, body := probe.do(method, path, url.Values{}, sameSite)
		if strings.Contains(body, "sent from another site") {
			t.Errorf("same-origin %s %s: %d, refused as cross-site", method, path, resp.StatusCode)
		}
	}
	if got := victim.signedInAs(); got != "root@example.org" {
		t.Errorf("after the forged requests signed in as %q", got)
	}
	_, page := victim.wantStatus("GET", "/papers/2401.00001", nil, http.StatusOK)
	if strings.Contains(page, "forged") || voteCount.FindStringSubmatch(page)[1] != "0" {
		t.Error("a forged request changed the paper page")
	}
}

// TestSessionCookieSecureOverTLS signs in over HTTPS: the session cookie is
// Secure, HttpOnly and SameSite=Lax, and works over TLS.
func TestSessionCookieSecureOverTLS(t *testing.T) {
	rig := newAccountRig(t, account.SignupOpen)
	tlsSrv := httptest.NewTLSServer(rig.srv.Config.Handler)
	t.Cleanup(tlsSrv.Close)
	b := rig.browser(t)
	token := tokenOf(t, b.requestLink("ada@example.org"))
	c := tlsSrv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.PostForm(tlsSrv.URL+"/signin/confirm", url.Values{"token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var sess *http.Cookie
	for _, rc := range resp.Cookies() {
		if rc.Name == account.CookieName {
			sess = rc
		}
	}
	if resp.StatusCode != http.StatusSeeOther || sess == nil || !sess.Secure || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode {
		t.Fatalf("sign-in over TLS: %d, cookie %+v; want 303 and a Secure, HttpOnly, SameSite=Lax cookie", resp.StatusCode, sess)
	}
	req, _ := http.NewRequest("GET", tlsSrv.URL+"/settings", nil)
	req.AddCookie(sess)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /settings over TLS with the session: %d, want 200", resp.StatusCode)
	}
}

// TestSecretsStoredHashed looks into the SQLite files (database and
// write-ahead log) after a sign-in, a pending link and an API token: none
// of the secrets the user holds is there, only their SHA-256 hashes.
func TestSecretsStoredHashed(t *testing.T) {
	rig := newAccountRig(t, account.SignupOpen)
	b := rig.browser(t)
	cookie := b.signIn("ada@example.org")
	pending := tokenOf(t, b.requestLink("ada@example.org"))
	_, body := b.wantStatus("POST", "/settings/tokens", url.Values{"name": {"script"}}, http.StatusCreated)
	apiToken := regexp.MustCompile(`pb_[A-Za-z0-9_-]{43}`).FindString(body)
	if apiToken == "" {
		t.Fatal("no API token shown")
	}
	files, err := filepath.Glob(rig.dbPath + "*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no database files at %s: %v", rig.dbPath, err)
	}
	var db []byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		db = append(db, data...)
	}
	for name, secret := range map[string]string{"session cookie": cookie.Value, "pending sign-in link": pending, "API token": apiToken} {
		if bytes.Contains(db, []byte(secret)) {
			t.Errorf("the %s is stored in the clear", name)
		}
		if sum := sha256.Sum256([]byte(secret)); !bytes.Contains(db, sum[:]) {
			t.Errorf("the %s's SHA-256 hash is not stored", name)
		}
	}
}

// TestTokenOfAnotherUser checks that nobody can revoke another user's API
// token: the attempt is a 404 and the token keeps working.
func TestTokenOfAnotherUser(t *testing.T) {
	rig := newAccountRig(t, account.SignupOpen)
	ada, eve := rig.browser(t), rig.browser(t)
	ada.signIn("ada@example.org")
	eve.signIn("eve@example.org")
	_, body := ada.wantStatus("POST", "/settings/tokens", url.Values{"name": {"ada-laptop"}}, http.StatusCreated)
	secret := regexp.MustCompile(`pb_[A-Za-z0-9_-]{43}`).FindString(body)
	id := regexp.MustCompile(`/settings/tokens/(\d+)/delete`).FindStringSubmatch(body)
	if secret == "" || id == nil {
		t.Fatal("no token or revoke form")
	}
	eve.wantStatus("POST", "/settings/tokens/"+id[1]+"/delete", url.Values{}, http.StatusNotFound)
	var me struct {
		Email string `json:"email"`
	}
	if status := getMe(t, rig, secret, &me); status != http.StatusOK || me.Email != "ada@example.org" {
		t.Errorf("after eve's attempt ada's token answers %d as %q", status, me.Email)
	}
	if _, page := eve.wantStatus("GET", "/settings", nil, http.StatusOK); strings.Contains(page, "ada-laptop") {
		t.Error("eve's settings list ada's token")
	}
}
