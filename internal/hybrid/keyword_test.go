package hybrid

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/search"
	"paperboy/internal/store/sqlite"
)

// keywordFixture is a store where one paper holds three of a five-word
// question's words in its short title and another holds all five in a
// long abstract, among 70 papers on galaxy surveys: a searcher over it
// has no semantic service.
func keywordFixture(t *testing.T) (*search.Engine, *Searcher) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "k.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	paper := func(n int, title, abstract string) *paperboy.Paper {
		return &paperboy.Paper{ID: paperboy.ArxivID(fmt.Sprintf("2402.%05d", n)), Version: 1, Title: title, Abstract: abstract,
			Categories: []string{"astro-ph.GA"}, Submitted: time.Date(2024, 2, 1+n%20, 0, 0, 0, 0, time.UTC)}
	}
	const reduction = " The images were reduced with the standard pipeline and calibrated against reference stars in each field."
	papers := []*paperboy.Paper{
		paper(1, "A quasar lensing survey", "We describe the instrument and its first light."),
		paper(2, "Notes on distant sources", "Among the sources of a wide survey we find a quasar whose light shows strong lensing,"+
			" and we measure its redshift from the catalog of emission lines."+strings.Repeat(reduction, 4)),
	}
	for i := range 70 {
		abstract := fmt.Sprintf("A survey of galaxies, number %d, with photometry from the telescope.", i)
		switch i % 10 {
		case 0:
			abstract += " Each redshift is spectroscopic."
		case 5:
			abstract += " The catalog is public."
		}
		papers = append(papers, paper(3+i, fmt.Sprintf("Galaxy survey release %d", i), abstract+strings.Repeat(reduction, 8)))
	}
	if _, err := st.UpsertPapers(ctx, papers); err != nil {
		t.Fatal(err)
	}
	lex := search.New(st, nil)
	if _, err := lex.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	return lex, New(lex, nil, st, nil)
}

func ids(res []paperboy.SearchResult) []paperboy.ArxivID {
	out := make([]paperboy.ArxivID, len(res))
	for i, r := range res {
		out[i] = r.Paper.ID
	}
	return out
}

// Keyword mode re-ranks the engine's best papers by query likelihood: a
// paper holding all of a question's words rises over one repeating two of
// them, which BM25 prefers.
func TestKeywordLikelihood(t *testing.T) {
	lex, s := keywordFixture(t)
	ctx := context.Background()
	q := paperboy.SearchQuery{Text: "quasar lensing redshift survey catalog", Limit: 5}
	engine, _, err := lex.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(engine); len(got) < 2 || got[0] != "2402.00001" || got[1] != "2402.00002" {
		t.Fatalf("the engine alone ranks %v; the test wants 2402.00001 then 2402.00002", got)
	}
	q.Mode = paperboy.ModeKeyword
	res, total, rep, err := s.SearchReport(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); len(got) < 2 || got[0] != "2402.00002" || got[1] != "2402.00001" {
		t.Errorf("keyword mode ranks %v; want 2402.00002, which holds every word, first", got)
	}
	if _, engineTotal, _ := lex.Search(ctx, q); total < engineTotal || rep.Mode != paperboy.ModeKeyword || rep.Fallback != "" {
		t.Errorf("total %d (engine: %d), report %+v", total, engineTotal, rep)
	}
	for _, r := range res {
		if len(r.Terms) != 5 {
			t.Errorf("%s: terms %v, want the query's five words to highlight", r.Paper.ID, r.Terms)
		}
	}

	// Phrases go to the engine as they are; an exact title stays first.
	phrase, _, err := s.Search(ctx, paperboy.SearchQuery{Text: `"quasar lensing" redshift survey catalog`, Mode: paperboy.ModeKeyword, Limit: 5})
	if err != nil || len(phrase) == 0 || phrase[0].Paper.ID != "2402.00001" {
		t.Errorf("phrase query: %v, %v; want the engine's ranking, 2402.00001 first", ids(phrase), err)
	}
	title, _, err := s.Search(ctx, paperboy.SearchQuery{Text: "Notes on distant sources", Mode: paperboy.ModeKeyword})
	if err != nil || len(title) == 0 || title[0].Paper.ID != "2402.00002" {
		t.Errorf("exact title: %v, %v; want 2402.00002 first", ids(title), err)
	}
}

// Pages of keyword mode cut one ranking, within the re-ranked papers and
// past them, with scores falling down it.
func TestKeywordPages(t *testing.T) {
	_, s := keywordFixture(t)
	ctx := context.Background()
	const text = "galaxies survey"
	all, total, err := s.Search(ctx, paperboy.SearchQuery{Text: text, Mode: paperboy.ModeKeyword, Limit: search.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 70 || total != 70 {
		t.Fatalf("%d results of %d; want the 70 galaxy papers", len(all), total)
	}
	if d := s.fusion.LikelihoodDepth; d >= len(all) {
		t.Fatalf("the re-ranked depth %d covers every result; the test wants a tail", d)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Score > all[i-1].Score {
			t.Errorf("score rises at %d: %v after %v", i, all[i].Score, all[i-1].Score)
		}
	}
	var paged []paperboy.ArxivID
	for off := 0; off < total; off += 7 {
		res, n, err := s.Search(ctx, paperboy.SearchQuery{Text: text, Mode: paperboy.ModeKeyword, Offset: off, Limit: 7})
		if err != nil || n != total {
			t.Fatalf("offset %d: total %d, %v", off, n, err)
		}
		paged = append(paged, ids(res)...)
	}
	if !slices.Equal(paged, ids(all)) {
		t.Errorf("pages of 7 give\n%v\nwant\n%v", paged, ids(all))
	}
	deep, _, err := s.Search(ctx, paperboy.SearchQuery{Text: text, Mode: paperboy.ModeKeyword, Offset: 55, Limit: 10})
	if err != nil || !slices.Equal(ids(deep), ids(all[55:65])) {
		t.Errorf("offset 55: %v, %v; want %v", ids(deep), err, ids(all[55:65]))
	}
}
