package search

import (
	"context"
	"testing"

	"paperboy"
)

// TestTermMemo checks that a plan looks each term up once in a view, and
// again in a view with other segments, where its counts have changed.
func TestTermMemo(t *testing.T) {
	ctx := context.Background()
	e, s := newSynced(t, paper("2401.00001", "Graph networks", "We study graph networks.", "Ada Lovelace", "cs.LG", "2024-01-02"))
	q, err := ParseQuery("graph networks")
	if err != nil {
		t.Fatal(err)
	}
	p := compile(q, e.params)
	term := p.scoreTerms[0]
	v1 := e.cur.Load()
	if got := v1.df(p, term); got != 1 {
		t.Fatalf("df(%q) = %d, want 1", term, got)
	}
	if p.memo.v != v1 || len(p.memo.at) != 1 {
		t.Fatalf("memo holds view %p and %d terms, want %p and 1", p.memo.v, len(p.memo.at), v1)
	}
	more := paper("2401.00002", "Graph theory", "Graphs of graphs.", "Alan Turing", "math.CO", "2024-01-03")
	if _, err := s.UpsertPapers(ctx, []*paperboy.Paper{more}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	v2 := e.cur.Load()
	if got, want := v2.df(p, term), v2.df(nil, term); got != 2 || want != 2 {
		t.Fatalf("after a sync, df(%q) = %d memoized and %d looked up, want 2", term, got, want)
	}
}
