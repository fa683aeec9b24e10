package community

import (
	"regexp"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"hello", "<p>hello</p>\n"},
		{"one\ntwo\n\n\nthree", "<p>one<br>\ntwo</p>\n<p>three</p>\n"},
		{"<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"},
		{`a "quote" & 'apos'`, "<p>a &#34;quote&#34; &amp; &#39;apos&#39;</p>\n"},
		{"*em* and * not * and **", "<p><em>em</em> and * not * and **</p>\n"},
		{"`<b>x</b>` and `*no em*`", "<p><code>&lt;b&gt;x&lt;/b&gt;</code> and <code>*no em*</code></p>\n"},
		{"unpaired ` tick", "<p>unpaired ` tick</p>\n"},
		{"see https://arxiv.org/abs/2401.00001.", `<p>see <a href="https://arxiv.org/abs/2401.00001" rel="nofollow ugc noopener">https://arxiv.org/abs/2401.00001</a>.</p>` + "\n"},
		{"(http://x.org/a_b)", `<p>(<a href="http://x.org/a_b" rel="nofollow ugc noopener">http://x.org/a_b</a>)</p>` + "\n"},
		{"javascript:alert(1) data:text/html,<b>", "<p>javascript:alert(1) data:text/html,&lt;b&gt;</p>\n"},
		{`https://x.org/"onmouseover="alert(1)`, `<p><a href="https://x.org/" rel="nofollow ugc noopener">https://x.org/</a>&#34;onmouseover=&#34;alert(1)</p>` + "\n"},
		{"[click](javascript:alert(1))", "<p>[click](javascript:alert(1))</p>\n"},
		{"https://", "<p>https://</p>\n"},
		{"  \n\n  ", ""},
	}
	for _, tt := range tests {
		if got := string(Format(tt.in)); got != tt.want {
			t.Errorf("Format(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// FuzzFormat checks that no input makes Format emit a tag it did not
// write itself.
func FuzzFormat(f *testing.F) {
	f.Add("<script>*a* `b` https://x.org/?q=<s>")
	f.Fuzz(func(t *testing.T, s string) {
		out := strings.ToLower(string(Format(s)))
		for _, tag := range tagRE.FindAllString(out, -1) {
			switch {
			case tag == "<p>", tag == "</p>", tag == "<br>", tag == "<em>", tag == "</em>",
				tag == "<code>", tag == "</code>", tag == "</a>", strings.HasPrefix(tag, `<a href="http`):
			default:
				t.Fatalf("Format(%q) emits %q", s, tag)
			}
		}
	})
}

var tagRE = regexp.MustCompile(`<[^>]*>?`)
