package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/embed"
	"paperboy/internal/hybrid"
)

// semanticTopics are two topics of crafted papers, in words the fixture's
// real papers do not use much, so that related papers stay on topic.
var semanticTopics = []struct{ prefix, category, title, abstract string }{
	{"2301", "q-bio.BM", "Protein folding with molecular dynamics", "Energy landscapes of protein structures; residue binding and enzyme simulation."},
	{"2302", "cs.LG", "Warmup schedules for large learning rates", "Loss spikes and divergence of transformer training at large step sizes; gradient clipping and warmup keep the optimizer stable."},
}

// failingEmbedder embeds documents but never a query: an embeddings
// service that went down after the vectors were made.
type failingEmbedder struct{ embed.Embedder }

func (failingEmbedder) EmbedQuery(context.Context, string) ([]float32, error) {
	return nil, errors.New("connection refused")
}

// newSemanticFixture is newFixture with the crafted topic papers and the
// hybrid searcher over a built-in embedder trained on the store; a
// failing query embedder makes every semantic search fall back.
func newSemanticFixture(t *testing.T, failing bool) *fixture {
	t.Helper()
	ctx := t.Context()
	f := newFixture(t)
	var papers []*paperboy.Paper
	for _, tp := range semanticTopics {
		for i := range 6 {
			day := time.Date(2023, 1, 2+i, 0, 0, 0, 0, time.UTC)
			papers = append(papers, &paperboy.Paper{
				ID: paperboy.ArxivID(fmt.Sprintf("%s.%05d", tp.prefix, i+1)), Version: 1, Submitted: day, Updated: day,
				Title: fmt.Sprintf("%s, part %d", tp.title, i+1), Abstract: tp.abstract, Categories: []string{tp.category},
			})
		}
	}
	if _, err := f.store.UpsertPapers(ctx, papers); err != nil {
		t.Fatal(err)
	}
	if _, err := f.engine.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	changes, err := f.store.Changes(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, ch := range changes {
		texts = append(texts, embed.PaperText(ch.Paper))
	}
	m, err := embed.Train(ctx, texts, embed.TrainOptions{Dim: 16, MinDF: 1, MaxDFRatio: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var emb embed.Embedder = embed.NewBuiltin(m, 1)
	if failing {
		emb = failingEmbedder{emb}
	}
	sem := hybrid.NewSemantic(f.store, f.store.(paperboy.EmbeddingStore), nil)
	if err := sem.Use(ctx, emb, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := sem.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if !sem.Ready() {
		t.Fatal("semantic service not ready after Sync")
	}
	f.handler = New(Deps{Papers: f.store, Search: hybrid.New(f.engine, sem, f.store, nil), Logger: slog.New(slog.DiscardHandler)})
	return f
}

type apiSearchHow struct {
	Query    string  `json:"query"`
	Total    int     `json:"total"`
	Limit    int     `json:"limit"`
	Offset   int     `json:"offset"`
	Mode     string  `json:"mode"`
	Fallback *string `json:"fallback"`
	Results  []struct {
		Score float64  `json:"score"`
		Paper apiPaper `json:"paper"`
	} `json:"results"`
}

func TestAPISearchModes(t *testing.T) {
	f := newSemanticFixture(t, false)
	q := url.QueryEscape("stable optimizer warmup")
	for _, mode := range []string{"", "hybrid", "keyword", "semantic"} {
		t.Run(mode, func(t *testing.T) {
			var got apiSearchHow
			decodeJSON(t, f.get("/api/v1/search?q="+q+"&mode="+mode), http.StatusOK, &got)
			want := mode
			if want == "" {
				want = "hybrid"
			}
			if got.Mode != want || got.Fallback != nil {
				t.Errorf("mode, fallback = %q, %v; want %q, null", got.Mode, got.Fallback, want)
			}
			if len(got.Results) == 0 || !strings.HasPrefix(got.Results[0].Paper.ID, "2302.") {
				t.Errorf("results %+v do not start with a warmup paper", got.Results)
			}
		})
	}
	// Semantic search finds papers by meaning where no query word occurs.
	var got apiSearchHow
	decodeJSON(t, f.get("/api/v1/search?mode=semantic&q="+url.QueryEscape("enzyme residue energy")), http.StatusOK, &got)
	if len(got.Results) < 6 {
		t.Fatalf("semantic search found %d papers, want the 6 protein papers", len(got.Results))
	}
	for _, r := range got.Results[:6] {
		if !strings.HasPrefix(r.Paper.ID, "2301.") {
			t.Errorf("semantic top 6 has %s, not a protein paper", r.Paper.ID)
		}
	}
}

func TestAPISearchBadMode(t *testing.T) {
	f := newSemanticFixture(t, false)
	w := f.get("/api/v1/search?q=protein&mode=fuzzy")
	wantStatus(t, w, http.StatusBadRequest)
	wantContains(t, w.Body.String(), "fuzzy")
	// The plain lexical engine rejects it too.
	wantStatus(t, newFixture(t).get("/api/v1/search?q=protein&mode=fuzzy"), http.StatusBadRequest)
}

func TestAPISearchFallback(t *testing.T) {
	f := newSemanticFixture(t, true)
	var got apiSearchHow
	decodeJSON(t, f.get("/api/v1/search?mode=semantic&q=protein+folding"), http.StatusOK, &got)
	if got.Mode != "keyword" || got.Fallback == nil || *got.Fallback == "" {
		t.Errorf("mode, fallback = %q, %v; want keyword and a reason", got.Mode, got.Fallback)
	}
	if len(got.Results) == 0 || !strings.HasPrefix(got.Results[0].Paper.ID, "2301.") {
		t.Errorf("lexical fallback results %+v do not start with a protein paper", got.Results)
	}
	body := f.getOK(t, "/search?mode=semantic&q=protein+folding")
	wantContains(t, body, `class="notice search-fallback"`, "Showing keyword results")
}

func TestSearchShowModeToggle(t *testing.T) {
	f := newSemanticFixture(t, false)
	body := f.getOK(t, "/search?q=protein&mode=semantic")
	wantContains(t, body,
		`<nav class="search-modes" aria-label="Search mode">`,
		`<a href="/search?q=protein" title="Words and meaning">Hybrid</a>`,
		`<a href="/search?mode=keyword&amp;q=protein" title="Words only">Keyword</a>`,
		`<a href="/search?mode=semantic&amp;q=protein" title="Meaning only" class="current" aria-current="true">Semantic</a>`,
	)
	wantNotContains(t, body, "search-fallback")
	body = f.getOK(t, "/search?q=protein")
	wantContains(t, body, `<a href="/search?q=protein" title="Words and meaning" class="current" aria-current="true">Hybrid</a>`)
	wantStatus(t, f.get("/search?q=protein&mode=fuzzy"), http.StatusBadRequest)
	// The lexical engine alone has no modes to offer.
	wantNotContains(t, newFixture(t).getOK(t, "/search?q=protein"), "search-modes")
}

type apiRelated struct {
	ID      string `json:"id"`
	Results []struct {
		Score float64  `json:"score"`
		Paper apiPaper `json:"paper"`
	} `json:"results"`
}

func TestAPIRelated(t *testing.T) {
	for _, failing := range []bool{false, true} { // vectors, and the same with a broken query embedder
		f := newSemanticFixture(t, failing)
		var got apiRelated
		decodeJSON(t, f.get("/api/v1/papers/2301.00002/related?limit=5"), http.StatusOK, &got)
		if got.ID != "2301.00002" || len(got.Results) != 5 {
			t.Fatalf("related = %+v, want 5 papers for 2301.00002", got)
		}
		for _, r := range got.Results {
			if r.Paper.ID == "2301.00002" || r.Paper.PrimaryCategory != "q-bio.BM" {
				t.Errorf("related paper %s (%s) is the paper itself or off topic", r.Paper.ID, r.Paper.PrimaryCategory)
			}
		}
		wantStatus(t, f.get("/api/v1/papers/2301.09999/related"), http.StatusNotFound)
		wantStatus(t, f.get("/api/v1/papers/2301.00002/related?limit=0"), http.StatusBadRequest)
	}
}

func TestAPIRelatedOldStyleAndLexical(t *testing.T) {
	f := newFixture(t) // the lexical engine alone finds no related papers
	var got apiRelated
	decodeJSON(t, f.get("/api/v1/papers/hep-th/9901001/related"), http.StatusOK, &got)
	if got.ID != "hep-th/9901001" || len(got.Results) != 0 {
		t.Errorf("related = %+v, want no papers for hep-th/9901001", got)
	}
	wantStatus(t, f.get("/api/v1/papers/hep-th/9901999/related"), http.StatusNotFound)
	// The paper itself is still served.
	wantStatus(t, f.get("/api/v1/papers/hep-th/9901001"), http.StatusOK)
}

func TestPaperShowRelated(t *testing.T) {
	f := newSemanticFixture(t, false)
	body := f.getOK(t, "/papers/2302.00001")
	wantContains(t, body, `<section class="related">`, "<h2>Related papers</h2>", `<a href="/papers/2302.00002">Warmup schedules for large learning rates, part 2</a>`)
	_, section, _ := strings.Cut(body, `<section class="related">`)
	ids := regexp.MustCompile(`<a href="/papers/([^"]+)">`).FindAllStringSubmatch(section, -1)
	if len(ids) < 5 {
		t.Fatalf("the paper page lists %d related papers, want at least 5", len(ids))
	}
	for _, id := range ids[:5] {
		if !strings.HasPrefix(id[1], "2302.") || id[1] == "2302.00001" {
			t.Errorf("related papers %v do not start with the 5 other warmup papers", ids)
			break
		}
	}
	wantNotContains(t, newFixture(t).getOK(t, "/papers/0704.0001"), `class="related"`)
}
