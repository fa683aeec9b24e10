package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"paperboy"
)

// corpus is a small hand-made set of papers whose rankings are easy to
// reason about.
func corpus() []*paperboy.Paper {
	return []*paperboy.Paper{
		paper("1706.03762", "Attention Is All You Need",
			"The dominant sequence transduction models are based on recurrent or convolutional neural networks. We propose the Transformer, based solely on attention mechanisms.",
			"Ashish Vaswani, Noam Shazeer", "cs.CL cs.LG", "2017-06-12"),
		paper("1810.04805", "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
			"We introduce BERT, a language representation model designed to pre-train deep bidirectional representations.",
			"Jacob Devlin, Ming-Wei Chang", "cs.CL", "2018-10-11"),
		paper("1512.03385", "Deep Residual Learning for Image Recognition",
			"Deeper neural networks are more difficult to train. We present a residual learning framework.",
			"Kaiming He, Xiangyu Zhang", "cs.CV", "2015-12-10"),
		paper("1609.02907", "Semi-Supervised Classification with Graph Convolutional Networks",
			"We present a scalable approach for semi-supervised learning on graph-structured data based on convolutional networks.",
			"Thomas N. Kipf, Max Welling", "cs.LG stat.ML", "2016-09-09"),
		paper("1910.10683", "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer",
			"Transfer learning, where a model is first pre-trained on a data-rich task, has emerged as a powerful technique in natural language processing.",
			"Colin Raffel, Noam Shazeer", "cs.LG cs.CL stat.ML", "2019-10-23"),
		paper("1910.01108", "DistilBERT, a distilled version of BERT: smaller, faster, cheaper and lighter",
			"We propose a method to pre-train a smaller general-purpose language representation model.",
			"Victor Sanh, Lysandre Debut", "cs.CL", "2019-10-02"),
		paper("1909.11942", "ALBERT: A Lite BERT for Self-supervised Learning of Language Representations",
			"Increasing model size when pretraining natural language representations often results in improved performance.",
			"Zhenzhong Lan, Mingda Chen", "cs.CL cs.AI", "2019-09-26"),
		paper("1312.6114", "Auto-Encoding Variational Bayes",
			"How can we perform efficient inference and learning in directed probabilistic models with continuous latent variables?",
			"Diederik P. Kingma, Max Welling", "stat.ML cs.LG", "2013-12-20"),
		paper("1406.2661", "Generative Adversarial Networks",
			"We propose a new framework for estimating generative models via an adversarial process.",
			`Ian J. Goodfellow, Yoshua Bengio, Bal\'azs Kégl`, "stat.ML cs.LG", "2014-06-10"),
		paper("hep-th/9901001", "Graph theory of neural strings",
			"A neural approach to strings on a graph; networks are not discussed.",
			"Ann Network", "hep-th", "1999-01-04"),
	}
}

// ids runs a search and returns the IDs of its results in order.
func ids(t *testing.T, e *Engine, text string) []string {
	t.Helper()
	res, total, err := e.Search(context.Background(), paperboy.SearchQuery{Text: text, Limit: 100})
	if err != nil {
		t.Fatalf("Search(%q): %v", text, err)
	}
	if total != len(res) && total <= MaxLimit {
		t.Errorf("Search(%q): total %d, %d results", text, total, len(res))
	}
	out := make([]string, len(res))
	for i, r := range res {
		out[i] = string(r.Paper.ID)
	}
	return out
}

func TestSearch(t *testing.T) {
	e, _ := newSynced(t, corpus()...)
	tests := []struct {
		name, query string
		want        []string
	}{
		{"title beats abstract", "transformer", []string{"1910.10683", "1810.04805", "1706.03762"}},
		{"all words must match", "convolutional graph", []string{"1609.02907"}},
		{"phrase is adjacent in one field", `"graph convolutional"`, []string{"1609.02907"}},
		{"phrase across a stopword", `"limits of transfer"`, []string{"1910.10683"}},
		{"compound query matches joined and hyphenated forms", "pre-training", []string{"1810.04805", "1909.11942", "1910.01108", "1910.10683"}},
		{"word matches a compound part", "supervised", []string{"1609.02907", "1909.11942"}},
		{"exclusion", "bert -distilled", []string{"1810.04805", "1909.11942"}},
		{"excluded phrase", `language -"transfer learning"`, []string{"1909.11942", "1810.04805", "1910.01108"}},
		{"category and archive, newest first", "cat:CS.lg cat:stat", []string{"1910.10683", "1609.02907", "1406.2661", "1312.6114"}},
		{"excluded category", "cat:cs -cat:cs.CL -cat:stat.ML", []string{"1512.03385"}},
		{"old-style archive", "cat:hep-th", []string{"hep-th/9901001"}},
		{"year", "year:2019", []string{"1910.10683", "1910.01108", "1909.11942"}},
		{"after is inclusive, before exclusive", "after:2019-10-02 before:2019-10-23", []string{"1910.01108"}},
		{"author surname", "author:welling", []string{"1609.02907", "1312.6114"}},
		{"author accent-insensitive", "author:balazs", []string{"1406.2661"}},
		{"author phrase within one name", `author:"Noam Shazeer" author:raffel`, []string{"1910.10683"}},
		{"author phrase does not span names", `author:"Shazeer Colin"`, nil},
		{"excluded author", "cat:cs.CL -author:shazeer", []string{"1910.01108", "1909.11942", "1810.04805"}},
		{"words with filters", "language cat:cs.AI", []string{"1909.11942"}},
		{"arXiv ID", "1512.03385", []string{"1512.03385"}},
		{"arXiv URL", "https://arxiv.org/abs/hep-th/9901001v1", []string{"hep-th/9901001"}},
		{"unknown ID", "2401.00001", nil},
		{"stopwords only", "the of", nil},
		{"empty", "  ", nil},
		{"no match", "quantum chromodynamics", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(t, e, tt.query); !slices.Equal(got, tt.want) {
				t.Errorf("Search(%q) = %q, want %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestSearchFallsBackToAnyWord(t *testing.T) {
	e, _ := newSynced(t, corpus()...)
	// No paper has all three words: papers with two come before papers with one.
	got := ids(t, e, "residual adversarial image")
	want := []string{"1512.03385", "1406.2661"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// Phrases stay required in the fallback.
	got = ids(t, e, `residual adversarial "generative adversarial"`)
	if want := []string{"1406.2661"}; !slices.Equal(got, want) {
		t.Errorf("with phrase: got %q, want %q", got, want)
	}
}

func TestSearchPinsExactTitle(t *testing.T) {
	papers := append(corpus(), paper("2001.00001", "Generative Adversarial Networks Generative Adversarial Networks",
		"Generative adversarial networks, generative adversarial networks, generative adversarial networks.", "", "cs.LG", "2020-01-01"))
	e, _ := newSynced(t, papers...)
	got := ids(t, e, "generative  ADVERSARIAL networks.")
	if len(got) < 2 || got[0] != "1406.2661" {
		t.Errorf("got %q, want 1406.2661 pinned first", got)
	}
	// Without the pin the keyword-stuffed paper would win.
	got = ids(t, e, "generative adversarial networks -xyzzy")
	if len(got) < 2 || got[0] != "2001.00001" {
		t.Errorf("unpinned: got %q, want 2001.00001 first", got)
	}
}

func TestSearchResultsCarryTermsAndScores(t *testing.T) {
	e, _ := newSynced(t, corpus()...)
	res, _, err := e.Search(context.Background(), paperboy.SearchQuery{Text: `Transformers "language understanding" -vision cat:cs`})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 {
		t.Fatalf("got %d results, want 1", len(res))
	}
	if want := []string{"Transformers", "language understanding"}; !slices.Equal(res[0].Terms, want) {
		t.Errorf("Terms = %q, want %q", res[0].Terms, want)
	}
	if res[0].Score <= 0 {
		t.Errorf("Score = %v, want > 0", res[0].Score)
	}
	if got := render(Highlight(res[0].Paper.Title, res[0].Terms)); !strings.Contains(got, "[Transformers] for [Language] [Understanding]") {
		t.Errorf("highlighted title %q", got)
	}
}

func TestSearchPaging(t *testing.T) {
	var papers []*paperboy.Paper
	for i := range 150 {
		papers = append(papers, paper(fmt.Sprintf("2001.%05d", i+1),
			"Paper about graphs", "", "", "math.CO", "2020-01-01"))
	}
	e, s := newSynced(t, papers...)
	ctx := context.Background()
	calls := s.calls()
	res, total, err := e.Search(ctx, paperboy.SearchQuery{Text: "graph"})
	if err != nil || len(res) != DefaultLimit || total != 150 {
		t.Fatalf("default page: %d results, total %d, err %v; want %d, 150", len(res), total, err, DefaultLimit)
	}
	if got := s.calls() - calls; got != 1 {
		t.Errorf("Search made %d Papers calls, want 1", got)
	}
	res, _, _ = e.Search(ctx, paperboy.SearchQuery{Text: "graph", Limit: 1000})
	if len(res) != MaxLimit {
		t.Errorf("Limit 1000: %d results, want %d", len(res), MaxLimit)
	}
	all := ids(t, e, "graph")
	res, _, _ = e.Search(ctx, paperboy.SearchQuery{Text: "graph", Limit: 10, Offset: 95})
	if len(res) != 10 || string(res[0].Paper.ID) != all[95] {
		t.Errorf("offset 95: %d results starting %s, want 10 starting %s", len(res), res[0].Paper.ID, all[95])
	}
	res, _, _ = e.Search(ctx, paperboy.SearchQuery{Text: "graph", Limit: 10, Offset: 145})
	if len(res) != 5 {
		t.Errorf("offset 145: %d results, want 5", len(res))
	}
	res, total, err = e.Search(ctx, paperboy.SearchQuery{Text: "graph", Offset: 500})
	if err != nil || len(res) != 0 || total != 150 {
		t.Errorf("offset past the end: %d results, total %d, err %v", len(res), total, err)
	}
	if res, _, err := e.Search(ctx, paperboy.SearchQuery{Text: "graph", Offset: math.MaxInt}); err != nil || len(res) != 0 {
		t.Errorf("offset MaxInt: %d results, err %v", len(res), err)
	}
	if _, _, err := e.Search(ctx, paperboy.SearchQuery{Text: "graph", Offset: -1}); paperboy.ErrorCode(err) != paperboy.EINVALID {
		t.Errorf("negative offset: err %v, want EINVALID", err)
	}
}

func TestSearchRejectsBadQueries(t *testing.T) {
	e, _ := newSynced(t, corpus()...)
	_, _, err := e.Search(context.Background(), paperboy.SearchQuery{Text: "bert after:2019-13-01"})
	if paperboy.ErrorCode(err) != paperboy.EINVALID {
		t.Fatalf("err %v, want EINVALID", err)
	}
	if got, want := paperboy.ErrorMessage(err), `Bad date "2019-13-01" in after:; use YYYY-MM-DD.`; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}
