package search

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"paperboy"
)

// fakeStore is an in-memory paperboy.PaperStore with a change sequence, for
// testing the engine without a database.
type fakeStore struct {
	mu          sync.Mutex
	seq         int64
	papers      map[paperboy.ArxivID]*paperboy.Paper
	changes     map[paperboy.ArxivID]int64 // latest change of each paper, deleted ones too
	papersCalls int
}

func newFakeStore(papers ...*paperboy.Paper) *fakeStore {
	s := &fakeStore{papers: map[paperboy.ArxivID]*paperboy.Paper{}, changes: map[paperboy.ArxivID]int64{}}
	if _, err := s.UpsertPapers(context.Background(), papers); err != nil {
		panic(err)
	}
	return s
}

func (s *fakeStore) UpsertPapers(_ context.Context, papers []*paperboy.Paper) ([]paperboy.MergeOutcome, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]paperboy.MergeOutcome, len(papers))
	for i, p := range papers {
		if err := p.Validate(); err != nil {
			return nil, err
		}
		merged, o := paperboy.MergePaper(s.papers[p.ID], p)
		out[i] = o
		if o != paperboy.Unchanged {
			s.seq++
			cp := *merged
			cp.Seq = s.seq
			s.papers[p.ID] = &cp
			s.changes[p.ID] = s.seq
		}
	}
	return out, nil
}

func (s *fakeStore) Paper(_ context.Context, id paperboy.ArxivID) (*paperboy.Paper, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.papers[id]; p != nil {
		return p, nil
	}
	return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s not found.", id)
}

func (s *fakeStore) Papers(_ context.Context, f paperboy.PaperFilter) ([]*paperboy.Paper, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.papersCalls++
	var out []*paperboy.Paper
	if f.IDs != nil {
		for _, id := range f.IDs {
			if p := s.papers[id]; p != nil {
				out = append(out, p)
			}
		}
	} else {
		for _, p := range s.papers {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *paperboy.Paper) int { return b.Submitted.Compare(a.Submitted) })
	return out, len(out), nil
}

func (s *fakeStore) DeletePaper(_ context.Context, id paperboy.ArxivID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.papers[id] == nil {
		return paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s not found.", id)
	}
	delete(s.papers, id)
	s.seq++
	s.changes[id] = s.seq
	return nil
}

func (s *fakeStore) Changes(_ context.Context, after int64, limit int) ([]paperboy.Change, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []paperboy.Change
	for id, seq := range s.changes {
		if seq > after {
			out = append(out, paperboy.Change{Seq: seq, ID: id, Paper: s.papers[id]})
		}
	}
	slices.SortFunc(out, func(a, b paperboy.Change) int { return cmp.Compare(a.Seq, b.Seq) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (s *fakeStore) LastSeq(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seq, nil
}

func (s *fakeStore) Days(context.Context, time.Time) (paperboy.DayNeighbours, error) {
	return paperboy.DayNeighbours{}, nil
}

func (s *fakeStore) CountPapers(context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.papers), nil
}

func (s *fakeStore) Close() error { return nil }

func (s *fakeStore) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.papersCalls
}

// paper builds a test paper; authors are comma-separated, categories
// space-separated, submitted is YYYY-MM-DD.
func paper(id, title, abstract, authors, cats, submitted string) *paperboy.Paper {
	p := &paperboy.Paper{ID: paperboy.MustParseArxivID(id), Version: 1, Title: title, Abstract: abstract}
	for _, a := range splitNonEmpty(authors, ",") {
		p.Authors = append(p.Authors, paperboy.Author{Name: a})
	}
	p.Categories = splitNonEmpty(cats, " ")
	p.Submitted, _ = time.Parse(time.DateOnly, submitted)
	p.Updated = p.Submitted
	return p
}

func splitNonEmpty(s, sep string) []string {
	var out []string
	for _, f := range strings.Split(s, sep) {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// newSynced returns an engine over a fake store holding papers, synced.
func newSynced(t testing.TB, papers ...*paperboy.Paper) (*Engine, *fakeStore) {
	t.Helper()
	s := newFakeStore(papers...)
	e := New(s, nil)
	if _, err := e.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e, s
}
