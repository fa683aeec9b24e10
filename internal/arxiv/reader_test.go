package arxiv

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paperboy"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// find returns the paper with the given id.
func find(t *testing.T, papers []*paperboy.Paper, id string) *paperboy.Paper {
	t.Helper()
	for _, p := range papers {
		if string(p.ID) == id {
			return p
		}
	}
	t.Fatalf("paper %s not found", id)
	return nil
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestNewReaderSniffs(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(readFixture(t, "kaggle_sample50.jsonl"))
	zw.Close()
	bom := append([]byte("\xEF\xBB\xBF\n  "), readFixture(t, "atom_query_doc.xml")...)
	tests := []struct {
		name  string
		in    []byte
		want  Format
		first string
	}{
		{"gzip kaggle", gz.Bytes(), FormatKaggle, "0704.0001"},
		{"bom atom", bom, FormatAtom, "2206.06921"},
		{"oai", readFixture(t, "oai_getrecord_arxiv.xml"), FormatOAI, "1412.8544"},
	}
	for _, tt := range tests {
		r, f, err := NewReader(bytes.NewReader(tt.in))
		if err != nil || f != tt.want {
			t.Fatalf("%s: NewReader: got %q, %v; want %q", tt.name, f, err, tt.want)
		}
		p, err := r.Next()
		if err != nil || string(p.ID) != tt.first {
			t.Errorf("%s: first paper: got %v, %v; want %s", tt.name, p, err, tt.first)
		}
	}
}

func TestNewReaderRejects(t *testing.T) {
	for name, in := range map[string]string{
		"empty":   "",
		"blank":   " \n\t ",
		"csv":     string(readFixture(t, "kaggle_notjson.txt")),
		"html":    "<html><body>Retry after 10 seconds</body></html>",
		"503":     "Retry after 10 seconds",
		"rss":     `<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`,
		"bad gz":  "\x1f\x8bnot really gzip",
		"unknown": `<?xml version="1.0"?><OAI-PMX/>`,
	} {
		if _, f, err := NewReader(strings.NewReader(in)); err == nil {
			t.Errorf("%s: NewReader accepted it as %q", name, f)
		}
	}
}

// TestWrongFormatIsFatal feeds each parser another format's input: the
// first Next must be a fatal error, not a record error.
func TestWrongFormatIsFatal(t *testing.T) {
	kaggle := readFixture(t, "kaggle_sample50.jsonl")
	atom := readFixture(t, "atom_query_doc.xml")
	for name, r := range map[string]Reader{
		"kaggle reads csv":  NewKaggleReader(bytes.NewReader(readFixture(t, "kaggle_notjson.txt"))),
		"oai reads atom":    NewOAIReader(bytes.NewReader(atom)),
		"atom reads oai":    NewAtomReader(bytes.NewReader(readFixture(t, "oai_getrecord_arxiv.xml"))),
		"oai reads json":    NewOAIReader(bytes.NewReader(kaggle)),
		"atom reads empty":  NewAtomReader(strings.NewReader("")),
		"kaggle reads atom": NewKaggleReader(bytes.NewReader(atom)),
		"kaggle reads bom":  NewKaggleReader(strings.NewReader("\xEF\xBB\xBF\n")),
	} {
		_, err := r.Next()
		if err == nil || err == io.EOF || IsRecordError(err) {
			t.Errorf("%s: got %v, want a fatal error", name, err)
		}
	}
	if _, err := NewKaggleReader(strings.NewReader("")).Next(); err != io.EOF {
		t.Errorf("empty Kaggle input: got %v, want io.EOF", err)
	}
}

func TestRecordErrorMessage(t *testing.T) {
	e := &RecordError{Record: 12, Line: 345, ID: "2401.01234", Err: errMissing("title")}
	if got, want := e.Error(), "record 12 (line 345, id 2401.01234): missing title"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	res := parseFile(t, "kaggle_broken.jsonl")
	if !strings.HasPrefix(res.Skipped[4], "record 6 (line 8, id 0704.0008): ") {
		t.Errorf("got %q, want record 6 at line 8 (blank lines count)", res.Skipped[4])
	}
	var re *RecordError
	_, err := NewKaggleReader(strings.NewReader(`{"id":"0704.00077","title":"x"}`)).Next()
	if !errors.As(err, &re) || paperboy.ErrorCode(re.Err) != paperboy.EINVALID {
		t.Errorf("invalid id: got %v, want a RecordError wrapping EINVALID", err)
	}
}

func TestKaggleLongLine(t *testing.T) {
	abstract := strings.Repeat("word ", 300_000) // 1.5 MB, far past bufio.Scanner's 64K
	in := `{"id":"0704.0001","title":"T","abstract":"` + abstract + `"}` + "\n" + `{"id":"0704.0002","title":"U"}`
	res := readAll(t, NewKaggleReader(strings.NewReader(in)), 10)
	if len(res.Papers) != 2 || len(res.Papers[0].Abstract) != len(abstract)-1 {
		t.Fatalf("got %d papers, skipped %v", len(res.Papers), res.Skipped)
	}
}
