package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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
		// Serve's keyword mode finds what the engine finds; q1 and q2's
		// relevant papers stay first.
		{"keyword mode", []string{"--mode", "keyword"}, map[string]float64{"ndcg@10": 2.0 / 3, "recall@100": 2.0 / 3, "mrr@10": 2.0 / 3}, 3},
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

// TestEvalBEIRRun checks the TREC run that --run writes: the judged
// queries in order, each ranking's papers with falling scores, and the
// metrics trec_eval would compute from it (q1 and q2 find their relevant
// paper first, q3 finds nothing).
func TestEvalBEIRRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.txt")
	code, _, stderr := runCLI(t, nil, "eval", "beir", "--dir", tinyBEIR, "--run", path, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]string{}
	var order []string
	last := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		if len(f) != 6 || f[1] != "Q0" || f[5] != "paperboy-lexical" {
			t.Fatalf("not a TREC run line: %q", line)
		}
		rank, _ := strconv.Atoi(f[3])
		score, _ := strconv.Atoi(f[4])
		if prev, ok := last[f[0]]; ok && score >= prev {
			t.Errorf("%q: score does not fall with rank", line)
		}
		last[f[0]] = score
		if rank == 1 {
			first[f[0]] = f[2]
			order = append(order, f[0])
		}
	}
	if !slices.Equal(order, []string{"q1", "q2"}) || first["q1"] != "d1" || first["q2"] != "d3" {
		t.Errorf("run starts %v with %v; want q1 then q2, first d1 and d3:\n%s", order, first, data)
	}
	code, _, stderr = runCLI(t, nil, "eval", "beir", "--dir", tinyBEIR, "--run", filepath.Join(t.TempDir(), "no", "run.txt"))
	if code != 1 || !strings.Contains(stderr, "--run") {
		t.Errorf("unwritable run file: exit %d, stderr %q; want exit 1 naming --run", code, stderr)
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
