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
	e, papers, want := likelihoodCorpus(t, nil)
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
		got, err := pq.Likelihoods(ctx, ids, nil)
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
	got, _ := pq.Likelihoods(ctx, ids[1:4], nil)
	if !(got[0] > got[1] && got[0] > got[2]) {
		t.Errorf("likelihoods %v: the paper with every word is not the likeliest", got)
	}
	// A filter leaves out the papers it excludes.
	pq, _ = e.Prepare("kinase repair cat:q-bio.MN", RankOptions{AnyWord: true})
	got, _ = pq.Likelihoods(ctx, ids[1:4], nil)
	if !math.IsInf(got[0], -1) || !math.IsInf(got[1], -1) || math.IsInf(got[2], 0) {
		t.Errorf("with cat:q-bio.MN, likelihoods %v; want -Inf but for the third", got)
	}
	// A query of filters alone ranks nothing, so no paper has a likelihood.
	pq, _ = e.Prepare("cat:q-bio.MN", RankOptions{AnyWord: true})
	got, _ = pq.Likelihoods(ctx, ids[1:4], nil)
	for _, x := range got {
		if !math.IsInf(x, -1) {
			t.Errorf("for a query of filters alone, likelihoods %v; want -Inf", got)
			break
		}
	}
}

// likelihoodCorpus indexes a small corpus and returns its papers and the
// likelihood of a paper's words computed here, with tr as Likelihoods
// takes it (nil: none).
func likelihoodCorpus(t *testing.T, tr *Translation) (*Engine, []*paperboy.Paper, func(p *paperboy.Paper, query []string) float64) {
	t.Helper()
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
	if _, err := e.Sync(context.Background()); err != nil {
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
	return e, papers, func(p *paperboy.Paper, query []string) float64 {
		ts := paperWords(p)
		ll := 0.0
		for _, q := range query {
			mp := prm.Dirichlet * float64(df[q]+1) / (words + 1)
			ll += math.Log((translatedCount(ts, q, tr) + mp) / (float64(len(ts)) + prm.Dirichlet))
		}
		return ll
	}
}

// TestTranslatedLikelihoods checks Likelihoods with a Translation: a
// word's count is part its own, part its related words' by their weights.
func TestTranslatedLikelihoods(t *testing.T) {
	ctx := context.Background()
	related := map[string][]Related{
		// Weights need not sum to 1; the word itself is no relation of its
		// own, and a word the index lacks counts 0.
		"repair": {{"kinas", 2}, {"pathway", 1}, {"repair", 5}, {"zzqxunseen", 1}},
		"strand": {{"kinas", 1}},
		"break":  {{"zero", 0}},
	}
	tr := &Translation{Share: 0.4, Related: func(term string) []Related { return related[term] }}
	e, papers, want := likelihoodCorpus(t, tr)
	var ids []paperboy.ArxivID
	for _, p := range papers {
		ids = append(ids, p.ID)
	}
	query := []string{"doubl", "strand", "break", "repair"}
	pq, err := e.Prepare("double-strand breaks repair", RankOptions{AnyWord: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := pq.Likelihoods(ctx, ids, tr)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := pq.Likelihoods(ctx, ids, nil)
	for i, p := range papers {
		if w := want(p, query); !near(got[i], w) {
			t.Errorf("likelihood of %s = %v, want %v", p.ID, got[i], w)
		}
	}
	// The kinase paper lacks "strand" but holds "kinase" twice, which
	// stands in part for it, and for "repair" with "pathway": it gains. The
	// membrane paper holds none of the words nor their relations: a share
	// of each word's count went to words it lacks too, so it stays.
	if !(got[2] > plain[2]) {
		t.Errorf("kinase paper: %v translated, %v plain; want a gain", got[2], plain[2])
	}
	if !near(got[3], plain[3]) {
		t.Errorf("membrane paper: %v translated, %v plain; want the same", got[3], plain[3])
	}
	// Share 0 and a translation without related words are plain.
	for _, o := range []*Translation{{Share: 0, Related: tr.Related}, {Share: 0.5, Related: func(string) []Related { return nil }}} {
		got, _ := pq.Likelihoods(ctx, ids, o)
		for i := range got {
			if !near(got[i], plain[i]) {
				t.Errorf("%+v: likelihood of %s = %v, want plain %v", o, ids[i], got[i], plain[i])
			}
		}
	}
}
