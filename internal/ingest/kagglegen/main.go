// Command kagglegen writes a synthetic arXiv snapshot in the Kaggle
// arxiv-metadata-oai-snapshot format (JSON lines), as large as asked, for
// measuring `paperboy import` on a file the size of the real one (about 2.7
// million records, several GB) without shipping it. Each line is a line of
// the real sample, byte for byte, with a fresh new-style ID, so record sizes,
// fields and text are arXiv's own.
//
//	go run ./internal/ingest/kagglegen -records 2700000 -o /tmp/snapshot.jsonl
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"

	"paperboy/internal/demo"
)

var idField = regexp.MustCompile(`^\{"id": "[^"]*"`)

func main() {
	records := flag.Int("records", 2_700_000, "records to write")
	out := flag.String("o", "-", "output file, - for stdout; a .gz name is gzipped")
	flag.Parse()
	if err := run(*records, *out); err != nil {
		fmt.Fprintln(os.Stderr, "kagglegen:", err)
		os.Exit(1)
	}
}

func run(records int, out string) error {
	lines, err := sampleLines()
	if err != nil {
		return err
	}
	var w io.Writer = os.Stdout
	if out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
		if len(out) > 3 && out[len(out)-3:] == ".gz" {
			zw := gzip.NewWriter(f)
			defer zw.Close()
			w = zw
		}
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	for i := range records {
		line := lines[i%len(lines)]
		fmt.Fprintf(bw, `{"id": "%s"`, syntheticID(i))
		bw.Write(line[idField.FindIndex(line)[1]:])
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// syntheticID is a distinct new-style ID for each i below 100 years of
// 99,999 papers a month.
func syntheticID(i int) string {
	month := i / 99999
	return fmt.Sprintf("%02d%02d.%05d", 30+month/12, 1+month%12, 1+i%99999)
}

// sampleLines are the records of the bundled real sample (gzipped).
func sampleLines() ([][]byte, error) {
	zr, err := gzip.NewReader(demo.Sample())
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	var lines [][]byte
	for _, l := range bytes.Split(data, []byte("\n")) {
		if idField.Match(l) {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("no records in the demo sample")
	}
	return lines, nil
}
