package rowcodec

import "paperboy"

// ValidateBatch checks every record before anything is written and returns
// the records in the stores' time precision. Returns EINVALID naming the
// first bad record.
func ValidateBatch(papers []*paperboy.Paper) ([]*paperboy.Paper, error) {
	out := make([]*paperboy.Paper, len(papers))
	for i, p := range papers {
		if p == nil {
			return nil, paperboy.Errorf(paperboy.EINVALID, "Record %d of the batch is empty.", i+1)
		}
		if err := p.Validate(); err != nil {
			return nil, err
		}
		out[i] = Normalize(p)
	}
	return out, nil
}

// BatchIDs returns the distinct IDs of papers, in order.
func BatchIDs(papers []*paperboy.Paper) []paperboy.ArxivID {
	ids := make([]paperboy.ArxivID, len(papers))
	for i, p := range papers {
		ids[i] = p.ID
	}
	return UniqueIDs(ids)
}

// UniqueIDs drops repeated IDs, keeping the first of each, so a paper asked
// for twice is returned and counted once.
func UniqueIDs(ids []paperboy.ArxivID) []paperboy.ArxivID {
	seen := make(map[paperboy.ArxivID]bool, len(ids))
	out := make([]paperboy.ArxivID, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Change is a paper to write: its merged state and the stored paper it
// replaces (nil for a new one).
type Change struct {
	Paper *paperboy.Paper
	Old   *paperboy.Paper
}

// MergeBatch merges the records in order into stored, which it does not
// modify, with paperboy.MergePaper, and returns each record's outcome and
// the papers to write, in the order they first changed. A paper twice in
// the batch is merged into the result of its first record.
func MergeBatch(stored map[paperboy.ArxivID]*paperboy.Paper, incoming []*paperboy.Paper) ([]paperboy.MergeOutcome, []Change) {
	outcomes := make([]paperboy.MergeOutcome, len(incoming))
	current := make(map[paperboy.ArxivID]*paperboy.Paper, len(incoming))
	pos := make(map[paperboy.ArxivID]int)
	var dirty []Change
	for i, in := range incoming {
		old, ok := current[in.ID]
		if !ok {
			old = stored[in.ID]
		}
		merged, outcome := paperboy.MergePaper(old, in)
		outcomes[i], current[in.ID] = outcome, merged
		if outcome == paperboy.Unchanged {
			continue
		}
		if j, ok := pos[in.ID]; ok {
			dirty[j].Paper = merged
			continue
		}
		pos[in.ID] = len(dirty)
		dirty = append(dirty, Change{Paper: merged, Old: stored[in.ID]})
	}
	return outcomes, dirty
}
