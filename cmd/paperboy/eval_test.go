package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// tinyBEIR is a six-document BEIR dataset whose scores are worked out by
// hand in the test below.
var tinyBEIR = filepath.Join("..", "..", "internal", "search", "beir", "testdata", "tiny")

func TestEvalBEIR(t *testing.T) {
	tests := []struct {
		name  string
		args  []string
		want  map[string]float64
		nQuer int
	}{
		// q1 and q2 find their one relevant paper first; q3 shares no word
		// with the corpus.
		{"test qrels by default", nil, map[string]float64{"ndcg@10": 2.0 / 3, "recall@100": 2.0 / 3, "mrr@10": 2.0 / 3}, 3},
		// q4 finds d6 (grade 1) first and never d3 (grade 2):
		// nDCG = 1 / (2 + 1/log2(3)), recall 1/2, RR 1.
		{"graded dev qrels", []string{"--qrels", "qrels/dev.tsv"}, map[string]float64{"ndcg@10": 1 / (2 + 1/math.Log2(3)), "recall@100": 0.5, "mrr@10": 1}, 1},
	}
	for _, tt := range tests {
		args := append([]string{"eval", "beir", "--dir", tinyBEIR, "--json"}, tt.args...)
		code, stdout, stderr := runCLI(t, nil, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tt.name, code, stderr)
		}
		var got map[string]float64
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("%s: %v in %q", tt.name, err, stdout)
		}
		if int(got["queries"]) != tt.nQuer {
			t.Errorf("%s: queries = %v, want %d", tt.name, got["queries"], tt.nQuer)
		}
		for k, want := range tt.want {
			if math.Abs(got[k]-want) > 1e-9 {
				t.Errorf("%s: %s = %.6f, want %.6f", tt.name, k, got[k], want)
			}
		}
	}
}

func TestEvalBEIRText(t *testing.T) {
	code, stdout, stderr := runCLI(t, nil, "eval", "beir", "--dir", tinyBEIR)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"queries     3\n", "nDCG@10     0.6667\n", "Recall@100  0.6667\n", "MRR@10      0.6667\n"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestEvalBEIRUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string // in stderr
	}{
		{[]string{"eval"}, 2, "eval needs a benchmark kind"},
		{[]string{"eval", "beir"}, 2, "eval beir needs --dir"},
		{[]string{"eval", "beir", "--dir", tinyBEIR, "--mode", "magic"}, 2, `--mode "magic" is not supported`},
		{[]string{"eval", "beir", "--dir", tinyBEIR, "--mode", "semantic", "--refine", "-2"}, 2, "--refine -2"},
		{[]string{"eval", "beir", "--dir", filepath.Join(tinyBEIR, "nope")}, 1, "no qrels/test.tsv"},
		{[]string{"eval", "beir", "--dir", tinyBEIR, "--qrels", "qrels/none.tsv"}, 1, "none.tsv"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, nil, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}
