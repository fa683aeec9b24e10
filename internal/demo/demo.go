// Package demo ships the demo data set inside the binary: 2,631 real arXiv
// records (CC0) in the Kaggle snapshot format, gzipped. `serve --demo`
// imports it into an empty database so a newcomer sees a populated site with
// no network; tests use it as the full real sample. See PROVENANCE.md.
package demo

import (
	"bytes"
	_ "embed"
	"io"
)

//go:embed arxiv-sample.jsonl.gz
var sample []byte

// SampleName is the name under which the sample is reported in import
// progress and errors.
const SampleName = "demo:arxiv-sample.jsonl.gz"

// SampleRecords is the number of records in the sample.
const SampleRecords = 2631

// Sample returns the gzipped sample. The importer detects and unzips it.
func Sample() io.Reader { return bytes.NewReader(sample) }

// SampleSize is the compressed size of the sample in bytes.
func SampleSize() int64 { return int64(len(sample)) }
