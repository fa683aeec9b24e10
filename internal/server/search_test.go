package server

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestSearchShow(t *testing.T) {
	f := newFixture(t)
	body := f.getOK(t, "/search?q=stiffness+generalization")
	ids := cardIDs(body)
	if len(ids) == 0 || !strings.Contains(body, `<a href="/papers/1901.09491">`) {
		t.Fatalf("results %q do not include 1901.09491", ids)
	}
	first := cardLink.FindStringSubmatch(body)[1]
	if first != "1901.09491" {
		t.Errorf("first result = %s, want 1901.09491", first)
	}
	wantContains(t, body,
		`<input type="search" name="q" value="stiffness generalization"`,
		"<mark>Stiffness</mark>: A New Perspective on <mark>Generalization</mark> in Neural Networks",
		"<title>stiffness generalization – Search · paperboy</title>",
	)
	if !regexp.MustCompile(`\d+ results? for “stiffness generalization”`).MatchString(body) {
		t.Errorf("page does not show the total count")
	}
}

func TestSearchShowHighlightsEscapedText(t *testing.T) {
	f := newFixture(t)
	body := f.getOK(t, "/search?q="+url.QueryEscape("script payloads"))
	wantContains(t, body,
		`Escaping &lt;<mark>script</mark>&gt;alert(&#34;title&#34;)&lt;/<mark>script</mark>&gt; in neural networks`,
		`&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; neural <mark>payloads</mark> are inert.`,
	)
	wantNotContains(t, body, "<script>", "<b>")
}

func TestSearchShowEscapesQuery(t *testing.T) {
	f := newFixture(t)
	q := `"><script>alert(1)</script>`
	w := f.get("/search?q=" + url.QueryEscape(q))
	body := w.Body.String()
	wantNotContains(t, body, "<script>alert(1)")
	wantContains(t, body, `value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`)
}

func TestSearchShowPaging(t *testing.T) {
	f := newFixture(t)
	addPapers(t, f, "2002", 25, "Zebrafish study")
	body := f.getOK(t, "/search?q=zebrafish")
	wantContains(t, body, "25 results for")
	if got := len(cardIDs(body)); got != 20 {
		t.Errorf("page 1 has %d results, want 20", got)
	}
	next := linkRel(body, "next")
	if want := "/search?page=2&q=zebrafish"; next != want {
		t.Fatalf("next link = %q, want %q", next, want)
	}
	page2 := f.getOK(t, next)
	if got := len(cardIDs(page2)); got != 5 {
		t.Errorf("page 2 has %d results, want 5", got)
	}
	for _, id := range cardIDs(page2) {
		if strings.Contains(body, `href="/papers/`+id+`"`) {
			t.Errorf("paper %s is on pages 1 and 2", id)
		}
	}
}

func TestSearchShowRedirectsIDs(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		q, location string
	}{
		{"0704.0001", "/papers/0704.0001"},
		{" arXiv:0704.0002v2 ", "/papers/0704.0002"},
		{"https://arxiv.org/abs/hep-th/9901001v2", "/papers/hep-th/9901001"},
		{"https://arxiv.org/pdf/1901.09491", "/papers/1901.09491"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			w := f.get("/search?q=" + url.QueryEscape(tt.q))
			wantStatus(t, w, http.StatusSeeOther)
			if got := w.Header().Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
		})
	}
	// An ID that is not stored is searched for like any text.
	w := f.get("/search?q=0704.9999")
	wantStatus(t, w, http.StatusOK)
}

func TestSearchShowBadQuery(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		query, message string
	}{
		{"q=" + url.QueryEscape("graphs after:2019-13-45"), "Bad date &#34;2019-13-45&#34; in after:"},
		{"q=" + url.QueryEscape("graphs cat:"), "Empty cat: filter"},
		{"q=graphs&page=zero", "Invalid page &#34;zero&#34;"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			w := f.get("/search?" + tt.query)
			wantStatus(t, w, http.StatusBadRequest)
			body := w.Body.String()
			wantContains(t, body, `<p class="notice notice-error" role="alert">`+tt.message, `value="graphs`)
			wantNotContains(t, body, `class="error-page"`)
		})
	}
}

func TestSearchShowEmptyQuery(t *testing.T) {
	f := newFixture(t)
	body := f.getOK(t, "/search")
	wantContains(t, body, "Search titles and abstracts")
	if n := len(cardIDs(body)); n != 0 {
		t.Errorf("empty query shows %d results, want 0", n)
	}
}
