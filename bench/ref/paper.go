package ref

import (
	"slices"
	"strings"

	"paperboy"
	"paperboy/bench/queries"
)

// The fields of a paper, as the reference scores them.
const (
	Title = iota
	Abstract
	Authors
	NumFields
)

// authorGap keeps phrases from spanning two author names.
const authorGap = 16

// Doc is a paper analyzed for the reference.
type Doc struct {
	Fields [NumFields][]Token
	Cats   []string
	Year   int
}

// AnalyzePaper analyzes p's title, abstract and author names.
func (a *Analyzer) AnalyzePaper(p *paperboy.Paper) Doc {
	d := Doc{Cats: p.Categories, Year: p.Submitted.Year()}
	d.Fields[Title] = a.Analyze(p.Title, true)
	d.Fields[Abstract] = a.Analyze(p.Abstract, true)
	base := 0
	for _, au := range p.Authors {
		for _, t := range a.Analyze(au.Name, false) {
			d.Fields[Authors] = append(d.Fields[Authors], Token{t.Term, base + t.Pos})
		}
		base += len(strings.Fields(au.Name)) + authorGap
	}
	return d
}

// Clause is one required part of a query: a term, or a phrase of terms at
// consecutive positions (queries draw phrases from adjacent non-stopwords,
// so no phrase has a gap).
type Clause []string

// Query is a benchmark query analyzed for the reference.
type Query struct {
	Clauses  []Clause
	Category string
	Year     int
}

// Compile analyzes q's words and phrase. Words that analyze to nothing
// (stopwords) are dropped, and repeated terms count once.
func (a *Analyzer) Compile(q queries.Query) Query {
	out := Query{Category: q.Category, Year: q.Year}
	for _, w := range q.Words {
		for _, t := range a.Analyze(w, true) {
			if !slices.ContainsFunc(out.Clauses, func(c Clause) bool { return len(c) == 1 && c[0] == t.Term }) {
				out.Clauses = append(out.Clauses, Clause{t.Term})
			}
		}
	}
	if len(q.Phrase) > 0 {
		var c Clause
		for _, t := range a.Analyze(strings.Join(q.Phrase, " "), true) {
			c = append(c, t.Term)
		}
		if len(c) > 0 {
			out.Clauses = append(out.Clauses, c)
		}
	}
	return out
}

func (q *Query) passes(d *Doc) bool {
	if q.Year != 0 && d.Year != q.Year {
		return false
	}
	return q.Category == "" || slices.Contains(d.Cats, q.Category)
}
