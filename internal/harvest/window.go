package harvest

import (
	"strings"
	"time"

	"paperboy"
)

// DefaultLookback is how many days before today the first incremental
// harvest of a set starts at the latest, when no checkpoint and no --from
// say otherwise. Older papers come from the bulk snapshot (`paperboy
// import`): when the store's newest paper of the set is older than that,
// the first harvest starts at its date instead, so no paper between the
// snapshot and the harvest is missed.
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
// a fresh window. cp is nil for a set never harvested. first is where a
// fresh window of a set without a frontier starts (firstFrom).
func plan(cp *paperboy.HarvestCheckpoint, j Job, today, first string) paperboy.HarvestCheckpoint {
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
		fresh.From = first
	}
	if fresh.From > fresh.Until {
		fresh.From = fresh.Until
	}
	return fresh
}

// needsFirst reports whether plan may start a fresh window without a
// frontier, and so needs firstFrom.
func needsFirst(cp *paperboy.HarvestCheckpoint, j Job) bool {
	return j.From == "" && (cp == nil || cp.Frontier == "")
}

// firstFrom is where the first window of a set starts: lookback days before
// today, or the date of the newest stored paper of the set if that is
// earlier (a bulk import older than the lookback). newest is zero for an
// empty store.
func firstFrom(today string, lookback int, newest time.Time) string {
	t, _ := time.Parse(time.DateOnly, today)
	from := t.AddDate(0, 0, -lookback).Format(time.DateOnly)
	if !newest.IsZero() {
		from = min(from, newest.UTC().Format(time.DateOnly))
	}
	return from
}

// physicsArchives are the archives of the OAI-PMH set "physics".
var physicsArchives = []string{"astro-ph", "cond-mat", "gr-qc", "hep-ex", "hep-lat", "hep-ph",
	"hep-th", "math-ph", "nlin", "nucl-ex", "nucl-th", "physics", "quant-ph"}

// setArchives returns the archives whose categories an OAI-PMH set holds,
// for NewestPaperDate: "cs" holds cs.*, "physics:hep-th" hep-th, "cs:cs:AI"
// cs.AI, "physics" each physics archive, and "" (every set) every paper.
func setArchives(set string) []string {
	parts := strings.Split(set, ":")
	switch {
	case set == "":
		return nil
	case set == "physics":
		return physicsArchives
	case len(parts) == 2:
		return []string{parts[1]}
	case len(parts) == 3:
		return []string{parts[1] + "." + parts[2]}
	}
	return []string{set}
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
