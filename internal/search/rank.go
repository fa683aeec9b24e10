package search

import (
	"math"
	"slices"
)

// score returns the BM25F score of each candidate (Robertson and Zaragoza,
// "The Probabilistic Relevance Framework: BM25 and Beyond", 2009). A term's
// frequencies in the fields are each normalized by the field's length
// against its average (b per field), weighted, and summed into one
// pseudo-frequency, which is then saturated once with k1:
//
//	tf~   = Σ_f w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)
//	score = Σ_t idf_t · tf~ · (k1 + 1) / (k1 + tf~)
//	idf_t = ln(1 + (N − df_t + 0.5) / (df_t + 0.5)), df_t over all fields
//
// Unlike a sum of per-field BM25 scores, a term repeated across title and
// abstract does not escape saturation.
func (x *index) score(cands []uint32, terms []string, prm Params) []float64 {
	scores := make([]float64, len(cands))
	if x.live == 0 || len(cands) == 0 {
		return scores
	}
	n := float64(x.live)
	var avg [numFields]float64
	for f := range numFields {
		avg[f] = max(float64(x.totalLen[f])/n, 1)
	}
	tf := make([]float64, len(cands))
	for _, term := range terms {
		tp := x.terms[term]
		if tp == nil {
			continue
		}
		clear(tf)
		for f := range numFields {
			if w := prm.weight(f); w != 0 {
				x.addFieldTF(tf, cands, &tp.fields[f], f, w, prm.b(f)/avg[f], prm.b(f))
			}
		}
		df := float64(tp.df)
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		for i, t := range tf {
			if t > 0 {
				scores[i] += idf * t * (prm.K1 + 1) / (prm.K1 + t)
			}
		}
	}
	return scores
}

// addFieldTF adds to tf[i] the weighted, length-normalized frequency of a
// term in field f of cands[i], walking the candidates and the postings
// together.
func (x *index) addFieldTF(tf []float64, cands []uint32, pl *postings, f int, w, bPerAvg, b float64) {
	if len(pl.docs) == 0 {
		return
	}
	j := 0
	for i, d := range cands {
		k, found := slices.BinarySearch(pl.docs[j:], d)
		j += k
		if j >= len(pl.docs) {
			return
		}
		if !found {
			continue
		}
		norm := 1 - b + bPerAvg*float64(x.docs[d].lens[f])
		tf[i] += w * float64(pl.count(j)) / norm
	}
}
