package beir

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Result is the mean of each metric over the evaluated queries.
type Result struct {
	NDCG10    float64 `json:"ndcg@10"`
	Recall100 float64 `json:"recall@100"`
	MRR10     float64 `json:"mrr@10"`
	Queries   int     `json:"queries"`
}

// String formats r as one line of a report.
func (r Result) String() string {
	return fmt.Sprintf("nDCG@10 %.4f  Recall@100 %.4f  MRR@10 %.4f  (%d queries)", r.NDCG10, r.Recall100, r.MRR10, r.Queries)
}

// Depth is how many results Evaluate asks for per query.
const Depth = 100

// SearchFunc returns the corpus IDs of the best results for a query's
// text, best first, at most Depth of them.
type SearchFunc func(ctx context.Context, text string) ([]string, error)

// Run is each query's ranked corpus IDs, best first, by query ID.
type Run map[string][]string

// Evaluate runs queries through search and averages the metrics over
// them; progress, when not nil, is told after each query.
func Evaluate(ctx context.Context, queries []Query, qrels Qrels, search SearchFunc, progress func(done, total int)) (Result, error) {
	run, err := Rank(ctx, queries, search, progress)
	if err != nil {
		return Result{}, err
	}
	return Score(run, queries, qrels), nil
}

// Rank runs queries through search; progress, when not nil, is told after
// each query.
func Rank(ctx context.Context, queries []Query, search SearchFunc, progress func(done, total int)) (Run, error) {
	run := make(Run, len(queries))
	for i, q := range queries {
		ranked, err := search(ctx, q.Text)
		if err != nil {
			return nil, fmt.Errorf("query %s: %w", q.ID, err)
		}
		run[q.ID] = ranked
		if progress != nil {
			progress(i+1, len(queries))
		}
	}
	return run, nil
}

// Score averages the metrics of run over queries.
func Score(run Run, queries []Query, qrels Qrels) Result {
	var r Result
	for _, q := range queries {
		ranked, rel := run[q.ID], qrels[q.ID]
		r.NDCG10 += NDCG(ranked, rel, 10)
		r.Recall100 += Recall(ranked, rel, 100)
		r.MRR10 += ReciprocalRank(ranked, rel, 10)
	}
	r.Queries = len(queries)
	if n := float64(len(queries)); n > 0 {
		r.NDCG10 /= n
		r.Recall100 /= n
		r.MRR10 /= n
	}
	return r
}

// WriteTREC writes run in TREC's run format, one line per ranked paper:
// "query Q0 doc rank score tag", queries in the order given, scores
// falling with rank (the run keeps ranks, not scores), for trec_eval and
// for comparing runs query by query (bench/anserini).
func WriteTREC(w io.Writer, run Run, queries []Query, tag string) error {
	bw := bufio.NewWriter(w)
	for _, q := range queries {
		for i, d := range run[q.ID] {
			fmt.Fprintf(bw, "%s Q0 %s %d %d %s\n", q.ID, d, i+1, len(run[q.ID])-i, tag)
		}
	}
	return bw.Flush()
}

// PlainText turns a benchmark query, which is natural language, into
// paperboy query-language words that mean only words: quotes, a leading
// "-" (exclusion) and "field:" prefixes lose their syntax.
func PlainText(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '\u201c' || r == '\u201d' || r == ':'
	})
	out := words[:0]
	for _, w := range words {
		if w = strings.TrimLeft(w, "-"); w != "" {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}
