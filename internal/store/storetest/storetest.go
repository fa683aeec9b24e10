package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"paperboy"
)

// Opener opens the backend's database called name, creating it empty the
// first time a test asks for that name. Asking again for the same name in the
// same test, after the earlier store was closed, must give the same data:
// that is how the suite checks persistence. A SQLite backend can map name to
// a file in a directory it made; PostgreSQL to a schema. Names are short,
// lower-case letters, digits and underscores. The suite closes the stores.
type Opener func(t *testing.T, name string) paperboy.PaperStore

// Run runs the conformance suite against the backend open opens.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open Opener)
	}{
		{"Insert", testInsert},
		{"RoundTrip", testRoundTrip},
		{"ReupsertUnchanged", testReupsertUnchanged},
		{"NewerVersion", testNewerVersion},
		{"OlderVersion", testOlderVersion},
		{"SameVersionMetadata", testSameVersionMetadata},
		{"DuplicateIDsInBatch", testDuplicateIDs},
		{"InvalidRecordRejectsBatch", testInvalidBatch},
		{"EmptyBatch", testEmptyBatch},
		{"CanceledContext", testCanceledContext},
		{"PaperNotFound", testPaperNotFound},
		{"Papers", testPapers},
		{"PapersInvalidFilter", testPapersInvalidFilter},
		{"Days", testDays},
		{"DaysEmpty", testDaysEmpty},
		{"Changes", testChanges},
		{"ChangesDelete", testChangesDelete},
		{"DeleteNotFound", testDeleteNotFound},
		{"ConcurrentUpserts", testConcurrentUpserts},
		{"Persistence", testPersistence},
		{"Accounts", testAccounts},
	}
	tests = append(tests, harvestCases...)
	tests = append(tests, embeddingCases...)
	tests = append(tests, communityCases...)
	tests = append(tests, digestCases...)
	tests = append(tests, jobCases...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open) })
	}
}

// dbName turns the running test's name into a database name.
func dbName(t *testing.T) string {
	name := strings.ToLower(t.Name())
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
}

// newStore opens a fresh store for t and closes it when t ends.
func newStore(t *testing.T, open Opener) paperboy.PaperStore {
	t.Helper()
	s := open(t, dbName(t))
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// date parses an RFC 3339 time, for fixtures.
func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

var baseDate = date("2024-01-15T10:30:00Z")

// paper returns a valid paper at the given version, with a one-entry history
// and dates a day apart per version.
func paper(id string, version int, title string) *paperboy.Paper {
	vdate := baseDate.AddDate(0, 0, version-1)
	return &paperboy.Paper{
		ID:         paperboy.MustParseArxivID(id),
		Version:    version,
		Versions:   []paperboy.Version{{Number: version, Date: vdate, Size: fmt.Sprintf("%dkb", 100*version)}},
		Title:      title,
		Abstract:   "We study " + title + ".",
		Authors:    []paperboy.Author{{Name: "Ada Lovelace"}, {Name: "Alan Turing", Affiliation: "Bletchley Park"}},
		Categories: []string{"cs.LG", "stat.ML"},
		Submitted:  baseDate,
		Updated:    vdate,
	}
}

// NewPaper returns a valid, realistic paper numbered n (distinct IDs for
// distinct n up to about 9 million), for benchmarks and load tests.
func NewPaper(n int) *paperboy.Paper {
	month := n / 99999
	id := fmt.Sprintf("%02d%02d.%05d", 15+month/12, 1+month%12, 1+n%99999)
	submitted := baseDate.Add(time.Duration(n) * time.Minute)
	return &paperboy.Paper{
		ID:      paperboy.ArxivID(id),
		Version: 2,
		Versions: []paperboy.Version{
			{Number: 1, Date: submitted, Size: "812kb"},
			{Number: 2, Date: submitted.Add(72 * time.Hour), Size: "845kb"},
		},
		Title:      fmt.Sprintf("Scaling laws for sparse mixture-of-experts models, part %d", n),
		Abstract:   strings.Repeat("We measure how loss falls with compute for sparse models. ", 15),
		Authors:    []paperboy.Author{{Name: "Balázs Csanád Csáji", Affiliation: "MTA SZTAKI"}, {Name: "Grace Hopper"}, {Name: "Kurt Gödel"}},
		Categories: []string{"cs.LG", "cs.AI", "stat.ML"},
		Comments:   "12 pages, 4 figures",
		License:    "http://creativecommons.org/licenses/by/4.0/",
		Submitter:  "Grace Hopper",
		Submitted:  submitted,
		Updated:    submitted.Add(72 * time.Hour),
	}
}

func mustUpsert(t *testing.T, s paperboy.PaperStore, papers ...*paperboy.Paper) []paperboy.MergeOutcome {
	t.Helper()
	out, err := s.UpsertPapers(context.Background(), papers)
	if err != nil {
		t.Fatalf("UpsertPapers: %v", err)
	}
	return out
}

func mustPaper(t *testing.T, s paperboy.PaperStore, id string) *paperboy.Paper {
	t.Helper()
	p, err := s.Paper(context.Background(), paperboy.ArxivID(id))
	if err != nil {
		t.Fatalf("Paper(%s): %v", id, err)
	}
	return p
}

func mustLastSeq(t *testing.T, s paperboy.PaperStore) int64 {
	t.Helper()
	seq, err := s.LastSeq(context.Background())
	if err != nil {
		t.Fatalf("LastSeq: %v", err)
	}
	return seq
}

func mustCount(t *testing.T, s paperboy.PaperStore) int {
	t.Helper()
	n, err := s.CountPapers(context.Background())
	if err != nil {
		t.Fatalf("CountPapers: %v", err)
	}
	return n
}

// checkPaper fails t unless got holds the same metadata as want.
func checkPaper(t *testing.T, got, want *paperboy.Paper) {
	t.Helper()
	if got == nil || !got.Equal(want) {
		t.Errorf("paper mismatch\n got: %+v\nwant: %+v", got, want)
	}
}

func checkOutcomes(t *testing.T, got []paperboy.MergeOutcome, want ...paperboy.MergeOutcome) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("outcomes = %v, want %v", got, want)
	}
}

// ids returns the IDs of papers, in order.
func ids(papers []*paperboy.Paper) []string {
	out := make([]string, len(papers))
	for i, p := range papers {
		out[i] = string(p.ID)
	}
	return out
}
