package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"

	"paperboy"
)

// randomCorpus returns n papers over a small Zipf vocabulary, so that
// queries hit many documents with many ties.
func randomCorpus(rng *rand.Rand, n int) ([]*paperboy.Paper, []string) {
	vocab := strings.Fields(`graph neural network model data training language deep image
		transformer attention quantum field spectral kernel bayesian causal policy agent
		vision sparse dense pruning retrieval ranking search embedding`)
	zipf := rand.NewZipf(rng, 1.2, 1, uint64(len(vocab)-1))
	text := func(k int) string {
		w := make([]string, k)
		for i := range w {
			w[i] = vocab[zipf.Uint64()]
		}
		return strings.Join(w, " ")
	}
	cats := []string{"cs.LG", "cs.CL", "stat.ML", "hep-th"}
	papers := make([]*paperboy.Paper, n)
	for i := range papers {
		papers[i] = paper(fmt.Sprintf("2301.%05d", i+1), text(1+rng.IntN(8)), text(rng.IntN(40)),
			vocab[rng.IntN(len(vocab))]+" Smith", cats[rng.IntN(len(cats))], fmt.Sprintf("2023-%02d-01", 1+rng.IntN(3)))
	}
	return papers, vocab
}

// randomPlan returns a random query and its plan.
func randomPlan(t *testing.T, rng *rand.Rand, vocab []string, prm Params) (string, *plan) {
	t.Helper()
	q := randomQuery(rng, vocab)
	pq, err := ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return q, compile(pq, prm)
}

// smallParts lets searches on several workers (up to 4, whatever the
// machine) cut these small corpora's segments into parts of 50 documents,
// until the test ends.
func smallParts(t *testing.T) {
	n, procs := minPart, runtime.GOMAXPROCS(4)
	minPart = 50
	t.Cleanup(func() { minPart = n; runtime.GOMAXPROCS(procs) })
}

func randomQuery(rng *rand.Rand, vocab []string) string {
	var parts []string
	for range 1 + rng.IntN(6) {
		parts = append(parts, vocab[rng.IntN(len(vocab))])
	}
	switch rng.IntN(6) {
	case 0:
		parts = append(parts, `"`+vocab[rng.IntN(5)]+" "+vocab[rng.IntN(5)]+`"`)
	case 1:
		parts = append(parts, "cat:cs")
	case 2:
		parts = append(parts, "-"+vocab[rng.IntN(len(vocab))])
	case 3:
		parts = append(parts, "after:2023-02-01")
	}
	return strings.Join(parts, " ")
}

// TestPruningIsExact checks that dynamic pruning returns exactly what
// scoring every match returns, over random corpora split into segments,
// with replaced and deleted papers, and random queries.
func TestPruningIsExact(t *testing.T) {
	defer func(n int) { impactMinBlocks = n }(impactMinBlocks)
	impactMinBlocks = 2 // high-impact lists for the frequent words of these small corpora
	smallParts(t)       // workers search ranges of a segment
	prunedQueries, queries, tightSegs, impactSegs, orPruned := 0, 0, 0, 0, 0
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 99))
		e, v, vocab := segmentedCorpus(t, rng)
		m := newBM25F(e.params, v.docs, v.totalLen)
		for _, sv := range v.segs {
			if m.boundScale(sv.seg) > 0 {
				tightSegs++ // its block bounds per document are in play
				if len(sv.seg.impactDir) > 0 {
					impactSegs++ // and its high-impact lists
				}
			}
		}
		for range 150 {
			q, p := randomPlan(t, rng, vocab, e.params)
			for _, k := range []int{1, 3, 10, 100} {
				got, _, pruned := v.runWith(p, e.params, k, false)
				want, _, _ := v.runWith(p, e.params, k, true)
				queries++
				if pruned {
					prunedQueries++
					if p.anyWord {
						orPruned++
					}
				}
				if msg := sameHits(got, want); msg != "" {
					t.Fatalf("seed %d, %q, top %d: pruned differs from exhaustive: %s", seed, q, k, msg)
				}
				par, _, _ := v.exec(p, e.params, k, false, RankOptions{Workers: 3})
				if msg := sameHits(par, want); msg != "" {
					t.Fatalf("seed %d, %q, top %d: pruned on 3 workers differs from exhaustive: %s", seed, q, k, msg)
				}
			}
		}
	}
	if tightSegs == 0 {
		t.Error("no segment's per-document block bounds were usable; the test needs them")
	}
	if impactSegs == 0 {
		t.Error("no segment has high-impact lists; the test needs them")
	}
	if orPruned < 50 {
		t.Errorf("pruning skipped documents in only %d OR (long) queries; the test needs more", orPruned)
	}
	if prunedQueries < queries/4 {
		t.Errorf("pruning skipped documents in %d of %d queries; the test needs more", prunedQueries, queries)
	}
	t.Logf("pruning skipped documents in %d of %d queries, %d of them OR queries", prunedQueries, queries, orPruned)
}

// segmentedCorpus indexes a random corpus in several segments, then
// replaces some of its papers and deletes others.
func segmentedCorpus(t *testing.T, rng *rand.Rand) (*Engine, *view, []string) {
	t.Helper()
	ctx := context.Background()
	papers, vocab := randomCorpus(rng, 300+rng.IntN(400))
	s := newFakeStore(papers...)
	e := New(s, nil)
	e.batch = 37 + rng.IntN(100)
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for i, j := range rng.Perm(len(papers))[:20] {
		p := papers[j]
		if i%2 == 0 {
			if err := s.DeletePaper(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
			continue
		}
		cp := *p
		cp.Version++
		cp.Title = vocab[rng.IntN(len(vocab))] + " " + p.Title
		if _, err := s.UpsertPapers(ctx, []*paperboy.Paper{&cp}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	return e, e.cur.Load(), vocab
}

// TestSlackKeepsWhatClearsIt checks pruning with slack (RankOptions): it
// returns as many hits as exact search, each with its exact score, in
// order, and among them every document of the exact top k scoring at
// least slack times the exact k-th score.
func TestSlackKeepsWhatClearsIt(t *testing.T) {
	defer func(n int) { impactMinBlocks = n }(impactMinBlocks)
	impactMinBlocks = 2
	smallParts(t)
	differed, checked := 0, 0
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 5))
		e, v, vocab := segmentedCorpus(t, rng)
		for range 100 {
			q, p := randomPlan(t, rng, vocab, e.params)
			all, _, _ := v.runWith(p, e.params, v.live, true)
			exact := map[paperboy.ArxivID]float64{}
			for _, h := range all {
				exact[h.id] = h.score
			}
			for _, k := range []int{10, 100} {
				want := all[:min(k, len(all))]
				for _, o := range []RankOptions{{Slack: 1.5}, {Slack: 3}, {Slack: 2, Workers: 3}} {
					slack := o.Slack
					got, _, _ := v.exec(p, e.params, k, false, o)
					checked++
					where := fmt.Sprintf("seed %d, %q, top %d, %+v", seed, q, k, o)
					if len(got) != len(want) {
						t.Fatalf("%s: %d hits, want %d", where, len(got), len(want))
					}
					if sameHits(got, want) != "" {
						differed++
					}
					for i, h := range got {
						if x, ok := exact[h.id]; !ok || math.Abs(x-h.score) > 1e-9 {
							t.Fatalf("%s: hit %s scores %v, exactly %v (matches: %v)", where, h.id, h.score, x, ok)
						}
						if i > 0 && orderHits(&got[i-1], &got[i], p.ranked()) > 0 {
							t.Fatalf("%s: hits %d and %d out of order", where, i-1, i)
						}
					}
					for _, w := range want {
						if w.score >= slack*want[len(want)-1].score+1e-9 &&
							!slices.ContainsFunc(got, func(g vhit) bool { return g.id == w.id }) {
							t.Fatalf("%s: %s (score %v, k-th %v) is missing", where, w.id, w.score, want[len(want)-1].score)
						}
					}
				}
			}
		}
	}
	if differed == 0 {
		t.Errorf("slack changed none of %d results; the test needs it to prune", checked)
	}
	t.Logf("slack changed %d of %d results", differed, checked)
}

func sameHits(got, want []vhit) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%d hits, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.id != w.id || g.pin != w.pin || math.Abs(g.score-w.score) > 1e-9 {
			return fmt.Sprintf("hit %d = %s %.12f, want %s %.12f", i, g.id, g.score, w.id, w.score)
		}
	}
	return ""
}

// bruteForce ranks papers for the words of a query the slow, obvious way:
// BM25F (see rank.go) over every paper, from its analyzed fields; all is
// whether every word must match.
func bruteForce(papers []*paperboy.Paper, words []string, all bool, prm Params, k int) []vhit {
	docs := make([]*analyzedDoc, len(papers))
	var total [numFields]float64
	for i, p := range papers {
		docs[i] = analyzePaper(p, newStemmer())
		for f := range numFields {
			total[f] += float64(docs[i].info.lens[f])
		}
	}
	n := float64(len(docs))
	tf := func(d *analyzedDoc, f int, term string) int {
		for i := range d.fields[f].ids {
			if d.term(f, i) == term {
				return len(d.fields[f].positions(i))
			}
		}
		return 0
	}
	dfs := map[string]int{}
	titleDF, textDF := map[string]int{}, map[string]int{} // papers with the term in the title; in the title or abstract
	for _, o := range docs {
		distinct := map[string]bool{}
		text := map[string]bool{}
		for f := range numFields {
			for i := range o.fields[f].ids {
				distinct[o.term(f, i)] = true
				if f == fieldTitle {
					titleDF[o.term(f, i)]++
				}
				if f != fieldAuthors {
					text[o.term(f, i)] = true
				}
			}
		}
		for term := range distinct {
			dfs[term]++
		}
		for term := range text {
			textDF[term]++
		}
	}
	// affinity is Params.TitleAffinity's weight of a term.
	affinity := func(term string) float64 {
		if prm.TitleAffinity <= 0 || textDF[term] == 0 {
			return 1
		}
		chance := total[fieldTitle] / (total[fieldTitle] + total[fieldAbstract])
		return math.Pow(float64(titleDF[term]+1)/float64(textDF[term]+1)/chance, prm.TitleAffinity)
	}
	var hits []vhit
	for _, d := range docs {
		score, matched := 0.0, 0
		for _, term := range words {
			df := dfs[term]
			t := 0.0
			for f := range numFields {
				if c := tf(d, f, term); c > 0 {
					avg := max(total[f]/n, 1)
					t += prm.weight(f) * float64(c) / (1 - prm.b(f) + prm.b(f)/avg*float64(d.info.lens[f]))
				}
			}
			if t > 0 {
				idf := math.Log(1+(n-float64(df)+0.5)/(float64(df)+0.5)) * affinity(term)
				score += idf * t * (prm.K1 + 1) / (prm.K1 + t)
				matched++
			}
		}
		if matched > 0 && (!all || matched == len(words)) {
			hits = append(hits, vhit{id: d.info.id, score: score, submitted: d.info.submitted, pin: 2})
		}
	}
	slices.SortFunc(hits, func(a, b vhit) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(b.submitted, a.submitted), cmp.Compare(a.id, b.id))
	})
	return hits[:min(k, len(hits))]
}

// TestBM25FMatchesBruteForce checks the engine's ranking of keyword and
// long queries against bruteForce on random corpora.
func TestBM25FMatchesBruteForce(t *testing.T) {
	ctx := context.Background()
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 7))
		papers, vocab := randomCorpus(rng, 200+rng.IntN(200))
		e := New(newFakeStore(papers...), nil)
		e.batch = 50 + rng.IntN(60)
		if _, err := e.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		v := e.cur.Load()
		for range 60 {
			words := map[string]bool{}
			for range 1 + rng.IntN(7) {
				words[vocab[rng.IntN(len(vocab))]] = true
			}
			var terms []string
			for w := range words {
				terms = append(terms, w)
			}
			slices.Sort(terms)
			q := strings.Join(terms, " ")
			p := compile(&Query{Terms: terms}, e.params)
			if p.titleKey != "" && slices.ContainsFunc(v.segs, func(sv *segView) bool {
				return len(sv.seg.withTitle(hashTitle(p.titleKey))) > 0
			}) {
				continue // a pinned title; TestSearch covers pins
			}
			got, _ := v.run(p, e.params, 10)
			all := !p.anyWord
			var stems []string
			for _, w := range terms {
				if st := analyze(w, queryText)[0].term; !slices.Contains(stems, st) {
					stems = append(stems, st)
				}
			}
			want := bruteForce(papers, stems, all, e.params, 10)
			if all && len(want) == 0 && len(terms) > 1 {
				continue // the any-word fallback; TestSearch covers it
			}
			if msg := sameHits(got, want); msg != "" {
				t.Fatalf("seed %d, %q: engine differs from brute force: %s", seed, q, msg)
			}
		}
	}
}

// TestEngineWorkers checks that an engine whose searches use several
// goroutines (WithWorkers) answers as one that uses one.
func TestEngineWorkers(t *testing.T) {
	smallParts(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(11, 3))
	e, _, vocab := segmentedCorpus(t, rng)
	for range 100 {
		q := paperboy.SearchQuery{Text: randomQuery(rng, vocab), Limit: 1 + rng.IntN(MaxLimit)}
		e.workers = 1
		want, wantN, err := e.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		e.workers = 3
		got, _, err := e.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%q: %d results on 3 workers, %d on one (of %d)", q.Text, len(got), len(want), wantN)
		}
		for i := range got {
			if got[i].Paper.ID != want[i].Paper.ID || got[i].Score != want[i].Score {
				t.Fatalf("%q: result %d is %s %v on 3 workers, %s %v on one", q.Text, i, got[i].Paper.ID, got[i].Score, want[i].Paper.ID, want[i].Score)
			}
		}
	}
}

// TestRankAnyWord checks RankOptions.AnyWord: a two-word query ranks the
// papers with either word, not only those with both, and scores them as a
// long query does.
func TestRankAnyWord(t *testing.T) {
	ctx := context.Background()
	e := New(newFakeStore(
		paper("2301.00001", "Spectral graph kernels", "We study kernels on graphs.", "Ada Lovelace", "cs.LG", "2023-01-02"),
		paper("2301.00002", "Graph transformers", "Attention over graphs.", "Alan Turing", "cs.LG", "2023-01-03"),
		paper("2301.00003", "Kernel methods", "Support vector machines.", "Grace Hopper", "cs.LG", "2023-01-04"),
		paper("2301.00004", "Quantum optics", "Photons in cavities.", "Emmy Noether", "quant-ph", "2023-01-05"),
	), nil)
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	ids := func(rs []Ranked) []string {
		var out []string
		for _, r := range rs {
			out = append(out, string(r.ID))
		}
		return out
	}
	q := paperboy.SearchQuery{Text: "graph kernel"}
	all, _, err := e.Rank(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(all); !slices.Equal(got, []string{"2301.00001"}) {
		t.Errorf("all words: %v, want only the paper with both", got)
	}
	anyRes, _, err := e.RankWith(ctx, q, RankOptions{AnyWord: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(anyRes); len(got) != 3 || got[0] != "2301.00001" || slices.Contains(got, "2301.00004") {
		t.Errorf("any word: %v, want the paper with both first, then the two with one", got)
	}
	prm := DefaultParams()
	prm.LongQuery = 2
	long := New(e.store, nil, WithParams(prm))
	if _, err := long.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	want, _, err := long.Rank(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(anyRes, want) {
		t.Errorf("any word: %v, want what a long query ranks: %v", anyRes, want)
	}
}

// TestRankMaxTerms checks RankOptions.MaxTerms: a long query ranks as
// the query of its rarest words does.
func TestRankMaxTerms(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 8))
	e, v, vocab := segmentedCorpus(t, rng)
	changed := 0
	for range 50 {
		terms := rarestFirst(rng, v, vocab, 7)
		q := strings.Join(terms, " ")
		got, _, err := e.RankWith(ctx, paperboy.SearchQuery{Text: q}, RankOptions{MaxTerms: 3})
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := e.RankWith(ctx, paperboy.SearchQuery{Text: strings.Join(terms[:3], " ")}, RankOptions{AnyWord: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%q capped at 3 words: %v, want what %v ranks: %v", q, got, terms[:3], want)
		}
		if full, _, _ := e.Rank(ctx, paperboy.SearchQuery{Text: q}); !slices.Equal(got, full) {
			changed++
		}
	}
	if changed == 0 {
		t.Error("the cap changed no ranking; the test needs it to")
	}
}

// TestRankPinned checks that Rank marks pinned results only: the paper
// whose title is the query, or whose ID it is, and no other.
func TestRankPinned(t *testing.T) {
	ctx := context.Background()
	e := New(newFakeStore(
		paper("2301.00001", "Spectral graph kernels", "Graph kernels, spectral.", "Ada Lovelace", "cs.LG", "2023-01-02"),
		paper("2301.00002", "Graph kernels on spectra", "Spectral graph kernels again.", "Alan Turing", "cs.LG", "2023-01-03"),
	), nil)
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		q    string
		want []bool
	}{
		{"graph kernels", []bool{false, false}},
		{"Spectral graph kernels", []bool{true, false}},
		{"2301.00002", []bool{true}},
	} {
		res, _, err := e.Rank(ctx, paperboy.SearchQuery{Text: c.q})
		if err != nil {
			t.Fatal(err)
		}
		var got []bool
		for _, r := range res {
			got = append(got, r.Pinned)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: pinned %v, want %v", c.q, got, c.want)
		}
	}
}
