package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"paperboy"
	"paperboy/internal/store/storetest"
)

// BenchmarkUpsert inserts new papers in batches of 1,000 and reports
// papers/s. The target is 20,000 papers/s on two cores.
func BenchmarkUpsert(b *testing.B) {
	benchmarkUpsert(b, false)
}

// BenchmarkUpsertUnchanged re-sends stored papers, the common case of a
// harvest that overlaps the last one.
func BenchmarkUpsertUnchanged(b *testing.B) {
	benchmarkUpsert(b, true)
}

// BenchmarkUpsertUpdated re-sends stored papers with newer metadata of the
// same version (a DOI added), so every paper is rewritten.
func BenchmarkUpsertUpdated(b *testing.B) {
	s := openBench(b)
	ctx := context.Background()
	batch := make([]*paperboy.Paper, 1000)
	for i := range batch {
		batch[i] = storetest.NewPaper(i)
	}
	if _, err := s.UpsertPapers(ctx, batch); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, p := range batch {
			p.Updated = p.Updated.Add(1e9) // same version, newer metadata
			p.DOI = "10.1000/x"
		}
		if _, err := s.UpsertPapers(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(batch))/b.Elapsed().Seconds(), "papers/s")
}

func benchmarkUpsert(b *testing.B, unchanged bool) {
	s := openBench(b)
	ctx := context.Background()
	const size = 1000
	next := 0
	for b.Loop() {
		if unchanged {
			next = 0
		}
		batch := make([]*paperboy.Paper, size)
		for i := range batch {
			batch[i] = storetest.NewPaper(next)
			next++
		}
		if _, err := s.UpsertPapers(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "papers/s")
}

func openBench(b *testing.B) *Store {
	b.Helper()
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}
