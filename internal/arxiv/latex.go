package arxiv

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// accents maps a LaTeX accent command to the Unicode combining mark it puts
// on the following letter.
var accents = map[string]rune{
	"'": '\u0301', "`": '\u0300', "^": '\u0302', "\"": '\u0308', "~": '\u0303',
	"=": '\u0304', ".": '\u0307', "c": '\u0327', "v": '\u030C', "u": '\u0306',
	"H": '\u030B', "k": '\u0328', "r": '\u030A', "d": '\u0323', "b": '\u0331',
}

// letters maps LaTeX commands for special letters and escaped characters to
// their Unicode text.
var letters = map[string]string{
	"ss": "ß", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "aa": "å", "AA": "Å",
	"ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "i": "ı", "j": "ȷ", "dh": "ð",
	"DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
	"&": "&", "%": "%", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}", " ": " ",
	",": " ", ";": " ", "-": "", "/": "",
}

// DecodeLaTeX turns the LaTeX accents and escapes found in arXiv author
// names (Bal\'azs, {\"o}, \c{c}, \v{s}, \ss, {\O}) into Unicode, drops
// grouping braces and unknown commands, and returns the result in NFC. It is
// meant for names and affiliations: titles and abstracts keep their LaTeX so
// that math can be rendered later.
func DecodeLaTeX(s string) string {
	if !strings.ContainsAny(s, "\\{}~`'") {
		return norm.NFC.String(s)
	}
	var b strings.Builder
	d := latexDecoder{s: s, out: &b}
	d.run()
	return norm.NFC.String(b.String())
}

type latexDecoder struct {
	s   string
	i   int
	out *strings.Builder
}

func (d *latexDecoder) run() {
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch c {
		case '\\':
			d.i++
			d.command()
		case '{', '}':
			d.i++
		case '~':
			d.i++
			d.out.WriteByte(' ')
		case '`', '\'':
			d.quote(c)
		default:
			r, n := utf8.DecodeRuneInString(d.s[d.i:])
			d.i += n
			d.out.WriteRune(r)
		}
	}
}

// quote turns TeX's “double quotes” into typographic ones and leaves a
// single quote or backtick alone.
func (d *latexDecoder) quote(c byte) {
	if d.i+1 < len(d.s) && d.s[d.i+1] == c {
		d.i += 2
		d.out.WriteString(map[byte]string{'`': "“", '\'': "”"}[c])
		return
	}
	d.i++
	d.out.WriteByte(c)
}

// name reads a command name after a backslash: a run of ASCII letters or one
// other character.
func (d *latexDecoder) name() string {
	start := d.i
	for d.i < len(d.s) && isASCIILetter(d.s[d.i]) {
		d.i++
	}
	if d.i == start && d.i < len(d.s) {
		_, n := utf8.DecodeRuneInString(d.s[d.i:])
		d.i += n
	}
	return d.s[start:d.i]
}

func (d *latexDecoder) command() {
	name := d.name()
	word := name != "" && isASCIILetter(name[0])
	if mark, ok := accents[name]; ok {
		d.accent(mark, word)
		return
	}
	if word {
		d.skipSpace() // TeX: a control word swallows the spaces after it
	}
	if t, ok := letters[name]; ok {
		d.out.WriteString(t)
		return
	}
	if !word && name != "" && name != "\\" {
		d.out.WriteString(name) // an unknown escaped symbol stands for itself
	}
}

// accent writes the argument of an accent command followed by mark. The
// argument is a braced group ("\'{e}", "\c{c}"), a command ("\'\i") or the
// next character ("\'e", "\v s").
func (d *latexDecoder) accent(mark rune, word bool) {
	if word {
		d.skipSpace()
	}
	arg := d.argument()
	if arg == "" {
		return
	}
	r, n := utf8.DecodeRuneInString(arg)
	switch r {
	case 'ı':
		r = 'i'
	case 'ȷ':
		r = 'j'
	}
	d.out.WriteRune(r)
	d.out.WriteRune(mark)
	d.out.WriteString(arg[n:])
}

func (d *latexDecoder) argument() string {
	if d.i >= len(d.s) {
		return ""
	}
	var raw string
	switch d.s[d.i] {
	case '{':
		end := matchingBrace(d.s, d.i)
		raw = d.s[d.i+1 : end]
		d.i = min(end+1, len(d.s))
	case '\\':
		start := d.i
		d.i++
		d.name()
		raw = d.s[start:d.i]
	default:
		_, n := utf8.DecodeRuneInString(d.s[d.i:])
		raw = d.s[d.i : d.i+n]
		d.i += n
	}
	var b strings.Builder
	(&latexDecoder{s: raw, out: &b}).run()
	return b.String()
}

func (d *latexDecoder) skipSpace() {
	for d.i < len(d.s) && d.s[d.i] == ' ' {
		d.i++
	}
}

// matchingBrace returns the index of the brace closing the one at open, or
// len(s) when it is never closed.
func matchingBrace(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++ // an escaped brace does not count
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(s)
}

func isASCIILetter(c byte) bool { return c < utf8.RuneSelf && unicode.IsLetter(rune(c)) }
