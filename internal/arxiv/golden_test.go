package arxiv

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"paperboy"
)

var update = flag.Bool("update", false, "rewrite the testdata/golden files")

// result is everything a Reader produced for one input, in a stable form.
type result struct {
	Format          Format            `json:"format"`
	Papers          []*paperboy.Paper `json:"papers"`
	Skipped         []string          `json:"skipped,omitempty"`
	Fatal           string            `json:"fatal,omitempty"`
	ResumptionToken string            `json:"resumption_token,omitempty"`
	Datestamp       string            `json:"datestamp,omitempty"`
	OAIError        *OAIError         `json:"oai_error,omitempty"`
	TotalResults    *int              `json:"total_results,omitempty"`
}

// readAll drains r, skipping record errors, until io.EOF or a fatal error.
// It fails the test if the reader keeps going past maxSteps calls.
func readAll(t testing.TB, r Reader, maxSteps int) *result {
	t.Helper()
	res := &result{}
	for range maxSteps {
		p, err := r.Next()
		switch {
		case err == nil:
			res.Papers = append(res.Papers, p)
			continue
		case IsRecordError(err):
			res.Skipped = append(res.Skipped, err.Error())
			continue
		case err != io.EOF:
			res.Fatal = err.Error()
			if _, again := r.Next(); again == nil || again.Error() != err.Error() {
				t.Errorf("Next after fatal error %v: got %v, want the same error again", err, again)
			}
		}
		res.extras(r)
		return res
	}
	t.Fatalf("reader did not stop after %d calls to Next", maxSteps)
	return nil
}

func (res *result) extras(r Reader) {
	switch r := r.(type) {
	case *OAIReader:
		res.ResumptionToken, res.Datestamp, res.OAIError = r.ResumptionToken(), r.Datestamp(), r.OAIError()
	case *AtomReader:
		n := r.TotalResults()
		res.TotalResults = &n
	}
}

// parseFile runs NewReader on a testdata file.
func parseFile(t testing.TB, name string) *result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	r, format, err := NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("NewReader(%s): %v", name, err)
	}
	res := readAll(t, r, len(data)+2)
	res.Format = format
	return res
}

var goldenFixtures = []struct {
	file    string
	format  Format
	papers  int
	skipped int
	fatal   bool
}{
	{"kaggle_sample50.jsonl", FormatKaggle, 50, 0, false},
	{"kaggle_broken.jsonl", FormatKaggle, 2, 6, false},
	{"oai_listrecords_arxivraw.xml", FormatOAI, 1000, 0, false},
	{"oai_getrecord_arxiv.xml", FormatOAI, 1, 0, false},
	{"oai_listrecords_arxiv.xml", FormatOAI, 2, 0, false},
	{"oai_listrecords_oai_dc.xml", FormatOAI, 2, 1, false},
	{"oai_listidentifiers.xml", FormatOAI, 0, 0, false},
	{"oai_error_badresumptiontoken.xml", FormatOAI, 0, 0, true},
	{"oai_error_norecordsmatch.xml", FormatOAI, 0, 0, false},
	{"oai_broken_records.xml", FormatOAI, 2, 4, false},
	{"oai_broken_tag.xml", FormatOAI, 1, 1, false},
	{"oai_broken_truncated.xml", FormatOAI, 2, 0, true},
	{"atom_query.xml", FormatAtom, 10, 0, false},
	{"atom_query_doc.xml", FormatAtom, 1, 0, false},
	{"atom_query_doc_long.xml", FormatAtom, 10, 0, false},
	{"atom_query_empty.xml", FormatAtom, 0, 0, false},
	{"atom_query_missing_id.xml", FormatAtom, 1, 0, false},
	{"atom_broken_entries.xml", FormatAtom, 1, 2, false},
	{"atom_broken_truncated.xml", FormatAtom, 0, 0, true},
	{"atom_error.xml", FormatAtom, 0, 0, true},
}

// TestGolden parses every fixture, checks the counts, and compares the whole
// output with testdata/golden/<file>.golden.json (-update rewrites them).
func TestGolden(t *testing.T) {
	for _, tc := range goldenFixtures {
		t.Run(tc.file, func(t *testing.T) {
			res := parseFile(t, tc.file)
			if res.Format != tc.format {
				t.Errorf("format: got %q, want %q", res.Format, tc.format)
			}
			if len(res.Papers) != tc.papers || len(res.Skipped) != tc.skipped || (res.Fatal != "") != tc.fatal {
				t.Errorf("got %d papers, %d skipped, fatal %q; want %d, %d, fatal %v",
					len(res.Papers), len(res.Skipped), res.Fatal, tc.papers, tc.skipped, tc.fatal)
			}
			for _, p := range res.Papers {
				checkPaper(t, p)
			}
			compareGolden(t, tc.file, res)
		})
	}
}

// checkPaper asserts what every parsed paper must satisfy.
func checkPaper(t testing.TB, p *paperboy.Paper) {
	t.Helper()
	if err := p.Validate(); err != nil {
		t.Errorf("%s: %v", p.ID, err)
	}
	for _, tm := range append([]paperboy.Version{{Date: p.Submitted}, {Date: p.Updated}}, p.Versions...) {
		if tm.Date.Location() != time.UTC || tm.Date.Nanosecond() != 0 {
			t.Errorf("%s: time %v is not UTC to the second", p.ID, tm.Date)
		}
	}
	if p.Updated.Before(p.Submitted) {
		t.Errorf("%s: updated %v before submitted %v", p.ID, p.Updated, p.Submitted)
	}
	if p.Title != strings.Join(strings.Fields(p.Title), " ") {
		t.Errorf("%s: title %q has uncollapsed white space", p.ID, p.Title)
	}
}

func compareGolden(t *testing.T, file string, res *result) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	path := filepath.Join("testdata", "golden", file+".golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s missing: run go test -update", path)
	} else if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update and review the diff):\n%s", path, firstDiff(got, want))
	}
}

// firstDiff shows the first differing line of two renderings.
func firstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + g[i] + "\nwant: " + w[i]
		}
	}
	return "lengths differ: got " + strconv.Itoa(len(g)) + " lines, want " + strconv.Itoa(len(w))
}
