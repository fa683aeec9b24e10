package main

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"paperboy/internal/search/beir"
)

var tiny = filepath.Join("..", "..", "internal", "search", "beir", "testdata", "tiny")

// TestCompare runs the baseline on the tiny dataset's test qrels and
// compares a run that finds q1's paper second, q2's first and q3's never
// (nDCG@10 1/log2(3), 1 and 0) with it.
func TestCompare(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.txt")
	lines := "q1 Q0 d1 2 8 x\nq1 Q0 d2 1 9 x\nq2 Q0 d3 1 5 x\n\nq3 Q0 d6 1 1 x\n"
	if err := os.WriteFile(path, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run([]string{"-dir", tiny, "-qrels", "qrels/test.tsv", "-compare", path, "-published", "0.5"}, &out); err != nil {
		t.Fatal(err)
	}
	ds, err := beir.Load(tiny, "qrels/test.tsv")
	if err != nil {
		t.Fatal(err)
	}
	base := beir.Run{}
	x := newIndex(ds.Corpus, false, params{K1: 0.9, B: 0.4})
	for _, q := range ds.Queries {
		base[q.ID] = x.search(q.Text, beir.Depth)
	}
	b := beir.Score(base, ds.Queries, ds.Qrels).NDCG10
	mine := (1/math.Log2(3) + 1 + 0) / 3
	for _, want := range []string{
		fmt.Sprintf("bm25-flat  nDCG@10 %.4f", b),
		fmt.Sprintf("run.txt  nDCG@10 %.4f  minus bm25-flat: %+.4f", mine, mine-b),
		fmt.Sprintf("estimated test nDCG@10 %.4f", 0.5+mine-b),
		"for 3 test queries", // the tiny dataset's own count
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestCompareBadRun(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ lines, want string }{
		{"q1 Q0 d1 1 9\n", "bad.txt:1: want 6 fields"},
		{"q1 Q0 d1 1 9 x\nq1 Q0 d2 two 8 x\n", `bad.txt:2: rank "two" is not an integer`},
		{"q1 Q0 d1 1 high x\n", `bad.txt:1: score "high" is not a number`},
		{"q1 Q0 d1 1 9 x\n", "no ranking for query q2"},
	} {
		path := filepath.Join(dir, "bad.txt")
		if err := os.WriteFile(path, []byte(c.lines), 0o644); err != nil {
			t.Fatal(err)
		}
		err := run([]string{"-dir", tiny, "-qrels", "qrels/test.tsv", "-compare", path}, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.lines, err, c.want)
		}
	}
}

// TestPair checks the comparison's figures by hand: the run finds q1's
// and q3's paper first and q2's never (nDCG@10 1, 0, 1), the baseline
// only q3's (0, 0, 1). Differences 1, 0, 0: mean 1/3, sd √(1/3); the
// runs' correlation (1/3)/(2/3) = 1/2.
func TestPair(t *testing.T) {
	ds := &beir.Dataset{
		Queries: []beir.Query{{ID: "q1"}, {ID: "q2"}, {ID: "q3"}},
		Qrels:   beir.Qrels{"q1": {"d1": 1}, "q2": {"d1": 1}, "q3": {"d1": 1}},
	}
	run := beir.Run{"q1": {"d1"}, "q2": {"d2"}, "q3": {"d1"}}
	base := beir.Run{"q1": {"d2"}, "q2": {"d2"}, "q3": {"d1"}}
	c, err := pair(ds, base, run)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name      string
		got, want float64
	}{{"n", float64(c.n), 3}, {"mean", c.mean, 2.0 / 3}, {"diff", c.diff, 1.0 / 3}, {"sd", c.sd, math.Sqrt(1.0 / 3)}, {"corr", c.corr, 0.5}} {
		if math.Abs(f.got-f.want) > 1e-12 {
			t.Errorf("%s = %.6f, want %.6f", f.name, f.got, f.want)
		}
	}
}
