package systems

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"paperboy"
	"paperboy/bench/corpus"
	"paperboy/bench/queries"
)

// bleveIndex is Bleve v2 (scorch) with BM25 scoring and the "en" analyzer
// (stopwords, Porter stemmer), text not stored. A query is a conjunction of
// per-word disjunctions over the fields, boosted by the reference's field
// weights; filters are a keyword term and a numeric range in the
// conjunction.
type bleveIndex struct {
	idx  bleve.Index
	path string
}

type bleveDoc struct {
	Title    string   `json:"title"`
	Abstract string   `json:"abstract"`
	Authors  string   `json:"authors"`
	Cats     []string `json:"cats"`
	Year     float64  `json:"year"`
}

func bleveMapping() *mapping.IndexMappingImpl {
	text := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = true // positions, for phrases
		return f
	}
	keyword := bleve.NewKeywordFieldMapping()
	keyword.Store, keyword.IncludeInAll = false, false
	year := bleve.NewNumericFieldMapping()
	year.Store, year.IncludeInAll = false, false
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("title", text())
	doc.AddFieldMappingsAt("abstract", text())
	doc.AddFieldMappingsAt("authors", text())
	doc.AddFieldMappingsAt("cats", keyword)
	doc.AddFieldMappingsAt("year", year)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.ScoringModel = index.BM25Scoring
	return m
}

func openBleve(path string) (*bleveIndex, error) {
	os.RemoveAll(path)
	idx, err := bleve.New(path, bleveMapping())
	if err != nil {
		return nil, fmt.Errorf("bleve: %w", err)
	}
	return &bleveIndex{idx: idx, path: path}, nil
}

func (b *bleveIndex) Build(ctx context.Context, g *corpus.Generator) (time.Duration, error) {
	return feed(ctx, g, 2000, func(papers []*paperboy.Paper) error {
		batch := b.idx.NewBatch()
		for _, p := range papers {
			d := bleveDoc{p.Title, p.Abstract, authorLine(p), p.Categories, float64(p.Submitted.Year())}
			if err := batch.Index(string(p.ID), d); err != nil {
				return fmt.Errorf("bleve: %w", err)
			}
		}
		return b.idx.Batch(batch)
	})
}

var bleveFields = []struct {
	name  string
	boost float64
}{{"title", 2}, {"abstract", 1}, {"authors", 1.5}}

func bleveQuery(q queries.Query) query.Query {
	var must []query.Query
	for _, w := range q.Words {
		var any []query.Query
		for _, f := range bleveFields {
			m := bleve.NewMatchQuery(w)
			m.SetField(f.name)
			m.SetBoost(f.boost)
			any = append(any, m)
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	if len(q.Phrase) > 0 {
		var any []query.Query
		for _, f := range bleveFields[:2] {
			m := bleve.NewMatchPhraseQuery(joinWords(q.Phrase))
			m.SetField(f.name)
			m.SetBoost(f.boost)
			any = append(any, m)
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	if q.Category != "" {
		t := bleve.NewTermQuery(q.Category)
		t.SetField("cats")
		must = append(must, t)
	}
	if q.Year != 0 {
		from, to := float64(q.Year), float64(q.Year+1)
		r := bleve.NewNumericRangeQuery(&from, &to)
		r.SetField("year")
		must = append(must, r)
	}
	return bleve.NewConjunctionQuery(must...)
}

func (b *bleveIndex) Search(ctx context.Context, q queries.Query) ([]string, error) {
	req := bleve.NewSearchRequestOptions(bleveQuery(q), K, 0, false)
	res, err := b.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("bleve: search: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

func (b *bleveIndex) Size(context.Context) (int64, string, error) {
	n, err := dirSize(b.path)
	return n, "index directory (text not stored)", err
}

func (b *bleveIndex) Close() error { return b.idx.Close() }

func joinWords(ws []string) string {
	s := ""
	for i, w := range ws {
		if i > 0 {
			s += " "
		}
		s += w
	}
	return s
}
