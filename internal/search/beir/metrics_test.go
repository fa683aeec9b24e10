package beir

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestNDCG(t *testing.T) {
	log2 := math.Log2
	tests := []struct {
		name   string
		ranked []string
		rel    map[string]int
		k      int
		want   float64
	}{
		{"ideal", []string{"a", "b"}, map[string]int{"a": 1, "b": 1}, 10, 1},
		{"nothing relevant found", []string{"x", "y"}, map[string]int{"a": 1}, 10, 0},
		{"no results", nil, map[string]int{"a": 1}, 10, 0},
		{"relevant second", []string{"x", "a"}, map[string]int{"a": 1}, 10, 1 / log2(3)},
		// DCG = 1/log2(2) + 1/log2(4); ideal = 1 + 1/log2(3)
		{"first and third", []string{"a", "x", "b"}, map[string]int{"a": 1, "b": 1}, 10, (1 + 1/log2(4)) / (1 + 1/log2(3))},
		// graded: DCG = 1 + 2/log2(3); ideal = 2 + 1/log2(3)
		{"grades are gains", []string{"a", "b"}, map[string]int{"a": 1, "b": 2}, 10, (1 + 2/log2(3)) / (2 + 1/log2(3))},
		{"cut at k", []string{"x", "y", "a"}, map[string]int{"a": 1}, 2, 0},
		// three relevant, k=2: ideal counts only two
		{"ideal cut at k", []string{"a", "b"}, map[string]int{"a": 1, "b": 1, "c": 1}, 2, 1},
		{"zero grade is not relevant", []string{"z", "a"}, map[string]int{"a": 1, "z": 0}, 10, 1 / log2(3)},
		{"no relevant judgement", []string{"a"}, map[string]int{"a": 0}, 10, 0},
	}
	for _, tt := range tests {
		if got := NDCG(tt.ranked, tt.rel, tt.k); !near(got, tt.want) {
			t.Errorf("%s: NDCG = %.6f, want %.6f", tt.name, got, tt.want)
		}
	}
}

func TestRecall(t *testing.T) {
	rel := map[string]int{"a": 1, "b": 1, "c": 2, "z": 0}
	tests := []struct {
		ranked []string
		k      int
		want   float64
	}{
		{[]string{"a", "b", "c"}, 100, 1},
		{[]string{"x", "a", "z"}, 100, 1.0 / 3},
		{[]string{"x", "a", "b"}, 2, 1.0 / 3},
		{nil, 100, 0},
	}
	for _, tt := range tests {
		if got := Recall(tt.ranked, rel, tt.k); !near(got, tt.want) {
			t.Errorf("Recall(%q, @%d) = %.6f, want %.6f", tt.ranked, tt.k, got, tt.want)
		}
	}
}

func TestReciprocalRank(t *testing.T) {
	rel := map[string]int{"a": 1, "b": 1, "z": 0}
	tests := []struct {
		ranked []string
		k      int
		want   float64
	}{
		{[]string{"a", "b"}, 10, 1},
		{[]string{"z", "x", "b", "a"}, 10, 1.0 / 3},
		{[]string{"x", "y", "a"}, 2, 0},
		{nil, 10, 0},
	}
	for _, tt := range tests {
		if got := ReciprocalRank(tt.ranked, rel, tt.k); !near(got, tt.want) {
			t.Errorf("ReciprocalRank(%q, @%d) = %.6f, want %.6f", tt.ranked, tt.k, got, tt.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0-dimensional biomaterials lack inductive properties.", "0-dimensional biomaterials lack inductive properties."},
		{`-Low "doses" of author:X cat:y`, "Low doses of author X cat y"},
		{"  a  \u201cquoted\u201d - b", "a quoted b"},
	}
	for _, tt := range tests {
		if got := PlainText(tt.in); got != tt.want {
			t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
