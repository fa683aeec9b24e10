package paperboy

import (
	"cmp"
	"slices"
)

// MergeOutcome says what merging an incoming record did to a stored paper.
type MergeOutcome int

const (
	Unchanged MergeOutcome = iota // nothing new: the store keeps what it has
	Inserted                      // the paper was not stored before
	Updated                       // the stored paper changed
)

func (o MergeOutcome) String() string {
	return [...]string{"unchanged", "inserted", "updated"}[o]
}

// MergePaper applies the version rules to an incoming record of a paper
// already stored (old may be nil). It returns the paper to store and what
// changed. The rules, in one place for every backend:
//
//   - a newer version replaces the metadata of an older one;
//   - an older version never overwrites a newer one, but may add to the
//     version history;
//   - for the same version, a record whose metadata date is not older wins
//     (arXiv edits journal-ref and DOI without a new version);
//   - the version history is always the union of both, oldest first.
func MergePaper(old, incoming *Paper) (*Paper, MergeOutcome) {
	if old == nil {
		p := *incoming
		p.Versions = mergeVersions(nil, incoming.Versions)
		p.Version = latestVersion(&p)
		return &p, Inserted
	}
	var merged Paper
	if isNewer(incoming, old) {
		merged = *incoming
		if merged.Submitted.IsZero() {
			merged.Submitted = old.Submitted
		}
	} else {
		merged = *old
	}
	merged.Seq = old.Seq
	merged.Versions = mergeVersions(old.Versions, incoming.Versions)
	merged.Version = latestVersion(&merged)
	if merged.Equal(old) {
		return old, Unchanged
	}
	return &merged, Updated
}

// isNewer reports whether record a describes a later state of the paper than
// record b: a higher version, or the same (or unknown) version with metadata
// dated no earlier.
func isNewer(a, b *Paper) bool {
	if a.Version != 0 && b.Version != 0 && a.Version != b.Version {
		return a.Version > b.Version
	}
	return !a.Updated.Before(b.Updated)
}

func mergeVersions(a, b []Version) []Version {
	out := make([]Version, 0, len(a)+len(b))
	out = append(out, a...)
	for _, v := range b {
		i := slices.IndexFunc(out, func(w Version) bool { return w.Number == v.Number })
		switch {
		case i < 0:
			out = append(out, v)
		case out[i].Size == "" && v.Size != "":
			out[i].Size = v.Size
		}
	}
	slices.SortFunc(out, func(x, y Version) int { return cmp.Compare(x.Number, y.Number) })
	if len(out) == 0 {
		return nil
	}
	return out
}

// latestVersion is the paper's version, raised to the newest one its history
// knows (records in the arXiv OAI format carry dates but no numbers).
func latestVersion(p *Paper) int {
	if n := len(p.Versions); n > 0 && p.Versions[n-1].Number > p.Version {
		return p.Versions[n-1].Number
	}
	return p.Version
}
