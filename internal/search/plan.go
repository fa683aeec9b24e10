package search

import (
	"slices"

	"paperboy"
)

// matcher matches one word or phrase: its terms at their offsets from the
// first. A plain word that analyzes to several terms (o'brien, cs.LG) is
// matched as a phrase too.
type matcher []qterm

type qterm struct {
	term string
	off  uint32
}

func newMatcher(s string, m mode) matcher {
	toks := analyze(s, m)
	out := make(matcher, len(toks))
	for i, t := range toks {
		out[i] = qterm{t.term, uint32(t.pos - toks[0].pos)}
	}
	return out
}

func matchers(list []string, m mode) []matcher {
	var out []matcher
	for _, s := range list {
		if mt := newMatcher(s, m); len(mt) > 0 {
			out = append(out, mt)
		}
	}
	return out
}

// bagOfTerms returns one matcher per distinct term of the words, analyzed
// as documents are: a hyphenated compound gives its parts and its joined
// form, so that "non-small-cell" finds "non-small cell" too.
func bagOfTerms(words []string, m mode) []matcher {
	var out []matcher
	for _, w := range words {
		for _, t := range analyze(w, m) {
			if !slices.ContainsFunc(out, func(have matcher) bool { return have[0].term == t.term }) {
				out = append(out, matcher{{term: t.term}})
			}
		}
	}
	return out
}

// plan is a Query compiled against the analyzer.
type plan struct {
	id         paperboy.ArxivID
	words      []matcher // any word may go unmatched in the OR fallback
	phrases    []matcher // always required
	excluded   []matcher
	authors    []matcher
	notAuthors []matcher
	cats       []string
	notCats    []string
	from, to   int64 // Unix seconds; from inclusive, to exclusive
	hasFrom    bool
	hasTo      bool
	scoreTerms []string // distinct positive terms, for BM25
	likeTerms  []string // the positive words' terms for their likelihood (likelihoodTerms)
	titleKey   string   // pins a paper with exactly this title
	// anyWord says the query is long, natural language: papers matching
	// any of its words are ranked, by BM25F alone.
	anyWord bool
	// empty says the query asks for nothing: no positive words remain
	// after stopwords and there are no filters.
	empty bool
	// memo holds its terms' lookups in the view it runs on (view.terms);
	// a plan's copies with fewer words share it.
	memo *termMemo
}

func compile(q *Query, prm Params) *plan {
	p := &plan{
		id:         q.ID,
		words:      matchers(q.Terms, queryText),
		phrases:    matchers(q.Phrases, queryText),
		excluded:   matchers(q.Excluded, queryText),
		authors:    matchers(q.Authors, queryAuthor),
		notAuthors: matchers(q.ExcludedAuthors, queryAuthor),
		cats:       q.Categories,
		notCats:    q.ExcludedCategories,
		memo:       &termMemo{},
	}
	if prm.LongQuery > 0 && len(p.words) >= max(prm.LongQuery, 2) {
		p.anyWord = true
		p.words = bagOfTerms(q.Terms, docText)
	}
	from, to := q.bounds()
	p.from, p.hasFrom = from.Unix(), !from.IsZero()
	p.to, p.hasTo = to.Unix(), !to.IsZero()
	for _, m := range slices.Concat(p.words, p.phrases) {
		for _, qt := range m {
			if !slices.Contains(p.scoreTerms, qt.term) {
				p.scoreTerms = append(p.scoreTerms, qt.term)
			}
		}
	}
	p.likeTerms = likelihoodTerms(slices.Concat(q.Terms, q.Phrases))
	positive := len(q.Terms) + len(q.Phrases)
	if !q.hasFilters() && len(q.Excluded) == 0 && positive > 0 {
		p.titleKey = titleKey(q.String())
	}
	p.empty = q.ID == "" && !q.hasFilters() && len(p.words)+len(p.phrases) == 0 &&
		(positive > 0 || len(p.excluded) == 0)
	return p
}

// ranked reports whether results are ordered by score rather than date.
func (p *plan) ranked() bool { return len(p.words)+len(p.phrases) > 0 }

// passes applies the category and date filters to one document.
func (p *plan) passes(d *docInfo) bool {
	if p.hasFrom && d.submitted < p.from || p.hasTo && d.submitted >= p.to {
		return false
	}
	for _, c := range p.cats {
		if !slices.ContainsFunc(d.cats, func(dc string) bool { return categoryMatches(dc, c) }) {
			return false
		}
	}
	for _, c := range p.notCats {
		if slices.ContainsFunc(d.cats, func(dc string) bool { return categoryMatches(dc, c) }) {
			return false
		}
	}
	return true
}

// categoryMatches reports whether a paper's category matches a cat: value:
// the same category, or the category's archive ("cs" for "cs.lg").
func categoryMatches(cat, want string) bool {
	return cat == want || len(cat) > len(want) && cat[len(want)] == '.' && cat[:len(want)] == want
}
