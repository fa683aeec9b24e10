package search

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"paperboy"
)

// paperWords returns the terms of a paper's title and abstract, each as
// often as it occurs.
func paperWords(p *paperboy.Paper) []string {
	var out []string
	for _, t := range slices.Concat(analyze(p.Title, docText), analyze(p.Abstract, docText)) {
		out = append(out, t.term)
	}
	return out
}

// TestLikelihoodTerms checks the words a query's likelihood counts: a
// compound's parts and not its joined form, no stopwords, no terms of one
// character, each term once.
func TestLikelihoodTerms(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want []string
	}{
		{[]string{"double-strand", "breaks"}, []string{"doubl", "strand", "break"}},
		{[]string{"state-of-the-art", "art"}, []string{"state", "art"}},
		{[]string{"1", "in", "5", "million", "UK"}, []string{"million", "uk"}},
		{[]string{"IL-6", "signaling", "signals"}, []string{"il", "signal"}},
		{[]string{"non-small-cell lung cancer"}, []string{"non", "small", "cell", "lung", "cancer"}},
	} {
		if got := likelihoodTerms(c.in); !slices.Equal(got, c.want) {
			t.Errorf("likelihoodTerms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestLikelihoods checks Prepared.Likelihoods against the Dirichlet-
// smoothed query likelihood computed here from the papers' words: the sum
// over the query's words of log((tf + mu·p)/(len + mu)), tf and len over
// title and abstract, p the word's document frequency plus one over the
// words of all titles and abstracts. Papers not in the index, or filtered
// out, and all papers for a query that ranks nothing, have -Inf.
func TestLikelihoods(t *testing.T) {
	ctx := context.Background()
	var papers []*paperboy.Paper
	add := func(title, abstract, cats string) {
		papers = append(papers, paper(fmt.Sprintf("2303.%05d", len(papers)+1), title, abstract, "Lee", cats, "2023-03-01"))
	}
	add("double strand breaks", "repair double strand breaks cells", "q-bio.BM")
	add("double helix", "strand pairing double helix", "q-bio.BM")
	add("kinase signaling", "kinase activity repair pathway breaks kinase", "q-bio.MN")
	add("membrane transport", "channels move ions membranes", "q-bio.BM")
	for i := range 6 {
		add("protein fold", fmt.Sprintf("folding energy landscape %d", i), "q-bio.BM")
	}
	prm := DefaultParams()
	prm.Dirichlet = 50
	e := New(newFakeStore(papers...), nil, WithParams(prm))
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var words float64
	df := map[string]int{}
	for _, p := range papers {
		ts := paperWords(p)
		words += float64(len(ts))
		for _, w := range slices.Compact(slices.Sorted(slices.Values(slices.Concat(ts, terms("Lee", docAuthors))))) {
			df[w]++
		}
	}
	want := func(p *paperboy.Paper, query []string) float64 {
		ts := paperWords(p)
		ll := 0.0
		for _, q := range query {
			mp := prm.Dirichlet * float64(df[q]+1) / (words + 1)
			ll += math.Log((float64(countOf(ts, q)) + mp) / (float64(len(ts)) + prm.Dirichlet))
		}
		return ll
	}
	ids := []paperboy.ArxivID{"9999.99999"}
	for _, p := range papers {
		ids = append(ids, p.ID)
	}
	for _, c := range []struct {
		text  string
		terms []string
	}{
		{"double-strand breaks repair", []string{"doubl", "strand", "break", "repair"}},
		{"kinase repair zzqxunseen", []string{"kinas", "repair", "zzqxunseen"}},
		{`"double strand" kinase`, []string{"doubl", "strand", "kinas"}},
	} {
		pq, err := e.Prepare(c.text, RankOptions{AnyWord: true})
		if err != nil {
			t.Fatal(err)
		}
		got, err := pq.Likelihoods(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if !math.IsInf(got[0], -1) {
			t.Errorf("%q: a paper not in the index has likelihood %v, want -Inf", c.text, got[0])
		}
		for i, p := range papers {
			if w := want(p, c.terms); !near(got[i+1], w) {
				t.Errorf("%q: likelihood of %s = %v, want %v", c.text, p.ID, got[i+1], w)
			}
		}
	}
	// The paper holding all the words is likelier than those holding some.
	pq, _ := e.Prepare("double-strand breaks repair", RankOptions{AnyWord: true})
	got, _ := pq.Likelihoods(ctx, ids[1:4])
	if !(got[0] > got[1] && got[0] > got[2]) {
		t.Errorf("likelihoods %v: the paper with every word is not the likeliest", got)
	}
	// A filter leaves out the papers it excludes.
	pq, _ = e.Prepare("kinase repair cat:q-bio.MN", RankOptions{AnyWord: true})
	got, _ = pq.Likelihoods(ctx, ids[1:4])
	if !math.IsInf(got[0], -1) || !math.IsInf(got[1], -1) || math.IsInf(got[2], 0) {
		t.Errorf("with cat:q-bio.MN, likelihoods %v; want -Inf but for the third", got)
	}
	// A query of filters alone ranks nothing, so no paper has a likelihood.
	pq, _ = e.Prepare("cat:q-bio.MN", RankOptions{AnyWord: true})
	got, _ = pq.Likelihoods(ctx, ids[1:4])
	for _, x := range got {
		if !math.IsInf(x, -1) {
			t.Errorf("for a query of filters alone, likelihoods %v; want -Inf", got)
			break
		}
	}
}
