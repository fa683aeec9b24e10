// Command anserini reproduces the BM25 baselines that Pyserini (on
// Anserini, on Lucene) reports for BEIR datasets, to measure on the train
// qrels what those baselines score on the test qrels, and to compare a
// paperboy run with them query by query.
//
// BEIR's published figures are on the test qrels, which paperboy does not
// have for SciFact. A baseline reproduced here scores the train qrels; the
// difference between its published test figure and its train figure says
// how much harder the test queries are for it, and a paired comparison of
// a paperboy run (eval beir --run) with it on train estimates paperboy's
// test figure with a standard error (see docs/semantic.md):
//
//	go run ./anserini -dir ../testdata/beir/scifact -qrels qrels/train.tsv \
//	    -compare /tmp/hybrid.run -published 0.6789
//
// "Flat" indexes title and text as one field, "multifield" as two whose
// BM25 scores add up, as Pyserini's two BEIR indexes do. Both analyze text
// as Lucene's EnglishAnalyzer does by default in Anserini: Unicode word
// segmentation (Lucene's StandardTokenizer, UAX #29), the possessive "'s"
// dropped, lower case, Lucene's 33 English stop words, Porter's stemmer;
// and score as Lucene's BM25Similarity (k1 0.9, b 0.4, lengths stored in
// one byte) for a bag-of-words query.
package main

import (
	"bufio"
	"cmp"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"paperboy/internal/search/beir"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "anserini:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("anserini", flag.ContinueOnError)
	dir := fs.String("dir", "../testdata/beir/scifact", "BEIR dataset directory")
	qrels := fs.String("qrels", "qrels/train.tsv", "qrels file, relative to -dir")
	multi := fs.Bool("multifield", false, "index title and text as two fields (Pyserini's multifield index), not one (flat)")
	k1 := fs.Float64("k1", 0.9, "BM25 k1")
	b := fs.Float64("b", 0.4, "BM25 b")
	compare := fs.String("compare", "", "a TREC run (paperboy eval beir --run) to compare with the baseline query by query")
	published := fs.Float64("published", 0, "the baseline's published nDCG@10 on the test qrels, to estimate the compared run's")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ds, err := beir.Load(*dir, *qrels)
	if err != nil {
		return err
	}
	idx := newIndex(ds.Corpus, *multi, params{K1: *k1, B: *b})
	base := beir.Run{}
	for _, q := range ds.Queries {
		base[q.ID] = idx.search(q.Text, beir.Depth)
	}
	name := map[bool]string{false: "flat", true: "multifield"}[*multi]
	fmt.Fprintf(stdout, "bm25-%s  %s\n", name, beir.Score(base, ds.Queries, ds.Qrels))
	if *compare == "" {
		return nil
	}
	other, err := readRun(*compare)
	if err != nil {
		return err
	}
	c, err := pair(ds, base, other)
	if err != nil {
		return fmt.Errorf("%s: %w", *compare, err)
	}
	fmt.Fprintf(stdout, "%s  nDCG@10 %.4f  minus bm25-%s: %+.4f (sd %.3f over %d queries, correlation %.2f)\n",
		filepath.Base(*compare), c.mean, name, c.diff, c.sd, c.n, c.corr)
	if *published > 0 {
		// The test queries are a different sample: the difference's
		// standard error is that of a mean of as many queries as the
		// test set has; SciFact's has 300.
		n := cmp.Or(testQueries[filepath.Base(filepath.Clean(*dir))], c.n)
		fmt.Fprintf(stdout, "estimated test nDCG@10 %.4f ± %.4f (published %.4f %+.4f; one standard error for %d test queries)\n",
			*published+c.diff, c.sd/math.Sqrt(float64(n)), *published, c.diff, n)
	}
	return nil
}

// testQueries is the number of test queries of the BEIR datasets whose
// test qrels paperboy has not.
var testQueries = map[string]int{"scifact": 300}

// comparison is a run's per-query nDCG@10 set against the baseline's.
type comparison struct {
	n          int
	mean, diff float64 // the run's mean, and its mean difference from the baseline
	sd, corr   float64 // the differences' standard deviation; the two runs' correlation
}

// pair compares run with base on the dataset's judged queries.
func pair(ds *beir.Dataset, base, run beir.Run) (comparison, error) {
	var x, y []float64
	for _, q := range ds.Queries {
		r, ok := run[q.ID]
		if !ok {
			return comparison{}, fmt.Errorf("no ranking for query %s", q.ID)
		}
		x = append(x, beir.NDCG(r, ds.Qrels[q.ID], 10))
		y = append(y, beir.NDCG(base[q.ID], ds.Qrels[q.ID], 10))
	}
	if len(x) < 2 {
		return comparison{}, errors.New("fewer than 2 judged queries to compare")
	}
	my := mean(y)
	c := comparison{n: len(x), mean: mean(x), diff: mean(x) - my}
	var sxx, syy, sxy, sdd float64
	for i := range x {
		dx, dy := x[i]-c.mean, y[i]-my
		sxx, syy, sxy = sxx+dx*dx, syy+dy*dy, sxy+dx*dy
		d := x[i] - y[i] - c.diff
		sdd += d * d
	}
	c.sd = math.Sqrt(sdd / float64(len(x)-1))
	if sxx > 0 && syy > 0 {
		c.corr = sxy / math.Sqrt(sxx*syy)
	}
	return c, nil
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// readRun reads a TREC run: "query Q0 doc rank score tag" lines, each
// query's documents ordered by score, highest first (ties by rank).
func readRun(path string) (beir.Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		if r, err = gzip.NewReader(f); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	type entry struct {
		doc   string
		rank  int
		score float64
	}
	byQuery := map[string][]entry{}
	sc := bufio.NewScanner(r)
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		var e entry
		if len(f) != 6 {
			return nil, fmt.Errorf("%s:%d: want 6 fields (query Q0 doc rank score tag), got %d", path, line, len(f))
		}
		e.doc = f[2]
		if _, err := fmt.Sscan(f[3], &e.rank); err != nil {
			return nil, fmt.Errorf("%s:%d: rank %q is not an integer", path, line, f[3])
		}
		if _, err := fmt.Sscan(f[4], &e.score); err != nil {
			return nil, fmt.Errorf("%s:%d: score %q is not a number", path, line, f[4])
		}
		byQuery[f[0]] = append(byQuery[f[0]], e)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	run := beir.Run{}
	for q, es := range byQuery {
		slices.SortStableFunc(es, func(a, b entry) int {
			return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.rank, b.rank))
		})
		for _, e := range es {
			run[q] = append(run[q], e.doc)
		}
	}
	return run, nil
}
