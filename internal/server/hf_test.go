package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The structs below mirror docs/hf-api.md field for field; responses are
// decoded with DisallowUnknownFields, so a field added or renamed without
// the docs fails here. requiredKeys checks the fields the Hub's schema
// marks required are present, since decoding alone cannot.

type hfItem struct {
	Paper                 hfPaper `json:"paper"`
	PublishedAt           string  `json:"publishedAt"`
	Title                 string  `json:"title"`
	Summary               string  `json:"summary"`
	Thumbnail             string  `json:"thumbnail"`
	NumComments           int     `json:"numComments"`
	SubmittedBy           hfUser  `json:"submittedBy"`
	IsAuthorParticipating bool    `json:"isAuthorParticipating"`
}

type hfPaper struct {
	ID                 string     `json:"id"`
	Authors            []hfAuthor `json:"authors"`
	DiscussionID       string     `json:"discussionId"`
	PublishedAt        string     `json:"publishedAt"`
	SubmittedOnDailyAt string     `json:"submittedOnDailyAt"`
	Summary            string     `json:"summary"`
	Title              string     `json:"title"`
	Upvotes            int        `json:"upvotes"`
}

type hfAuthor struct {
	ID     string `json:"_id"`
	Hidden bool   `json:"hidden"`
	Name   string `json:"name"`
}

type hfUser struct {
	ID        string `json:"_id"`
	AvatarURL string `json:"avatarUrl"`
	Fullname  string `json:"fullname"`
	IsPro     bool   `json:"isPro"`
	Name      string `json:"name"`
	Type      string `json:"type"`
	User      string `json:"user"` // optional: submitters only (hf_community_test.go)
}

var (
	itemKeys   = []string{"paper", "publishedAt", "title", "summary", "thumbnail", "numComments", "submittedBy", "isAuthorParticipating"}
	paperKeys  = []string{"id", "authors", "discussionId", "publishedAt", "summary", "title", "upvotes"}
	authorKeys = []string{"_id", "hidden", "name"}
	userKeys   = []string{"_id", "avatarUrl", "fullname", "isPro", "name", "type"}
)

// hubTime is the Hub's datetime format, which huggingface_hub parses.
var hubTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)

// decodeStrict decodes body into v, refusing unknown fields.
func decodeStrict(t *testing.T, body []byte, v any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %T: %v\nbody: %s", v, err, body)
	}
}

func requiredKeys(t *testing.T, what string, obj any, keys []string) {
	t.Helper()
	m, ok := obj.(map[string]any)
	if !ok {
		t.Fatalf("%s = %T, want an object", what, obj)
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s has no %q", what, k)
		}
	}
}

// checkItemKeys checks every required key of every daily item.
func checkItemKeys(t *testing.T, body []byte) {
	t.Helper()
	var items []map[string]any
	if err := json.Unmarshal(body, &items); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		requiredKeys(t, "item", it, itemKeys)
		requiredKeys(t, "submittedBy", it["submittedBy"], userKeys)
		checkPaperKeys(t, it["paper"])
	}
}

func checkPaperKeys(t *testing.T, p any) {
	t.Helper()
	requiredKeys(t, "paper", p, paperKeys)
	for _, a := range p.(map[string]any)["authors"].([]any) {
		requiredKeys(t, "author", a, authorKeys)
	}
}

// getHFItems serves target, wants 200 and JSON, and decodes the items.
func (f *fixture) getHFItems(t *testing.T, target string) []hfItem {
	t.Helper()
	w := f.get(target)
	wantStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type = %q, want JSON", target, ct)
	}
	body := w.Body.Bytes()
	checkItemKeys(t, body)
	var items []hfItem
	decodeStrict(t, body, &items)
	return items
}

func itemIDs(items []hfItem) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.Paper.ID
	}
	return ids
}

func TestHFDailyListItem(t *testing.T) {
	f := newFixture(t)
	items := f.getHFItems(t, "/api/daily_papers?date=2007-04-02")
	if len(items) != 8 {
		t.Fatalf("got %d items, want the 8 papers of 2 Apr 2007", len(items))
	}
	got := items[3] // 0704.0009 19:41, 0704.0001 19:18, 0704.0027 19:17, 0704.0015 18:10
	want := hfItem{
		Paper: hfPaper{
			ID: "0704.0015", DiscussionID: "", Upvotes: 0,
			Authors:     []hfAuthor{{Name: "Christian Stahn"}},
			PublishedAt: "2007-04-02T18:10:09.000Z", SubmittedOnDailyAt: "2007-04-02T18:10:09.000Z",
			Title: "Fermionic superstring loop amplitudes in the pure spinor formalism",
		},
		PublishedAt: "2007-04-02T18:10:09.000Z",
		Title:       "Fermionic superstring loop amplitudes in the pure spinor formalism",
		SubmittedBy: hfUser{Type: "user"},
	}
	want.Paper.Summary, want.Summary = got.Paper.Summary, got.Paper.Summary
	if !equalJSON(t, got, want) {
		t.Errorf("item 3 =\n%+v\nwant\n%+v", got, want)
	}
	if !strings.HasPrefix(got.Summary, "The pure spinor formulation of the ten-dimensional superstring leads to") ||
		strings.Contains(got.Summary, "  ") || strings.Contains(got.Summary, "\n") {
		t.Errorf("summary = %q, want the abstract on one line", got.Summary)
	}
}

func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func TestHFDailyListSelects(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		query   string
		want    int
		wantIDs []string // when set, the exact list in order
	}{
		{"date=2007-04-01", 2, []string{"0704.0003", "0704.0014"}},
		{"date=2007-04-02", 8, nil},
		{"date=2007-04-03", 0, nil},
		{"week=2007-W13", 22, nil}, // Mon 26 Mar - Sun 1 Apr
		{"week=2007-W14", 8, nil},
		{"month=2007-04", 10, nil},
		{"month=2019-01", 4, []string{"1901.99999", "1901.09849", "1901.09491", "1901.01608"}},
		{"", 36, nil},         // everything, newest first, under the default limit of 50
		{"limit=10", 10, nil}, // limit is exact
		{"limit=1", 1, []string{"1901.99999"}},
		{"date=2007-03-31&limit=7", 7, nil},
		{"date=2007-03-31&limit=7&p=2", 6, nil}, // 20 papers: 7, 7, 6
		{"date=2007-03-31&limit=7&p=3", 0, nil},
		{"date=2007-04-02&p=100", 0, nil},
		{"sort=trending&month=2019-01", 4, []string{"1901.99999", "1901.09849", "1901.09491", "1901.01608"}},
		{"sort=publishedAt&date=2007-04-01", 2, []string{"0704.0003", "0704.0014"}},
		{"submitter=akhaliq", 0, nil}, // nothing is submitted yet
		{"date=2007-04-01&submitter=", 2, nil},
		{"week=1999-W01&limit=100", 1, []string{"hep-th/9901002"}}, // 1 Jan 1999 is in 1998-W53
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			items := f.getHFItems(t, "/api/daily_papers?"+tt.query)
			got := itemIDs(items)
			if len(got) != tt.want || (tt.wantIDs != nil && !slices.Equal(got, tt.wantIDs)) {
				t.Errorf("ids = %v (%d), want %d %v", got, len(got), tt.want, tt.wantIDs)
			}
			for i, it := range items {
				if !hubTime.MatchString(it.PublishedAt) || !hubTime.MatchString(it.Paper.PublishedAt) {
					t.Errorf("dates %q, %q are not the Hub's format", it.PublishedAt, it.Paper.PublishedAt)
				}
				if i > 0 && it.PublishedAt > items[i-1].PublishedAt {
					t.Errorf("item %d (%s) is newer than item %d", i, it.PublishedAt, i-1)
				}
			}
		})
	}
}

func TestHFDailyListPagesDoNotOverlap(t *testing.T) {
	f := newFixture(t)
	all := itemIDs(f.getHFItems(t, "/api/daily_papers?date=2007-03-31&limit=20"))
	var paged []string
	for p := range 3 {
		paged = append(paged, itemIDs(f.getHFItems(t, "/api/daily_papers?date=2007-03-31&limit=7&p="+strconv.Itoa(p)))...)
	}
	if !slices.Equal(paged, all) {
		t.Errorf("pages of 7 = %v, want %v", paged, all)
	}
}

// wantHFError checks a 400 or 404 has the Hub's error shape and names the
// problem.
func wantHFError(t *testing.T, f *fixture, target string, status int, msg string) {
	t.Helper()
	w := f.get(target)
	if w.Code != status {
		t.Fatalf("GET %s: status = %d, want %d; body: %s", target, w.Code, status, w.Body)
	}
	var body struct {
		Error string `json:"error"`
	}
	decodeStrict(t, w.Body.Bytes(), &body)
	if !strings.Contains(body.Error, msg) {
		t.Errorf("GET %s: error = %q, want it to contain %q", target, body.Error, msg)
	}
}

func TestHFBadRequests(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		target string
		status int
		msg    string
	}{
		{"/api/daily_papers?date=2025-13-40", 400, `Invalid date "2025-13-40"`},
		{"/api/daily_papers?date=2025-02-30", 400, "Invalid date"},
		{"/api/daily_papers?date=today", 400, "Invalid date"},
		{"/api/daily_papers?week=2025-W54", 400, `Invalid week "2025-W54"`},
		{"/api/daily_papers?week=2025-W00", 400, "Invalid week"},
		{"/api/daily_papers?week=2025-9", 400, "Invalid week"},
		{"/api/daily_papers?month=2025-13", 400, `Invalid month "2025-13"`},
		{"/api/daily_papers?date=2025-01-01&week=2025-W01", 400, "Give only one of date, week and month"},
		{"/api/daily_papers?sort=upvotes", 400, `Invalid sort "upvotes"`},
		{"/api/daily_papers?limit=0", 400, "Invalid limit"},
		{"/api/daily_papers?limit=501", 400, "Invalid limit"},
		{"/api/daily_papers?limit=ten", 400, "Invalid limit"},
		{"/api/daily_papers?p=-1", 400, "Invalid p"},
		{"/api/papers/search", 400, "Missing query"},
		{"/api/papers/search?q=graph&limit=101", 400, "Invalid limit"},
		{"/api/papers/search?q=year:19", 400, "Bad year"},
		{"/api/papers/1234.56789", 404, "not found"},
		{"/api/papers/not-an-id", 404, "not found"},
		{"/api/papers/hep-th/9999999", 404, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) { wantHFError(t, f, tt.target, tt.status, tt.msg) })
	}
}

func TestHFPaperShow(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		path, id, title, published string
		authors                    int
	}{
		{"/api/papers/0704.0001", "0704.0001",
			"Calculation of prompt diphoton production cross sections at Tevatron and LHC energies", "2007-04-02T19:18:42.000Z", 4},
		{"/api/papers/0704.0001v2", "0704.0001",
			"Calculation of prompt diphoton production cross sections at Tevatron and LHC energies", "2007-04-02T19:18:42.000Z", 4},
		{"/api/papers/hep-th/9901001", "hep-th/9901001",
			"String Junctions and Their Duals in Heterotic String Theory", "1999-01-01T01:01:10.000Z", 1},
		{"/api/papers/1901.09491", "1901.09491",
			"Stiffness: A New Perspective on Generalization in Neural Networks", "2019-01-28T02:49:46.000Z", 4},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := f.get(tt.path)
			wantStatus(t, w, http.StatusOK)
			var m map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
				t.Fatal(err)
			}
			checkPaperKeys(t, m)
			var got hfPaper
			decodeStrict(t, w.Body.Bytes(), &got)
			if got.ID != tt.id || got.Title != tt.title || got.PublishedAt != tt.published ||
				got.SubmittedOnDailyAt != tt.published || len(got.Authors) != tt.authors || got.Summary == "" {
				t.Errorf("got %+v\nwant id %s, title %q, publishedAt %s, %d authors", got, tt.id, tt.title, tt.published, tt.authors)
			}
		})
	}
}

func TestHFSearchList(t *testing.T) {
	f := newFixture(t)
	items := f.getHFItems(t, "/api/papers/search?q=generalization")
	ids := itemIDs(items)
	for _, want := range []string{"1901.09491", "1901.01608"} {
		if !slices.Contains(ids, want) {
			t.Errorf("search generalization = %v, want it to hold %s", ids, want)
		}
	}
	for _, limit := range []int{1, 2, 3} {
		items := f.getHFItems(t, "/api/papers/search?q=neural&limit="+strconv.Itoa(limit))
		if len(items) != limit {
			t.Errorf("limit=%d: %d items", limit, len(items))
		}
	}
	items = f.getHFItems(t, "/api/papers/search?q=diphoton")
	if len(items) != 1 || items[0].Title != "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies" ||
		items[0].PublishedAt != "2007-04-02T19:18:42.000Z" {
		t.Errorf("search diphoton = %+v, want 0704.0001 alone", items)
	}
}
