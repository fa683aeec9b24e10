package hybrid

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/embed"
	"paperboy/internal/search"
	"paperboy/internal/store/sqlite"
)

// fixture is a store of papers on two topics with a synced lexical engine
// and semantic service using a built-in model trained on them.
type fixture struct {
	st  *sqlite.Store
	lex *search.Engine
	sem *Semantic
	emb *embed.Builtin
	s   *Searcher
}

var topics = [][]string{
	{"Warmup schedules for large learning rates", "Loss spikes and divergence of transformer training at large step sizes; gradient clipping and warmup keep the optimizer stable."},
	{"Protein folding with molecular dynamics", "Energy landscapes of protein structures; residue binding and enzyme simulation."},
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "h.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var papers []*paperboy.Paper
	for i := range 40 {
		tp := topics[i%2]
		papers = append(papers, &paperboy.Paper{
			ID: paperboy.ArxivID(fmt.Sprintf("2401.%05d", i+1)), Version: 1,
			Title: fmt.Sprintf("%s, part %d", tp[0], i), Abstract: tp[1],
			Categories: []string{[]string{"cs.LG", "q-bio.BM"}[i%2]},
			Submitted:  time.Date(2024, 1, 1+i%20, 0, 0, 0, 0, time.UTC),
		})
	}
	if _, err := st.UpsertPapers(ctx, papers); err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, lex: search.New(st, nil), sem: NewSemantic(st, st, nil)}
	if _, err := f.lex.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	f.emb = f.train(t, 1)
	if err := f.sem.Use(ctx, f.emb, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.sem.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	f.s = New(f.lex, f.sem, st, nil)
	return f
}

func (f *fixture) train(t *testing.T, version int) *embed.Builtin {
	t.Helper()
	var texts []string
	for _, tp := range topics {
		texts = append(texts, tp[0]+"\n"+tp[1], tp[0]+"\n"+tp[1])
	}
	m, err := embed.Train(context.Background(), texts, embed.TrainOptions{Dim: 2, MinDF: 1, MaxDFRatio: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return embed.NewBuiltin(m, version)
}

func TestSearchModes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		mode, text   string
		wantMode     string
		wantFallback bool
		wantCat      string
	}{
		// No word of this question is in the optimizer papers' text except "training".
		{paperboy.ModeSemantic, "keep training stable", paperboy.ModeSemantic, false, "cs.LG"},
		{paperboy.ModeHybrid, "how to keep training stable at large learning rates", paperboy.ModeHybrid, false, "cs.LG"},
		{"", "protein folding", paperboy.ModeHybrid, false, "q-bio.BM"},
		{paperboy.ModeKeyword, "protein", paperboy.ModeKeyword, false, "q-bio.BM"},
		{paperboy.ModeSemantic, "training cat:q-bio.BM", paperboy.ModeSemantic, false, "q-bio.BM"}, // filters hold
		{paperboy.ModeHybrid, `"protein folding"`, paperboy.ModeKeyword, false, "q-bio.BM"},        // phrases are lexical
	}
	for _, tt := range tests {
		res, total, rep, err := f.s.SearchReport(ctx, paperboy.SearchQuery{Text: tt.text, Mode: tt.mode, Limit: 5})
		if err != nil {
			t.Fatalf("%s %q: %v", tt.mode, tt.text, err)
		}
		if rep.Mode != tt.wantMode || (rep.Fallback != "") != tt.wantFallback {
			t.Errorf("%s %q: report %+v, want mode %s", tt.mode, tt.text, rep, tt.wantMode)
		}
		if len(res) == 0 || total < len(res) {
			t.Errorf("%s %q: %d results of %d", tt.mode, tt.text, len(res), total)
			continue
		}
		for _, r := range res {
			if r.Paper.PrimaryCategory() != tt.wantCat {
				t.Errorf("%s %q: result %s in %s, want %s", tt.mode, tt.text, r.Paper.ID, r.Paper.PrimaryCategory(), tt.wantCat)
			}
		}
	}
	if _, _, err := f.s.Search(ctx, paperboy.SearchQuery{Text: "x", Mode: "magic"}); paperboy.ErrorCode(err) != paperboy.EINVALID {
		t.Errorf("unknown mode: err %v, want EINVALID", err)
	}
}

func TestExactTitlePinned(t *testing.T) {
	f := newFixture(t)
	res, _, err := f.s.Search(context.Background(), paperboy.SearchQuery{Text: "Protein folding with molecular dynamics, part 7"})
	if err != nil || len(res) == 0 || res[0].Paper.ID != "2401.00008" {
		t.Fatalf("got %v, %v; want 2401.00008 first", res, err)
	}
}

// slowEmbedder answers queries only when their context ends.
type slowEmbedder struct{ embed.Embedder }

func (slowEmbedder) EmbedQuery(ctx context.Context, _ string) ([]float32, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestFallbackWhenEmbedderTimesOut(t *testing.T) {
	f := newFixture(t)
	f.sem.active.emb = slowEmbedder{f.emb}
	s := New(f.lex, f.sem, f.st, nil, WithBudget(time.Millisecond))
	res, _, rep, err := s.SearchReport(context.Background(), paperboy.SearchQuery{Text: "protein folding", Mode: paperboy.ModeHybrid})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != paperboy.ModeKeyword || rep.Fallback == "" || len(res) == 0 {
		t.Errorf("report %+v with %d results; want a lexical answer that says why", rep, len(res))
	}
}

func TestSwitchOver(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old := f.emb.Contract()
	next := f.train(t, 2)
	if err := f.sem.Use(ctx, next, []byte("model")); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.sem.Active(); got != old {
		t.Fatalf("before the new set is built, active = %v, want %v", got, old)
	}
	res, _, rep, err := f.s.SearchReport(ctx, paperboy.SearchQuery{Text: "protein folding", Mode: paperboy.ModeSemantic})
	if err != nil || rep.Mode != paperboy.ModeSemantic || len(res) == 0 {
		t.Fatalf("search while building: %v results, report %+v, err %v", len(res), rep, err)
	}
	if _, err := f.sem.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.sem.Active(); got != next.Contract() {
		t.Errorf("after Sync, active = %v, want %v", got, next.Contract())
	}
	sets, err := f.st.EmbedSets(ctx)
	if err != nil || len(sets) != 1 || sets[0].Contract != next.Contract() || sets[0].Count != 40 {
		t.Errorf("stored sets %+v, %v; want only the new one with 40 vectors", sets, err)
	}
	// A restart finds the active set and its vectors.
	again := NewSemantic(f.st, f.st, nil)
	resolve := func(c paperboy.EmbedContract, _ []byte) (embed.Embedder, error) { return next, nil }
	if err := again.Load(ctx, resolve); err != nil {
		t.Fatal(err)
	}
	if got, ok := again.Active(); !ok || got != next.Contract() || again.active.idx.Len() != 40 {
		t.Errorf("after Load: active %v (%v), want %v with 40 vectors", got, ok, next.Contract())
	}
}

func TestFollowsChanges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p := &paperboy.Paper{ID: "2402.00001", Version: 1, Title: "Enzyme binding simulation", Abstract: "Protein residue dynamics."}
	if _, err := f.st.UpsertPapers(ctx, []*paperboy.Paper{p}); err != nil {
		t.Fatal(err)
	}
	if err := f.st.DeletePaper(ctx, "2401.00001"); err != nil {
		t.Fatal(err)
	}
	if n, err := f.sem.Sync(ctx); err != nil || n != 2 {
		t.Fatalf("Sync = %d, %v; want 2 changes", n, err)
	}
	if _, ok := f.sem.active.idx.Vector("2402.00001"); !ok {
		t.Error("new paper not embedded")
	}
	if _, ok := f.sem.active.idx.Vector("2401.00001"); ok {
		t.Error("deleted paper still has a vector")
	}
}

func TestRelated(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, s := range []*Searcher{f.s, New(f.lex, nil, f.st, nil)} { // vectors, then the lexical fallback
		res, err := s.Related(ctx, "2401.00002", 5)
		if err != nil || len(res) != 5 {
			t.Fatalf("Related = %d results, %v", len(res), err)
		}
		for _, r := range res {
			if r.Paper.ID == "2401.00002" || r.Paper.PrimaryCategory() != "q-bio.BM" {
				t.Errorf("related paper %s (%s); want other q-bio.BM papers", r.Paper.ID, r.Paper.PrimaryCategory())
			}
		}
	}
	if _, err := f.s.Related(ctx, "9999.99999", 5); paperboy.ErrorCode(err) != paperboy.ENOTFOUND {
		t.Errorf("Related(unknown) err %v, want ENOTFOUND", err)
	}
}

// TestMatchMemo checks that matchMemo answers overlapping lookups as the
// prepared query does, papers it lacks included, and asks it about each
// paper once.
func TestMatchMemo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	words, err := f.lex.Prepare("warmup protein stable", DefaultFusion().lexical(1))
	if err != nil {
		t.Fatal(err)
	}
	var asked []paperboy.ArxivID
	m := &matchMemo{match: func(ids []paperboy.ArxivID) ([]search.Match, error) {
		asked = append(asked, ids...)
		return words.Matches(ctx, ids)
	}}
	first := []paperboy.ArxivID{"2401.00001", "2401.00002", "9999.99999"}
	second := []paperboy.ArxivID{"2401.00002", "2401.00003", "2401.00001", "2401.00004"}
	scores, err := m.scores(first)
	if err != nil {
		t.Fatal(err)
	}
	cov, err := m.coverage(second)
	if err != nil {
		t.Fatal(err)
	}
	want1, _ := words.Matches(ctx, first)
	want2, _ := words.Matches(ctx, second)
	for i, w := range want1 {
		if scores[i] != w.Score {
			t.Errorf("score of %s = %v, want %v", first[i], scores[i], w.Score)
		}
	}
	for i, w := range want2 {
		if cov[i] != w.Coverage {
			t.Errorf("coverage of %s = %v, want %v", second[i], cov[i], w.Coverage)
		}
	}
	if want1[0].Score == 0 || want2[1].Coverage == 0 || want2[1].Coverage == 1 {
		t.Fatalf("matches %v, %v: the test needs papers holding some of the words", want1, want2)
	}
	if len(m.got) != 5 {
		t.Errorf("memo holds %d papers, want the 5 asked for", len(m.got))
	}
	if want := "[2401.00001 2401.00002 9999.99999 2401.00003 2401.00004]"; fmt.Sprint(asked) != want {
		t.Errorf("looked up %v, want each paper once: %s", asked, want)
	}
}
