package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"paperboy"
	"paperboy/internal/demo"
	"paperboy/internal/ingest"
	"paperboy/internal/store"
)

func openStore(t *testing.T) paperboy.PaperStore {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "paperboy.db"), nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestImportFullSampleThenReimportIsNoop(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	im := &ingest.Importer{Store: st}
	got, err := im.Import(ctx, demo.SampleName, demo.Sample())
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	want := ingest.Stats{Read: demo.SampleRecords, Inserted: demo.SampleRecords}
	if got.String() != want.String() {
		t.Errorf("first import: got %s, want %s (problems %v)", got, want, got.Problems)
	}
	if n, _ := st.CountPapers(ctx); n != demo.SampleRecords {
		t.Errorf("store holds %d papers, want %d", n, demo.SampleRecords)
	}
	seq, _ := st.LastSeq(ctx)

	got, err = im.Import(ctx, demo.SampleName, demo.Sample())
	if err != nil {
		t.Fatalf("re-import: %v", err)
	}
	want = ingest.Stats{Read: demo.SampleRecords, Unchanged: demo.SampleRecords}
	if got.String() != want.String() {
		t.Errorf("re-import: got %s, want %s", got, want)
	}
	if seq2, _ := st.LastSeq(ctx); seq2 != seq {
		t.Errorf("re-import moved the change sequence from %d to %d", seq, seq2)
	}
}

// kaggleLine renders one Kaggle-format record of paper 2401.00001 at the
// given versions.
func kaggleLine(title string, versions ...int) string {
	var vs []string
	for _, v := range versions {
		vs = append(vs, fmt.Sprintf(`{"version":"v%d","created":"Mon, %d Jan 2024 10:00:00 GMT"}`, v, v))
	}
	return fmt.Sprintf(`{"id":"2401.00001","authors":"A. Author and B. Author","title":%q,"categories":"cs.LG stat.ML","abstract":"About things.","versions":[%s],"update_date":"2024-01-%02d"}`,
		title, strings.Join(vs, ","), versions[len(versions)-1])
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportVersionRules(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	im := &ingest.Importer{Store: st}
	steps := []struct {
		line        string
		want        ingest.Stats
		wantTitle   string
		wantHistory int
	}{
		{kaggleLine("First", 1), ingest.Stats{Read: 1, Inserted: 1}, "First", 1},
		{kaggleLine("Second", 1, 2), ingest.Stats{Read: 1, Updated: 1}, "Second", 2},
		{kaggleLine("First", 1), ingest.Stats{Read: 1, Unchanged: 1}, "Second", 2},
		{kaggleLine("Second", 1, 2), ingest.Stats{Read: 1, Unchanged: 1}, "Second", 2},
	}
	for i, s := range steps {
		got, err := im.ImportFile(ctx, writeFile(t, "step.jsonl", s.line+"\n"))
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if got.String() != s.want.String() {
			t.Errorf("step %d: got %s, want %s", i, got, s.want)
		}
		p, err := st.Paper(ctx, "2401.00001")
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if p.Title != s.wantTitle || len(p.Versions) != s.wantHistory {
			t.Errorf("step %d: stored %q with %d versions, want %q with %d", i, p.Title, len(p.Versions), s.wantTitle, s.wantHistory)
		}
	}
}

func TestImportSkipsMalformedRecordsAndKeepsTheRest(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	lines := []string{
		kaggleLine("Good one", 1),
		`{"id": "2401.00002", "title": "broken json`,
		`{"id":"2401.00003","authors":"C. Author","abstract":"No title here.","versions":[]}`,
		strings.Replace(kaggleLine("Good two", 1), "2401.00001", "2401.00004", 1),
		`{"id":"not-an-id","title":"Bad ID","versions":[]}`,
	}
	path := writeFile(t, "mixed.jsonl", strings.Join(lines, "\n")+"\n")
	im := &ingest.Importer{Store: st}
	got, err := im.ImportFile(ctx, path)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	want := ingest.Stats{Read: 2, Inserted: 2, Skipped: 3}
	if got.String() != want.String() {
		t.Errorf("got %s, want %s", got, want)
	}
	for _, line := range []string{"line 2", "line 3", "line 5"} {
		if !problemsMention(got.Problems, path, line) {
			t.Errorf("problems %q do not report %s of %s", got.Problems, line, path)
		}
	}
	for _, id := range []paperboy.ArxivID{"2401.00001", "2401.00004"} {
		if _, err := st.Paper(ctx, id); err != nil {
			t.Errorf("paper %s not imported: %v", id, err)
		}
	}
}

func problemsMention(problems []string, parts ...string) bool {
	for _, p := range problems {
		all := true
		for _, part := range parts {
			all = all && strings.Contains(p, part)
		}
		if all {
			return true
		}
	}
	return false
}

func TestImportRejectsUnknownFormat(t *testing.T) {
	st := openStore(t)
	im := &ingest.Importer{Store: st}
	path := writeFile(t, "notes.txt", "hello, these are not arXiv records\n")
	_, err := im.ImportFile(context.Background(), path)
	if err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("got %v, want an error naming %s", err, path)
	}
}

func TestImportTruncatedXMLKeepsEarlierPapers(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	page, err := os.ReadFile("../arxiv/testdata/oai_listrecords_arxivraw.xml")
	if err != nil {
		t.Fatal(err)
	}
	// Cut the 1,000-record page in the middle of a record.
	cut := page[:len(page)/2]
	path := writeFile(t, "truncated.xml", string(cut))
	im := &ingest.Importer{Store: st, BatchSize: 100}
	got, err := im.ImportFile(ctx, path)
	var rerr *ingest.ReadError
	if !errors.As(err, &rerr) || !strings.Contains(err.Error(), path) {
		t.Fatalf("got error %v, want a *ReadError naming %s", err, path)
	}
	n, _ := st.CountPapers(ctx)
	if got.Read < 400 || got.Inserted != got.Read || n != got.Read {
		t.Errorf("read %d, inserted %d, stored %d: want the ~500 records before the cut all stored", got.Read, got.Inserted, n)
	}
}

func TestImportSkipsBrokenXMLRecord(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	page, err := os.ReadFile("../arxiv/testdata/oai_listrecords_arxivraw.xml")
	if err != nil {
		t.Fatal(err)
	}
	// Break the 5th record's title tag: the XML is no longer well-formed.
	parts := strings.SplitN(string(page), "</title>", 6)
	broken := strings.Join(parts[:5], "</title>") + "</titel>" + parts[5]
	path := writeFile(t, "broken.xml", broken)
	im := &ingest.Importer{Store: st, BatchSize: 100}
	got, err := im.ImportFile(ctx, path)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	want := ingest.Stats{Read: 999, Inserted: 999, Skipped: 1}
	if got.String() != want.String() {
		t.Errorf("got %s, want %s", got, want)
	}
	if !problemsMention(got.Problems, path, "record 5 (line ", "malformed XML") {
		t.Errorf("problems %q do not report record 5 of %s", got.Problems, path)
	}
	if n, _ := st.CountPapers(ctx); n != 999 {
		t.Errorf("store holds %d papers, want 999", n)
	}
}

func TestImportCancelled(t *testing.T) {
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	im := &ingest.Importer{Store: st}
	if _, err := im.Import(ctx, demo.SampleName, demo.Sample()); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}
