package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// char is one character of folded text and the byte span of the original
// text it came from, so that tokens can point back into what a user sees.
type char struct {
	r          rune
	start, end int32 // int32 keeps a char in 12 bytes
}

// foldText appends s folded to out, for matching: LaTeX accents and special letters become
// the letters they stand for, then Unicode compatibility decomposition
// (NFKD) strips accents and ligatures, and everything is lower-cased.
func foldText(out []char, s string) []char {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && c != '\\' && c != '{' {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			out = append(out, char{rune(c), int32(i), int32(i + 1)})
			i++
			continue
		}
		if s[i] == '\\' || s[i] == '{' {
			if n, letters, ok := latexLetter(s[i:]); ok {
				for _, r := range letters {
					out = appendFolded(out, r, i, i+n)
				}
				i += n
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		out = appendFolded(out, r, i, i+size)
		i += size
	}
	return out
}

// specialFolds are letters that NFKD leaves alone but readers type without
// their stroke or ligature.
var specialFolds = map[rune]string{
	'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'ß': "ss", 'æ': "ae", 'Æ': "ae",
	'œ': "oe", 'Œ': "oe", 'đ': "d", 'Đ': "d", 'ı': "i", 'þ': "th", 'ð': "d",
}

// greekNames spell Greek letters the way papers do in ASCII and LaTeX
// (\alpha): "TNF-α" and "TNF-alpha" are one term.
var greekNames = map[rune]string{
	'α': "alpha", 'β': "beta", 'γ': "gamma", 'δ': "delta", 'ε': "epsilon", 'ϵ': "epsilon",
	'ζ': "zeta", 'η': "eta", 'θ': "theta", 'ϑ': "theta", 'ι': "iota", 'κ': "kappa",
	'λ': "lambda", 'μ': "mu", 'ν': "nu", 'ξ': "xi", 'ο': "omicron", 'π': "pi", 'ϖ': "pi",
	'ρ': "rho", 'ϱ': "rho", 'σ': "sigma", 'ς': "sigma", 'τ': "tau", 'υ': "upsilon",
	'φ': "phi", 'ϕ': "phi", 'χ': "chi", 'ψ': "psi", 'ω': "omega",
}

func appendFolded(out []char, r rune, from, to int) []char {
	start, end := int32(from), int32(to)
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(out, char{r, start, end})
	}
	if s, ok := specialFolds[r]; ok {
		for _, f := range s {
			out = append(out, char{f, start, end})
		}
		return out
	}
	for _, d := range norm.NFKD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		d = unicode.ToLower(d)
		if name, ok := greekNames[d]; ok {
			for _, g := range name {
				out = append(out, char{g, start, end})
			}
			continue
		}
		out = append(out, char{d, start, end})
	}
	return out
}

// latexAccents are the one-character accent commands: \'a, \"o, \^e ...
const latexAccents = "'\"^`~=."

// latexLetterCommands are accent commands named by a letter, which take
// their argument in braces: \v{c}, \c{c}, \H{o} ...
const latexLetterCommands = "vcuHkrbdt"

// latexSpecials are the letter commands of LaTeX's text mode.
var latexSpecials = map[string]string{
	"ss": "ss", "o": "o", "O": "o", "l": "l", "L": "l", "ae": "ae", "AE": "ae",
	"oe": "oe", "OE": "oe", "aa": "a", "AA": "a", "i": "i", "j": "j",
}

// latexLetter reports whether s starts with a LaTeX-encoded letter, as
// arXiv metadata spells accented names (Bal\'azs, Erd{\H o}s, {\"u},
// \v{S}, \ss), and returns its length and the letters it stands for.
func latexLetter(s string) (n int, letters string, ok bool) {
	if s[0] == '{' {
		if len(s) < 2 || s[1] != '\\' {
			return 0, "", false
		}
		n, letters, ok = latexLetter(s[1:])
		if !ok || len(s) <= n+1 || s[n+1] != '}' {
			return 0, "", false
		}
		return n + 2, letters, true
	}
	if len(s) < 2 || s[0] != '\\' {
		return 0, "", false
	}
	switch c := s[1]; {
	case strings.IndexByte(latexAccents, c) >= 0:
		n, letters, ok = accentArgument(s[2:], true)
		return n + 2, letters, ok
	case strings.IndexByte(latexLetterCommands, c) >= 0 && len(s) > 2 && (s[2] == '{' || s[2] == ' '):
		n, letters, ok = accentArgument(s[2:], false)
		if ok {
			return n + 2, letters, true
		}
	}
	return latexSpecial(s)
}

// accentArgument reads the argument of an accent command: a letter, a
// letter in braces, or \i; bare says whether a bare letter is allowed.
func accentArgument(s string, bare bool) (n int, letters string, ok bool) {
	switch {
	case len(s) >= 3 && s[0] == '{' && isASCIILetter(s[1]) && s[2] == '}':
		return 3, s[1:2], true
	case len(s) >= 2 && s[0] == ' ' && isASCIILetter(s[1]):
		return 2, s[1:2], true
	case bare && len(s) >= 1 && isASCIILetter(s[0]):
		return 1, s[:1], true
	case len(s) >= 2 && s[0] == '\\':
		return latexSpecial(s)
	case len(s) >= 4 && s[0] == '{' && s[1] == '\\':
		if n, letters, ok := latexSpecial(s[1:]); ok && len(s) > n+1 && s[n+1] == '}' {
			return n + 2, letters, true
		}
	}
	return 0, "", false
}

// latexSpecial reads a letter command such as \ss or \o, which must not run
// on into further letters (\omega is not \o).
func latexSpecial(s string) (n int, letters string, ok bool) {
	end := 1
	for end < len(s) && isASCIILetter(s[end]) {
		end++
	}
	letters, ok = latexSpecials[s[1:end]]
	if !ok {
		return 0, "", false
	}
	if end < len(s) && s[end] == ' ' {
		end++ // "\ss e" is "sse": the space only ends the command
	}
	return end, letters, true
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
