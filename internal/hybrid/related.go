package hybrid

import (
	"context"
	"strings"
	"unicode"

	"paperboy"
)

// Related implements paperboy.RelatedPapers: the paper's nearest vectors,
// or, when it has none yet (no embedder, or not embedded yet), the lexical
// engine's best matches for its title and abstract.
func (s *Searcher) Related(ctx context.Context, id paperboy.ArxivID, limit int) ([]paperboy.SearchResult, error) {
	p, err := s.papers.Paper(ctx, id)
	if err != nil {
		return nil, err
	}
	limit = max(1, min(limit, 100))
	if s.sem != nil {
		if hs, ok := s.sem.nearPaper(id, limit); ok {
			res, _, err := s.page(ctx, hs, 0, limit, len(hs), nil)
			return res, err
		}
	}
	return s.lexicalRelated(ctx, p, limit)
}

// lexicalRelated ranks papers by the paper's own words, read as a long
// natural-language query.
func (s *Searcher) lexicalRelated(ctx context.Context, p *paperboy.Paper, limit int) ([]paperboy.SearchResult, error) {
	text := relatedQuery(p)
	if text == "" {
		return nil, nil
	}
	res, _, err := s.lex.Search(ctx, paperboy.SearchQuery{Text: text, Limit: limit + 1})
	if err != nil {
		return nil, err
	}
	out := res[:0]
	for _, r := range res {
		if r.Paper.ID != p.ID && len(out) < limit {
			r.Terms = nil
			out = append(out, r)
		}
	}
	return out, nil
}

// relatedWords is how many words of a paper make its lexical related query.
const relatedWords = 48

// relatedQuery returns the first words of a paper's title and abstract as
// plain query words: punctuation, which the query language would read as
// syntax, becomes spaces.
func relatedQuery(p *paperboy.Paper) string {
	words := strings.FieldsFunc(p.Title+" "+p.Abstract, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return strings.Join(words[:min(len(words), relatedWords)], " ")
}
