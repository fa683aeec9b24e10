package trending

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParseSignals(t *testing.T) {
	now := time.Date(2025, 3, 10, 12, 0, 0, 500, time.UTC)
	tests := []struct {
		name    string
		in      string
		want    []string
		wantBad []string
	}{
		{
			name: "csv with header and bad rows",
			in: "arxiv_id,signal,value,observed_at\n" +
				"2401.00001,github_stars,340,2025-03-09T10:00:00Z\n" +
				"2401.00001,upvotes,12,2025-03-09\n" +
				"not-an-id,upvotes,1,2025-03-09\n" +
				"2401.00002,stars,1,2025-03-09\n" +
				"2401.00002,upvotes,many,2025-03-09\n" +
				"2401.00002,upvotes,3,yesterday\n" +
				"2401.00002,upvotes\n" +
				"arXiv:2401.00003v2,upvotes,4,2025-03-08T00:00:00+02:00\n",
			want: []string{"2401.00001 github_stars 340 2025-03-09T10:00:00Z", "2401.00001 upvotes 12 2025-03-09T00:00:00Z", "2401.00003 upvotes 4 2025-03-07T22:00:00Z"},
			wantBad: []string{
				`line 4: arxiv_id: "not-an-id" is not an arXiv ID`,
				`line 5: signal "stars": want github_stars or upvotes`,
				`line 6: value "many" is not a number from 0`,
				`line 7: observed_at "yesterday"`,
				`line 8: 2 fields, want 4`,
			},
		},
		{
			name: "hugging face daily papers",
			in: `[
  {"paper": {"id": "2401.00001", "upvotes": 12, "githubRepo": "https://github.com/a/b", "githubStars": 340, "title": "x"}, "numComments": 2},
  {"paper": {"id": "2401.00002", "upvotes": 3}},
  {"paper": {"id": "bogus", "upvotes": 3}},
  {"paper": {"id": "2401.00004", "upvotes": "many"}},
  {"paper": {"id": "2401.00005"}},
  {"id": "2401.00006", "githubStars": 7}
]`,
			want: []string{"2401.00001 upvotes 12 2025-03-10T12:00:00Z", "2401.00001 github_stars 340 2025-03-10T12:00:00Z https://github.com/a/b",
				"2401.00002 upvotes 3 2025-03-10T12:00:00Z", "2401.00006 github_stars 7 2025-03-10T12:00:00Z"},
			wantBad: []string{`line 4: paper id: "bogus" is not an arXiv ID`, "line 5: field paper.upvotes: wrong type", "line 6: paper 2401.00005 has neither"},
		},
		{
			name:    "json cut short",
			in:      "[{\"paper\": {\"id\": \"2401.00001\", \"upvotes\": 1}},\n{\"paper\": ",
			want:    []string{"2401.00001 upvotes 1 2025-03-10T12:00:00Z"},
			wantBad: []string{"line 2: malformed JSON"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs, bad, err := ParseSignals(strings.NewReader(tt.in), now)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range sigs {
				got = append(got, strings.TrimSpace(fmt.Sprintf("%s %s %g %s %s", s.PaperID, s.Name, s.Value, s.Observed.Format(time.RFC3339), s.Ref)))
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("signals:\n got %q\nwant %q", got, tt.want)
			}
			if len(bad) != len(tt.wantBad) {
				t.Fatalf("row errors %q, want %d: %q", bad, len(tt.wantBad), tt.wantBad)
			}
			for i, b := range bad {
				if !strings.HasPrefix(b.Error(), tt.wantBad[i]) {
					t.Errorf("row error %d = %q, want it to start %q", i, b.Error(), tt.wantBad[i])
				}
			}
		})
	}
}

func TestParseSignalsNotJSONArray(t *testing.T) {
	sigs, bad, err := ParseSignals(strings.NewReader("[}"), time.Now())
	if err != nil || len(sigs) != 0 || len(bad) != 1 || !strings.Contains(bad[0].Err, "malformed JSON") {
		t.Errorf("ParseSignals([}) = %v, %v, %v; want one malformed-JSON row error", sigs, bad, err)
	}
}
