package beir

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name, dir, qrels string
		queries          []string
		judged           map[string]int // qrels of the first query
	}{
		{"test.tsv by default", "tiny", "", []string{"q1", "q2", "q3"}, map[string]int{"d1": 1}},
		{"--qrels relative to the dir", "tiny", "qrels/dev.tsv", []string{"q4"}, map[string]int{"d6": 1, "d3": 2}},
		{"--qrels as a path", "tiny", filepath.Join("testdata", "tiny", "qrels", "dev.tsv"), []string{"q4"}, map[string]int{"d6": 1, "d3": 2}},
		{"the only qrels file, gzipped corpus", "gz", "", []string{"q4"}, map[string]int{"d6": 1, "d3": 2}},
	}
	for _, tt := range tests {
		ds, err := Load(filepath.Join("testdata", tt.dir), tt.qrels)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var got []string
		for _, q := range ds.Queries {
			got = append(got, q.ID)
		}
		if !slices.Equal(got, tt.queries) {
			t.Errorf("%s: queries %q, want %q", tt.name, got, tt.queries)
		}
		if len(ds.Corpus) != 6 || ds.Corpus[5].ID != "d6" || ds.Corpus[0].Title != "Vitamin D deficiency and bone fractures" {
			t.Errorf("%s: corpus %d docs, want 6 read in order", tt.name, len(ds.Corpus))
		}
		if q := ds.Qrels[tt.queries[0]]; len(q) != len(tt.judged) {
			t.Errorf("%s: qrels %v, want %v", tt.name, q, tt.judged)
		}
		for d, g := range tt.judged {
			if ds.Qrels[tt.queries[0]][d] != g {
				t.Errorf("%s: grade of %s = %d, want %d", tt.name, d, ds.Qrels[tt.queries[0]][d], g)
			}
		}
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		dir, qrels string
		want       string // in the error
	}{
		{"badcorpus", "", "corpus.jsonl:2:"},
		{"badqrels", "qrels/missingdoc.tsv", `missingdoc.tsv: document "d9"`},
		{"badqrels", "qrels/short.tsv", "short.tsv:2: want query-id, corpus-id and score"},
		{"badqrels", "qrels/badscore.tsv", `badscore.tsv:2: bad score "high"`},
		{"badqrels", "qrels/noquery.tsv", `noquery.tsv: query "q9" is not in queries.jsonl`},
		{"badqrels", "", "pick one with --qrels"},
		{"nosuchdir", "qrels/test.tsv", "corpus.jsonl"},
	}
	for _, tt := range tests {
		_, err := Load(filepath.Join("testdata", tt.dir), tt.qrels)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%s, %q) = %v, want an error containing %q", tt.dir, tt.qrels, err, tt.want)
		}
	}
}

func TestPapers(t *testing.T) {
	corpus := make([]Doc, idsPerMonth+2)
	for i := range corpus {
		corpus[i] = Doc{ID: "c" + strings.Repeat("x", i%3), Title: "T", Text: "text"}
	}
	corpus[1].Title = ""
	corpus[1].ID = "untitled"
	papers, back := Papers(corpus)
	if len(back) != len(corpus) {
		t.Fatalf("%d distinct IDs for %d documents", len(back), len(corpus))
	}
	for _, i := range []int{0, 1, idsPerMonth + 1} {
		p := papers[i]
		if err := p.Validate(); err != nil {
			t.Errorf("paper %d: %v", i, err)
		}
		if back[p.ID] != corpus[i].ID || p.Abstract != "text" {
			t.Errorf("paper %d = %s %q, maps back to %q; want %q", i, p.ID, p.Abstract, back[p.ID], corpus[i].ID)
		}
	}
	if got, want := string(papers[idsPerMonth].ID), "2002.00001"; got != want {
		t.Errorf("first ID of the second month = %s, want %s", got, want)
	}
	if papers[1].Title != "untitled" {
		t.Errorf("untitled document's title = %q, want its ID", papers[1].Title)
	}
}
