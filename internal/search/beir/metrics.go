package beir

import (
	"math"
	"slices"
)

// The metrics follow trec_eval, as BEIR reports them: grades above 0 are
// relevant; ranked lists are cut at k.

// NDCG returns nDCG@k: the gain of a document is its grade, discounted by
// log2(rank+1), and normalized by the DCG of the ideal ranking of the
// judged documents. A query with no relevant document scores 0.
func NDCG(ranked []string, rel map[string]int, k int) float64 {
	var dcg float64
	for i, d := range ranked[:min(k, len(ranked))] {
		if g := rel[d]; g > 0 {
			dcg += float64(g) / math.Log2(float64(i+2))
		}
	}
	var grades []int
	for _, g := range rel {
		if g > 0 {
			grades = append(grades, g)
		}
	}
	slices.SortFunc(grades, func(a, b int) int { return b - a })
	var ideal float64
	for i, g := range grades[:min(k, len(grades))] {
		ideal += float64(g) / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// Recall returns Recall@k: the fraction of the relevant documents ranked in
// the first k.
func Recall(ranked []string, rel map[string]int, k int) float64 {
	relevant, found := 0, 0
	for _, g := range rel {
		if g > 0 {
			relevant++
		}
	}
	for _, d := range ranked[:min(k, len(ranked))] {
		if rel[d] > 0 {
			found++
		}
	}
	if relevant == 0 {
		return 0
	}
	return float64(found) / float64(relevant)
}

// ReciprocalRank returns RR@k: 1/rank of the first relevant document in the
// first k, or 0.
func ReciprocalRank(ranked []string, rel map[string]int, k int) float64 {
	for i, d := range ranked[:min(k, len(ranked))] {
		if rel[d] > 0 {
			return 1 / float64(i+1)
		}
	}
	return 0
}
