package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"paperboy"
)

// TestFiltersSkipByDateAndCategory checks date and category filters against
// the unfiltered ranking filtered afterwards, over a corpus indexed in date
// order (as a bulk import leaves it), where a date filter skips whole
// segments and all but a range of others, and the AND search jumps to the
// next document the filters allow; and pruned search against exhaustive.
func TestFiltersSkipByDateAndCategory(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 7))
	papers, vocab := randomCorpus(rng, 900)
	day := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, p := range papers { // in ID order, one day apart, with some on the same day
		p.Submitted = day.AddDate(0, 0, i*2/3)
		p.Updated = p.Submitted
	}
	byID := map[paperboy.ArxivID]*paperboy.Paper{}
	for _, p := range papers {
		byID[p.ID] = p
	}
	e := New(newFakeStore(papers...), nil)
	e.batch = 128
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	v := e.cur.Load()
	skipped, narrowed, checked := 0, 0, 0
	for range 300 {
		words := []string{vocab[rng.IntN(len(vocab))]}
		if rng.IntN(2) == 0 {
			words = append(words, vocab[rng.IntN(len(vocab))])
		}
		from := day.AddDate(0, 0, rng.IntN(600))
		to := from.AddDate(0, 0, 1+rng.IntN(200))
		filter := fmt.Sprintf("after:%s before:%s", from.Format(time.DateOnly), to.Format(time.DateOnly)) // before: is exclusive
		cat := ""
		if rng.IntN(3) == 0 {
			cat = []string{"cs", "cs.CL", "hep-th"}[rng.IntN(3)]
			filter += " cat:" + cat
		}
		plain := compile(mustParse(t, strings.Join(words, " ")), e.params)
		p := compile(mustParse(t, strings.Join(words, " ")+" "+filter), e.params)
		for _, sv := range v.segs {
			switch f := filterFor(sv, p, nil, true); {
			case f.none:
				skipped++
			case f.lo > 0 || f.hi < uint32(sv.seg.n):
				narrowed++
			}
		}
		all, _, _ := v.runWith(plain, e.params, len(papers), true)
		var want []paperboy.ArxivID
		for _, h := range all {
			pp := byID[h.id]
			if pp.Submitted.Before(from) || !pp.Submitted.Before(to) {
				continue
			}
			if cat != "" && !slices.ContainsFunc(pp.Categories, func(c string) bool { return categoryMatches(c, cat) }) {
				continue
			}
			want = append(want, h.id)
		}
		got, _, _ := v.runWith(p, e.params, len(papers), true)
		var gotIDs []paperboy.ArxivID
		for _, h := range got {
			gotIDs = append(gotIDs, h.id)
		}
		slices.Sort(gotIDs) // the same papers: the order differs by the unfiltered query's pinned exact title
		slices.Sort(want)
		if !slices.Equal(gotIDs, want) {
			t.Fatalf("%q: filtered search gives %d, the unfiltered ranking filtered %d; only in filtered: %v; only in unfiltered: %v", strings.Join(words, " ")+" "+filter, len(gotIDs), len(want), subtractIDs(gotIDs, want), subtractIDs(want, gotIDs))
		}
		for _, k := range []int{1, 3, 10} {
			pruned, _, _ := v.runWith(p, e.params, k, false)
			exact, _, _ := v.runWith(p, e.params, k, true)
			if msg := sameHits(pruned, exact); msg != "" {
				t.Fatalf("%q, top %d: pruned differs from exhaustive: %s", filter, k, msg)
			}
		}
		checked++
	}
	if skipped == 0 || narrowed == 0 {
		t.Errorf("date filters skipped %d segments and narrowed %d; the test needs both", skipped, narrowed)
	}
	t.Logf("%d queries; date filters skipped %d segments and narrowed %d", checked, skipped, narrowed)
}

func mustParse(t *testing.T, s string) *Query {
	t.Helper()
	q, err := ParseQuery(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func subtractIDs(a, b []paperboy.ArxivID) []paperboy.ArxivID {
	var out []paperboy.ArxivID
	for _, x := range a {
		if !slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
