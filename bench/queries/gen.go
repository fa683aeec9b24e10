package queries

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"paperboy/bench/corpus"
)

// Sets are the query sets, in the order they are generated and reported.
var Sets = []string{"1w", "2w", "3w", "5w", "phrase", "cat", "date"}

var setWords = map[string]int{"1w": 1, "2w": 2, "3w": 3, "5w": 5, "phrase": 0, "cat": 2, "date": 2}

// maxTries bounds the documents looked at for one query; a corpus where no
// document of that many has enough words of a class is not worth querying.
const maxTries = 1000

// Generate makes perSet queries of each set. Each query is drawn from one
// document of the corpus, so every query has at least one match; even
// queries use high-frequency words, odd ones mid-frequency words. The same
// corpus, perSet and seed give the same queries.
func Generate(g *corpus.Generator, perSet int, seed uint64) ([]Query, error) {
	var out []Query
	for si, set := range Sets {
		for j := range perSet {
			class := []string{"high", "mid"}[j%2]
			r := rand.New(rand.NewPCG(seed, uint64(si)<<32|uint64(j)))
			q, err := one(g, r, set, class)
			if err != nil {
				return nil, err
			}
			out = append(out, q)
		}
	}
	return out, nil
}

func one(g *corpus.Generator, r *rand.Rand, set, class string) (Query, error) {
	m := g.Model()
	for range maxTries {
		p := g.Paper(r.IntN(g.Len()))
		q := Query{Set: set, Class: class}
		var ok bool
		if set == "phrase" {
			q.Phrase, ok = phrase(m, r, corpus.Words(p.Abstract), class)
		} else {
			q.Words, ok = pick(m, r, corpus.Words(p.Title+" "+p.Abstract), class, setWords[set])
		}
		if !ok {
			continue
		}
		switch set {
		case "cat":
			q.Category = p.Categories[0]
		case "date":
			q.Year = p.Submitted.Year()
		}
		return q, nil
	}
	return Query{}, fmt.Errorf("no document among %d has words for a %s query of class %s", maxTries, set, class)
}

// pick chooses n distinct words of the class from ws.
func pick(m *corpus.Model, r *rand.Rand, ws []string, class string, n int) ([]string, bool) {
	var cands []string
	for _, w := range ws {
		if m.Class(w) == class && !slices.ContainsFunc(cands, func(c string) bool { return sameStem(c, w) }) {
			cands = append(cands, w)
		}
	}
	if len(cands) < n {
		return nil, false
	}
	r.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })
	return cands[:n], true
}

// phrase chooses two adjacent query-worthy words: both high-frequency for
// the high class, at least one mid-frequency one for the mid class.
func phrase(m *corpus.Model, r *rand.Rand, ws []string, class string) ([]string, bool) {
	var cands [][]string
	for i := 1; i < len(ws); i++ {
		a, b := m.Class(ws[i-1]), m.Class(ws[i])
		if a == "" || b == "" || sameStem(ws[i-1], ws[i]) {
			continue
		}
		if (class == "high") == (a == "high" && b == "high") {
			cands = append(cands, ws[i-1:i+1])
		}
	}
	if len(cands) == 0 {
		return nil, false
	}
	return slices.Clone(cands[r.IntN(len(cands))]), true
}

// sameStem is a cheap guard against two forms of one word in a query
// ("model models"), which analyzers would fold into one term.
func sameStem(a, b string) bool {
	n := min(len(a), len(b), 5)
	return a[:n] == b[:n]
}
