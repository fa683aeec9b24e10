package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var voteCount = regexp.MustCompile(`class="vote-count">(\d+)<`)

// upvotes reads the count on a paper's page.
func upvotes(t *testing.T, b *browser, path string) string {
	t.Helper()
	_, body := b.wantStatus("GET", path, nil, http.StatusOK)
	m := voteCount.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no vote count on %s", path)
	}
	return m[1]
}

func TestUpvoteDoubleClickCountsOnce(t *testing.T) {
	rig := newCommunityRig(t)
	ada, _ := rig.user(t, "ada@example.org", false)
	var wg sync.WaitGroup
	for range 8 { // a nervous double click, eight times over
		wg.Go(func() {
			resp, _ := ada.do("POST", "/papers/2401.00001/upvote", url.Values{"vote": {"up"}, "next": {"/"}}, nil)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
				t.Errorf("upvote: %d to %q, want 303 to /", resp.StatusCode, resp.Header.Get("Location"))
			}
		})
	}
	wg.Wait()
	if got := upvotes(t, ada, "/papers/2401.00001"); got != "1" {
		t.Errorf("after 8 concurrent upvotes: %s, want 1", got)
	}
	resp, _ := ada.do("POST", "/papers/2401.00001/upvote", url.Values{"vote": {"down"}, "next": {"https://evil.example/"}}, nil)
	if loc := resp.Header.Get("Location"); loc != "/papers/2401.00001" {
		t.Errorf("next=https://evil.example/ redirected to %q, want the paper page", loc)
	}
	if got := upvotes(t, ada, "/papers/2401.00001"); got != "0" {
		t.Errorf("after taking the vote back: %s, want 0", got)
	}
}

func TestCommunityForgedCSRF(t *testing.T) {
	rig := newCommunityRig(t)
	ada, _ := rig.user(t, "ada@example.org", false)
	for _, tt := range []struct{ path, field, value string }{
		{"/papers/2401.00001/upvote", "vote", "up"},
		{"/papers/2401.00001/comments", "body", "forged"},
		{"/submit", "paper", "2206.06921"},
		{"/api/v1/papers/2401.00001/upvote", "", ""},
	} {
		resp, _ := ada.do("POST", tt.path, url.Values{tt.field: {tt.value}}, crossSite)
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST %s: %d, want 403", tt.path, resp.StatusCode)
		}
	}
	_, page := ada.wantStatus("GET", "/papers/2401.00001", nil, http.StatusOK)
	if got := voteCount.FindStringSubmatch(page)[1]; got != "0" || strings.Contains(page, "forged") {
		t.Errorf("after forged requests: %s votes, comment present %v; want nothing done", got, strings.Contains(page, "forged"))
	}
	ada.wantStatus("GET", "/papers/2206.06921", nil, http.StatusNotFound) // the forged submission fetched nothing
}

func TestCommentInjectionEscaped(t *testing.T) {
	rig := newCommunityRig(t)
	ada, _ := rig.user(t, "ada@example.org", false)
	body := "<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>\n\n" +
		"*fine* `<b>code</b>` see https://example.org/a?b=1&c=\"quoted\" and javascript:alert(4)"
	resp, _ := ada.do("POST", "/papers/2401.00001/comments", url.Values{"body": {body}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("comment: %d", resp.StatusCode)
	}
	_, page := ada.wantStatus("GET", "/papers/2401.00001", nil, http.StatusOK)
	for _, bad := range []string{"<script>alert", "<img src=x", `href="javascript:`, "<b>code</b>", `"quoted"`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q: comment markup got through", bad)
		}
	}
	for _, good := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "<em>fine</em>", "<code>&lt;b&gt;code&lt;/b&gt;</code>",
		`<a href="https://example.org/a?b=1&amp;c=" rel="nofollow ugc noopener">`, "&#34;quoted&#34;"} {
		if !strings.Contains(page, good) {
			t.Errorf("page lacks %q", good)
		}
	}
}

func TestCommentOwnership(t *testing.T) {
	rig := newCommunityRig(t)
	ada, _ := rig.user(t, "ada@example.org", false)
	bob, _ := rig.user(t, "bob@example.org", false)
	admin, _ := rig.user(t, "root@example.org", true)
	resp, _ := ada.do("POST", "/papers/2401.00001/comments", url.Values{"body": {"ada's point"}}, nil)
	var id int
	fmt.Sscanf(resp.Header.Get("Location"), "/papers/2401.00001#comment-%d", &id)
	if id == 0 {
		t.Fatalf("no comment id in %q", resp.Header.Get("Location"))
	}
	edit, del, hide := fmt.Sprintf("/comments/%d/edit", id), fmt.Sprintf("/comments/%d/delete", id), fmt.Sprintf("/comments/%d/hide", id)
	bob.wantStatus("GET", edit, nil, http.StatusForbidden)
	bob.wantStatus("POST", edit, url.Values{"body": {"bob was here"}}, http.StatusForbidden)
	bob.wantStatus("POST", del, nil, http.StatusForbidden)
	bob.wantStatus("POST", hide, url.Values{"hidden": {"1"}}, http.StatusForbidden)
	admin.wantStatus("POST", edit, url.Values{"body": {"admin rewrote"}}, http.StatusForbidden)
	ada.wantStatus("POST", edit, url.Values{"body": {"ada's better point"}}, http.StatusSeeOther)
	_, page := bob.wantStatus("GET", "/papers/2401.00001", nil, http.StatusOK)
	if !strings.Contains(page, "ada&#39;s better point") || strings.Contains(page, "bob was here") || !strings.Contains(page, "edited") {
		t.Errorf("thread after edits does not show ada's edit alone")
	}
	admin.wantStatus("POST", hide, url.Values{"hidden": {"1"}}, http.StatusSeeOther)
	_, page = bob.wantStatus("GET", "/papers/2401.00001", nil, http.StatusOK)
	if !strings.Contains(page, "hidden by an admin") || strings.Contains(page, "better point") {
		t.Errorf("hidden comment: page shows its body or lacks the notice")
	}
	ada.wantStatus("POST", edit, url.Values{"body": {"sneaky"}}, http.StatusForbidden) // hidden: no edits
	ada.wantStatus("POST", del, nil, http.StatusSeeOther)
	bob.wantStatus("POST", del, nil, http.StatusNotFound)
}

func TestSubmissions(t *testing.T) {
	rig := newCommunityRig(t)
	ada, _ := rig.user(t, "ada@example.org", false)
	bob, _ := rig.user(t, "bob@example.org", false)
	_, page := ada.wantStatus("POST", "/submit", url.Values{"paper": {"2201.99999"}}, http.StatusNotFound)
	if !strings.Contains(page, "arXiv has no paper 2201.99999") {
		t.Errorf("unknown ID: page lacks the reason")
	}
	ada.wantStatus("POST", "/submit", url.Values{"paper": {"not an id"}}, http.StatusBadRequest)
	resp, _ := ada.wantStatus("POST", "/submit", url.Values{"paper": {"https://arxiv.org/abs/2206.06921v3"}, "comment": {"Nice"}}, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/papers/2206.06921" {
		t.Errorf("submission went to %q", loc)
	}
	_, page = bob.wantStatus("POST", "/submit", url.Values{"paper": {"2206.06921"}}, http.StatusConflict)
	if !strings.Contains(page, "already submitted by ada") || !strings.Contains(page, "counts as an upvote") {
		t.Errorf("duplicate: page lacks the polite notice:\n%s", page)
	}
	if got := upvotes(t, bob, "/papers/2206.06921"); got != "2" {
		t.Errorf("after a submission and a duplicate: %s upvotes, want 2", got)
	}
	// arXiv-supplied text is escaped too. Submitted ten days later, when
	// arXiv has announced nothing newer, it opens the front page.
	rig.clock.Add(10 * 24 * time.Hour)
	ada.wantStatus("POST", "/submit", url.Values{"paper": {"2212.00001"}}, http.StatusSeeOther)
	_, home := bob.wantStatus("GET", "/", nil, http.StatusOK)
	if !strings.Contains(home, "Tuesday, 11 March 2025") || !strings.Contains(home, `href="/papers/2212.00001"`) {
		t.Errorf("home page does not open on 11 March 2025 with the day's submission 2212.00001")
	}
	if err := rig.trending.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, page = ada.wantStatus("GET", "/papers/2212.00001", nil, http.StatusOK)
	_, trend := ada.wantStatus("GET", "/trending?window=day", nil, http.StatusOK)
	for name, body := range map[string]string{"paper page": page, "home page": home, "trending page": trend} {
		if !strings.Contains(body, "&lt;script&gt;alert(") {
			t.Errorf("%s lacks the hostile title, escaped", name)
		}
		for _, bad := range []string{`<script>alert("title")`, "<img src=x", "<b>Mallory"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q from arXiv unescaped", name, bad)
			}
		}
	}
	var items []struct {
		Paper struct {
			ID      string `json:"id"`
			Upvotes int    `json:"upvotes"`
		} `json:"paper"`
		SubmittedBy struct {
			Name string `json:"name"`
		} `json:"submittedBy"`
	}
	_, body := ada.wantStatus("GET", "/api/daily_papers?month=2025-03&submitter=ada", nil, http.StatusOK)
	if err := json.Unmarshal([]byte(body), &items); err != nil || len(items) != 2 || items[0].SubmittedBy.Name != "ada" {
		t.Errorf("daily_papers?submitter=ada = %s (%v); want ada's two submissions", body, err)
	}
}

func TestTrendingAndAPI(t *testing.T) {
	rig := newCommunityRig(t)
	ada, u := rig.user(t, "ada@example.org", false)
	_, secret, err := rig.svc.CreateAPIToken(context.Background(), u, "script")
	if err != nil {
		t.Fatal(err)
	}
	script := rig.browser(t)
	bearer := http.Header{"Authorization": {"Bearer " + secret}}
	resp, body := script.do("POST", "/api/v1/papers/2401.00001/upvote", nil, bearer)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"upvotes":1`) {
		t.Errorf("API upvote: %d %s", resp.StatusCode, body)
	}
	resp, _ = script.do("POST", "/api/v1/papers/2401.00001/upvote", nil, nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("API upvote without a token: %d, want 401", resp.StatusCode)
	}
	if err := rig.trending.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, page := ada.wantStatus("GET", "/trending?window=day", nil, http.StatusOK)
	if !strings.Contains(page, "&#43;1 upvote today") {
		t.Errorf("trending page lacks the reason:\n%s", page)
	}
	_, body = ada.wantStatus("GET", "/api/v1/trending?window=day", nil, http.StatusOK)
	var tr struct {
		Papers []struct {
			ID         string `json:"id"`
			Reason     string `json:"reason"`
			Components struct {
				Upvotes    int     `json:"upvotes"`
				VotePoints float64 `json:"vote_points"`
			} `json:"components"`
		} `json:"papers"`
	}
	if err := json.Unmarshal([]byte(body), &tr); err != nil || len(tr.Papers) != 1 || tr.Papers[0].Components.Upvotes != 1 || tr.Papers[0].Components.VotePoints <= 0.9 {
		t.Errorf("/api/v1/trending = %s (%v)", body, err)
	}
	ada.wantStatus("GET", "/api/v1/trending?window=year", nil, http.StatusBadRequest)
	resp, _ = script.do("DELETE", "/api/v1/papers/2401.00001/upvote", nil, bearer)
	if got := upvotes(t, ada, "/papers/2401.00001"); resp.StatusCode != http.StatusOK || got != "0" {
		t.Errorf("API unvote: %d, count %s", resp.StatusCode, got)
	}
}

// cardVotes returns the upvote count of the card of paper id on a page,
// "" when the page has no card for it.
func cardVotes(page, id string) string {
	for _, card := range regexp.MustCompile(`(?s)<li class="card">.*?</li>`).FindAllString(page, -1) {
		if strings.Contains(card, `<a href="/papers/`+id+`">`) {
			if m := voteCount.FindStringSubmatch(card); m != nil {
				return m[1]
			}
		}
	}
	return ""
}

// TestUpvoteCountsOnEveryCard checks that an upvote shows on every list
// that carries the paper (daily, search, trending) and on its page, for
// readers signed in or not.
func TestUpvoteCountsOnEveryCard(t *testing.T) {
	rig := newCommunityRig(t)
	ada, _ := rig.user(t, "ada@example.org", false)
	bob, _ := rig.user(t, "bob@example.org", false)
	for _, b := range []*browser{ada, bob} {
		b.wantStatus("POST", "/papers/2401.00001/upvote", url.Values{"vote": {"up"}}, http.StatusSeeOther)
	}
	if _, err := rig.engine.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := rig.trending.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	anon := rig.browser(t)
	for _, path := range []string{"/", "/?date=2025-03-01", "/?week=2025-W09", "/search?q=stored+paper", "/trending?window=day", "/trending?window=month"} {
		_, page := anon.wantStatus("GET", path, nil, http.StatusOK)
		if got := cardVotes(page, "2401.00001"); got != "2" {
			t.Errorf("GET %s: card of 2401.00001 shows %q upvotes, want 2", path, got)
		}
	}
	if got := upvotes(t, anon, "/papers/2401.00001"); got != "2" {
		t.Errorf("paper page shows %s upvotes, want 2", got)
	}
	_, page := ada.wantStatus("GET", "/", nil, http.StatusOK)
	if !strings.Contains(page, `class="vote-button voted" aria-pressed="true"`) {
		t.Error("ada's own upvote is not shown as pressed on her home page")
	}
}
