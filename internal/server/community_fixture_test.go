package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/account"
	"paperboy/internal/arxiv"
	"paperboy/internal/community"
	"paperboy/internal/mail"
	"paperboy/internal/mail/mailtest"
	"paperboy/internal/search"
	"paperboy/internal/store/sqlite"
	"paperboy/internal/trending"
)

// communityRig is an accountRig whose server has the community features,
// with a fake arXiv API serving the captured responses of
// internal/arxiv/testdata, plus 2299.00001, whose title and abstract carry
// markup.
type communityRig struct {
	*accountRig
	trending *trending.Service
	engine   *search.Engine // call Sync after adding papers
}

const hostileAtom = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
<entry><id>http://arxiv.org/abs/2212.00001v1</id>
<title>&lt;script&gt;alert("title")&lt;/script&gt; Attack</title>
<summary>&lt;img src=x onerror=alert(1)&gt; abstract</summary>
<published>2022-12-01T00:00:00Z</published><updated>2022-12-01T00:00:00Z</updated>
<author><name>&lt;b&gt;Mallory&lt;/b&gt;</name></author>
<category term="cs.CR"/></entry></feed>`

func newCommunityRig(t *testing.T) *communityRig {
	t.Helper()
	return newCommunityRigDaily(t, "")
}

// newCommunityRigDaily is newCommunityRig with a daily mode
// (community.DailySubmitted...; "" is auto).
func newCommunityRigDaily(t *testing.T, daily string) *communityRig {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "paperboy.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rig := &accountRig{store: st, mbox: mailtest.Start(t, mailtest.Options{Username: "relay", Password: "pw"}),
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
	rig.svc = account.New(account.Config{Store: st, Mail: sender, BaseURL: base, Now: rig.clock.Now})

	api := fakeArxivAPI(t)
	client := arxiv.NewClient("paperboy/test")
	client.MinInterval, client.Sleep = 0, func(ctx context.Context, d time.Duration) error { return ctx.Err() }
	tr := trending.New(trending.Config{Papers: st, Store: st, Now: rig.clock.Now})
	cm := community.New(community.Config{Papers: st, Store: st, Now: rig.clock.Now, Changed: tr.Poke, Daily: daily,
		Lookup: func(ctx context.Context, id paperboy.ArxivID) (*paperboy.Paper, error) {
			return client.LookupPaper(ctx, api.URL, id)
		}})
	engine := search.New(st, nil)
	h = New(Deps{Papers: st, Search: engine, Accounts: rig.svc, Now: rig.clock.Now, Community: cm, Trending: tr})
	p := &paperboy.Paper{ID: "2401.00001", Title: "Stored paper", Submitted: rig.clock.Now().Add(-time.Hour), Updated: rig.clock.Now()}
	if _, err := st.UpsertPapers(context.Background(), []*paperboy.Paper{p}); err != nil {
		t.Fatal(err)
	}
	return &communityRig{accountRig: rig, trending: tr, engine: engine}
}

func fakeArxivAPI(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		switch id := r.URL.Query().Get("id_list"); id {
		case "2212.00001":
			body = []byte(hostileAtom)
		case "2206.06921":
			body = mustRead(t, "atom_query_doc.xml")
		default:
			body = mustRead(t, "atom_query_empty.xml")
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func mustRead(t *testing.T, name string) []byte {
	b, err := os.ReadFile(filepath.Join("..", "arxiv", "testdata", name))
	if err != nil {
		t.Error(err)
	}
	return b
}

// user signs a new browser in as email, an admin if admin.
func (rig *communityRig) user(t *testing.T, email string, admin bool) (*browser, *paperboy.User) {
	t.Helper()
	u, err := rig.svc.CreateUser(context.Background(), email, strings.Split(email, "@")[0], admin)
	if err != nil {
		t.Fatal(err)
	}
	b := rig.browser(t)
	b.signIn(email)
	return b, u
}

// crossSite are the headers a browser adds to a form another site posts.
var crossSite = http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}
