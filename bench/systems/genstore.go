package systems

import (
	"context"
	"time"

	"paperboy"
	"paperboy/bench/corpus"
)

// genStore is the paperboy.PaperStore the engine builds from in the
// benchmark: a read-only view of the generated corpus that makes each paper
// when the engine asks for it, instead of holding 2.5 million papers in
// SQLite or in memory. Changes returns papers 1..n as sequence numbers
// 1..n; Papers returns papers carrying only their ID, since the engine only
// pairs results with them and the other systems return IDs alone too. It
// times the generation so that it can be left out of the build rate.
type genStore struct {
	g          *corpus.Generator
	generating time.Duration
}

var _ paperboy.PaperStore = (*genStore)(nil)

func (s *genStore) Changes(_ context.Context, after int64, limit int) ([]paperboy.Change, error) {
	if limit <= 0 {
		limit = s.g.Len()
	}
	began := time.Now()
	var out []paperboy.Change
	for i := int(after); i < s.g.Len() && len(out) < limit; i++ {
		p := s.g.Paper(i)
		p.Seq = int64(i + 1)
		out = append(out, paperboy.Change{Seq: p.Seq, ID: p.ID, Paper: p})
	}
	s.generating += time.Since(began)
	return out, nil
}

func (s *genStore) Papers(_ context.Context, f paperboy.PaperFilter) ([]*paperboy.Paper, int, error) {
	out := make([]*paperboy.Paper, len(f.IDs))
	for i, id := range f.IDs {
		out[i] = &paperboy.Paper{ID: id}
	}
	return out, len(out), nil
}

func (s *genStore) LastSeq(context.Context) (int64, error)   { return int64(s.g.Len()), nil }
func (s *genStore) CountPapers(context.Context) (int, error) { return s.g.Len(), nil }

func (s *genStore) Paper(_ context.Context, id paperboy.ArxivID) (*paperboy.Paper, error) {
	return nil, paperboy.Errorf(paperboy.ENOTFOUND, "Paper %s not loaded in the benchmark.", id)
}

func (s *genStore) UpsertPapers(context.Context, []*paperboy.Paper) ([]paperboy.MergeOutcome, error) {
	return nil, paperboy.Errorf(paperboy.EINVALID, "The benchmark store is read-only.")
}

func (s *genStore) DeletePaper(context.Context, paperboy.ArxivID) error {
	return paperboy.Errorf(paperboy.EINVALID, "The benchmark store is read-only.")
}

func (s *genStore) Days(context.Context, time.Time) (paperboy.DayNeighbours, error) {
	return paperboy.DayNeighbours{}, nil
}

func (s *genStore) Close() error { return nil }
