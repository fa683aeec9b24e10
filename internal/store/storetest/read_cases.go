package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"paperboy"
)

func testPaperNotFound(t *testing.T, open Opener) {
	s := newStore(t, open)
	_, err := s.Paper(context.Background(), "2401.99999")
	if got := paperboy.ErrorCode(err); got != paperboy.ENOTFOUND {
		t.Fatalf("Paper(missing) code = %q, want %q (err %v)", got, paperboy.ENOTFOUND, err)
	}
	if msg := paperboy.ErrorMessage(err); !strings.Contains(msg, "2401.99999") {
		t.Errorf("Paper(missing) message %q does not name the paper", msg)
	}
}

// catalogue stores five papers over three days for the filter tests:
// a (Mar 1, cs.LG), b and c (Mar 3, same time, cs.CV / cs.LG second),
// d (Mar 7, math.PR), e (Mar 7 later, cs.LG).
func catalogue(t *testing.T, s paperboy.PaperStore) {
	t.Helper()
	specs := []struct {
		id, submitted string
		cats          []string
	}{
		{"2403.00001", "2024-03-01T09:00:00Z", []string{"cs.LG"}},
		{"2403.00003", "2024-03-03T12:00:00Z", []string{"cs.CV"}},
		{"2403.00002", "2024-03-03T12:00:00Z", []string{"cs.CV", "cs.LG"}},
		{"2403.00004", "2024-03-07T00:00:00Z", []string{"math.PR"}},
		{"2403.00005", "2024-03-07T23:59:59Z", []string{"cs.LG", "stat.ML"}},
	}
	var batch []*paperboy.Paper
	for _, sp := range specs {
		p := paper(sp.id, 1, "Paper "+sp.id)
		p.Submitted, p.Categories = date(sp.submitted), sp.cats
		p.Versions[0].Date = p.Submitted
		batch = append(batch, p)
	}
	mustUpsert(t, s, batch...)
}

func testPapers(t *testing.T, open Opener) {
	s := newStore(t, open)
	catalogue(t, s)
	tests := []struct {
		name   string
		filter paperboy.PaperFilter
		want   []string // IDs without the "2403.0000" prefix
		total  int
	}{
		{"all, newest first", paperboy.PaperFilter{}, []string{"5", "4", "2", "3", "1"}, 5},
		{"order submitted", paperboy.PaperFilter{Order: "submitted"}, []string{"5", "4", "2", "3", "1"}, 5},
		{"order id", paperboy.PaperFilter{Order: "id"}, []string{"1", "2", "3", "4", "5"}, 5},
		{"ids in given order", paperboy.PaperFilter{IDs: pids("4", "1", "9", "2", "4")}, []string{"4", "1", "2"}, 3},
		{"ids ordered by id", paperboy.PaperFilter{IDs: pids("4", "1", "2"), Order: "id"}, []string{"1", "2", "4"}, 3},
		{"ids and category", paperboy.PaperFilter{IDs: pids("4", "5", "1"), Category: "cs.LG"}, []string{"5", "1"}, 2},
		{"category, any position", paperboy.PaperFilter{Category: "cs.LG"}, []string{"5", "2", "1"}, 3},
		{"unknown category", paperboy.PaperFilter{Category: "hep-th"}, nil, 0},
		{"from inclusive", paperboy.PaperFilter{SubmittedFrom: date("2024-03-03T12:00:00Z")}, []string{"5", "4", "2", "3"}, 4},
		{"to exclusive", paperboy.PaperFilter{SubmittedTo: date("2024-03-07T00:00:00Z")}, []string{"2", "3", "1"}, 3},
		{"one day", paperboy.PaperFilter{SubmittedFrom: date("2024-03-07T00:00:00Z"), SubmittedTo: date("2024-03-08T00:00:00Z")}, []string{"5", "4"}, 2},
		{"day in another zone", paperboy.PaperFilter{SubmittedFrom: date("2024-03-03T00:00:00+01:00"), SubmittedTo: date("2024-03-04T00:00:00+01:00")}, []string{"2", "3"}, 2},
		{"range and category", paperboy.PaperFilter{SubmittedFrom: date("2024-03-02T00:00:00Z"), Category: "cs.LG"}, []string{"5", "2"}, 2},
		{"limit", paperboy.PaperFilter{Limit: 2}, []string{"5", "4"}, 5},
		{"page two", paperboy.PaperFilter{Limit: 2, Offset: 2}, []string{"2", "3"}, 5},
		{"last page", paperboy.PaperFilter{Limit: 2, Offset: 4}, []string{"1"}, 5},
		{"past the end", paperboy.PaperFilter{Limit: 2, Offset: 10}, nil, 5},
		{"offset without limit", paperboy.PaperFilter{Offset: 3, Order: "id"}, []string{"4", "5"}, 5},
		{"ids paged", paperboy.PaperFilter{IDs: pids("3", "2", "1"), Limit: 1, Offset: 1}, []string{"2"}, 3},
	}
	for _, tt := range tests {
		got, total, err := s.Papers(context.Background(), tt.filter)
		if err != nil {
			t.Errorf("%s: Papers: %v", tt.name, err)
			continue
		}
		if want := fullIDs(tt.want); fmt.Sprint(ids(got)) != fmt.Sprint(want) || total != tt.total {
			t.Errorf("%s: got %v total %d, want %v total %d", tt.name, ids(got), total, want, tt.total)
		}
	}
	got, _, err := s.Papers(context.Background(), paperboy.PaperFilter{IDs: pids("2")})
	if err != nil || len(got) != 1 {
		t.Fatalf("Papers(IDs 2) = %v, %v", ids(got), err)
	}
	checkPaper(t, got[0], mustPaper(t, s, "2403.00002"))
}

func pids(short ...string) []paperboy.ArxivID {
	out := make([]paperboy.ArxivID, len(short))
	for i, s := range short {
		out[i] = paperboy.ArxivID("2403.0000" + s)
	}
	return out
}

func fullIDs(short []string) []string {
	out := make([]string, len(short))
	for i, s := range short {
		out[i] = "2403.0000" + s
	}
	return out
}

func testPapersInvalidFilter(t *testing.T, open Opener) {
	s := newStore(t, open)
	for _, f := range []paperboy.PaperFilter{{Order: "title"}, {Limit: -1}, {Offset: -1}} {
		_, _, err := s.Papers(context.Background(), f)
		if got := paperboy.ErrorCode(err); got != paperboy.EINVALID {
			t.Errorf("Papers(%+v) code = %q, want %q (err %v)", f, got, paperboy.EINVALID, err)
		}
	}
}

func testDays(t *testing.T, open Opener) {
	s := newStore(t, open)
	catalogue(t, s) // papers on Mar 1, 3 and 7
	mar := func(d int) time.Time { return time.Date(2024, 3, d, 0, 0, 0, 0, time.UTC) }
	var zero time.Time
	tests := []struct {
		name           string
		day            time.Time
		day0, prev, nx time.Time
	}{
		{"latest", zero, mar(7), mar(3), zero},
		{"day with papers", mar(3), mar(3), mar(1), mar(7)},
		{"time of day ignored", date("2024-03-03T18:45:00Z"), mar(3), mar(1), mar(7)},
		{"other zone, UTC day", date("2024-03-06T23:30:00-05:00"), mar(7), mar(3), zero},
		{"gap day", mar(5), mar(3), mar(1), mar(7)},
		{"first day", mar(1), mar(1), zero, mar(3)},
		{"before all", mar(1).AddDate(0, -1, 0), zero, zero, mar(1)},
		{"last day", mar(7), mar(7), mar(3), zero},
		{"after all", mar(20), mar(7), mar(3), zero},
	}
	for _, tt := range tests {
		got, err := s.Days(context.Background(), tt.day)
		if err != nil {
			t.Errorf("%s: Days: %v", tt.name, err)
			continue
		}
		want := paperboy.DayNeighbours{Day: tt.day0, Prev: tt.prev, Next: tt.nx}
		if !got.Day.Equal(want.Day) || !got.Prev.Equal(want.Prev) || !got.Next.Equal(want.Next) {
			t.Errorf("%s: Days(%v) = %v, want %v", tt.name, tt.day, got, want)
		}
		if got.Day.Location() != time.UTC && !got.Day.IsZero() {
			t.Errorf("%s: Day %v is not in UTC", tt.name, got.Day)
		}
	}
}

func testDaysEmpty(t *testing.T, open Opener) {
	s := newStore(t, open)
	for _, day := range []time.Time{{}, date("2024-03-01T00:00:00Z")} {
		got, err := s.Days(context.Background(), day)
		if err != nil || !got.Day.IsZero() || !got.Prev.IsZero() || !got.Next.IsZero() {
			t.Errorf("Days(%v) on empty store = %v, %v; want all zero, nil", day, got, err)
		}
	}
}
