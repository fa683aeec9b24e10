package server

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"paperboy/internal/account"
	"paperboy/internal/mail"
	"paperboy/internal/mail/mailtest"
	"paperboy/internal/store/sqlite"
)

// clock is a fake clock the tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// accountRig is the real server over a real SQLite file, sending through a
// real SMTP server, reached over real HTTP.
type accountRig struct {
	srv    *httptest.Server
	svc    *account.Service
	store  *sqlite.Store
	dbPath string // the SQLite file, to look into it
	mbox   *mailtest.Server
	clock  *clock
}

func newAccountRig(t *testing.T, signup string) *accountRig {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "paperboy.db")
	st, err := sqlite.Open(context.Background(), dbPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rig := &accountRig{store: st, dbPath: dbPath, mbox: mailtest.Start(t, mailtest.Options{Username: "relay", Password: "pw"}),
		clock: &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}}
	cfg := rig.mbox.Config()
	cfg.From = "paperboy <paperboy@example.org>"
	sender, err := mail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sender.Close() })
	var h http.Handler
	rig.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(rig.srv.Close)
	base, _ := url.Parse(rig.srv.URL)
	rig.svc = account.New(account.Config{Store: st, Mail: sender, BaseURL: base, Signup: signup, Now: rig.clock.Now})
	h = New(Deps{Papers: st, Accounts: rig.svc, Now: rig.clock.Now})
	return rig
}

// browser is an HTTP client with its own cookies that does not follow
// redirects, so tests see each response.
type browser struct {
	t   *testing.T
	rig *accountRig
	c   *http.Client
}

func (rig *accountRig) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, rig: rig, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// do sends a request and returns the response with its body read.
func (b *browser) do(method, path string, form url.Values, header http.Header) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.rig.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, string(data)
}

func (b *browser) wantStatus(method, path string, form url.Values, want int) (*http.Response, string) {
	b.t.Helper()
	resp, body := b.do(method, path, form, nil)
	if resp.StatusCode != want {
		b.t.Fatalf("%s %s: status %d, want %d\n%s", method, path, resp.StatusCode, want, body)
	}
	return resp, body
}

// requestLink asks for a sign-in link for email and returns the link from
// the e-mail that arrives.
func (b *browser) requestLink(email string) string {
	b.t.Helper()
	before := len(b.rig.mbox.Messages())
	b.wantStatus("POST", "/signin", url.Values{"email": {email}}, http.StatusOK)
	b.rig.svc.Flush()
	msgs := b.rig.mbox.Messages()
	if len(msgs) != before+1 {
		b.t.Fatalf("after asking for a link: %d new e-mails, want 1", len(msgs)-before)
	}
	return linkIn(b.t, msgs[len(msgs)-1].Text)
}

var linkRE = regexp.MustCompile(`http://\S+/signin/confirm\?token=\S+`)

func linkIn(t *testing.T, text string) string {
	t.Helper()
	link := linkRE.FindString(text)
	if link == "" {
		t.Fatalf("no sign-in link in e-mail:\n%s", text)
	}
	return link
}

func tokenOf(t *testing.T, link string) string {
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}

// signIn goes through the whole e-mail flow and returns the session cookie.
func (b *browser) signIn(email string) *http.Cookie {
	b.t.Helper()
	token := tokenOf(b.t, b.requestLink(email))
	resp, _ := b.wantStatus("POST", "/signin/confirm", url.Values{"token": {token}}, http.StatusSeeOther)
	for _, c := range resp.Cookies() {
		if c.Name == account.CookieName {
			return c
		}
	}
	b.t.Fatalf("sign-in set no %s cookie", account.CookieName)
	return nil
}

// signedInAs returns the address /settings shows, "" when it redirects to
// the sign-in page.
func (b *browser) signedInAs() string {
	b.t.Helper()
	resp, body := b.do("GET", "/settings", nil, nil)
	if resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/signin" {
		return ""
	}
	if resp.StatusCode != http.StatusOK {
		b.t.Fatalf("GET /settings: status %d", resp.StatusCode)
	}
	m := regexp.MustCompile(`Signed in as <strong>([^<]+)</strong>`).FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("settings page names nobody:\n%s", body)
	}
	return m[1]
}
