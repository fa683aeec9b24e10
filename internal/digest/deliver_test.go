package digest

import (
	"context"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"paperboy"
	"paperboy/internal/digest/smtpsink"
	"paperboy/internal/mail"
)

// TestDeliverRetriesAndSuppresses: a 4xx is retried after a backoff and
// then delivered; a 5xx fails for good and suppresses the address; a hard
// bounce reported later marks the issue and suppresses its address.
func TestDeliverRetriesAndSuppresses(t *testing.T) {
	ctx := context.Background()
	sink, err := smtpsink.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	sink.Reject = func(rcpt string, tries int) *smtp.SMTPError {
		switch {
		case rcpt == "busy@example.org" && tries == 0:
			return &smtp.SMTPError{Code: 451, Message: "try again later"}
		case rcpt == "gone@example.org":
			return &smtp.SMTPError{Code: 550, Message: "no such mailbox"}
		}
		return nil
	}
	sender, err := mail.NewSMTPSender(sink.Config("paperboy <digest@example.org>"))
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	r := newRig(t, sender)
	p := paperboy.DefaultDigestPrefs()
	p.Categories, p.SendEmpty = []string{"cs.LG"}, true
	for _, e := range []string{"busy@example.org", "gone@example.org", "fine@example.org"} {
		r.confirmed(t, e, p)
	}
	day := date("2025-03-03T00:00:00Z")
	if _, err := r.svc.RunDate(ctx, day, false); err != nil {
		t.Fatal(err)
	}
	st, err := r.svc.Deliver(ctx)
	if err != nil || st.Sent != 1 || st.Deferred != 1 || st.Failed != 1 {
		t.Fatalf("first delivery = %+v, %v; want 1 sent, 1 deferred, 1 failed", st, err)
	}
	if ok, _ := r.store.Suppressed(ctx, "gone@example.org"); !ok {
		t.Error("a 5xx did not suppress the address")
	}
	// Not before the backoff; then it goes.
	r.clock.t = r.clock.t.Add(30 * time.Second)
	if st, _ := r.svc.Deliver(ctx); st.Sent != 0 {
		t.Errorf("retried before the backoff: %+v", st)
	}
	r.clock.t = r.clock.t.Add(time.Minute)
	if st, err := r.svc.Deliver(ctx); err != nil || st.Sent != 1 {
		t.Fatalf("retry = %+v, %v; want 1 sent", st, err)
	}
	busy, _ := r.store.SubscriberByEmail(ctx, "busy@example.org")
	is, err := r.store.Issue(ctx, busy.ID, day)
	if err != nil || is.Status != paperboy.IssueSent || is.Attempts != 2 {
		t.Errorf("retried issue = %+v, %v; want sent after 2 attempts", is, err)
	}
	// The relay reports a hard bounce for the fine address's message.
	fine, _ := r.store.SubscriberByEmail(ctx, "fine@example.org")
	fineIssue, _ := r.store.Issue(ctx, fine.ID, day)
	if err := r.svc.HandleMailEvent(ctx, MailEvent{Type: EventBounce, MessageID: "<" + fineIssue.MessageID + ">"}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := r.store.Suppressed(ctx, "fine@example.org"); !ok {
		t.Error("a hard bounce did not suppress the address")
	}
	if got := sink.ByRecipient(); len(got["busy@example.org"]) != 1 || len(got["fine@example.org"]) != 1 || len(got["gone@example.org"]) != 0 {
		t.Errorf("sink got %v", got)
	}
	// Suppressed addresses get nothing more.
	r.clock.t = date("2025-03-10T00:00:00Z")
	if _, err := r.svc.RunDate(ctx, r.clock.t, false); err != nil {
		t.Fatal(err)
	}
	if st, _ := r.svc.Deliver(ctx); st.Sent != 1 || st.Skipped != 2 {
		t.Errorf("after suppression: %+v; want only busy@ sent, the others skipped", st)
	}
}

// TestPauseCatchUp: no issue while paused, then one catch-up issue with
// the best papers missed.
func TestPauseCatchUp(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, &mail.LogSender{})
	p := paperboy.DefaultDigestPrefs()
	p.Trending, p.Categories = false, []string{"cs.LG", "math.PR"}
	sub := r.confirmed(t, "ada@example.org", p)
	// One issue before the pause, with nothing new in it but the fixtures.
	if _, err := r.svc.RunDate(ctx, date("2025-02-28T00:00:00Z"), false); err != nil {
		t.Fatal(err)
	}
	p.PausedUntil = date("2025-03-10T00:00:00Z")
	if _, err := r.svc.SavePreferences(ctx, r.svc.PrefsToken(sub), p); err != nil {
		t.Fatal(err)
	}
	got, _ := r.store.Subscriber(ctx, sub.ID)
	if want := date("2025-03-10T07:00:00Z"); !got.NextDue.Equal(want) {
		t.Errorf("next due while paused = %v, want %v", got.NextDue, want)
	}
	st, err := r.svc.Tick(ctx, date("2025-03-10T07:00:00Z"))
	if err != nil || st.Enqueued != 1 {
		t.Fatalf("tick after the pause = %+v, %v", st, err)
	}
	is, err := r.store.Issue(ctx, sub.ID, date("2025-03-10T00:00:00Z"))
	if err != nil || !is.CatchUp || len(is.Items) == 0 {
		t.Fatalf("catch-up issue = %+v, %v", is, err)
	}
	m, err := r.svc.Preview(ctx, "ada@example.org", date("2025-03-11T00:00:00Z"))
	if err != nil || m.Subject != "paperboy · Tue 11 Mar 2025 · no new papers" {
		t.Errorf("preview the day after = %q, %v", m.Subject, err)
	}
}

// TestDeliverDefersOnNetworkError: a relay that cannot be reached defers
// the issue with a backoff; nothing is failed or suppressed.
func TestDeliverDefersOnNetworkError(t *testing.T) {
	ctx := context.Background()
	sink, err := smtpsink.Start()
	if err != nil {
		t.Fatal(err)
	}
	cfg := sink.Config("paperboy <digest@example.org>")
	sink.Close() // the port now refuses connections
	sender, err := mail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer sender.Close()
	r := newRig(t, sender)
	p := paperboy.DefaultDigestPrefs()
	p.Categories = []string{"cs.LG"}
	sub := r.confirmed(t, "ada@example.org", p)
	day := date("2025-03-03T00:00:00Z")
	if _, err := r.svc.RunDate(ctx, day, false); err != nil {
		t.Fatal(err)
	}
	st, err := r.svc.Deliver(ctx)
	if err != nil || st.Deferred != 1 || st.Sent+st.Failed != 0 {
		t.Fatalf("Deliver with the relay down = %+v, %v; want 1 deferred", st, err)
	}
	is, err := r.store.Issue(ctx, sub.ID, day)
	if err != nil || is.Status != paperboy.IssuePending || is.Attempts != 1 || !is.NextAttempt.Equal(r.clock.t.Add(backoff(1))) {
		t.Errorf("issue after a network error = %+v, %v; want pending, 1 attempt, next in %v", is, err, backoff(1))
	}
	if ok, _ := r.store.Suppressed(ctx, "ada@example.org"); ok {
		t.Error("a network error suppressed the address")
	}
	if got := []time.Duration{backoff(1), backoff(2), backoff(3), backoff(12)}; got[0] != time.Minute || got[1] != 2*time.Minute || got[2] != 4*time.Minute || got[3] != 6*time.Hour {
		t.Errorf("backoff 1, 2, 3, 12 = %v; want 1m, 2m, 4m, 6h", got)
	}
}

// TestNoAnnouncementDays: after days when arXiv announced nothing (the
// fixtures' latest paper is from 2 March), the next issue still carries
// the latest papers, and the day after sends nothing again.
func TestNoAnnouncementDays(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, &mail.LogSender{})
	p := paperboy.DefaultDigestPrefs()
	p.Trending, p.Categories = false, []string{"cs.LG"}
	sub := r.confirmed(t, "ada@example.org", p)
	if st, err := r.svc.RunDate(ctx, date("2025-03-12T00:00:00Z"), false); err != nil || st.Enqueued != 1 {
		t.Fatalf("RunDate ten days after the last papers = %+v, %v; want 1 issue", st, err)
	}
	is, err := r.store.Issue(ctx, sub.ID, date("2025-03-12T00:00:00Z"))
	if err != nil || len(is.Items) == 0 || is.Items[0].Reason != "new in cs.LG" {
		t.Fatalf("issue after a quiet spell = %+v, %v; want the latest cs.LG papers", is, err)
	}
	if st, err := r.svc.RunDate(ctx, date("2025-03-13T00:00:00Z"), false); err != nil || st.Enqueued != 0 || st.Empty != 1 {
		t.Errorf("the next quiet day = %+v, %v; want one empty issue, not sent", st, err)
	}
}
