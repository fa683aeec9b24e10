package corpus

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"paperboy"
	"paperboy/internal/arxiv"
	"paperboy/internal/demo"
)

// DefaultSciFact is where the SciFact corpus lives in the repository, as
// seen from bench/ (the eval work keeps it there; bench reads it rather than
// keeping a second copy).
const DefaultSciFact = "../testdata/beir/scifact/corpus.jsonl.gz"

// Text is one document of a corpus the model learns from.
type Text struct{ Title, Body string }

// SamplePapers reads the bundled sample of real arXiv records.
func SamplePapers() ([]*paperboy.Paper, error) {
	r, _, err := arxiv.NewReader(demo.Sample())
	if err != nil {
		return nil, fmt.Errorf("read sample: %w", err)
	}
	var papers []*paperboy.Paper
	for {
		p, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if arxiv.IsRecordError(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read sample: %w", err)
		}
		papers = append(papers, p)
	}
	slices.SortFunc(papers, func(a, b *paperboy.Paper) int { return compareStrings(string(a.ID), string(b.ID)) })
	return papers, nil
}

// ReadBEIR reads a BEIR corpus.jsonl, plain or gzipped.
func ReadBEIR(path string) ([]Text, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<16)
	var r io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		r = zr
	}
	dec := json.NewDecoder(r)
	var out []Text
	for {
		var doc struct {
			Title string `json:"title"`
			Text  string `json:"text"`
		}
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", path, len(out)+1, err)
		}
		out = append(out, Text{doc.Title, doc.Text})
	}
}

// LoadModel learns the model from the bundled arXiv sample and the BEIR
// corpus at scifactPath.
func LoadModel(scifactPath string) (*Model, error) {
	papers, err := SamplePapers()
	if err != nil {
		return nil, err
	}
	scifact, err := ReadBEIR(scifactPath)
	if err != nil {
		return nil, fmt.Errorf("read SciFact corpus: %w", err)
	}
	return Learn(papers, scifact), nil
}

// SampleModel learns a model from the bundled arXiv sample alone: quicker,
// and all that tests need.
func SampleModel() (*Model, error) {
	papers, err := SamplePapers()
	if err != nil {
		return nil, err
	}
	return Learn(papers, nil), nil
}
