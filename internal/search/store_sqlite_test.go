package search

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/store"
)

// samplePapers reads testdata/arxiv-sample.jsonl, real records in the Kaggle
// arXiv snapshot format, with just enough parsing for search.
func samplePapers(t testing.TB) []*paperboy.Paper {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "arxiv-sample.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var papers []*paperboy.Paper
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r struct {
			ID, Title, Abstract, Authors, Categories string
			UpdateDate                               string `json:"update_date"`
			Versions                                 []struct{ Version, Created string }
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		p := &paperboy.Paper{
			ID:         paperboy.MustParseArxivID(r.ID),
			Version:    len(r.Versions),
			Title:      strings.Join(strings.Fields(r.Title), " "),
			Abstract:   strings.TrimSpace(r.Abstract),
			Categories: strings.Fields(r.Categories),
		}
		for _, name := range strings.Split(strings.ReplaceAll(dropParens(r.Authors), " and ", ","), ",") {
			if name = strings.Join(strings.Fields(name), " "); name != "" {
				p.Authors = append(p.Authors, paperboy.Author{Name: name})
			}
		}
		p.Submitted, err = time.Parse("Mon, 2 Jan 2006 15:04:05 MST", r.Versions[0].Created)
		if err != nil {
			t.Fatal(err)
		}
		p.Submitted = p.Submitted.UTC()
		p.Updated, _ = time.Parse(time.DateOnly, r.UpdateDate)
		papers = append(papers, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return papers
}

func TestEngineOverSQLiteStore(t *testing.T) {
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "paperboy.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	papers := samplePapers(t)
	if _, err := s.UpsertPapers(ctx, papers); err != nil {
		t.Fatal(err)
	}
	e := New(s, nil, WithPageSize(10))
	if n, err := e.Sync(ctx); err != nil || n != len(papers) {
		t.Fatalf("Sync = %d, %v; want %d", n, err, len(papers))
	}
	for _, tt := range []struct {
		query string
		want  []string // the first results, in order
	}{
		{"diphoton production", []string{"0704.0001"}},
		{`author:balazs`, []string{"0704.0001"}},                               // Bal\'azs
		{`author:"Rastislav Sramek"`, []string{"0704.0062"}},                   // \v{S}r\'amek
		{"author:søgaard", []string{"1706.04902"}},                             // S{\o}gaard
		{"0704.0062", []string{"0704.0062"}},                                   // pinned ID
		{"sparse projection oblique randomer forests", []string{"1506.03410"}}, // exact title
		{"cat:cs.LG year:2018", []string{"1803.11266", "1802.01697", "1801.02961"}},
		{"cat:cs.LG year:2017", []string{"1801.00132", "1712.01272"}}, // first submitted 2017-12-30
		{`"variational autoencoder"`, []string{"1706.05148"}},
	} {
		res, _, err := e.Search(ctx, paperboy.SearchQuery{Text: tt.query})
		if err != nil {
			t.Fatalf("Search(%q): %v", tt.query, err)
		}
		var got []string
		for _, r := range res[:min(len(res), len(tt.want))] {
			got = append(got, string(r.Paper.ID))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Search(%q) starts %q, want %q", tt.query, got, tt.want)
		}
	}

	if err := s.DeletePaper(ctx, "0704.0001"); err != nil {
		t.Fatal(err)
	}
	if n, err := e.Sync(ctx); err != nil || n != 1 {
		t.Fatalf("Sync after delete = %d, %v; want 1", n, err)
	}
	if res, total, err := e.Search(ctx, paperboy.SearchQuery{Text: "diphoton"}); err != nil || total != 0 {
		t.Errorf("deleted paper still found: %d results, total %d, err %v", len(res), total, err)
	}
}

// dropParens removes parenthesized affiliations from an author list.
func dropParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
