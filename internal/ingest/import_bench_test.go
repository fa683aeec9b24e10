package ingest_test

import (
	"context"
	"path/filepath"
	"testing"

	"paperboy/internal/demo"
	"paperboy/internal/ingest"
	"paperboy/internal/store"
)

// BenchmarkImportSample imports the 2,631-record sample into a new SQLite
// file per iteration and reports papers/s.
func BenchmarkImportSample(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		im := &ingest.Importer{Store: st}
		if _, err := im.Import(ctx, demo.SampleName, demo.Sample()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(demo.SampleRecords*b.N)/b.Elapsed().Seconds(), "papers/s")
}
