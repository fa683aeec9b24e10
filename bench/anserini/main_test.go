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
