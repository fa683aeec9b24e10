package arxiv

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkOAIArXivRaw parses the captured 1,000-record arXivRaw page.
func BenchmarkOAIArXivRaw(b *testing.B) {
	data := readFixture(b, "oai_listrecords_arxivraw.xml")
	b.SetBytes(int64(len(data)))
	records := 0
	for b.Loop() {
		r := NewOAIReader(bytes.NewReader(data))
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			records++
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkKaggle parses the 50-line Kaggle sample.
func BenchmarkKaggle(b *testing.B) {
	data := readFixture(b, "kaggle_sample50.jsonl")
	b.SetBytes(int64(len(data)))
	records := 0
	for b.Loop() {
		r := NewKaggleReader(bytes.NewReader(data))
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			records++
		}
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}
