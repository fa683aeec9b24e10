package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"paperboy"
	"paperboy/internal/store"
)

// TestSignalsImport runs `paperboy signals import` on a CSV file and a
// Hugging Face daily-papers JSON file: the good rows are stored, the bad
// ones reported with their line, and trending is refreshed with them.
func TestSignalsImport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "paperboy.db")
	ctx := context.Background()
	now := time.Now().UTC()
	st, err := store.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	old := time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)
	papers := []*paperboy.Paper{
		{ID: "2001.00001", Title: "Old paper with a new repository", Submitted: old, Updated: old},
		{ID: "2001.00002", Title: "Old paper liked elsewhere", Submitted: old, Updated: old},
	}
	if _, err := st.UpsertPapers(ctx, papers); err != nil {
		t.Fatal(err)
	}
	st.Close()

	csvFile := filepath.Join(dir, "stars.csv")
	csv := fmt.Sprintf("arxiv_id,signal,value,observed_at\n"+
		"2001.00001,github_stars,100,%s\n"+
		"2001.00001,github_stars,440,%s\n"+
		"2001.00001,github_stars,many,%s\n"+
		"2412.99999,github_stars,5,%s\n",
		now.AddDate(0, 0, -10).Format(time.RFC3339), now.Add(-time.Hour).Format(time.RFC3339),
		now.Format(time.DateOnly), now.Format(time.DateOnly))
	jsonFile := filepath.Join(dir, "daily_papers.json")
	jsonBody := `[{"paper": {"id": "2001.00002", "upvotes": 12, "title": "x"}, "numComments": 0},
{"paper": {"id": "bogus", "upvotes": 1}}]`
	for name, body := range map[string]string{csvFile: csv, jsonFile: jsonBody} {
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"PAPERBOY_DB": db}
	code, out, errOut := runCLI(t, env, "signals", "import", csvFile)
	if code != 0 || !strings.Contains(out, "imported 3 signals") || !strings.Contains(out, "trending refreshed") ||
		!strings.Contains(errOut, "stars.csv:4: skipped: value \"many\" is not a number from 0") {
		t.Errorf("signals import CSV: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, env, "signals", "import", jsonFile)
	if code != 0 || !strings.Contains(out, "imported 1 signals") || !strings.Contains(errOut, "daily_papers.json:2: skipped") {
		t.Errorf("signals import JSON: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, env, "signals", "import"); code != 2 || !strings.Contains(errOut, "exactly one FILE") {
		t.Errorf("signals import without FILE: exit %d, %q", code, errOut)
	}

	st, err = store.Open(ctx, db, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	entries, _, err := st.Trending(ctx, paperboy.WindowWeek, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := map[paperboy.ArxivID]paperboy.TrendingComponents{}
	for _, e := range entries {
		got[e.PaperID] = e.Components
	}
	if _, ok := got["2001.00002"]; ok {
		t.Errorf("2001.00002 trends on one observation: %+v", got["2001.00002"])
	}
	if c := got["2001.00001"]; c.Stars != 440 || c.StarsGained != 340 {
		t.Errorf("week's trending of 2001.00001 = %+v; want 440 stars, 340 gained", c)
	}
	// One observation of an old paper is a baseline, not growth; a paper
	// the instance lacks keeps its signals for when it arrives.
	latest, err := st.LatestSignals(ctx, []paperboy.ArxivID{"2001.00002", "2412.99999"})
	if err != nil {
		t.Fatal(err)
	}
	if v := latest["2001.00002"][paperboy.SignalExternalUpvotes].Value; v != 12 {
		t.Errorf("2001.00002's upvotes elsewhere = %v, want 12", v)
	}
	if v := latest["2412.99999"][paperboy.SignalGitHubStars].Value; v != 5 {
		t.Errorf("unstored 2412.99999's stars = %v, want 5 kept", v)
	}
}
