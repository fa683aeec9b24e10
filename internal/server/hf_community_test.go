package server

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"paperboy"
)

// The Hugging Face-compatible shapes with the community on: the fields
// docs/hf-api.md ("Community fields") adds to the required ones. Decoded
// with unknown fields refused, like hf_test.go.

type hfCommunityPaper struct {
	hfPaper
	SubmittedOnDailyBy *hfUser  `json:"submittedOnDailyBy"`
	GitHubRepo         *string  `json:"githubRepo"`
	GitHubStars        *float64 `json:"githubStars"`
}

type hfCommunityItem struct {
	Paper                 hfCommunityPaper `json:"paper"`
	PublishedAt           string           `json:"publishedAt"`
	Title                 string           `json:"title"`
	Summary               string           `json:"summary"`
	Thumbnail             string           `json:"thumbnail"`
	NumComments           int              `json:"numComments"`
	SubmittedBy           hfUser           `json:"submittedBy"`
	IsAuthorParticipating bool             `json:"isAuthorParticipating"`
}

// hfCommunityRig has ada submit 2206.06921 (fetched from the fake arXiv
// API) at 09:00 on 1 March 2025, bob upvote it and comment twice, an admin
// hide one of bob's comments, and a GitHub stars signal for it imported;
// 2401.00001, new on arXiv that day, has nothing.
func hfCommunityRig(t *testing.T) (*communityRig, *paperboy.User) {
	t.Helper()
	rig := newCommunityRig(t)
	ada, adaUser := rig.user(t, "ada@example.org", false)
	bob, _ := rig.user(t, "bob@example.org", false)
	admin, _ := rig.user(t, "root@example.org", true)
	ada.wantStatus("POST", "/submit", url.Values{"paper": {"2206.06921"}, "comment": {"Worth a read"}}, http.StatusSeeOther)
	bob.wantStatus("POST", "/papers/2206.06921/upvote", url.Values{"vote": {"up"}}, http.StatusSeeOther)
	bob.wantStatus("POST", "/papers/2206.06921/comments", url.Values{"body": {"first"}}, http.StatusSeeOther)
	resp, _ := bob.wantStatus("POST", "/papers/2206.06921/comments", url.Values{"body": {"spam"}}, http.StatusSeeOther)
	var cid int
	fmt.Sscanf(resp.Header.Get("Location"), "/papers/2206.06921#comment-%d", &cid)
	admin.wantStatus("POST", fmt.Sprintf("/comments/%d/hide", cid), url.Values{"hidden": {"1"}}, http.StatusSeeOther)
	err := rig.store.AddSignals(context.Background(), []paperboy.Signal{{PaperID: "2206.06921", Name: paperboy.SignalGitHubStars,
		Value: 340, Ref: "https://github.com/example/assouad", Observed: rig.clock.Now()}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rig.engine.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	return rig, adaUser
}

// getHFCommunity wants 200 from target and decodes it strictly into v,
// checking the body never carries an e-mail address.
func getHFCommunity(t *testing.T, b *browser, target string, v any) {
	t.Helper()
	_, body := b.wantStatus("GET", target, nil, http.StatusOK)
	if strings.Contains(body, "@example.org") {
		t.Errorf("GET %s leaks an e-mail address:\n%s", target, body)
	}
	decodeStrict(t, []byte(body), v)
}

func TestHFCommunityFields(t *testing.T) {
	rig, ada := hfCommunityRig(t)
	b := rig.browser(t) // anonymous, as huggingface_hub is
	var items []hfCommunityItem
	getHFCommunity(t, b, "/api/daily_papers?date=2025-03-01", &items)
	if len(items) != 2 || items[0].Paper.ID != "2206.06921" || items[1].Paper.ID != "2401.00001" {
		t.Fatalf("daily_papers?date=2025-03-01 = %+v; want the submission 2206.06921, then 2401.00001 new on arXiv", items)
	}
	adaHub := hfUser{ID: strconv.FormatInt(ada.ID, 10), Fullname: "ada", Name: "ada", Type: "user", User: "ada"}
	sub := items[0]
	checks := []struct {
		name      string
		got, want any
	}{
		{"publishedAt (submitted_at)", sub.PublishedAt, "2025-03-01T09:00:00.000Z"},
		{"paper.submittedOnDailyAt", sub.Paper.SubmittedOnDailyAt, "2025-03-01T09:00:00.000Z"},
		{"paper.publishedAt (arXiv v1)", sub.Paper.PublishedAt, "2022-06-14T15:35:46.000Z"},
		{"submittedBy", sub.SubmittedBy, adaHub},
		{"paper.submittedOnDailyBy", deref2(sub.Paper.SubmittedOnDailyBy), adaHub},
		{"paper.upvotes", sub.Paper.Upvotes, 2}, // ada's submission and bob's vote
		{"numComments", sub.NumComments, 1},     // bob's hidden comment does not count
		{"paper.discussionId", sub.Paper.DiscussionID, "2206.06921"},
		{"paper.githubRepo", deref2(sub.Paper.GitHubRepo), "https://github.com/example/assouad"},
		{"paper.githubStars", deref2(sub.Paper.GitHubStars), 340.0},
		{"title", sub.Title, "Attainable forms of Assouad spectra"},
		{"new paper submittedBy", items[1].SubmittedBy, hfUser{Type: "user"}},
		{"new paper submittedOnDailyBy", items[1].Paper.SubmittedOnDailyBy, (*hfUser)(nil)},
		{"new paper githubStars", items[1].Paper.GitHubStars, (*float64)(nil)},
		{"new paper publishedAt", items[1].PublishedAt, "2025-03-01T08:00:00.000Z"},
		{"new paper discussionId", items[1].Paper.DiscussionID, "2401.00001"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}

	// paper_info and search carry the same community fields.
	var p hfCommunityPaper
	getHFCommunity(t, b, "/api/papers/2206.06921", &p)
	if p.Upvotes != 2 || p.SubmittedOnDailyAt != "2025-03-01T09:00:00.000Z" || deref2(p.SubmittedOnDailyBy) != adaHub ||
		deref2(p.GitHubStars) != 340 || p.DiscussionID != "2206.06921" {
		t.Errorf("/api/papers/2206.06921 = %+v", p)
	}
	getHFCommunity(t, b, "/api/papers/search?q=assouad+spectra", &items)
	if len(items) != 1 || items[0].Paper.Upvotes != 2 || items[0].NumComments != 1 || deref2(items[0].Paper.GitHubStars) != 340 {
		t.Errorf("search assouad spectra = %+v", items)
	}

	// submitter: by public name, any case; nobody else's.
	getHFCommunity(t, b, "/api/daily_papers?submitter=ADA", &items)
	if len(items) != 1 || items[0].Paper.ID != "2206.06921" {
		t.Errorf("submitter=ADA = %v, want ada's submission alone", items)
	}
	getHFCommunity(t, b, "/api/daily_papers?submitter=bob", &items)
	if len(items) != 0 {
		t.Errorf("submitter=bob = %v, want none: bob submitted nothing", items)
	}
}

func deref2[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// TestHFCommunityLimitExact checks limit and p over a listing that mixes
// submissions and arXiv papers: every page is exactly limit long until the
// end, and the pages together are the whole listing once each.
func TestHFCommunityLimitExact(t *testing.T) {
	rig, _ := hfCommunityRig(t)
	ctx := context.Background()
	day := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var papers []*paperboy.Paper
	for i := range 5 {
		at := day.Add(time.Duration(i+1) * time.Minute)
		papers = append(papers, &paperboy.Paper{ID: paperboy.ArxivID(fmt.Sprintf("2503.0000%d", i+1)), Title: "New " + strconv.Itoa(i), Submitted: at, Updated: at})
	}
	if _, err := rig.store.UpsertPapers(ctx, papers); err != nil {
		t.Fatal(err)
	}
	b := rig.browser(t)
	var all []hfCommunityItem
	getHFCommunity(t, b, "/api/daily_papers?date=2025-03-01&limit=100", &all)
	if len(all) != 7 || all[0].Paper.ID != "2206.06921" {
		t.Fatalf("the day lists %d papers, want 7, the submission first", len(all))
	}
	var paged []string
	for p := 0; p < 4; p++ {
		var items []hfCommunityItem
		getHFCommunity(t, b, fmt.Sprintf("/api/daily_papers?date=2025-03-01&limit=3&p=%d", p), &items)
		if want := min(3, max(0, 7-3*p)); len(items) != want {
			t.Errorf("limit=3&p=%d: %d items, want %d", p, len(items), want)
		}
		for _, it := range items {
			paged = append(paged, it.Paper.ID)
		}
	}
	var whole []string
	for _, it := range all {
		whole = append(whole, it.Paper.ID)
	}
	if fmt.Sprint(paged) != fmt.Sprint(whole) {
		t.Errorf("pages of 3 = %v, want %v", paged, whole)
	}
}

// TestHFCommunitySortTrending checks sort=trending ranks a period by the
// week's trending table: three upvotes lift the day's oldest paper above a
// newer one without votes, and the submission's 340 GitHub stars keep it
// on top.
func TestHFCommunitySortTrending(t *testing.T) {
	rig, _ := hfCommunityRig(t)
	ctx := context.Background()
	early := time.Date(2025, 3, 1, 0, 30, 0, 0, time.UTC)
	old := time.Date(2019, 1, 2, 0, 0, 0, 0, time.UTC)
	papers := []*paperboy.Paper{
		{ID: "2503.00009", Title: "Early paper", Submitted: early, Updated: early},
		{ID: "1901.00001", Title: "Quiet old paper", Submitted: old, Updated: old}, // not trending
	}
	if _, err := rig.store.UpsertPapers(ctx, papers); err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"c@example.org", "d@example.org", "e@example.org"} {
		u, _ := rig.user(t, email, false)
		u.wantStatus("POST", "/papers/2503.00009/upvote", url.Values{"vote": {"up"}}, http.StatusSeeOther)
	}
	if err := rig.trending.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	b := rig.browser(t)
	var byDate, byTrend []hfCommunityItem
	getHFCommunity(t, b, "/api/daily_papers?date=2025-03-01&sort=publishedAt", &byDate)
	getHFCommunity(t, b, "/api/daily_papers?date=2025-03-01&sort=trending", &byTrend)
	ids := func(items []hfCommunityItem) string {
		var out []string
		for _, it := range items {
			out = append(out, it.Paper.ID)
		}
		return strings.Join(out, " ")
	}
	if got, want := ids(byDate), "2206.06921 2401.00001 2503.00009"; got != want {
		t.Errorf("sort=publishedAt: %s, want %s", got, want)
	}
	if got, want := ids(byTrend), "2206.06921 2503.00009 2401.00001"; got != want {
		t.Errorf("sort=trending: %s, want %s (2 votes and 340 stars, 3 votes, nothing)", got, want)
	}
	// Without a period: the week's table, then the papers without a rank,
	// a page exactly limit long while papers remain.
	var top []hfCommunityItem
	getHFCommunity(t, b, "/api/daily_papers?sort=trending&limit=1", &top)
	if len(top) != 1 || top[0].Paper.ID != "2206.06921" || top[0].SubmittedBy.Name != "ada" || top[0].PublishedAt != "2025-03-01T09:00:00.000Z" {
		t.Errorf("sort=trending&limit=1 without a period = %+v, want the week's top paper as ada's submission", top)
	}
	for _, tt := range []struct{ query, want string }{
		{"sort=trending&limit=10", "2206.06921 2503.00009 2401.00001 1901.00001"},
		{"sort=trending&limit=2&p=1", "2401.00001 1901.00001"},
		{"sort=trending&limit=3&p=1", "1901.00001"},
		{"sort=trending&limit=2&p=2", ""},
	} {
		var items []hfCommunityItem
		getHFCommunity(t, b, "/api/daily_papers?"+tt.query, &items)
		if got := ids(items); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.query, got, tt.want)
		}
	}
}
