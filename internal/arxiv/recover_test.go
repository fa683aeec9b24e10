package arxiv

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// breakUnits corrupts, in a copy of doc, the units (elements named unit)
// whose 1-based positions are given, with the edit break applies to the
// unit's text. It returns the copy and the line each broken unit starts on.
func breakUnits(t *testing.T, doc []byte, unit string, brk func(string) string, positions ...int) ([]byte, map[int]int) {
	t.Helper()
	parts := bytes.Split(doc, []byte("<"+unit+">"))
	lines := map[int]int{}
	for _, n := range positions {
		if n >= len(parts) {
			t.Fatalf("no %s %d in a document of %d", unit, n, len(parts)-1)
		}
		broken := brk(string(parts[n]))
		if broken == string(parts[n]) {
			t.Fatalf("%s %d: the edit changed nothing", unit, n)
		}
		parts[n] = []byte(broken)
	}
	out := bytes.Join(parts, []byte("<"+unit+">"))
	for _, n := range positions {
		before := bytes.Join(parts[:n], []byte("<"+unit+">"))
		lines[n] = bytes.Count(before, []byte("\n")) + 1
	}
	return out, lines
}

// TestOAIMalformedRecordsAreSkipped breaks three records of the real
// 1,000-record arXivRaw page (a mismatched end tag, an undefined entity,
// invalid UTF-8, the last one just before the resumptionToken): each is a
// RecordError naming its record and line, and every other record reads
// exactly as from the intact page.
func TestOAIMalformedRecordsAreSkipped(t *testing.T) {
	page := readFixture(t, "oai_listrecords_arxivraw.xml")
	want := readAll(t, NewOAIReader(bytes.NewReader(page)), 2000)
	edits := map[int]func(string) string{
		10:   func(s string) string { return strings.Replace(s, "</title>", "</titel>", 1) },
		500:  func(s string) string { return strings.Replace(s, "<abstract>", "<abstract>&nbsp;", 1) },
		1000: func(s string) string { return strings.Replace(s, "<comments>", "<comments>\xff\xfe", 1) },
	}
	broken, lines := page, map[int]int{}
	for n, edit := range edits {
		var l map[int]int
		broken, l = breakUnits(t, broken, "record", edit, n)
		lines[n] = l[n]
	}
	got := readAll(t, NewOAIReader(bytes.NewReader(broken)), 2000)
	if got.Fatal != "" {
		t.Fatalf("fatal error %q, want the broken records skipped", got.Fatal)
	}
	if len(got.Papers) != len(want.Papers)-3 || len(got.Skipped) != 3 {
		t.Fatalf("got %d papers and %d skipped, want %d and 3", len(got.Papers), len(got.Skipped), len(want.Papers)-3)
	}
	for i, n := range []int{10, 500, 1000} {
		prefix := fmt.Sprintf("record %d (line %d): malformed XML: ", n, lines[n])
		if !strings.HasPrefix(got.Skipped[i], prefix) {
			t.Errorf("skipped[%d] = %q, want it to start %q", i, got.Skipped[i], prefix)
		}
	}
	if got.ResumptionToken != want.ResumptionToken {
		t.Errorf("resumption token %q, want %q", got.ResumptionToken, want.ResumptionToken)
	}
	kept := append(append(append(want.Papers[:9:9], want.Papers[10:499]...), want.Papers[500:999]...), want.Papers[1000:]...)
	for i, p := range got.Papers {
		if fmt.Sprint(*p) != fmt.Sprint(*kept[i]) {
			t.Fatalf("paper %d differs from the intact page's:\n got %+v\nwant %+v", i, *p, *kept[i])
		}
	}
}

// TestAtomMalformedEntryIsSkipped breaks the second entry of a real API
// feed: the entries after it still resolve the feed's namespaces (arxiv:
// primary_category, arxiv:doi) as in the intact feed.
func TestAtomMalformedEntryIsSkipped(t *testing.T) {
	feed := readFixture(t, "atom_query.xml")
	want := readAll(t, NewAtomReader(bytes.NewReader(feed)), 100)
	broken, lines := breakUnits(t, feed, "entry", func(s string) string {
		return strings.Replace(s, "<summary>", "<summary><b>", 1)
	}, 2)
	got := readAll(t, NewAtomReader(bytes.NewReader(broken)), 100)
	if got.Fatal != "" || len(got.Skipped) != 1 || len(got.Papers) != len(want.Papers)-1 {
		t.Fatalf("got %d papers, skipped %q, fatal %q; want %d papers and entry 2 skipped", len(got.Papers), got.Skipped, got.Fatal, len(want.Papers)-1)
	}
	if prefix := fmt.Sprintf("record 2 (line %d): malformed XML: ", lines[2]); !strings.HasPrefix(got.Skipped[0], prefix) {
		t.Errorf("skipped %q, want it to start %q", got.Skipped[0], prefix)
	}
	kept := append(want.Papers[:1:1], want.Papers[2:]...)
	for i, p := range got.Papers {
		if fmt.Sprint(*p) != fmt.Sprint(*kept[i]) {
			t.Errorf("paper %d differs from the intact feed's:\n got %+v\nwant %+v", i, *p, *kept[i])
		}
	}
}

// TestMalformedThenTruncatedIsFatal: a broken record in a response that
// then breaks off is still a truncated response.
func TestMalformedThenTruncatedIsFatal(t *testing.T) {
	page := readFixture(t, "oai_listrecords_arxivraw.xml")
	broken, _ := breakUnits(t, page, "record", func(s string) string { return strings.Replace(s, "</title>", "</titel>", 1) }, 3)
	for name, in := range map[string][]byte{
		"cut in a later record":    broken[:len(broken)/2],
		"cut in the broken record": broken[:bytes.Index(broken, []byte("</titel>"))+20],
	} {
		got := readAll(t, NewOAIReader(bytes.NewReader(in)), 2000)
		if got.Fatal == "" {
			t.Errorf("%s: no fatal error (%d papers, %d skipped)", name, len(got.Papers), len(got.Skipped))
		}
	}
}
