package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestPaperMarkdown(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		path string
		want []string
	}{
		{"/papers/0704.0001.md", []string{
			"# Calculation of prompt diphoton production cross sections at Tevatron and LHC energies\n\n",
			"**Authors:** C. Balázs, E. L. Berger, P. M. Nadolsky, C. -P. Yuan\n",
			"- arXiv: [0704.0001](https://arxiv.org/abs/0704.0001)\n",
			"- paperboy: http://example.com/papers/0704.0001\n",
			"- Published: 2007-04-02\n- Latest version: v2, 2007-07-24\n",
			"- DOI: 10.1103/PhysRevD.76.013009\n",
			"\n## Abstract\n\nA fully differential calculation in perturbative quantum chromodynamics is presented for the production",
		}},
		{"/papers/0704.0001v2.md", []string{"# Calculation of prompt diphoton production"}},
		{"/papers/hep-th/9901001.md", []string{
			"# String Junctions and Their Duals in Heterotic String Theory\n",
			"- PDF: https://arxiv.org/pdf/hep-th/9901001\n",
		}},
		{"/papers/0704.0005.md", []string{`# From dyadic $\\Lambda\_{\\alpha}$ to $\\Lambda\_{\\alpha}$`}},
		{"/papers/1901.99999.md", []string{
			`# Escaping \<script\>alert("title")\</script\> in neural networks`,
			`**Authors:** Eve \<img src=x onerror=alert(2)\>`,
			`We show that \<b\>bold\</b\> claims \& \<script\>alert(1)\</script\> neural payloads are inert.`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := f.get(tt.path)
			wantStatus(t, w, http.StatusOK)
			if ct := w.Header().Get("Content-Type"); ct != "text/markdown; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
			body := w.Body.String()
			wantContains(t, body, tt.want...)
			if m := unescapedAngle.FindString(body); m != "" {
				t.Errorf("markdown holds an unescaped %q:\n%s", m, body)
			}
		})
	}
}

// unescapedAngle is a "<" that markdown would read as HTML.
var unescapedAngle = regexp.MustCompile(`(?:^|[^\\])<[a-z/]`)

func TestPaperMarkdownNotFound(t *testing.T) {
	f := newFixture(t)
	tests := []struct{ path, msg string }{
		{"/papers/1234.56789.md", "not found"}, // the test ID huggingface_hub uses
		{"/papers/0704.0099.md", "Paper 0704.0099 not found."},
		{"/papers/hep-th/9999999.md", "not found"},
		{"/papers/nonsense.md", "not found"},
		{"/papers/.md", "not found"},
	}
	for _, tt := range tests {
		w := f.get(tt.path)
		if w.Code != http.StatusNotFound || !strings.Contains(w.Body.String(), tt.msg) ||
			!strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
			t.Errorf("GET %s = %d %s %q, want 404 text naming %q", tt.path, w.Code, w.Header().Get("Content-Type"), w.Body, tt.msg)
		}
	}
}

// The HTML page shares the route: it must be untouched by the .md split.
func TestPaperShowBesideMarkdown(t *testing.T) {
	f := newFixture(t)
	body := f.getOK(t, "/papers/hep-th/9901001")
	wantContains(t, body, "<!doctype html>", "String Junctions and Their Duals in Heterotic String Theory")
}
