package search

import (
	"strings"
	"testing"
)

// render shows marked segments in [brackets].
func render(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Match {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestHighlight(t *testing.T) {
	tests := []struct {
		text  string
		terms []string
		want  string
	}{
		{"Training Neural Networks", []string{"network"}, "Training Neural [Networks]"},
		{"Training neural networks", []string{"neural networks"}, "Training [neural] [networks]"},
		{"Self-supervised pre-training at scale", []string{"pretraining"}, "Self-supervised [pre-training] at scale"},
		{"Self-supervised pre-training at scale", []string{"training"}, "Self-supervised pre-[training] at scale"},
		{"Self-supervised pre-training at scale", []string{"pre-training"}, "Self-supervised [pre-training] at scale"},
		{`C. Bal\'azs and J. Núñez`, []string{"Balazs", "nunez"}, `C. [Bal\'azs] and J. [Núñez]`},
		{"The cat and the hat", []string{"the", "hat"}, "The cat and the [hat]"},
		{"nothing here", []string{"absent"}, "nothing here"},
		{"nothing here", nil, "nothing here"},
		{"", []string{"x"}, ""},
		{"GPT-4 beats GPT4", []string{"gpt-4"}, "[GPT-4] beats [GPT4]"},
		{"Learning to learn; learned learners", []string{"learning"}, "[Learning] to [learn]; [learned] learners"},
	}
	for _, tt := range tests {
		segs := Highlight(tt.text, tt.terms)
		if got := render(segs); got != tt.want {
			t.Errorf("Highlight(%q, %q) = %q, want %q", tt.text, tt.terms, got, tt.want)
		}
		var joined strings.Builder
		for _, s := range segs {
			joined.WriteString(s.Text)
		}
		if joined.String() != tt.text {
			t.Errorf("Highlight(%q) segments join to %q", tt.text, joined.String())
		}
	}
}
