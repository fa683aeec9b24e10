package server

import (
	"net/http"
	"testing"
)

func TestPaperShow(t *testing.T) {
	f := newFixture(t)
	body := f.getOK(t, "/papers/0704.0001")
	wantContains(t, body,
		"<title>Calculation of prompt diphoton production cross sections at Tevatron and LHC energies · paperboy</title>",
		`<h1 class="paper-title">Calculation of prompt diphoton production cross sections at Tevatron and LHC energies</h1>`,
		"<li>C. Balázs</li><li>E. L. Berger</li><li>P. M. Nadolsky</li><li>C. -P. Yuan</li>",
		"A fully differential calculation in perturbative quantum chromodynamics is presented for the production",
		`<span class="chip chip-primary" title="Primary category">hep-ph</span>`,
		"<dt>Submitted</dt><dd>2 Apr 2007</dd>",
		"<dt>Updated</dt><dd>24 Jul 2007</dd>",
		`<a href="https://doi.org/10.1103/PhysRevD.76.013009">10.1103/PhysRevD.76.013009</a>`,
		"<dd>Phys.Rev.D76:013009,2007</dd>",
		"<dd>37 pages, 15 figures; published version</dd>",
		"<tr><td>v1</td><td>2 Apr 2007</td>", "<tr><td>v2</td><td>24 Jul 2007</td>",
		`href="https://arxiv.org/abs/0704.0001"`, `href="https://arxiv.org/pdf/0704.0001"`, `href="https://arxiv.org/html/0704.0001"`,
	)
	// Kaggle records have no version sizes: no empty Size column.
	wantNotContains(t, body, "<th>Size</th>")
}

func TestPaperShowVersionSizes(t *testing.T) {
	f := newFixture(t)
	body := f.getOK(t, "/papers/1901.99999")
	wantContains(t, body, "<th>Size</th>", "<tr><td>v1</td><td>29 Jan 2019</td><td>12kb</td></tr>")
}

func TestPaperShowCategoriesAndLicense(t *testing.T) {
	f := newFixture(t)
	body := f.getOK(t, "/papers/0704.0002")
	wantContains(t, body,
		`<span class="chip chip-primary" title="Primary category">math.CO</span>`,
		`<span class="chip">cs.CG</span>`,
		`<a href="http://arxiv.org/licenses/nonexclusive-distrib/1.0/">`,
		"<dd>To appear in Graphs and Combinatorics</dd>",
	)
	wantNotContains(t, body, "<dt>DOI</dt>")
}

func TestPaperShowOldStyleID(t *testing.T) {
	f := newFixture(t)
	body := f.getOK(t, "/papers/hep-th/9901001")
	wantContains(t, body,
		"String Junctions and Their Duals in Heterotic String Theory",
		"<li>Yosuke Imamura</li>",
		`href="https://arxiv.org/pdf/hep-th/9901001"`,
		"<tr><td>v3</td><td>10 May 1999</td>",
	)
}

func TestPaperShowRedirectsToCanonicalID(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		path, location string
	}{
		{"/papers/0704.0001v2", "/papers/0704.0001"},
		{"/papers/arXiv:0704.0001", "/papers/0704.0001"},
		{"/papers/arxiv:0704.0001v1", "/papers/0704.0001"},
		{"/papers/hep-th/9901001v3", "/papers/hep-th/9901001"},
		{"/papers/math.GT/0309136", "/papers/math/0309136"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := f.get(tt.path)
			wantStatus(t, w, http.StatusMovedPermanently)
			if got := w.Header().Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
		})
	}
}

func TestPaperShowErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		path    string
		status  int
		message string
	}{
		{"/papers/0704.9999", http.StatusNotFound, "Paper 0704.9999 not found"},
		{"/papers/hep-th/9901999", http.StatusNotFound, "hep-th/9901999"},
		{"/papers/not-an-id", http.StatusBadRequest, "is not an arXiv ID"},
		{"/papers/0713.0001", http.StatusBadRequest, "month 13 is not 01-12"},
		{"/papers/", http.StatusNotFound, "Give an arXiv ID"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := f.get(tt.path)
			wantStatus(t, w, tt.status)
			wantContains(t, w.Body.String(), tt.message, `class="error-page"`)
		})
	}
}

func TestNotFoundPage(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/nope", "/static/nope.css", "/favicon.ico", "/papersx/1"} {
		t.Run(path, func(t *testing.T) {
			w := f.get(path)
			wantStatus(t, w, http.StatusNotFound)
			if got, want := w.Header().Get("Content-Type"), "text/html; charset=utf-8"; got != want {
				t.Errorf("Content-Type = %q, want %q", got, want)
			}
			wantContains(t, w.Body.String(), "Page not found", `<p class="status">404</p>`,
				`<form class="search-box" action="/search"`, "/static/style.css?v=")
		})
	}
}

func TestPagesEscapeArxivText(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/papers/1901.99999", "/?date=2019-01-29", "/search?q=payloads"} {
		t.Run(path, func(t *testing.T) {
			body := f.getOK(t, path)
			wantNotContains(t, body, "<script>alert", "<b>bold", "<img src=x", `href="javascript:`)
			wantContains(t, body, "&lt;script&gt;alert(", "Eve &lt;img src=x onerror=alert(2)&gt;")
		})
	}
	body := f.getOK(t, "/papers/1901.99999")
	wantContains(t, body, "&lt;b&gt;bold&lt;/b&gt; claims &amp; &lt;script&gt;alert(1)&lt;/script&gt;",
		`<span class="affiliation">(Lab &amp; Co)</span>`, `href="#ZgotmplZ"`)
}
