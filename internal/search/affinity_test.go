package search

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"paperboy"
)

// TestFieldDocumentFrequencies checks that the segments, built and merged,
// count each term's papers with it in the title and in the title or
// abstract as the papers' own text does, for terms of one paper (whose
// counts come from their frequencies) and of many.
func TestFieldDocumentFrequencies(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(4, 8))
	papers, vocab := randomCorpus(rng, 400)
	papers = append(papers,
		paper("2302.00001", "zebrafish fins", "", "Ng", "cs.LG", "2023-02-01"),
		paper("2302.00002", "a note", "axolotl limbs", "Ng", "cs.LG", "2023-02-01"),
		paper("2302.00003", "another note", "", "Quokka", "cs.LG", "2023-02-01"))
	e := New(newFakeStore(papers...), nil)
	e.batch = 90 // several segments, merged as they grow
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	v := e.cur.Load()
	if len(v.segs) < 2 {
		t.Fatalf("%d segments, want several", len(v.segs))
	}
	holds := func(text, term string) bool { return slices.Contains(terms(text, docText), term) }
	for _, w := range append(vocab, "zebrafish", "axolotl", "quokka", "smith") {
		term := analyze(w, docText)[0].term
		var wantTitle, wantText int
		for _, p := range papers {
			inTitle := holds(p.Title, term)
			wantTitle += b2i(inTitle)
			wantText += b2i(inTitle || holds(p.Abstract, term))
		}
		var title, text, df int
		for _, st := range v.terms(nil, term) {
			title, text, df = title+st.st.titleDF, text+st.st.textDF, df+st.st.df
		}
		if title != wantTitle || text != wantText {
			t.Errorf("%q: %d papers with it in the title and %d in the title or abstract, want %d and %d (of %d)", w, title, text, wantTitle, wantText, df)
		}
	}
}

// TestTitleAffinity checks that TitleAffinity weighs a word of titles over
// one only abstracts use, by the ratio of their affinities, where the two
// score alike without it; and that a word of authors alone is not
// weighed.
func TestTitleAffinity(t *testing.T) {
	ctx := context.Background()
	// "kinase" is in 10 papers, 5 of them in the title; "observed" in 10
	// abstracts and no title, so the two have one idf. Papers 1 and 2 hold one of them each, in
	// abstracts of one length.
	var papers []*paperboy.Paper
	add := func(title, abstract, authors string) {
		papers = append(papers, paper(fmt.Sprintf("2303.%05d", len(papers)+1), title, abstract, authors, "q-bio.BM", "2023-03-01"))
	}
	add("binding study", "the kinase bound", "Lee")
	add("binding study", "the observed bound", "Lee")
	for i := range 8 {
		if i < 5 {
			add("kinase structure", "a protein fold", "Lee")
		} else {
			add("protein structure", "a kinase fold", "Lee")
		}
		add("protein fold", "we observed a fold", "Lee")
	}
	add("protein fold", "folds with kinase", "Lee")
	add("protein fold", "folds observed", "Lee")
	for range 20 {
		add("protein fold", "a fold", "Okafor")
	}
	store := newFakeStore(papers...)
	scores := func(affinity float64, q string) map[paperboy.ArxivID]float64 {
		prm := DefaultParams()
		prm.TitleAffinity = affinity
		e := New(store, nil, WithParams(prm))
		if _, err := e.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		ranked, _, err := e.RankWith(ctx, paperboy.SearchQuery{Text: q, Limit: MaxLimit}, RankOptions{AnyWord: true})
		if err != nil {
			t.Fatal(err)
		}
		out := map[paperboy.ArxivID]float64{}
		for _, r := range ranked {
			out[r.ID] = r.Score
		}
		return out
	}
	kinase, observed := papers[0].ID, papers[1].ID
	plain := scores(0, "kinase observed")
	if plain[kinase] <= 0 || !near(plain[kinase], plain[observed]) {
		t.Fatalf("unweighted: kinase's paper scores %v, observed's %v; want the same", plain[kinase], plain[observed])
	}
	const pow = 0.5
	weighed := scores(pow, "kinase observed")
	// The share of titles' words cancels out.
	want := math.Pow((5.0+1)/(10+1), pow) / math.Pow((0.0+1)/(10+1), pow)
	if got := weighed[kinase] / weighed[observed]; !near(got, want) {
		t.Errorf("weighed: kinase's paper scores %v times observed's, want %v", got, want)
	}
	// A word of authors alone keeps its weight: no title or abstract tells
	// what it is.
	last := papers[len(papers)-1].ID // one of Okafor's
	if got, want := scores(pow, "okafor"), scores(0, "okafor"); len(got) != 20 || !near(got[last], want[last]) {
		t.Errorf("an author's name: %d papers, scored %v weighed and %v not", len(got), got[last], want[last])
	}
}
