package web

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func TestNewParsesEveryTemplate(t *testing.T) {
	h, err := New(Config{Version: "test"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for name := range pages() {
		if h.templates[name] == nil {
			t.Errorf("template %q not parsed", name)
		}
	}
	for _, name := range []string{"style.css", "favicon.svg"} {
		if _, err := h.staticURL(name); err != nil {
			t.Errorf("staticURL(%q): %v", name, err)
		}
	}
}

// TestParseTemplatesFailsOnBrokenTemplate checks that a broken template
// fails at start-up, not in a request.
func TestParseTemplatesFailsOnBrokenTemplate(t *testing.T) {
	good, err := fs.ReadFile(templateFS, "templates/search.html")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, search string
	}{
		{"syntax", `{{define "content"}}{{if .Query}}{{end}`},
		{"unknown field", `{{define "content"}}{{.NoSuchField}}{{end}}`},
		{"ambiguous context", `{{define "content"}}<a href="{{.Query}}{{if .Error}}"{{end}}>x</a>{{end}}`},
		{"good", string(good)},
	}
	h, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			names := []string{"layout", "partials"}
			for name := range pages() {
				names = append(names, name)
			}
			for _, name := range names {
				body, err := fs.ReadFile(templateFS, "templates/"+name+".html")
				if err != nil {
					t.Fatal(err)
				}
				fsys["templates/"+name+".html"] = &fstest.MapFile{Data: body}
			}
			fsys["templates/search.html"] = &fstest.MapFile{Data: []byte(tt.search)}
			_, err := h.parseTemplates(fsys)
			if got, want := err != nil, tt.name != "good"; got != want {
				t.Errorf("parseTemplates error = %v, want error: %v", err, want)
			}
		})
	}
}

func TestHighlightHTMLEscapesBeforeMarking(t *testing.T) {
	segs := []segment{{Text: "<script>"}, {Text: "neural", Match: true}, {Text: ` & "x"`}, {Text: "<b>", Match: true}}
	got := string(highlightHTML(segs))
	want := `&lt;script&gt;<mark>neural</mark> &amp; &#34;x&#34;<mark>&lt;b&gt;</mark>`
	if got != want {
		t.Errorf("highlightHTML = %q, want %q", got, want)
	}
}

func TestClip(t *testing.T) {
	long := strings.Repeat("word ", 100) // 500 bytes
	tests := []struct {
		name       string
		segs       []segment
		wantPrefix string
		wantMatch  string
	}{
		{"short is kept", []segment{{Text: "a "}, {Text: "b", Match: true}}, "a ", "b"},
		{"match near start", []segment{{Text: "x "}, {Text: "hit", Match: true}, {Text: " " + long}}, "x ", "hit"},
		{"match far in", []segment{{Text: long}, {Text: "hit", Match: true}, {Text: " " + long}}, "… ", "hit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clip(tt.segs, 280)
			var text strings.Builder
			match := ""
			for _, s := range got {
				text.WriteString(s.Text)
				if s.Match {
					match = s.Text
				}
			}
			if !strings.HasPrefix(text.String(), tt.wantPrefix) {
				t.Errorf("clip text = %q, want prefix %q", text.String(), tt.wantPrefix)
			}
			if match != tt.wantMatch {
				t.Errorf("clip kept match %q, want %q", match, tt.wantMatch)
			}
			if n := text.Len(); n > 280+len("… ")+len(" …") {
				t.Errorf("clip length = %d, want at most about 280", n)
			}
		})
	}
}

func TestShortAuthors(t *testing.T) {
	tests := []struct {
		names []string
		want  string
	}{
		{nil, ""},
		{[]string{"A"}, "A"},
		{[]string{"A", "B", "C", "D"}, "A, B, C, D"},
		{[]string{"A", "B", "C", "D", "E"}, "A, B, C and 2 others"},
	}
	for _, tt := range tests {
		if got := shortAuthors(tt.names); got != tt.want {
			t.Errorf("shortAuthors(%q) = %q, want %q", tt.names, got, tt.want)
		}
	}
}
