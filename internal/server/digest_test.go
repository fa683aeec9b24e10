package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/digest"
	"paperboy/internal/mail"
	"paperboy/internal/search"
)

// newDigestRig is the account rig with the digest on, sending through the
// same real SMTP server.
func newDigestRig(t *testing.T) (*accountRig, *digest.Service) {
	t.Helper()
	rig := newAccountRig(t, "open")
	base, _ := url.Parse(rig.srv.URL)
	cfg := rig.mbox.Config()
	cfg.From = "paperboy <paperboy@example.org>"
	svc, err := digest.New(digest.Config{Store: rig.store, Papers: rig.store, Limits: rig.store, Mail: smtpSender(t, cfg),
		From: cfg.From, BaseURL: base, Secret: []byte("0123456789abcdef0123456789abcdef"), Now: rig.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	h := New(Deps{Papers: rig.store, Accounts: rig.svc, Digest: svc, Now: rig.clock.Now})
	rig.srv.Config.Handler = h
	return rig, svc
}

func subscriberStatus(t *testing.T, rig *accountRig, email string) string {
	t.Helper()
	sub, err := rig.store.SubscriberByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return sub.Status
}

func TestDigestSubscribeFlow(t *testing.T) {
	rig, svc := newDigestRig(t)
	b := rig.browser(t)
	_, home := b.wantStatus("GET", "/", nil, http.StatusOK)
	if !strings.Contains(home, `action="/subscribe" method="post"`) {
		t.Error("the front page has no subscribe form")
	}
	// The same page whether the address is new or known.
	_, first := b.wantStatus("POST", "/subscribe", url.Values{"email": {"reader@example.org"}}, http.StatusOK)
	_, again := b.wantStatus("POST", "/subscribe", url.Values{"email": {"reader@example.org"}}, http.StatusOK)
	_, other := b.wantStatus("POST", "/subscribe", url.Values{"email": {"other@example.org"}}, http.StatusOK)
	if first != again || first != other || !strings.Contains(first, "Check your inbox") {
		t.Errorf("subscribe pages differ by address, or say nothing:\n%s", first)
	}
	b.wantStatus("POST", "/subscribe", url.Values{"email": {"not an address"}}, http.StatusBadRequest)
	svc.Flush()
	link := ""
	for _, m := range rig.mbox.Messages() {
		if m.EnvelopeTo[0] == "reader@example.org" {
			link = strings.TrimSpace(strings.SplitAfter(m.Text[strings.Index(m.Text, "http"):], "\n")[0])
		}
	}
	path := strings.TrimPrefix(link, rig.srv.URL)
	if !strings.HasPrefix(path, "/subscribe/confirm?token=") {
		t.Fatalf("no confirmation link: %q", link)
	}
	// Opening the link, as a scanner would, confirms nothing.
	_, page := b.wantStatus("GET", path, nil, http.StatusOK)
	if got := subscriberStatus(t, rig, "reader@example.org"); got != paperboy.SubPending || !strings.Contains(page, `<form method="post"`) {
		t.Fatalf("after GET: status %q, form shown %v; want pending and a form", got, strings.Contains(page, "<form"))
	}
	tok := tokenOf(t, link)
	b.wantStatus("GET", "/subscribe/confirm?token="+url.QueryEscape(tok[:len(tok)-3]+"AAA"), nil, http.StatusBadRequest)
	_, done := b.wantStatus("POST", "/subscribe/confirm", url.Values{"token": {tok}}, http.StatusOK)
	if got := subscriberStatus(t, rig, "reader@example.org"); got != paperboy.SubConfirmed {
		t.Fatalf("after POST: status %q, want confirmed", got)
	}
	i := strings.Index(done, "/digest/preferences?token=")
	if i < 0 {
		t.Fatalf("no preferences link after confirming:\n%s", done)
	}
	prefsPath := strings.ReplaceAll(done[i:i+strings.IndexByte(done[i:], '"')], "&amp;", "&")

	// Preferences: a bad zone is refused on the form, a good one saved.
	_, form := b.wantStatus("GET", prefsPath, nil, http.StatusOK)
	if !strings.Contains(form, "reader@example.org") || !strings.Contains(form, "timezone.js") {
		t.Error("preferences form lacks the address or the time zone script")
	}
	prefsTok := tokenOf(t, rig.srv.URL+prefsPath)
	vals := url.Values{"token": {prefsTok}, "frequency": {"weekly"}, "send_hour": {"8"}, "timezone": {"Mars/Base"},
		"max_items": {"5"}, "categories": {"cs.LG\n\nmath.PR"}, "trending": {"on"}}
	_, bad := b.wantStatus("POST", "/digest/preferences", vals, http.StatusBadRequest)
	if !strings.Contains(bad, "Mars/Base") {
		t.Errorf("the form does not say the zone is wrong:\n%s", bad)
	}
	vals.Set("timezone", "Europe/Paris")
	b.wantStatus("POST", "/digest/preferences", vals, http.StatusOK)
	sub, err := rig.store.SubscriberByEmail(context.Background(), "reader@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if p := sub.Prefs; p.Frequency != "weekly" || p.SendHour != 8 || p.TimeZone != "Europe/Paris" || len(p.Categories) != 2 || sub.NextDue.IsZero() {
		t.Errorf("saved prefs %+v, next due %v", p, sub.NextDue)
	}

	// Unsubscribe: GET shows a button; the RFC 8058 one-click POST, as a
	// mail provider sends it (no Origin, no cookies), unsubscribes.
	unsub := strings.TrimPrefix(svc.UnsubscribeLink(sub), rig.srv.URL)
	b.wantStatus("GET", unsub, nil, http.StatusOK)
	if got := subscriberStatus(t, rig, "reader@example.org"); got != paperboy.SubConfirmed {
		t.Fatalf("GET of the unsubscribe link changed the status to %q", got)
	}
	resp, err := http.Post(rig.srv.URL+unsub, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := subscriberStatus(t, rig, "reader@example.org"); resp.StatusCode != http.StatusOK || got != paperboy.SubUnsubscribed {
		t.Errorf("one-click POST: %d, status %q; want 200, unsubscribed", resp.StatusCode, got)
	}
	// A cross-site form post is refused (CSRF).
	resp2, _ := b.do("POST", "/subscribe", url.Values{"email": {"x@example.org"}}, http.Header{"Sec-Fetch-Site": {"cross-site"}})
	if resp2.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site subscribe: %d, want 403", resp2.StatusCode)
	}
}

func TestDigestMailEventsAPI(t *testing.T) {
	rig, _ := newDigestRig(t)
	ctx := context.Background()
	admin, err := rig.svc.CreateUser(ctx, "admin@example.org", "", true)
	if err != nil {
		t.Fatal(err)
	}
	user, err := rig.svc.CreateUser(ctx, "user@example.org", "", false)
	if err != nil {
		t.Fatal(err)
	}
	_, adminTok, err := rig.svc.CreateAPIToken(ctx, admin, "relay")
	if err != nil {
		t.Fatal(err)
	}
	_, userTok, err := rig.svc.CreateAPIToken(ctx, user, "mine")
	if err != nil {
		t.Fatal(err)
	}
	post := func(tok, body string) int {
		req, _ := http.NewRequest("POST", rig.srv.URL+"/api/v1/mail/events", strings.NewReader(body))
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	ev := `{"type":"complaint","email":"Reader@Example.org"}`
	tests := []struct {
		tok, body string
		want      int
	}{
		{"", ev, http.StatusUnauthorized},
		{userTok, ev, http.StatusForbidden},
		{adminTok, `{"type":"dance","email":"a@example.org"}`, http.StatusBadRequest},
		{adminTok, `{"type":"bounce","message_id":"nope@example.org"}`, http.StatusNotFound},
		{adminTok, ev, http.StatusNoContent},
	}
	for _, tt := range tests {
		if got := post(tt.tok, tt.body); got != tt.want {
			t.Errorf("POST %s: %d, want %d", tt.body, got, tt.want)
		}
	}
	if ok, err := rig.store.Suppressed(ctx, "reader@example.org"); err != nil || !ok {
		t.Errorf("after a complaint: suppressed %v, %v", ok, err)
	}
	req, _ := http.NewRequest("GET", rig.srv.URL+"/api/v1/digest/stats?days=2", nil)
	req.Header.Set("Authorization", "Bearer "+adminTok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Days []struct {
			Date       string `json:"date"`
			Suppressed int    `json:"suppressed"`
		} `json:"days"`
	}
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil || len(got.Days) != 2 || got.Days[1].Suppressed != 1 || got.Days[1].Date != "2025-03-01" {
		t.Errorf("stats = %s (%v); want two days, one suppression on 2025-03-01", buf.String(), err)
	}
}

func smtpSender(t *testing.T, cfg mail.SMTPConfig) *mail.SMTPSender {
	t.Helper()
	s, err := mail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestDigestFollowSearch: the search page's footer form subscribes with the
// search as a topic; a known address only gets an e-mailed offer, which
// changes nothing until its owner saves the preferences form.
func TestDigestFollowSearch(t *testing.T) {
	rig, svc := newDigestSearchRig(t)
	ctx := context.Background()
	b := rig.browser(t)

	_, page := b.wantStatus("GET", "/search?q=diphoton", nil, http.StatusOK)
	if !strings.Contains(page, `<input type="hidden" name="topic" value="diphoton">`) {
		t.Fatalf("the search page's subscribe form does not offer the search as a topic")
	}
	b.wantStatus("POST", "/subscribe", url.Values{"email": {"new@example.org"}, "topic": {"after:2019-13-01"}}, http.StatusBadRequest)

	// A new address starts with the topic.
	b.wantStatus("POST", "/subscribe", url.Values{"email": {"new@example.org"}, "topic": {"diphoton"}}, http.StatusOK)
	sub, err := rig.store.SubscriberByEmail(ctx, "new@example.org")
	if err != nil || len(sub.Prefs.Topics) != 1 || sub.Prefs.Topics[0] != "diphoton" {
		t.Fatalf("new subscriber's topics = %v (%v), want [diphoton]", sub.Prefs.Topics, err)
	}

	// A confirmed address: same answer, prefs untouched, an offer mailed.
	known := &paperboy.Subscriber{Email: "known@example.org", Status: paperboy.SubConfirmed, Prefs: paperboy.DefaultDigestPrefs(), Created: rig.clock.Now()}
	if err := rig.store.CreateSubscriber(ctx, known); err != nil {
		t.Fatal(err)
	}
	_, answer := b.wantStatus("POST", "/subscribe", url.Values{"email": {"known@example.org"}, "topic": {"diphoton"}}, http.StatusOK)
	_, answerNew := b.wantStatus("POST", "/subscribe", url.Values{"email": {"other@example.org"}, "topic": {"diphoton"}}, http.StatusOK)
	if answer != answerNew {
		t.Errorf("the answer differs for a known address")
	}
	svc.Flush()
	if sub, _ := rig.store.SubscriberByEmail(ctx, "known@example.org"); len(sub.Prefs.Topics) != 0 {
		t.Fatalf("a request by anyone changed a confirmed subscriber's topics to %v", sub.Prefs.Topics)
	}
	link := ""
	for _, m := range rig.mbox.Messages() {
		if m.EnvelopeTo[0] == "known@example.org" && strings.Contains(m.Text, "add_topic=diphoton") {
			link = strings.TrimSpace(strings.SplitAfter(m.Text[strings.Index(m.Text, rig.srv.URL):], "\n")[0])
		}
	}
	if link == "" {
		t.Fatal("no e-mail offering the topic to known@example.org")
	}
	_, form := b.wantStatus("GET", strings.TrimPrefix(link, rig.srv.URL), nil, http.StatusOK)
	if !strings.Contains(form, "press Save to follow it") || !strings.Contains(form, ">diphoton</textarea>") {
		t.Errorf("the preferences form does not offer the topic:\n%s", form)
	}
}

// newDigestSearchRig is the account rig with the fixture papers, a search
// engine and the digest on.
func newDigestSearchRig(t *testing.T) (*accountRig, *digest.Service) {
	t.Helper()
	rig := newAccountRig(t, "open")
	ctx := context.Background()
	if _, err := rig.store.UpsertPapers(ctx, loadFixtures(t)); err != nil {
		t.Fatal(err)
	}
	engine := search.New(rig.store, nil)
	if _, err := engine.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(rig.srv.URL)
	cfg := rig.mbox.Config()
	cfg.From = "paperboy <paperboy@example.org>"
	svc, err := digest.New(digest.Config{Store: rig.store, Papers: rig.store, Search: engine, Limits: rig.store, Mail: smtpSender(t, cfg),
		From: cfg.From, BaseURL: base, Secret: []byte("0123456789abcdef0123456789abcdef"), Now: rig.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	rig.srv.Config.Handler = New(Deps{Papers: rig.store, Search: engine, Accounts: rig.svc, Digest: svc, Now: rig.clock.Now})
	return rig, svc
}

// TestDigestFromSettings: a signed-in user subscribes their own address
// with no confirmation e-mail (sign-in proved it), and /subscribe, linked
// from the settings, then shows the subscription and its preferences.
func TestDigestFromSettings(t *testing.T) {
	rig, svc := newDigestRig(t)
	b := rig.browser(t)
	b.signIn("me@example.org")
	_, form := b.wantStatus("GET", "/subscribe", nil, http.StatusOK)
	if !strings.Contains(form, `value="me@example.org"`) {
		t.Errorf("the form is not filled in with the signed-in address:\n%s", form)
	}
	before := len(rig.mbox.Messages())
	_, done := b.wantStatus("POST", "/subscribe", url.Values{"email": {"me@example.org"}}, http.StatusOK)
	svc.Flush()
	if got := subscriberStatus(t, rig, "me@example.org"); got != paperboy.SubConfirmed {
		t.Fatalf("own address: status %q, want confirmed at once", got)
	}
	if n := len(rig.mbox.Messages()) - before; n != 0 {
		t.Errorf("%d e-mails sent for a signed-in user's own address, want none", n)
	}
	if !strings.Contains(done, "You are subscribed: digests come at 7:00 UTC, daily") || !strings.Contains(done, "/digest/preferences?token=") {
		t.Errorf("the answer does not confirm or link to the preferences:\n%s", done)
	}
	_, page := b.wantStatus("GET", "/subscribe", nil, http.StatusOK)
	i := strings.Index(page, "/digest/preferences?token=")
	if i < 0 || !strings.Contains(page, "me@example.org gets the digest") {
		t.Fatalf("the signed-in page does not show the subscription:\n%s", page)
	}
	prefs := strings.ReplaceAll(page[i:i+strings.IndexByte(page[i:], '"')], "&amp;", "&")
	if _, p := b.wantStatus("GET", prefs, nil, http.StatusOK); !strings.Contains(p, "Digest preferences") {
		t.Errorf("the preferences link does not open the preferences:\n%s", p)
	}
	// Subscribing the own address again says so; another address is
	// answered as for anyone.
	if _, again := b.wantStatus("POST", "/subscribe", url.Values{"email": {"me@example.org"}}, http.StatusOK); !strings.Contains(again, "You are subscribed") {
		t.Errorf("resubscribing the own address:\n%s", again)
	}
	if _, other := b.wantStatus("POST", "/subscribe", url.Values{"email": {"someone@example.org"}}, http.StatusOK); !strings.Contains(other, "Check your inbox") {
		t.Errorf("another address while signed in:\n%s", other)
	}
	// Another browser, not signed in, sees only the form.
	if _, anon := rig.browser(t).wantStatus("GET", "/subscribe", nil, http.StatusOK); strings.Contains(anon, "/digest/preferences") {
		t.Errorf("an anonymous visitor sees a preferences link:\n%s", anon)
	}
}

// TestDigestFeedbackAndAdmin: a feedback link from a digest shows a button
// (GET records nothing), the POST records it; the admin page and preview
// are for admins only.
func TestDigestFeedbackAndAdmin(t *testing.T) {
	rig, svc := newDigestSearchRig(t)
	ctx := context.Background()
	nb, err := rig.store.Days(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	day := nb.Day.AddDate(0, 0, 1)
	p := paperboy.DefaultDigestPrefs()
	reader := &paperboy.Subscriber{Email: "reader@example.org", Status: paperboy.SubConfirmed, Prefs: p, Created: rig.clock.Now(), Confirmed: rig.clock.Now()}
	if err := rig.store.CreateSubscriber(ctx, reader); err != nil {
		t.Fatal(err)
	}
	m, err := svc.Preview(ctx, "reader@example.org", day)
	if err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`/digest/feedback\?token=[A-Za-z0-9_.-]+`).FindString(m.Text)
	if link == "" {
		t.Fatalf("no feedback link in the digest:\n%s", m.Text)
	}
	b := rig.browser(t)
	_, page := b.wantStatus("GET", link, nil, http.StatusOK)
	if !strings.Contains(page, `<form method="post"`) || !strings.Contains(page, "More like this") {
		t.Errorf("the feedback link does not show a button:\n%s", page)
	}
	if fb, err := rig.store.Feedback(ctx, reader.ID); err != nil || len(fb) != 0 {
		t.Fatalf("after GET: feedback %v, %v; want none recorded", fb, err)
	}
	tok := tokenOf(t, rig.srv.URL+link)
	b.wantStatus("POST", "/digest/feedback", url.Values{"token": {tok[:len(tok)-2] + "AA"}}, http.StatusBadRequest)
	b.wantStatus("POST", "/digest/feedback", url.Values{"token": {tok}}, http.StatusOK)
	fb, err := rig.store.Feedback(ctx, reader.ID)
	if err != nil || len(fb) != 1 || fb[0].Kind != paperboy.FeedbackMore {
		t.Fatalf("after POST: feedback %+v, %v; want one 'more'", fb, err)
	}

	preview := "/admin/digest/preview?email=reader%40example.org&date=" + day.Format(time.DateOnly)
	user := rig.browser(t)
	user.signIn("user@example.org")
	user.wantStatus("GET", "/admin/digest", nil, http.StatusForbidden)
	user.wantStatus("GET", preview, nil, http.StatusForbidden)
	if _, err := rig.svc.CreateUser(ctx, "admin@example.org", "", true); err != nil {
		t.Fatal(err)
	}
	admin := rig.browser(t)
	admin.signIn("admin@example.org")
	if _, page := admin.wantStatus("GET", "/admin/digest", nil, http.StatusOK); !strings.Contains(page, "<th>Suppressed</th>") || !strings.Contains(page, `action="/admin/digest/preview"`) {
		t.Errorf("the admin page lacks the counts or the preview form:\n%s", page)
	}
	_, html := admin.wantStatus("GET", preview, nil, http.StatusOK)
	if m, err = svc.Preview(ctx, "reader@example.org", day); err != nil { // after the feedback
		t.Fatal(err)
	}
	if html != m.HTML {
		t.Errorf("the browser preview differs from the rendered HTML part")
	}
	admin.wantStatus("GET", "/admin/digest/preview?email=nobody%40example.org", nil, http.StatusNotFound)

	// Without a date the preview is today's by the server's clock, not the
	// machine's.
	_, html = admin.wantStatus("GET", "/admin/digest/preview?email=reader%40example.org", nil, http.StatusOK)
	if m, err = svc.Preview(ctx, "reader@example.org", rig.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if html != m.HTML {
		t.Errorf("the preview without a date is not the one for %s, the server clock's day", rig.clock.Now().Format(time.DateOnly))
	}
}
