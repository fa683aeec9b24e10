package digest

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/mail"
	"paperboy/internal/mail/mailtest"
)

func smtpSender(t *testing.T, srv *mailtest.Server) *mail.SMTPSender {
	t.Helper()
	s, err := mail.NewSMTPSender(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var linkRE = regexp.MustCompile(`https://papers\.example\.org/[a-z/]+\?token=[A-Za-z0-9_.-]+`)

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}

// TestSubscribeConfirmDeliver follows one reader: subscribe, confirm,
// receive the digest at 7:00 in their zone, never the same paper twice,
// unsubscribe.
func TestSubscribeConfirmDeliver(t *testing.T) {
	ctx := context.Background()
	srv := mailtest.Start(t, mailtest.Options{})
	r := newRig(t, smtpSender(t, srv))

	// The same answer for a new and a known address; one e-mail only.
	for range 2 {
		if ok, err := r.svc.Subscribe(ctx, "Reader@Example.org", "192.0.2.1", nil, ""); err != nil || ok {
			t.Fatalf("Subscribe = %v, %v; want false, nil", ok, err)
		}
	}
	r.svc.Flush()
	msgs := srv.Messages()
	if len(msgs) != 2 || msgs[0].Subject() != "Confirm your paperboy digest" {
		t.Fatalf("got %d messages, want 2 confirmations (pending address asked twice)", len(msgs))
	}
	link := linkRE.FindString(msgs[0].Text)
	if !strings.Contains(link, "/subscribe/confirm?token=") {
		t.Fatalf("no confirmation link in:\n%s", msgs[0].Text)
	}
	// Nothing is sent before confirmation, however often the scheduler runs.
	r.clock.t = date("2025-03-04T12:00:00Z")
	if st, err := r.svc.Tick(ctx, r.clock.t); err != nil || st.Considered != 0 {
		t.Fatalf("Tick before confirmation = %+v, %v; want nothing considered", st, err)
	}
	if err := r.svc.ConfirmToken(ctx, tokenOf(t, link)); err != nil {
		t.Fatalf("ConfirmToken: %v", err)
	}
	sub, err := r.svc.Confirm(ctx, tokenOf(t, link))
	if err != nil {
		t.Fatalf("Confirm: %v", err)
	}
	p := sub.Prefs
	p.TimeZone, p.Categories, p.Trending, p.MaxItems = "Europe/Paris", []string{"cs.LG"}, false, 2
	if _, err := r.svc.SavePreferences(ctx, r.svc.PrefsToken(sub), p); err != nil {
		t.Fatalf("SavePreferences: %v", err)
	}
	// 7:00 in Paris on 5 March is 6:00 UTC: nothing at 5:59, the digest at 6:00.
	if st, _ := r.svc.Tick(ctx, date("2025-03-05T05:59:00Z")); st.Considered != 0 {
		t.Errorf("due before the local send hour: %+v", st)
	}
	r.clock.t = date("2025-03-05T06:00:00Z")
	st, err := r.svc.Tick(ctx, r.clock.t)
	if err != nil || st.Enqueued != 1 {
		t.Fatalf("Tick at the send hour = %+v, %v; want 1 enqueued", st, err)
	}
	if st, err := r.svc.Tick(ctx, r.clock.t.Add(time.Minute)); err != nil || st.Considered != 0 {
		t.Errorf("second tick = %+v, %v; want nothing due", st, err)
	}
	if st, err := r.svc.Deliver(ctx); err != nil || st.Sent != 1 {
		t.Fatalf("Deliver = %+v, %v; want 1 sent", st, err)
	}
	first := srv.Messages()[2]
	if got, want := first.Subject(), "paperboy · Wed 5 Mar 2025 · 2 papers for you"; got != want {
		t.Errorf("subject %q, want %q", got, want)
	}
	// Next day nothing new: an empty issue is not sent.
	r.clock.t = date("2025-03-06T06:00:00Z")
	if st, err := r.svc.Tick(ctx, r.clock.t); err != nil || st.Empty != 1 {
		t.Fatalf("Tick with nothing new = %+v, %v; want one empty issue", st, err)
	}
	// A new version of a sent paper and a new paper arrive: only the new
	// paper is sent, whatever the version of the old one.
	v2 := fixturePapers()[0]
	v2.Version, v2.Updated, v2.Title = 2, date("2025-03-06T10:00:00Z"), "Diffusion models for video generation (v2)"
	fresh := fixturePapers()[1]
	fresh.ID, fresh.Title, fresh.Submitted, fresh.Updated = "2503.00006", "Fresh sparse models", date("2025-03-06T09:00:00Z"), date("2025-03-06T09:00:00Z")
	if _, err := r.store.UpsertPapers(ctx, []*paperboy.Paper{v2, fresh}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.eng.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	r.clock.t = date("2025-03-07T06:00:00Z")
	if _, err := r.svc.Tick(ctx, r.clock.t); err != nil {
		t.Fatal(err)
	}
	if st, err := r.svc.Deliver(ctx); err != nil || st.Sent != 1 {
		t.Fatalf("Deliver = %+v, %v; want 1 sent", st, err)
	}
	second := srv.Messages()[3]
	if got, want := paperIDs(second.Text), []string{"2503.00006"}; !slices.Equal(got, want) {
		t.Errorf("second issue has %v, want %v (first had %v)", got, want, paperIDs(first.Text))
	}
	// One-click unsubscribe from the List-Unsubscribe URL stops everything.
	unsub := strings.Trim(strings.Split(second.Header.Get("List-Unsubscribe"), ",")[0], "<> ")
	if _, err := r.svc.Unsubscribe(ctx, tokenOf(t, unsub)); err != nil {
		t.Fatalf("Unsubscribe: %v", err)
	}
	r.clock.t = date("2025-03-08T06:00:00Z")
	if st, _ := r.svc.Tick(ctx, r.clock.t); st.Considered != 0 {
		t.Errorf("tick after unsubscribe considered %d", st.Considered)
	}
	if n := len(srv.Messages()); n != 4 {
		t.Errorf("%d messages in all, want 4", n)
	}
}

var paperURLRE = regexp.MustCompile(`/papers/(\d{4}\.\d{5})`)

func paperIDs(text string) []string {
	var ids []string
	for _, m := range paperURLRE.FindAllStringSubmatch(text, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// TestDigestGolden renders one issue through a real SMTP server and
// compares both parts and the list headers with golden files.
func TestDigestGolden(t *testing.T) {
	ctx := context.Background()
	srv := mailtest.Start(t, mailtest.Options{})
	r := newRig(t, smtpSender(t, srv))
	p := paperboy.DefaultDigestPrefs()
	p.Categories, p.Topics, p.Authors, p.Trending = []string{"math.PR"}, []string{"diffusion video"}, []string{"Ada Lovelace"}, true
	r.confirmed(t, "ada@example.org", p)
	if _, err := r.svc.RunDate(ctx, date("2025-03-03T00:00:00Z"), false); err != nil {
		t.Fatal(err)
	}
	if _, err := r.svc.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	var head strings.Builder
	for _, k := range []string{"From", "To", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post", "List-Id", "Auto-Submitted"} {
		v := m.Header.Get(k)
		if k == "Subject" {
			v = m.Subject()
		}
		head.WriteString(k + ": " + v + "\n")
	}
	if id := m.Header.Get("Message-ID"); !regexp.MustCompile(`^<digest\.20250303\.[0-9a-f]{20}@example\.org>$`).MatchString(id) {
		t.Errorf("Message-ID %q is not the stable digest ID", id)
	}
	// Both parts, as alternatives; the HTML stands alone: inline styles,
	// dark-mode colours, no remote image, script or stylesheet; math is
	// left as its TeX source in both parts.
	if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative") || m.Text == "" || m.HTML == "" {
		t.Errorf("Content-Type %q, text %d bytes, HTML %d bytes; want multipart/alternative with both parts", ct, len(m.Text), len(m.HTML))
	}
	for _, bad := range []string{"<img", "<script", "<link", "url("} {
		if strings.Contains(strings.ToLower(m.HTML), bad) {
			t.Errorf("the HTML part contains %q", bad)
		}
	}
	for _, want := range []string{`style="`, "prefers-color-scheme: dark", `name="color-scheme" content="light dark"`} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("the HTML part lacks %q", want)
		}
	}
	if math := `$O(n \log n)$`; !strings.Contains(m.Text, math) || !strings.Contains(m.HTML, math) {
		t.Errorf("the abstract's math %s is not shown as written in both parts", math)
	}
	golden(t, "digest.txt.golden", head.String()+"\n"+m.Text)
	golden(t, "digest.html.golden", m.HTML)
}
