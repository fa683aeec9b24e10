package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"paperboy"
)

// communityCases are the conformance cases of paperboy.CommunityStore.
var communityCases = []struct {
	name string
	fn   func(t *testing.T, open Opener)
}{
	{"CommunityVotes", communityCase(testVotes)},
	{"CommunityVotesConcurrent", communityCase(testVotesConcurrent)},
	{"CommunitySubmissions", communityCase(testSubmissions)},
	{"CommunityComments", communityCase(testComments)},
	{"CommunitySignals", communityCase(testSignals)},
	{"CommunityTrending", communityCase(testTrending)},
}

// community is a fresh store with two users and two papers.
type community struct {
	ps       paperboy.PaperStore
	cs       paperboy.CommunityStore
	ada, bob *paperboy.User
}

func communityCase(fn func(t *testing.T, c community)) func(t *testing.T, open Opener) {
	return func(t *testing.T, open Opener) {
		ps := newStore(t, open)
		cs, ok := ps.(paperboy.CommunityStore)
		if !ok {
			t.Fatalf("%T does not implement paperboy.CommunityStore", ps)
		}
		as, ok := ps.(paperboy.AccountStore)
		if !ok {
			t.Fatalf("%T does not implement paperboy.AccountStore", ps)
		}
		mustUpsert(t, ps, paper("2401.00001", 1, "Alpha"), paper("2401.00002", 1, "Beta"))
		ada := mustUser(t, as, "ada@example.org")
		bob := &paperboy.User{Email: "bob@example.org", Created: accountNow}
		if err := as.CreateUser(context.Background(), bob); err != nil {
			t.Fatal(err)
		}
		fn(t, community{ps: ps, cs: cs, ada: ada, bob: bob})
	}
}

const p1, p2 = paperboy.ArxivID("2401.00001"), paperboy.ArxivID("2401.00002")

func testVotes(t *testing.T, c community) {
	ctx := context.Background()
	steps := []struct {
		user  int64
		paper paperboy.ArxivID
		want  bool
	}{{c.ada.ID, p1, true}, {c.ada.ID, p1, false}, {c.bob.ID, p1, true}, {c.bob.ID, p2, true}}
	for i, st := range steps {
		got, err := c.cs.AddVote(ctx, paperboy.Vote{UserID: st.user, PaperID: st.paper, Created: accountNow.Add(time.Duration(i) * time.Hour)})
		if err != nil || got != st.want {
			t.Errorf("AddVote step %d = %v, %v; want %v", i, got, err, st.want)
		}
	}
	_, err := c.cs.AddVote(ctx, paperboy.Vote{UserID: c.ada.ID, PaperID: "2401.99999", Created: accountNow})
	wantCode(t, "AddVote of an unknown paper", err, paperboy.ENOTFOUND)
	_, err = c.cs.AddVote(ctx, paperboy.Vote{UserID: 9999, PaperID: p1, Created: accountNow})
	wantCode(t, "AddVote of an unknown user", err, paperboy.ENOTFOUND)

	counts, err := c.cs.VoteCounts(ctx, []paperboy.ArxivID{p1, p2, "2401.99999"}, c.ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(counts), fmt.Sprint(map[paperboy.ArxivID]paperboy.VoteCount{p1: {Count: 2, Mine: true}, p2: {Count: 1}}); got != want {
		t.Errorf("VoteCounts = %s, want %s", got, want)
	}
	// ada's repeat at +1h was ignored, so the votes since +1h are bob's.
	votes, err := c.cs.VotesSince(ctx, accountNow.Add(time.Hour))
	if err != nil || len(votes) != 2 || votes[0].UserID != c.bob.ID || votes[0].PaperID != p1 || !votes[1].Created.Equal(accountNow.Add(3*time.Hour)) {
		t.Errorf("VotesSince(+1h) = %+v, %v; want bob's two votes", votes, err)
	}
	for i, want := range []bool{true, false} {
		if got, err := c.cs.RemoveVote(ctx, c.ada.ID, p1); err != nil || got != want {
			t.Errorf("RemoveVote #%d = %v, %v; want %v", i+1, got, err, want)
		}
	}
	counts, _ = c.cs.VoteCounts(ctx, []paperboy.ArxivID{p1}, c.ada.ID)
	if got := counts[p1]; got != (paperboy.VoteCount{Count: 1}) {
		t.Errorf("after RemoveVote: %+v, want 1 vote, not mine", got)
	}
}

// testVotesConcurrent is a double-click: many identical votes at once
// count once.
func testVotesConcurrent(t *testing.T, c community) {
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	added := 0
	for range 12 {
		wg.Go(func() {
			ok, err := c.cs.AddVote(ctx, paperboy.Vote{UserID: c.ada.ID, PaperID: p1, Created: accountNow})
			if err != nil {
				t.Errorf("AddVote: %v", err)
			}
			if ok {
				mu.Lock()
				added++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	counts, err := c.cs.VoteCounts(ctx, []paperboy.ArxivID{p1}, 0)
	if err != nil || added != 1 || counts[p1].Count != 1 {
		t.Errorf("12 concurrent votes: %d reported new, count %d (%v); want 1 and 1", added, counts[p1].Count, err)
	}
}

func testSubmissions(t *testing.T, c community) {
	ctx := context.Background()
	day := date("2025-03-01T00:00:00Z")
	for i, sub := range []*paperboy.Submission{
		{PaperID: p1, UserID: c.ada.ID, Comment: "Read this", Created: day.Add(10 * time.Hour)},
		{PaperID: p2, UserID: c.bob.ID, Created: day.Add(34 * time.Hour)},
	} {
		if err := c.cs.CreateSubmission(ctx, sub); err != nil {
			t.Fatalf("CreateSubmission %d: %v", i, err)
		}
	}
	err := c.cs.CreateSubmission(ctx, &paperboy.Submission{PaperID: p1, UserID: c.bob.ID, Created: day})
	wantCode(t, "second submission", err, paperboy.ECONFLICT)
	err = c.cs.CreateSubmission(ctx, &paperboy.Submission{PaperID: "2401.99999", UserID: c.bob.ID, Created: day})
	wantCode(t, "submission of an unknown paper", err, paperboy.ENOTFOUND)
	_, err = c.cs.Submission(ctx, "2401.99999")
	wantCode(t, "Submission of an unsubmitted paper", err, paperboy.ENOTFOUND)

	got, err := c.cs.Submission(ctx, p1)
	if err != nil || got.UserID != c.ada.ID || got.Comment != "Read this" || got.Submitter == nil || got.Submitter.Email != "ada@example.org" {
		t.Errorf("Submission(p1) = %+v, %v", got, err)
	}
	tests := []struct {
		f         paperboy.SubmissionFilter
		want      string
		wantTotal int
	}{
		{paperboy.SubmissionFilter{}, "[2401.00002 2401.00001]", 2},
		{paperboy.SubmissionFilter{From: day, To: day.AddDate(0, 0, 1)}, "[2401.00001]", 1},
		{paperboy.SubmissionFilter{UserID: c.bob.ID}, "[2401.00002]", 1},
		{paperboy.SubmissionFilter{Submitter: "ADA"}, "[2401.00001]", 1},
		{paperboy.SubmissionFilter{Submitter: fmt.Sprintf("user-%d", c.bob.ID)}, "[2401.00002]", 1},
		{paperboy.SubmissionFilter{Submitter: fmt.Sprintf("user-%d", c.ada.ID)}, "[]", 0}, // ada has a name
		{paperboy.SubmissionFilter{Limit: 1, Offset: 1}, "[2401.00001]", 2},
		{paperboy.SubmissionFilter{Limit: 1}, "[2401.00002]", 2},
		{paperboy.SubmissionFilter{Limit: 1, Offset: 5}, "[]", 2}, // past the end
		{paperboy.SubmissionFilter{UserID: c.bob.ID, Offset: 1}, "[]", 1},
	}
	for _, tt := range tests {
		subs, total, err := c.cs.Submissions(ctx, tt.f)
		var ids []paperboy.ArxivID
		for _, s := range subs {
			ids = append(ids, s.PaperID)
		}
		if got := fmt.Sprint(ids); err != nil || got != tt.want || total != tt.wantTotal {
			t.Errorf("Submissions(%+v) = %s, %d, %v; want %s, %d", tt.f, got, total, err, tt.want, tt.wantTotal)
		}
	}
	_, _, err = c.cs.Submissions(ctx, paperboy.SubmissionFilter{Limit: -1})
	wantCode(t, "negative limit", err, paperboy.EINVALID)
}

func testComments(t *testing.T, c community) {
	ctx := context.Background()
	var ids []int64
	for i, body := range []string{"first <b>", "second", "third"} {
		cm := &paperboy.Comment{PaperID: p1, UserID: c.ada.ID, Body: body, Created: accountNow.Add(time.Duration(i) * time.Minute)}
		if err := c.cs.CreateComment(ctx, cm); err != nil || cm.ID == 0 {
			t.Fatalf("CreateComment: %v (id %d)", err, cm.ID)
		}
		ids = append(ids, cm.ID)
	}
	err := c.cs.CreateComment(ctx, &paperboy.Comment{PaperID: "2401.99999", UserID: c.ada.ID, Body: "x", Created: accountNow})
	wantCode(t, "comment on an unknown paper", err, paperboy.ENOTFOUND)
	if err := c.cs.EditComment(ctx, ids[0], "first, edited", accountNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := c.cs.HideComment(ctx, ids[1], true, c.bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.cs.DeleteComment(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"Comment":       func() error { _, err := c.cs.Comment(ctx, ids[2]); return err }(),
		"EditComment":   c.cs.EditComment(ctx, ids[2], "x", accountNow),
		"HideComment":   c.cs.HideComment(ctx, ids[2], true, c.bob.ID),
		"DeleteComment": c.cs.DeleteComment(ctx, ids[2]),
	} {
		wantCode(t, name+" of a deleted comment", err, paperboy.ENOTFOUND)
	}
	list, err := c.cs.Comments(ctx, p1)
	if err != nil || len(list) != 2 {
		t.Fatalf("Comments = %d comments, %v; want 2", len(list), err)
	}
	first, second := list[0], list[1]
	if first.Body != "first, edited" || !first.Edited.Equal(accountNow.Add(time.Hour)) || first.Hidden || first.Author.Email != "ada@example.org" {
		t.Errorf("first comment = %+v", first)
	}
	if !second.Hidden || second.HiddenBy != c.bob.ID || !second.Edited.IsZero() || !second.Created.Equal(accountNow.Add(time.Minute)) {
		t.Errorf("second comment = %+v; want hidden by bob, never edited", second)
	}
	counts, err := c.cs.CommentCounts(ctx, []paperboy.ArxivID{p1, p2})
	if got := fmt.Sprint(counts); err != nil || got != "map[2401.00001:1]" {
		t.Errorf("CommentCounts = %s, %v; want only p1's visible comment", got, err)
	}
	if err := c.cs.HideComment(ctx, ids[1], false, 0); err != nil {
		t.Fatal(err)
	}
	if got, err := c.cs.Comment(ctx, ids[1]); err != nil || got.Hidden || got.HiddenBy != 0 {
		t.Errorf("after unhiding: %+v, %v", got, err)
	}
}

func testSignals(t *testing.T, c community) {
	ctx := context.Background()
	at := func(h int) time.Time { return accountNow.Add(time.Duration(h) * time.Hour) }
	err := c.cs.AddSignals(ctx, []paperboy.Signal{
		{PaperID: p1, Name: paperboy.SignalGitHubStars, Value: 10, Observed: at(-48)},
		{PaperID: p1, Name: paperboy.SignalGitHubStars, Value: 20, Observed: at(-30)},
		{PaperID: p1, Name: paperboy.SignalGitHubStars, Value: 50, Ref: "https://github.com/a/b", Observed: at(-1)},
		{PaperID: p1, Name: paperboy.SignalGitHubStars, Value: 60, Ref: "https://github.com/a/b", Observed: at(-1)}, // replaces
		{PaperID: "2402.00009", Name: paperboy.SignalExternalUpvotes, Value: 7, Observed: at(-2)},                   // not stored: fine
	})
	if err != nil {
		t.Fatal(err)
	}
	err = c.cs.AddSignals(ctx, []paperboy.Signal{{PaperID: p2, Name: "x", Value: 1, Observed: at(0)}, {PaperID: p2, Value: 1, Observed: at(0)}})
	wantCode(t, "signal without a name", err, paperboy.EINVALID)

	got, err := c.cs.Signals(ctx, at(-24))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, sg := range got {
		lines = append(lines, fmt.Sprintf("%s %s %g %s", sg.PaperID, sg.Name, sg.Value, sg.Observed.Sub(accountNow)))
	}
	want := "[2401.00001 github_stars 20 -30h0m0s 2401.00001 github_stars 60 -1h0m0s 2402.00009 upvotes 7 -2h0m0s]"
	if fmt.Sprint(lines) != want {
		t.Errorf("Signals(-24h) =\n %v\nwant (baseline, new; nothing of the rejected batch)\n %s", lines, want)
	}
	latest, err := c.cs.LatestSignals(ctx, []paperboy.ArxivID{p1, p2})
	if sg := latest[p1][paperboy.SignalGitHubStars]; err != nil || sg.Value != 60 || sg.Ref != "https://github.com/a/b" || len(latest) != 1 {
		t.Errorf("LatestSignals = %+v, %v", latest, err)
	}
}

func testTrending(t *testing.T, c community) {
	ctx := context.Background()
	entry := func(id paperboy.ArxivID, score float64) paperboy.TrendingEntry {
		return paperboy.TrendingEntry{PaperID: id, Score: score, Computed: accountNow, Components: paperboy.TrendingComponents{
			Upvotes: 3, VotePoints: 2.5, Stars: 100, StarsGained: 40, StarPoints: 3.7, ExternalUpvotes: 4, ExternalPoints: 1, RecencyPoints: 0.5}}
	}
	if err := c.cs.ReplaceTrending(ctx, paperboy.WindowWeek, []paperboy.TrendingEntry{entry(p1, 9), entry(p2, 8)}); err != nil {
		t.Fatal(err)
	}
	if err := c.cs.ReplaceTrending(ctx, paperboy.WindowDay, []paperboy.TrendingEntry{entry(p2, 5), entry(p1, 4)}); err != nil {
		t.Fatal(err)
	}
	if err := c.cs.ReplaceTrending(ctx, paperboy.WindowDay, []paperboy.TrendingEntry{entry(p1, 7)}); err != nil {
		t.Fatal(err)
	}
	got, total, err := c.cs.Trending(ctx, paperboy.WindowWeek, 1, 1)
	want := entry(p2, 8)
	want.Rank, want.Window = 2, paperboy.WindowWeek
	if err != nil || total != 2 || len(got) != 1 || fmt.Sprintf("%+v", got[0]) != fmt.Sprintf("%+v", want) {
		t.Errorf("Trending(week, 1, 1) = %+v, %d, %v; want %+v of 2", got, total, err, want)
	}
	got, total, err = c.cs.Trending(ctx, paperboy.WindowDay, 0, 0)
	if err != nil || total != 1 || got[0].PaperID != p1 || got[0].Score != 7 {
		t.Errorf("Trending(day) after replacing = %+v, %d, %v; want only p1", got, total, err)
	}
	_, _, err = c.cs.Trending(ctx, "year", 0, 0)
	wantCode(t, "Trending(year)", err, paperboy.EINVALID)
	wantCode(t, "ReplaceTrending(year)", c.cs.ReplaceTrending(ctx, "year", nil), paperboy.EINVALID)
}
