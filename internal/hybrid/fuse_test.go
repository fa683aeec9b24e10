package hybrid

import (
	"fmt"
	"testing"
)

func TestFuse(t *testing.T) {
	lex := []Hit{{"a", 10}, {"b", 5}, {"c", 0}}
	sem := []Hit{{"c", 0.9}, {"d", 0.5}, {"a", 0.1}}
	tests := []struct {
		name string
		f    Fusion
		want string
	}{
		// linear, w=0.5: a=.5·1+.5·0=.5, b=.25, c=0+.5=.5, d=.5·0.5=.25
		{"linear half", Fusion{Method: "linear", Weight: 0.5}, "[{a 0.5} {c 0.5} {b 0.25} {d 0.25}]"},
		{"linear lexical only", Fusion{Method: "linear", Weight: 0}, "[{a 1} {b 0.5} {c 0} {d 0}]"},
		// rrf, k=1, w=0.5: a=.5/2+.5/4=.375, b=.5/3, c=.5/4+.5/2=.375, d=.5/3
		{"rrf", Fusion{Method: "rrf", Weight: 0.5, K: 1}, "[{a 0.375} {c 0.375} {b 0.16666666666666666} {d 0.16666666666666666}]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(Fuse(tt.f, lex, sem)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestTitleKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Attention Is All You Need", "attention is all you need"},
		{"  BERT: pre-training of deep\ttransformers. ", "bert pre training of deep transformers"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := titleKey(tt.in); got != tt.want {
			t.Errorf("titleKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
