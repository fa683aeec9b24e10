package ref

import (
	"cmp"
	"slices"

	"paperboy"
	"paperboy/bench/queries"
)

// naive scores the definition straight: analyze every document, compute
// document frequencies by looking at every document, then score each.
func naive(papers []*paperboy.Paper, q queries.Query) []Hit {
	a := NewAnalyzer()
	cq := a.Compile(q)
	docs := make([]Doc, len(papers))
	var total [NumFields]float64
	for i, p := range papers {
		docs[i] = a.AnalyzePaper(p)
		for f := range NumFields {
			total[f] += float64(len(docs[i].Fields[f]))
		}
	}
	n := len(docs)
	df := make([][NumFields]int, len(cq.Clauses))
	for _, d := range docs {
		for c, clause := range cq.Clauses {
			for f := range NumFields {
				if occurrences(d.Fields[f], clause) > 0 {
					df[c][f]++
				}
			}
		}
	}
	p := DefaultParams()
	var hits []Hit
	for i, d := range docs {
		if !cq.passes(&d) {
			continue
		}
		score, all := 0.0, true
		for c, clause := range cq.Clauses {
			found := false
			for f := range NumFields {
				tf := occurrences(d.Fields[f], clause)
				if tf == 0 {
					continue
				}
				found = true
				avg := max(total[f]/float64(n), 1)
				score += p.Weights[f] * IDF(n, df[c][f]) * TF(float64(tf), float64(len(d.Fields[f])), avg, p)
			}
			all = all && found
		}
		if all && len(cq.Clauses) > 0 {
			hits = append(hits, Hit{i, score})
		}
	}
	slices.SortFunc(hits, func(a, b Hit) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Doc, b.Doc)) })
	return hits[:min(10, len(hits))]
}

// occurrences counts the positions where the clause's terms follow one
// another.
func occurrences(toks []Token, clause Clause) int {
	n := 0
	for i := range toks {
		ok := true
		for k, term := range clause {
			j := slices.IndexFunc(toks, func(t Token) bool { return t.Pos == toks[i].Pos+k && t.Term == term })
			ok = ok && j >= 0
		}
		if ok {
			n++
		}
	}
	return n
}
