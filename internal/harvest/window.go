package harvest

import (
	"time"

	"paperboy"
)

// DefaultLookback is how many days before today the first incremental
// harvest of a set starts, when no checkpoint and no --from say otherwise.
// Older papers come from the bulk snapshot (`paperboy import`).
const DefaultLookback = 7

// Job names what to harvest. With From empty the harvest is incremental:
// it resumes an unfinished window, or starts at the set's frontier (the end
// of its last finished window), and runs to Until, or today.
type Job struct {
	Set    string // "cs", "physics:hep-th"; "" harvests every set
	Prefix string // metadata prefix; DefaultPrefix when ""
	From   string // YYYY-MM-DD
	Until  string
}

// DefaultPrefix is the metadata format harvested: arXivRaw carries the full
// version history.
const DefaultPrefix = "arXivRaw"

// setKey is the checkpoint key of the job's set: "" (every set) is kept as
// "*" because a checkpoint needs a set.
func (j Job) setKey() string {
	if j.Set == "" {
		return "*"
	}
	return j.Set
}

// validate checks the dates of an explicit window. Returns EINVALID.
func (j Job) validate() error {
	for _, d := range []string{j.From, j.Until} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return paperboy.Errorf(paperboy.EINVALID, "Invalid date %q: expected YYYY-MM-DD.", d)
		}
	}
	if j.From != "" && j.Until != "" && j.From > j.Until {
		return paperboy.Errorf(paperboy.EINVALID, "The window starts (%s) after it ends (%s).", j.From, j.Until)
	}
	return nil
}

// plan returns the state a run starts from: the stored checkpoint cp when it
// is an unfinished window the job continues (its token is then resumed), or
// a fresh window. cp is nil for a set never harvested.
func plan(cp *paperboy.HarvestCheckpoint, j Job, today string, lookback int) paperboy.HarvestCheckpoint {
	until := j.Until
	if until == "" {
		until = today
	}
	fresh := paperboy.HarvestCheckpoint{Set: j.setKey(), Prefix: j.Prefix, From: j.From, Until: until}
	if cp != nil {
		fresh.Frontier = cp.Frontier
		unfinished := !cp.Done && cp.Token != ""
		sameWindow := (j.From == "" || j.From == cp.From) && (j.Until == "" || j.Until == cp.Until)
		if unfinished && sameWindow {
			return *cp
		}
	}
	if fresh.From == "" {
		fresh.From = fresh.Frontier
	}
	if fresh.From == "" {
		t, _ := time.Parse(time.DateOnly, today)
		fresh.From = t.AddDate(0, 0, -lookback).Format(time.DateOnly)
	}
	if fresh.From > fresh.Until {
		fresh.From = fresh.Until
	}
	return fresh
}

// restart is the window of cur again from its first page, keeping where the
// set stands: what badResumptionToken leads to.
func restart(cur paperboy.HarvestCheckpoint) paperboy.HarvestCheckpoint {
	return paperboy.HarvestCheckpoint{Set: cur.Set, Prefix: cur.Prefix, From: cur.From, Until: cur.Until,
		Frontier: cur.Frontier, LastDatestamp: cur.LastDatestamp}
}

// advance is the checkpoint after applying page with the given records and
// next token.
func advance(cur paperboy.HarvestCheckpoint, records int, token, lastDatestamp string) paperboy.HarvestCheckpoint {
	next := cur
	next.Token = token
	next.Done = token == ""
	next.Pages++
	next.Records += records
	next.LastDatestamp = max(cur.LastDatestamp, lastDatestamp)
	if next.Done {
		next.Frontier = max(cur.Frontier, cur.Until)
	}
	return next
}
