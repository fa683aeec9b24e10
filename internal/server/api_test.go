package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"paperboy/internal/community"
)

// The JSON shapes as docs/api.md documents them, written out again here so
// that a renamed field fails the tests.
type (
	apiPaper struct {
		ID       string `json:"id"`
		Version  int    `json:"version"`
		Versions []struct {
			Version int     `json:"version"`
			Date    string  `json:"date"`
			Size    *string `json:"size"`
		} `json:"versions"`
		Title    string `json:"title"`
		Abstract string `json:"abstract"`
		Authors  []struct {
			Name        string  `json:"name"`
			Affiliation *string `json:"affiliation"`
		} `json:"authors"`
		Categories      []string `json:"categories"`
		PrimaryCategory string   `json:"primary_category"`
		DOI             string   `json:"doi"`
		JournalRef      string   `json:"journal_ref"`
		Comments        string   `json:"comments"`
		License         string   `json:"license"`
		Submitted       string   `json:"submitted"`
		Updated         string   `json:"updated"`
		Links           struct {
			Abs  string `json:"abs"`
			PDF  string `json:"pdf"`
			HTML string `json:"html"`
		} `json:"links"`
	}
	apiSearch struct {
		Query   string `json:"query"`
		Total   int    `json:"total"`
		Limit   int    `json:"limit"`
		Offset  int    `json:"offset"`
		Results []struct {
			Score float64  `json:"score"`
			Paper apiPaper `json:"paper"`
		} `json:"results"`
	}
	apiDaily struct {
		Date        *string    `json:"date"`
		Prev        *string    `json:"prev"`
		Next        *string    `json:"next"`
		Mode        string     `json:"mode"`
		Total       int        `json:"total"`
		Limit       int        `json:"limit"`
		Offset      int        `json:"offset"`
		Papers      []apiPaper `json:"papers"`
		Submissions []struct {
			PaperID     string `json:"paper_id"`
			SubmittedBy string `json:"submitted_by"`
			Comment     string `json:"comment"`
			Submitted   string `json:"submitted"`
		} `json:"submissions"`
	}
	apiError struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
)

// getJSON serves target, checks the status and content type, and decodes
// the body into v, rejecting unknown fields.
func (f *fixture) getJSON(t *testing.T, target string, status int, v any) {
	t.Helper()
	w := f.get(target)
	decodeJSON(t, w, status, v)
}

func decodeJSON(t *testing.T, w *httptest.ResponseRecorder, status int, v any) {
	t.Helper()
	wantStatus(t, w, status)
	if got, want := w.Header().Get("Content-Type"), "application/json; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	dec := json.NewDecoder(w.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode %T: %v", v, err)
	}
}

func TestAPIPaperShow(t *testing.T) {
	f := newFixture(t)
	var p apiPaper
	f.getJSON(t, "/api/v1/papers/0704.0001", http.StatusOK, &p)
	checks := []struct{ name, got, want string }{
		{"id", p.ID, "0704.0001"},
		{"title", p.Title, "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"},
		{"primary_category", p.PrimaryCategory, "hep-ph"},
		{"doi", p.DOI, "10.1103/PhysRevD.76.013009"},
		{"journal_ref", p.JournalRef, "Phys.Rev.D76:013009,2007"},
		{"comments", p.Comments, "37 pages, 15 figures; published version"},
		{"license", p.License, ""},
		{"submitted", p.Submitted, "2007-04-02T19:18:42Z"},
		{"updated", p.Updated, "2007-07-24T20:10:27Z"},
		{"links.abs", p.Links.Abs, "https://arxiv.org/abs/0704.0001"},
		{"links.pdf", p.Links.PDF, "https://arxiv.org/pdf/0704.0001"},
		{"links.html", p.Links.HTML, "https://arxiv.org/html/0704.0001"},
		{"authors[0].name", p.Authors[0].Name, "C. Balázs"},
		{"abstract prefix", p.Abstract[:40], "A fully differential calculation in pert"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if p.Version != 2 || len(p.Versions) != 2 || p.Versions[1].Version != 2 || p.Versions[1].Date != "2007-07-24T20:10:27Z" {
		t.Errorf("version %d, versions %+v; want version 2 and v2 dated 2007-07-24T20:10:27Z", p.Version, p.Versions)
	}
	if !slices.Equal(p.Categories, []string{"hep-ph"}) {
		t.Errorf("categories = %q, want [hep-ph]", p.Categories)
	}
	if p.Authors[0].Affiliation != nil {
		t.Errorf("affiliation = %q, want it omitted", *p.Authors[0].Affiliation)
	}
}

func TestAPIPaperShowIDForms(t *testing.T) {
	f := newFixture(t)
	for _, id := range []string{"hep-th/9901001", "hep-th/9901001v2", "arXiv:0704.0002"} {
		var p apiPaper
		f.getJSON(t, "/api/v1/papers/"+id, http.StatusOK, &p)
		if p.ID == "" || p.Links.Abs != "https://arxiv.org/abs/"+p.ID {
			t.Errorf("GET %s: id %q, abs link %q", id, p.ID, p.Links.Abs)
		}
	}
	var p apiPaper
	f.getJSON(t, "/api/v1/papers/1901.99999", http.StatusOK, &p)
	if p.Authors[0].Affiliation == nil || *p.Authors[0].Affiliation != "Lab & Co" {
		t.Errorf("affiliation = %v, want %q", p.Authors[0].Affiliation, "Lab & Co")
	}
	if p.Versions[0].Size == nil || *p.Versions[0].Size != "12kb" {
		t.Errorf("size = %v, want 12kb", p.Versions[0].Size)
	}
}

func TestAPISearch(t *testing.T) {
	f := newFixture(t)
	var s apiSearch
	f.getJSON(t, "/api/v1/search?q=neural+networks", http.StatusOK, &s)
	if s.Query != "neural networks" || s.Limit != 20 || s.Offset != 0 {
		t.Errorf("query %q, limit %d, offset %d; want %q, 20, 0", s.Query, s.Limit, s.Offset, "neural networks")
	}
	if s.Total < 3 || len(s.Results) != s.Total {
		t.Fatalf("total %d, %d results; want 3 or more, all on one page", s.Total, len(s.Results))
	}
	for i, r := range s.Results {
		if r.Score <= 0 || r.Paper.ID == "" || r.Paper.Title == "" {
			t.Errorf("result %d: score %v, paper %q %q", i, r.Score, r.Paper.ID, r.Paper.Title)
		}
		if i > 0 && r.Score > s.Results[i-1].Score {
			t.Errorf("result %d scores %v, more than the one before (%v)", i, r.Score, s.Results[i-1].Score)
		}
	}
	var page apiSearch
	f.getJSON(t, "/api/v1/search?q=neural+networks&limit=1&offset=1", http.StatusOK, &page)
	if page.Total != s.Total || len(page.Results) != 1 || page.Results[0].Paper.ID != s.Results[1].Paper.ID {
		t.Errorf("limit=1&offset=1: total %d, %d results; want total %d and result %s",
			page.Total, len(page.Results), s.Total, s.Results[1].Paper.ID)
	}
}

func TestAPIDaily(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		query            string
		date, prev, next string
		total            int
	}{
		{"date=2007-04-02", "2007-04-02", "2007-04-01", "2019-01-06", 8},
		{"", "2019-01-29", "2019-01-28", "", 1},
		{"date=2010-05-05", "2010-05-05", "2007-04-02", "2019-01-06", 0},
		{"date=1999-01-01", "1999-01-01", "", "1999-01-04", 1},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var d apiDaily
			f.getJSON(t, "/api/v1/daily?"+tt.query, http.StatusOK, &d)
			if got := deref(d.Date); got != tt.date {
				t.Errorf("date = %q, want %q", got, tt.date)
			}
			if got := deref(d.Prev); got != tt.prev {
				t.Errorf("prev = %q, want %q", got, tt.prev)
			}
			if got := deref(d.Next); got != tt.next {
				t.Errorf("next = %q, want %q", got, tt.next)
			}
			if d.Total != tt.total || len(d.Papers) != tt.total {
				t.Errorf("total %d, %d papers; want %d", d.Total, len(d.Papers), tt.total)
			}
			if d.Mode != "all" || d.Submissions == nil || len(d.Submissions) != 0 {
				t.Errorf("mode %q, submissions %v; want all and [] without the community features", d.Mode, d.Submissions)
			}
		})
	}
}

// TestAPIDailyCommunity checks that /api/v1/daily lists what the home page
// does in each daily mode (see submissionDays): the day it opens on, the
// day's listing with its submissions, and neighbours that have papers in
// that mode. The papers fetched from arXiv for their submission are stored
// with their own first-submission days, so 1 December 2022 (2212.00001)
// is an arXiv day too.
func TestAPIDailyCommunity(t *testing.T) {
	type want struct {
		date, prev, next string
		ids              []string
		total            int
		subs             []string // paper_id/submitted_by/comment
	}
	tests := []struct {
		mode  string
		query string
		want
	}{
		{community.DailySubmitted, "", want{"2025-03-10", "2025-03-03", "", []string{"2212.00001"}, 1, []string{"2212.00001/bob/"}}},
		{community.DailySubmitted, "date=2025-03-03", want{"2025-03-03", "2025-03-01", "2025-03-10", []string{"2401.00001"}, 1, []string{"2401.00001/ada/A keeper"}}},
		{community.DailySubmitted, "date=2025-03-01", want{"2025-03-01", "", "2025-03-03", []string{"2206.06921"}, 1, []string{"2206.06921/ada/"}}},
		{community.DailySubmitted, "date=2025-03-05", want{"2025-03-05", "2025-03-03", "2025-03-10", nil, 0, nil}},
		{community.DailyBoth, "", want{"2025-03-10", "2025-03-05", "", []string{"2212.00001"}, 1, []string{"2212.00001/bob/"}}},
		{community.DailyBoth, "date=2025-03-01", want{"2025-03-01", "2022-12-01", "2025-03-03", []string{"2206.06921", "2401.00001"}, 2, []string{"2206.06921/ada/"}}},
		{community.DailyBoth, "date=2025-03-01&limit=1&offset=1", want{"2025-03-01", "2022-12-01", "2025-03-03", []string{"2401.00001"}, 2, nil}},
		{community.DailyBoth, "date=2025-03-05", want{"2025-03-05", "2025-03-03", "2025-03-10", []string{"2503.00005"}, 1, nil}},
		{community.DailyAll, "", want{"2025-03-05", "2025-03-01", "", []string{"2503.00005"}, 1, nil}},
		{community.DailyAll, "date=2025-03-01", want{"2025-03-01", "2022-12-01", "2025-03-05", []string{"2401.00001"}, 1, nil}},
	}
	rigs := map[string]*browser{}
	for _, mode := range []string{community.DailySubmitted, community.DailyBoth, community.DailyAll} {
		_, rigs[mode] = submissionDays(t, mode)
	}
	for _, tt := range tests {
		t.Run(tt.mode+"/"+tt.query, func(t *testing.T) {
			b := rigs[tt.mode]
			b.t = t
			_, body := b.wantStatus("GET", "/api/v1/daily?"+tt.query, nil, http.StatusOK)
			dec := json.NewDecoder(strings.NewReader(body))
			dec.DisallowUnknownFields()
			var d apiDaily
			if err := dec.Decode(&d); err != nil {
				t.Fatalf("decode %s: %v", body, err)
			}
			var ids, subs []string
			for _, p := range d.Papers {
				ids = append(ids, p.ID)
			}
			for _, s := range d.Submissions {
				subs = append(subs, s.PaperID+"/"+s.SubmittedBy+"/"+s.Comment)
				if !strings.HasPrefix(s.Submitted, "2025-03-") || !strings.HasSuffix(s.Submitted, "Z") {
					t.Errorf("submission %s: submitted %q, want a UTC time in March 2025", s.PaperID, s.Submitted)
				}
			}
			got := want{deref(d.Date), deref(d.Prev), deref(d.Next), ids, d.Total, subs}
			if !reflect.DeepEqual(got, tt.want) || d.Mode != tt.mode {
				t.Errorf("got %+v in mode %q, want %+v in mode %q", got, d.Mode, tt.want, tt.mode)
			}
		})
	}
}

// TestAPIDailyNothingSubmitted checks /api/v1/daily in submitted mode
// before any submission: no day, no papers, though arXiv has some.
func TestAPIDailyNothingSubmitted(t *testing.T) {
	rig := newCommunityRigDaily(t, community.DailySubmitted)
	_, body := rig.browser(t).wantStatus("GET", "/api/v1/daily", nil, http.StatusOK)
	var d apiDaily
	if err := json.Unmarshal([]byte(body), &d); err != nil || d.Date != nil || d.Prev != nil || d.Next != nil || d.Total != 0 || len(d.Papers) != 0 || d.Mode != "submitted" {
		t.Errorf("/api/v1/daily = %s (%v); want no date, no papers, mode submitted", body, err)
	}
}

func TestAPIErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		target  string
		status  int
		code    string
		message string
	}{
		{"/api/v1/papers/0704.9999", http.StatusNotFound, "not_found", "Paper 0704.9999 not found."},
		{"/api/v1/papers/nonsense", http.StatusBadRequest, "invalid", `"nonsense" is not an arXiv ID`},
		{"/api/v1/search", http.StatusBadRequest, "invalid", "Missing query"},
		{"/api/v1/search?q=x&limit=101", http.StatusBadRequest, "invalid", `Invalid limit "101": expected an integer from 1 to 100.`},
		{"/api/v1/search?q=x&limit=0", http.StatusBadRequest, "invalid", `Invalid limit "0"`},
		{"/api/v1/search?q=x&limit=ten", http.StatusBadRequest, "invalid", `Invalid limit "ten"`},
		{"/api/v1/search?q=x&offset=-1", http.StatusBadRequest, "invalid", `Invalid offset "-1"`},
		{"/api/v1/search?q=" + url.QueryEscape("x after:2019-13-45"), http.StatusBadRequest, "invalid", `Bad date "2019-13-45" in after:`},
		{"/api/v1/daily?date=2025-13-40", http.StatusBadRequest, "invalid", `Invalid date "2025-13-40"`},
		{"/api/v1/daily?date=", http.StatusBadRequest, "invalid", `Invalid date ""`},
		{"/api/v1/nope", http.StatusNotFound, "not_found", "No API endpoint GET /api/v1/nope."},
		{"/api/v2/papers/0704.0001", http.StatusNotFound, "not_found", "No API endpoint"},
		{"/api/", http.StatusNotFound, "not_found", "No API endpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			var e apiError
			f.getJSON(t, tt.target, tt.status, &e)
			if e.Error.Code != tt.code {
				t.Errorf("code = %q, want %q", e.Error.Code, tt.code)
			}
			if !strings.Contains(e.Error.Message, tt.message) {
				t.Errorf("message = %q, want it to contain %q", e.Error.Message, tt.message)
			}
		})
	}
	var e apiError
	w := f.do(httptest.NewRequest(http.MethodPost, "/api/v1/papers/0704.0001", nil))
	decodeJSON(t, w, http.StatusNotFound, &e)
	if e.Error.Code != "not_found" {
		t.Errorf("POST: code = %q, want not_found", e.Error.Code)
	}
}
