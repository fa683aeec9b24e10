package search

import (
	"slices"
	"strings"
	"testing"
)

func TestAnalyzeTerms(t *testing.T) {
	tests := []struct {
		text string
		m    mode
		want string
	}{
		{"Pre-training of Deep Transformers", docText, "pre train pretrain deep transform"},
		{"pre-training", queryText, "pretrain"},
		{"pretraining", queryText, "pretrain"},
		{"GPT-4 and BERT-based models", docText, "gpt 4 gpt4 bert base bertbas model"},
		{`$\alpha$-divergence of $x^2_{ij}$`, docText, "alpha diverg x 2 ij"},
		{"the of and", docText, ""},
		{"An Will", docAuthors, "an will"},
		{"2019 results, 3.5 dB", docText, "2019 result 3 5 db"},
		{"ﬁnite Ｆｕｌｌｗｉｄｔｈ", docText, "finit fullwidth"},
		{"Graph—Neural/Networks", docText, "graph neural network"},
		{"O'Brien's", docAuthors, "o brien s"},
		{"state-of-the-art", queryText, "stateoftheart"},
		{"state-of-the-art", docText, "state art stateoftheart"},
	}
	for _, tt := range tests {
		got := strings.Join(terms(tt.text, tt.m), " ")
		if got != tt.want {
			t.Errorf("terms(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestAnalyzeFoldsAccentsAndLaTeX(t *testing.T) {
	groups := [][]string{
		{"Balázs", "BALAZS", `Bal\'azs`, `Bal\'{a}zs`, `Bal{\'a}zs`, "Bala\u0301zs"},
		{"Erdős", `Erd\H{o}s`, `Erd{\H o}s`, "erdos"},
		{"Šedivý", `\v{S}ediv\'y`, `{\v S}ediv{\'y}`, "sedivy"},
		{"Straße", `Stra\ss e`, `Stra{\ss}e`, "strasse"},
		{"Søren Łukasz", `S{\o}ren \L ukasz`, "soren lukasz"},
		{"Núñez", `N\'{u}\~nez`, `N\'u\~{n}ez`, "nunez"},
		{"Jiménez", `Jim\'enez`, "jimenez"},
		{"Müller", `M\"uller`, `M{\"u}ller`, `M\"{u}ller`, "muller"},
		{"Díaz", `D\'{\i}az`, `D\'\i az`, "diaz"},
		{"TNF-alpha", "TNF-α", "tnf-Α"},
		{"alpha", `$\alpha$`, "α"},
		{"IFNgamma", "IFNγ", "ifnΓ"},
		{"beta-catenin", "β-catenin"},
	}
	for _, g := range groups {
		want := terms(g[0], docAuthors)
		for _, s := range g[1:] {
			if got := terms(s, docAuthors); !slices.Equal(got, want) {
				t.Errorf("terms(%q) = %q, want %q as for %q", s, got, want, g[0])
			}
		}
	}
}

func TestAnalyzeLaTeXCommandsAreWords(t *testing.T) {
	// \omega is not \o followed by "mega", and \int is not \i.
	got := strings.Join(terms(`$\omega \int \lambda$`, docText), " ")
	if want := "omega int lambda"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestAnalyzePositions(t *testing.T) {
	var got []string
	for _, tok := range analyze("bag of pre-trained words", docText) {
		got = append(got, tok.term+"@"+string(rune('0'+tok.pos)))
	}
	// The stopword keeps its position; a compound's parts and joined form
	// share one.
	want := []string{"bag@0", "pre@2", "train@2", "pretrain@2", "word@3"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestAnalyzeSpansPointIntoOriginal(t *testing.T) {
	text := `Bal\'azs on pré-training`
	var got []string
	for _, tok := range analyze(text, docText) {
		got = append(got, text[tok.start:tok.end])
	}
	want := []string{`Bal\'azs`, "pré", "training", "pré-training"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestTitleKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Attention Is All You Need", "attention is all you need"},
		{"  attention   is all\nyou NEED. ", "attention is all you need"},
		{"BERT: Pre-training of Deep Bidirectional Transformers", "bert pre training of deep bidirectional transformers"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := titleKey(tt.in); got != tt.want {
			t.Errorf("titleKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{`Bal\'azs`, "pre-training", `{\"u}`, `\v{`, `{\`, "\\", "a-", "-b", "é-\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range analyze(s, docText) {
			if tok.start < 0 || tok.end > len(s) || tok.start >= tok.end || tok.term == "" {
				t.Fatalf("analyze(%q): bad token %+v", s, tok)
			}
		}
		var b strings.Builder
		for _, seg := range Highlight(s, []string{s}) {
			b.WriteString(seg.Text)
		}
		if b.String() != s {
			t.Fatalf("Highlight(%q) segments join to %q", s, b.String())
		}
	})
}
