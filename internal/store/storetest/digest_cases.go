package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"paperboy"
)

// digestCases are the conformance cases of paperboy.DigestStore.
var digestCases = []struct {
	name string
	fn   func(t *testing.T, open Opener)
}{
	{"DigestSubscribers", testDigestSubscribers},
	{"DigestDueAndConfirmed", testDigestDue},
	{"DigestEnqueueOnce", testDigestEnqueueOnce},
	{"DigestClaimLease", testDigestClaimLease},
	{"DigestClaimConcurrent", testDigestClaimConcurrent},
	{"DigestBounceAndStats", testDigestStats},
	{"DigestSuppressFeedbackSecret", testDigestMisc},
}

var digestNow = date("2025-03-03T06:00:00Z")

func digestStore(t *testing.T, open Opener) paperboy.DigestStore {
	t.Helper()
	s := newStore(t, open)
	ds, ok := s.(paperboy.DigestStore)
	if !ok {
		t.Fatalf("%T does not implement paperboy.DigestStore", s)
	}
	return ds
}

func mustSubscriber(t *testing.T, s paperboy.DigestStore, email, status string, due time.Time) *paperboy.Subscriber {
	t.Helper()
	sub := &paperboy.Subscriber{Email: email, Status: status, Prefs: paperboy.DefaultDigestPrefs(), Created: digestNow, NextDue: due}
	if status == paperboy.SubConfirmed {
		sub.Confirmed = digestNow
	}
	if err := s.CreateSubscriber(context.Background(), sub); err != nil {
		t.Fatalf("CreateSubscriber(%s): %v", email, err)
	}
	return sub
}

func testDigestSubscribers(t *testing.T, open Opener) {
	ctx := context.Background()
	s := digestStore(t, open)
	sub := mustSubscriber(t, s, " Ada@Example.ORG ", paperboy.SubPending, time.Time{})
	if sub.ID == 0 || sub.Email != "ada@example.org" {
		t.Errorf("after CreateSubscriber: ID %d, Email %q", sub.ID, sub.Email)
	}
	err := s.CreateSubscriber(ctx, &paperboy.Subscriber{Email: "ADA@example.org", Status: paperboy.SubPending, Created: digestNow})
	wantCode(t, "CreateSubscriber twice", err, paperboy.ECONFLICT)
	sub.Status, sub.Confirmed, sub.NextDue = paperboy.SubConfirmed, digestNow, digestNow.Add(time.Hour)
	sub.Prefs.Topics, sub.Prefs.PausedUntil = []string{"diffusion for video"}, date("2025-04-01T00:00:00Z")
	if err := s.UpdateSubscriber(ctx, sub); err != nil {
		t.Fatalf("UpdateSubscriber: %v", err)
	}
	got, err := s.SubscriberByEmail(ctx, "ada@EXAMPLE.org")
	if err != nil {
		t.Fatalf("SubscriberByEmail: %v", err)
	}
	if got.ID != sub.ID || got.Status != paperboy.SubConfirmed || !got.NextDue.Equal(sub.NextDue) ||
		!slices.Equal(got.Prefs.Topics, sub.Prefs.Topics) || !got.Prefs.PausedUntil.Equal(sub.Prefs.PausedUntil) || !got.LastIssue.IsZero() {
		t.Errorf("read back %+v, want %+v", got, sub)
	}
	_, err = s.Subscriber(ctx, sub.ID+100)
	wantCode(t, "Subscriber(unknown)", err, paperboy.ENOTFOUND)
	wantCode(t, "UpdateSubscriber(unknown)", s.UpdateSubscriber(ctx, &paperboy.Subscriber{ID: sub.ID + 100, Status: paperboy.SubPending}), paperboy.ENOTFOUND)
}

func testDigestDue(t *testing.T, open Opener) {
	ctx := context.Background()
	s := digestStore(t, open)
	late := mustSubscriber(t, s, "late@example.org", paperboy.SubConfirmed, digestNow.Add(time.Hour))
	early := mustSubscriber(t, s, "early@example.org", paperboy.SubConfirmed, digestNow.Add(-time.Hour))
	now := mustSubscriber(t, s, "now@example.org", paperboy.SubConfirmed, digestNow)
	mustSubscriber(t, s, "pending@example.org", paperboy.SubPending, digestNow.Add(-time.Hour))
	mustSubscriber(t, s, "never@example.org", paperboy.SubConfirmed, time.Time{})
	due, err := s.DueSubscribers(ctx, digestNow, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := subIDs(due), []int64{early.ID, now.ID}; !slices.Equal(got, want) {
		t.Errorf("DueSubscribers = %v, want %v", got, want)
	}
	page, err := s.ConfirmedSubscribers(ctx, early.ID-1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := subIDs(page), []int64{early.ID, now.ID}; !slices.Equal(got, want) || late.ID > early.ID {
		t.Errorf("ConfirmedSubscribers page = %v, want %v", got, want)
	}
}

func subIDs(subs []*paperboy.Subscriber) []int64 {
	out := make([]int64, len(subs))
	for i, s := range subs {
		out[i] = s.ID
	}
	return out
}

func newIssue(sub *paperboy.Subscriber, day time.Time, ids ...string) *paperboy.DigestIssue {
	is := &paperboy.DigestIssue{SubscriberID: sub.ID, Date: day, Status: paperboy.IssuePending,
		MessageID: fmt.Sprintf("%s.%d@example.org", day.Format("20060102"), sub.ID), NextAttempt: digestNow, Created: digestNow,
		NextDue: day.AddDate(0, 0, 1).Add(7 * time.Hour)}
	for _, id := range ids {
		is.Items = append(is.Items, paperboy.DigestItem{PaperID: paperboy.ArxivID(id), Source: "category", Reason: "new in cs.LG"})
	}
	return is
}

func testDigestEnqueueOnce(t *testing.T, open Opener) {
	ctx := context.Background()
	s := digestStore(t, open)
	sub := mustSubscriber(t, s, "ada@example.org", paperboy.SubConfirmed, digestNow)
	day := paperboy.Day(digestNow)
	created, err := s.EnqueueIssues(ctx, []*paperboy.DigestIssue{newIssue(sub, day, "2401.00001", "2401.00002")})
	if err != nil || !slices.Equal(created, []bool{true}) {
		t.Fatalf("EnqueueIssues = %v, %v; want [true]", created, err)
	}
	again := newIssue(sub, day, "2401.00003")
	again.MessageID = "other@example.org"
	again.NextDue = digestNow // earlier than stored: must not move NextDue back
	created, err = s.EnqueueIssues(ctx, []*paperboy.DigestIssue{again})
	if err != nil || !slices.Equal(created, []bool{false}) {
		t.Fatalf("EnqueueIssues again = %v, %v; want [false]", created, err)
	}
	sent, err := s.SentPapers(ctx, sub.ID, []paperboy.ArxivID{"2401.00001", "2401.00003", "2401.00002"})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(sent)
	if want := []paperboy.ArxivID{"2401.00001", "2401.00002"}; !slices.Equal(sent, want) {
		t.Errorf("SentPapers = %v, want %v", sent, want)
	}
	got, err := s.Subscriber(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := day.AddDate(0, 0, 1).Add(7 * time.Hour); !got.NextDue.Equal(want) || !got.LastIssue.Equal(day) {
		t.Errorf("after enqueue NextDue %v LastIssue %v; want %v, %v", got.NextDue, got.LastIssue, want, day)
	}
	is, err := s.Issue(ctx, sub.ID, day)
	if err != nil {
		t.Fatal(err)
	}
	if is.MessageID != newIssue(sub, day).MessageID || len(is.Items) != 2 || is.Items[1].Reason != "new in cs.LG" || is.Email != "ada@example.org" {
		t.Errorf("Issue = %+v", is)
	}
}

func testDigestClaimLease(t *testing.T, open Opener) {
	ctx := context.Background()
	s := digestStore(t, open)
	sub := mustSubscriber(t, s, "ada@example.org", paperboy.SubConfirmed, digestNow)
	day := paperboy.Day(digestNow)
	if _, err := s.EnqueueIssues(ctx, []*paperboy.DigestIssue{newIssue(sub, day, "2401.00001")}); err != nil {
		t.Fatal(err)
	}
	lease := digestNow.Add(time.Minute)
	a, err := s.ClaimIssues(ctx, "a", digestNow, lease, 10)
	if err != nil || len(a) != 1 || a[0].Email != "ada@example.org" {
		t.Fatalf("ClaimIssues(a) = %v, %v; want the issue", a, err)
	}
	if b, err := s.ClaimIssues(ctx, "b", digestNow.Add(30*time.Second), lease, 10); err != nil || len(b) != 0 {
		t.Fatalf("ClaimIssues(b) during a's lease = %d issues, %v; want none", len(b), err)
	}
	b, err := s.ClaimIssues(ctx, "b", lease, lease.Add(time.Minute), 10)
	if err != nil || len(b) != 1 {
		t.Fatalf("ClaimIssues(b) after a's lease = %d issues, %v; want 1", len(b), err)
	}
	err = s.UpdateIssue(ctx, sub.ID, day, "a", paperboy.IssueUpdate{Status: paperboy.IssueSent, Attempts: 1, Sent: lease})
	wantCode(t, "UpdateIssue by a lost lease", err, paperboy.ECONFLICT)
	retry := paperboy.IssueUpdate{Status: paperboy.IssuePending, Attempts: 1, NextAttempt: lease.Add(5 * time.Minute), LastError: "451 try later"}
	if err := s.UpdateIssue(ctx, sub.ID, day, "b", retry); err != nil {
		t.Fatalf("UpdateIssue(b): %v", err)
	}
	if c, _ := s.ClaimIssues(ctx, "c", lease.Add(time.Minute), lease.Add(2*time.Minute), 10); len(c) != 0 {
		t.Errorf("claimed a deferred issue before its next attempt")
	}
	c, err := s.ClaimIssues(ctx, "c", lease.Add(5*time.Minute), lease.Add(6*time.Minute), 10)
	if err != nil || len(c) != 1 || c[0].Attempts != 1 || c[0].LastError != "451 try later" {
		t.Fatalf("ClaimIssues(c) = %+v, %v", c, err)
	}
	if err := s.UpdateIssue(ctx, sub.ID, day, "c", paperboy.IssueUpdate{Status: paperboy.IssueSent, Attempts: 2, Sent: lease}); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.ClaimIssues(ctx, "d", lease.Add(time.Hour), lease.Add(2*time.Hour), 10); len(d) != 0 {
		t.Errorf("claimed a sent issue")
	}
	wantCode(t, "UpdateIssue(unknown)", s.UpdateIssue(ctx, sub.ID, day.AddDate(0, 0, 1), "c", retry), paperboy.ENOTFOUND)
}

// testDigestClaimConcurrent: claimers racing never get the same issue.
func testDigestClaimConcurrent(t *testing.T, open Opener) {
	ctx := context.Background()
	s := digestStore(t, open)
	day := paperboy.Day(digestNow)
	var issues []*paperboy.DigestIssue
	for i := range 40 {
		sub := mustSubscriber(t, s, fmt.Sprintf("u%d@example.org", i), paperboy.SubConfirmed, digestNow)
		issues = append(issues, newIssue(sub, day))
	}
	if _, err := s.EnqueueIssues(ctx, issues); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[int64]int{}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for {
				got, err := s.ClaimIssues(ctx, fmt.Sprint("w", w), digestNow, digestNow.Add(time.Hour), 3)
				if err != nil && paperboy.ErrorCode(err) != paperboy.EUNAVAILABLE {
					t.Errorf("ClaimIssues: %v", err)
					return
				}
				if err == nil && len(got) == 0 {
					return
				}
				mu.Lock()
				for _, is := range got {
					seen[is.SubscriberID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 40 {
		t.Errorf("claimed %d distinct issues, want 40", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("issue of subscriber %d claimed %d times", id, n)
		}
	}
}

func testDigestStats(t *testing.T, open Opener) {
	ctx := context.Background()
	s := digestStore(t, open)
	day := paperboy.Day(digestNow)
	a := mustSubscriber(t, s, "a@example.org", paperboy.SubConfirmed, digestNow)
	b := mustSubscriber(t, s, "b@example.org", paperboy.SubConfirmed, digestNow)
	c := mustSubscriber(t, s, "c@example.org", paperboy.SubConfirmed, digestNow)
	mustSubscriber(t, s, "d@example.org", paperboy.SubPending, time.Time{})
	skipped := newIssue(c, day)
	skipped.Status = paperboy.IssueSkipped
	if _, err := s.EnqueueIssues(ctx, []*paperboy.DigestIssue{newIssue(a, day), newIssue(b, day), skipped}); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimIssues(ctx, "w", digestNow, digestNow.Add(time.Minute), 10)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("ClaimIssues = %d, %v; want 2 (the skipped one is never claimed)", len(claimed), err)
	}
	mustUpdate := func(id int64, u paperboy.IssueUpdate) {
		if err := s.UpdateIssue(ctx, id, day, "w", u); err != nil {
			t.Fatal(err)
		}
	}
	mustUpdate(a.ID, paperboy.IssueUpdate{Status: paperboy.IssueSent, Attempts: 1, Sent: digestNow})
	mustUpdate(b.ID, paperboy.IssueUpdate{Status: paperboy.IssuePending, Attempts: 1, NextAttempt: digestNow.Add(time.Hour)})
	is, err := s.IssueByMessageID(ctx, newIssue(a, day).MessageID)
	if err != nil || is.SubscriberID != a.ID {
		t.Fatalf("IssueByMessageID = %v, %v", is, err)
	}
	if err := s.MarkBounced(ctx, a.ID, day); err != nil {
		t.Fatal(err)
	}
	if err := s.Suppress(ctx, paperboy.Suppression{Email: "A@example.org", Reason: "bounce", Created: digestNow}); err != nil {
		t.Fatal(err)
	}
	stats, err := s.DigestStats(ctx, day.AddDate(0, 0, -1), day.AddDate(0, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	want := []paperboy.DigestDayStats{
		{Date: day.AddDate(0, 0, -1)},
		{Date: day, Subscribers: 4, Confirmed: 3, Deferred: 1, Bounced: 1, Skipped: 1, Suppressed: 1},
	}
	if fmt.Sprint(stats) != fmt.Sprint(want) {
		t.Errorf("DigestStats =\n %+v\nwant\n %+v", stats, want)
	}
}

func testDigestMisc(t *testing.T, open Opener) {
	ctx := context.Background()
	s := digestStore(t, open)
	sub := mustSubscriber(t, s, "ada@example.org", paperboy.SubConfirmed, digestNow)
	if ok, err := s.Suppressed(ctx, "ada@example.org"); err != nil || ok {
		t.Fatalf("Suppressed before = %v, %v", ok, err)
	}
	for _, reason := range []string{"complaint", "bounce"} {
		if err := s.Suppress(ctx, paperboy.Suppression{Email: "ADA@example.org", Reason: reason, Created: digestNow}); err != nil {
			t.Fatal(err)
		}
	}
	if ok, err := s.Suppressed(ctx, "ada@example.org"); err != nil || !ok {
		t.Fatalf("Suppressed after = %v, %v", ok, err)
	}
	for _, f := range []paperboy.DigestFeedback{
		{SubscriberID: sub.ID, PaperID: "2401.00001", Kind: paperboy.FeedbackMore, Created: digestNow},
		{SubscriberID: sub.ID, PaperID: "2401.00001", Kind: paperboy.FeedbackMore, Created: digestNow},
		{SubscriberID: sub.ID, PaperID: "2401.00002", Kind: paperboy.FeedbackLess, Created: digestNow.Add(time.Minute)},
	} {
		if err := s.RecordFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	wantCode(t, "RecordFeedback(unknown subscriber)", s.RecordFeedback(ctx,
		paperboy.DigestFeedback{SubscriberID: sub.ID + 9, PaperID: "2401.00001", Kind: paperboy.FeedbackMore, Created: digestNow}), paperboy.ENOTFOUND)
	fb, err := s.Feedback(ctx, sub.ID)
	if err != nil || len(fb) != 2 || fb[0].Kind != paperboy.FeedbackLess || fb[1].PaperID != "2401.00001" {
		t.Errorf("Feedback = %+v, %v", fb, err)
	}
	first, err := s.Secret(ctx, "digest", []byte("one"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Secret(ctx, "digest", []byte("two"))
	if err != nil || string(first) != "one" || string(second) != "one" {
		t.Errorf("Secret = %q then %q (%v); want the first value kept", first, second, err)
	}
}
