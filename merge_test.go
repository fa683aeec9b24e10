package paperboy_test

import (
	"testing"
	"time"

	"paperboy"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func paperAt(version int, title, updated string, versions ...int) *paperboy.Paper {
	p := &paperboy.Paper{ID: "2401.01234", Version: version, Title: title, Updated: day(updated), Submitted: day("2024-01-02")}
	for _, n := range versions {
		p.Versions = append(p.Versions, paperboy.Version{Number: n, Date: day("2024-01-02").AddDate(0, 0, n-1)})
	}
	return p
}

func TestMergePaper(t *testing.T) {
	tests := []struct {
		name        string
		old, in     *paperboy.Paper
		want        paperboy.MergeOutcome
		wantTitle   string
		wantVersion int
		wantHistory int
	}{
		{"new paper", nil, paperAt(1, "A", "2024-01-02", 1), paperboy.Inserted, "A", 1, 1},
		{"same record", paperAt(1, "A", "2024-01-02", 1), paperAt(1, "A", "2024-01-02", 1), paperboy.Unchanged, "A", 1, 1},
		{"newer version replaces, keeps history", paperAt(1, "A", "2024-01-02", 1), paperAt(2, "B", "2024-01-03", 2), paperboy.Updated, "B", 2, 2},
		{"older version never overwrites", paperAt(2, "B", "2024-01-03", 1, 2), paperAt(1, "A", "2024-01-09", 1), paperboy.Unchanged, "B", 2, 2},
		{"older version adds missing history", paperAt(3, "C", "2024-01-04", 3), paperAt(1, "A", "2024-01-02", 1, 2), paperboy.Updated, "C", 3, 3},
		{"same version, later metadata wins", paperAt(1, "A", "2024-01-02", 1), paperAt(1, "A2", "2024-02-01", 1), paperboy.Updated, "A2", 1, 1},
		{"same version, earlier metadata loses", paperAt(1, "A2", "2024-02-01", 1), paperAt(1, "A", "2024-01-02", 1), paperboy.Unchanged, "A2", 1, 1},
		{"unknown version, later date wins", paperAt(1, "A", "2024-01-02", 1), paperAt(0, "Z", "2024-03-01"), paperboy.Updated, "Z", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, outcome := paperboy.MergePaper(tt.old, tt.in)
			if outcome != tt.want {
				t.Errorf("outcome = %v, want %v", outcome, tt.want)
			}
			if got.Title != tt.wantTitle || got.Version != tt.wantVersion || len(got.Versions) != tt.wantHistory {
				t.Errorf("got title %q v%d with %d versions, want %q v%d with %d", got.Title, got.Version, len(got.Versions), tt.wantTitle, tt.wantVersion, tt.wantHistory)
			}
			for i := 1; i < len(got.Versions); i++ {
				if got.Versions[i-1].Number >= got.Versions[i].Number {
					t.Errorf("history not in order: %+v", got.Versions)
				}
			}
		})
	}
}

func TestMergePaperKeepsSeqAndSubmitted(t *testing.T) {
	old := paperAt(1, "A", "2024-01-02", 1)
	old.Seq = 42
	in := paperAt(2, "B", "2024-01-03", 2)
	in.Submitted = time.Time{}
	got, _ := paperboy.MergePaper(old, in)
	if got.Seq != 42 {
		t.Errorf("Seq = %d, want 42 (the store assigns a new one)", got.Seq)
	}
	if !got.Submitted.Equal(old.Submitted) {
		t.Errorf("Submitted = %v, want the stored v1 date %v", got.Submitted, old.Submitted)
	}
}
