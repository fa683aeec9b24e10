package search

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"paperboy"
)

// rarestFirst returns n distinct words of vocab, rarest first.
func rarestFirst(rng *rand.Rand, v *view, vocab []string, n int) []string {
	words := map[string]bool{}
	for len(words) < n {
		words[vocab[rng.IntN(len(vocab))]] = true
	}
	var terms []string
	for w := range words {
		terms = append(terms, w)
	}
	slices.Sort(terms)
	slices.SortStableFunc(terms, func(a, b string) int { return cmp.Compare(wordDF(v, a), wordDF(v, b)) })
	return terms
}

// wordDF is the document frequency of word w's term.
func wordDF(v *view, w string) int { return v.df(nil, analyze(w, docText)[0].term) }

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*(1+math.Abs(b)) }

// TestScore checks that Score gives each paper the score the exact ranking
// gives it, and 0 to papers that do not match, are filtered out or are
// not in the index.
func TestScore(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(9, 2))
	e, v, vocab := segmentedCorpus(t, rng)
	for range 30 {
		q := strings.Join(rarestFirst(rng, v, vocab, 2+rng.IntN(6)), " ")
		for _, text := range []string{q, q + " cat:cs.LG"} {
			o := RankOptions{AnyWord: true}
			ranked, _, err := e.RankWith(ctx, paperboy.SearchQuery{Text: text, Limit: 50}, o)
			if err != nil {
				t.Fatal(err)
			}
			var ids []paperboy.ArxivID
			for _, r := range ranked {
				ids = append(ids, r.ID)
			}
			// Papers the query does not rank: unknown, or filtered out, or
			// matching none of its words.
			outside := []paperboy.ArxivID{"9999.99999"}
			all, _, _ := e.RankWith(ctx, paperboy.SearchQuery{Text: text, Limit: MaxLimit}, o)
			unfiltered, _, _ := e.RankWith(ctx, paperboy.SearchQuery{Text: q, Limit: MaxLimit}, o)
			for _, u := range unfiltered {
				if !slices.ContainsFunc(all, func(r Ranked) bool { return r.ID == u.ID }) {
					outside = append(outside, u.ID)
					break
				}
			}
			if text != q && len(outside) == 1 && len(all) < MaxLimit {
				t.Fatalf("%q: the category filter dropped no paper", text)
			}
			got, err := e.Score(ctx, paperboy.SearchQuery{Text: text}, slices.Concat(ids, outside), o)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range ranked {
				if !near(got[i], r.Score) {
					t.Fatalf("%q: Score(%s) = %v, ranked with %v", text, r.ID, got[i], r.Score)
				}
			}
			for i, id := range outside {
				if s := got[len(ids)+i]; s != 0 {
					t.Fatalf("%q: Score(%s) = %v, want 0 for a paper the query does not rank", text, id, s)
				}
			}
			// Prepared once, the query ranks and scores the same.
			pq, err := e.Prepare(text, o)
			if err != nil {
				t.Fatal(err)
			}
			if pr, _, err := pq.Rank(ctx, paperboy.SearchQuery{Limit: 50}); err != nil || !slices.Equal(pr, ranked) {
				t.Fatalf("%q: prepared Rank = %v, %v; RankWith gave %v", text, pr, err, ranked)
			}
			if ps, err := pq.Score(ctx, slices.Concat(ids, outside)); err != nil || !slices.Equal(ps, got) {
				t.Fatalf("%q: prepared Score = %v, %v; Score gave %v", text, ps, err, got)
			}
			// On several goroutines, a segment's papers each.
			par := o
			par.Workers = 3
			if ps, err := e.Score(ctx, paperboy.SearchQuery{Text: text}, slices.Concat(ids, outside), par); err != nil || !slices.Equal(ps, got) {
				t.Fatalf("%q: Score on 3 workers = %v, %v; on one %v", text, ps, err, got)
			}
		}
	}
}

// TestPreparedAfterSync checks that a prepared query answers from the
// index as it is when it runs, not as it was when its terms were first
// looked up.
func TestPreparedAfterSync(t *testing.T) {
	ctx := context.Background()
	e, s := newSynced(t, paper("2401.00001", "Graph networks", "We study graph networks.", "Ada Lovelace", "cs.LG", "2024-01-02"))
	pq, err := e.Prepare("graph networks", RankOptions{AnyWord: true})
	if err != nil {
		t.Fatal(err)
	}
	if r, _, err := pq.Rank(ctx, paperboy.SearchQuery{}); err != nil || len(r) != 1 {
		t.Fatalf("Rank = %v, %v; want the one paper", r, err)
	}
	more := paper("2401.00002", "Graph theory", "Graphs of networks.", "Alan Turing", "math.CO", "2024-01-03")
	if _, err := s.UpsertPapers(ctx, []*paperboy.Paper{more}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := pq.Score(ctx, []paperboy.ArxivID{more.ID})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := e.Score(ctx, paperboy.SearchQuery{Text: "graph networks"}, []paperboy.ArxivID{more.ID}, RankOptions{AnyWord: true})
	if got[0] <= 0 || got[0] != want[0] {
		t.Fatalf("after a sync, prepared Score(%s) = %v, want %v (> 0)", more.ID, got[0], want[0])
	}
	if r, _, err := pq.Rank(ctx, paperboy.SearchQuery{}); err != nil || len(r) != 2 {
		t.Fatalf("after a sync, Rank = %v, %v; want both papers", r, err)
	}
}

// TestRankRescore checks RankOptions.Rescore: a long query's results are
// the top k of its rarest words, ordered by their exact scores for all of
// its words; a query no longer than Rescore ranks as without it.
func TestRankRescore(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 14))
	e, v, vocab := segmentedCorpus(t, rng)
	reordered := 0
	for range 40 {
		terms := rarestFirst(rng, v, vocab, 3+rng.IntN(6))
		q := paperboy.SearchQuery{Text: strings.Join(terms, " "), Limit: 20}
		o := RankOptions{AnyWord: true, Rescore: 3}
		got, _, err := e.RankWith(ctx, q, o)
		if err != nil {
			t.Fatal(err)
		}
		if len(terms) <= 3 {
			want, _, _ := e.RankWith(ctx, q, RankOptions{AnyWord: true})
			if !slices.Equal(got, want) {
				t.Fatalf("%q: rescoring changed a query of %d words: %v, want %v", q.Text, len(terms), got, want)
			}
			continue
		}
		few, _, _ := e.RankWith(ctx, paperboy.SearchQuery{Text: strings.Join(terms[:3], " "), Limit: 20}, RankOptions{AnyWord: true})
		ids := make([]paperboy.ArxivID, len(got))
		for i, r := range got {
			ids[i] = r.ID
			if !slices.ContainsFunc(few, func(f Ranked) bool { return f.ID == r.ID }) {
				t.Fatalf("%q: %s is not in the top 20 of its rarest words %v", q.Text, r.ID, terms[:3])
			}
		}
		if len(got) != len(few) {
			t.Fatalf("%q: %d results, the rarest words rank %d", q.Text, len(got), len(few))
		}
		exact, _ := e.Score(ctx, q, ids, RankOptions{AnyWord: true})
		for i, r := range got {
			if !near(r.Score, exact[i]) {
				t.Fatalf("%q: %s scored %v, its score for all words is %v", q.Text, r.ID, r.Score, exact[i])
			}
			if i > 0 && r.Score > got[i-1].Score {
				t.Fatalf("%q: results out of order at %d: %v", q.Text, i, got)
			}
			if r.ID != few[i].ID {
				reordered++
			}
		}
	}
	if reordered == 0 {
		t.Error("rescoring reordered no results; the test needs it to")
	}
	// RescoreAbove leaves queries of rarer words whole.
	for range 20 {
		terms := rarestFirst(rng, v, vocab, 6)
		sum := 0
		for _, w := range terms {
			sum += wordDF(v, w)
		}
		share := float64(sum) / float64(v.docs)
		q := paperboy.SearchQuery{Text: strings.Join(terms, " "), Limit: 20}
		whole, _, _ := e.RankWith(ctx, q, RankOptions{AnyWord: true})
		rescored, _, _ := e.RankWith(ctx, q, RankOptions{AnyWord: true, Rescore: 3})
		above, _, _ := e.RankWith(ctx, q, RankOptions{AnyWord: true, Rescore: 3, RescoreAbove: share})
		below, _, _ := e.RankWith(ctx, q, RankOptions{AnyWord: true, Rescore: 3, RescoreAbove: share * 0.99})
		if !slices.Equal(above, whole) {
			t.Fatalf("%q: RescoreAbove %.3f, its words' share, rescored it", q.Text, share)
		}
		if !slices.Equal(below, rescored) {
			t.Fatalf("%q: RescoreAbove just below its words' share %.3f did not rescore it", q.Text, share)
		}
	}
}

// TestMatchesCoverage checks Prepared.Matches: each paper's score is
// Score's, and its coverage is the idf (times the title affinity weight)
// of the query's words it holds over that of those some paper holds, in
// the multi-segment corpus, against document frequencies and word sets
// counted here from the papers' words. It also checks Likelihoods there:
// the Dirichlet-smoothed query likelihood of each paper's words
// (TestLikelihoods), with the view's document frequencies and lengths,
// deleted papers' included.
func TestMatchesCoverage(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 8))
	e, v, vocab := segmentedCorpus(t, rng)
	n := float64(v.docs)
	idf := func(w string) float64 { // as weighted by title affinity (TestTitleAffinity)
		df := float64(wordDF(v, w))
		return math.Log(1+(n-df+0.5)/(df+0.5)) * v.affinity(nil, analyze(w, docText)[0].term, e.params.TitleAffinity)
	}
	partial := 0
	for range 30 {
		words := rarestFirst(rng, v, vocab, 2+rng.IntN(6))
		text := strings.Join(words, " ") + " zzqxunseenword"
		o := RankOptions{AnyWord: true, Workers: 1 + rng.IntN(3)}
		ranked, _, err := e.RankWith(ctx, paperboy.SearchQuery{Text: text, Limit: 50}, o)
		if err != nil {
			t.Fatal(err)
		}
		ids := []paperboy.ArxivID{"9999.99999"}
		for _, r := range ranked {
			ids = append(ids, r.ID)
		}
		pq, err := e.Prepare(text, o)
		if err != nil {
			t.Fatal(err)
		}
		got, err := pq.Matches(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		scores, _ := pq.Score(ctx, ids)
		like, err := pq.Likelihoods(ctx, ids, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Each word related to three others of the vocabulary, which
		// segments hold or lack.
		related := map[string][]Related{}
		for _, w := range words {
			for range 3 {
				other := analyze(vocab[rng.IntN(len(vocab))], docText)[0].term
				related[analyze(w, docText)[0].term] = append(related[analyze(w, docText)[0].term], Related{other, rng.Float64()})
			}
		}
		tr := &Translation{Share: 0.5, Related: func(term string) []Related { return related[term] }}
		translated, err := pq.Likelihoods(ctx, ids, tr)
		if err != nil {
			t.Fatal(err)
		}
		if !math.IsInf(like[0], -1) {
			t.Fatalf("%q: a paper not in the index has likelihood %v, want -Inf", text, like[0])
		}
		if got[0] != (Match{}) {
			t.Fatalf("%q: a paper not in the index matches as %+v", text, got[0])
		}
		total := 0.0
		for _, w := range words {
			total += idf(w)
		}
		for i, id := range ids[1:] {
			m := got[i+1]
			if m.Score != scores[i+1] {
				t.Fatalf("%q: Matches scores %s %v, Score %v", text, id, m.Score, scores[i+1])
			}
			want := 0.0
			for _, w := range words {
				if paperHolds(e, id, w) {
					want += idf(w)
				}
			}
			want /= total
			if !near(m.Coverage, want) {
				t.Fatalf("%q: coverage of %s = %v, want %v", text, id, m.Coverage, want)
			}
			if ll := likelihoodOf(e, id, v, append(slices.Clone(words), "zzqxunseenword"), nil); !near(like[i+1], ll) {
				t.Fatalf("%q: likelihood of %s = %v, want %v", text, id, like[i+1], ll)
			}
			if ll := likelihoodOf(e, id, v, append(slices.Clone(words), "zzqxunseenword"), tr); !near(translated[i+1], ll) {
				t.Fatalf("%q: translated likelihood of %s = %v, want %v", text, id, translated[i+1], ll)
			}
			if want > 0 && want < 1 {
				partial++
			}
		}
	}
	if partial == 0 {
		t.Error("no paper held only some of a query's words; the test needs some")
	}
}

// likelihoodOf is the likelihood of words under the paper id of e's fake
// store, with v's document frequencies and lengths, and translated by tr
// (nil: none).
func likelihoodOf(e *Engine, id paperboy.ArxivID, v *view, words []string, tr *Translation) float64 {
	ts := paperWords(e.store.(*fakeStore).papers[id])
	corpus := float64(v.totalLen[fieldTitle] + v.totalLen[fieldAbstract] + 1)
	mu := e.params.Dirichlet
	ll := 0.0
	for _, w := range words {
		term := analyze(w, docText)[0].term
		mp := mu * float64(v.df(nil, term)+1) / corpus
		ll += math.Log((translatedCount(ts, term, tr) + mp) / (float64(len(ts)) + mu))
	}
	return ll
}

// translatedCount is how often the words ts hold term, translated by tr
// as Translation says (nil: term's own count).
func translatedCount(ts []string, term string, tr *Translation) float64 {
	tf := float64(countOf(ts, term))
	if tr == nil || tr.Share <= 0 {
		return tf
	}
	var other, sum float64
	for _, r := range tr.Related(term) {
		if r.Term != term && r.Weight > 0 {
			other += r.Weight * float64(countOf(ts, r.Term))
			sum += r.Weight
		}
	}
	if sum == 0 {
		return tf
	}
	return (1-tr.Share)*tf + tr.Share*other/sum
}

func countOf(ts []string, term string) int {
	n := 0
	for _, t := range ts {
		if t == term {
			n++
		}
	}
	return n
}

// paperHolds reports whether the paper id of e's fake store holds word w in
// its title, abstract or authors' names.
func paperHolds(e *Engine, id paperboy.ArxivID, w string) bool {
	p := e.store.(*fakeStore).papers[id]
	text := p.Title + " " + p.Abstract
	for _, a := range p.Authors {
		text += " " + a.Name
	}
	return slices.Contains(terms(text, docText), analyze(w, docText)[0].term)
}
