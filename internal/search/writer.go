package search

import (
	"fmt"
	"math/bits"
	"slices"
	"time"

	"paperboy"
)

// mergeFactor is how many segments of one size class are merged into one.
// Segments grow by this factor, so a paper is rewritten about
// log8(papers/batch) times over a full build.
const mergeFactor = 8

// commit makes one batch of changes a segment, deletes the earlier
// versions of the changed papers, persists the result when the engine has
// a directory, and publishes it; merging is left to the caller.
func (e *Engine) commit(changes []paperboy.Change, docs []*analyzedDoc) error {
	old := e.cur.Load()
	last := make(map[paperboy.ArxivID]int, len(changes))
	for i, c := range changes {
		last[c.ID] = i
	}
	var add []*analyzedDoc
	for i, c := range changes {
		if last[c.ID] == i && docs[i] != nil {
			add = append(add, docs[i])
		}
	}
	segs := deleteIDs(old.segs, changes)
	var fresh []*segView
	if len(add) > 0 {
		for _, seg := range buildSegments(add, specFor(e.params, old, add)) {
			sv := &segView{seg: seg}
			segs, fresh = append(segs, sv), append(fresh, sv)
		}
	}
	return e.publish(segs, fresh, changes[len(changes)-1].Seq)
}

// publish persists fresh segments and the manifest of segs (when the engine
// has a directory), then makes segs the current view. Empty segments go.
func (e *Engine) publish(segs, fresh []*segView, seq int64) error {
	segs = slices.DeleteFunc(slices.Clone(segs), func(sv *segView) bool { return sv.live() == 0 })
	if e.disk != nil {
		if err := e.disk.save(segs, fresh, seq); err != nil {
			return fmt.Errorf("search sync: persist index: %w", err)
		}
	}
	e.cur.Store(newView(segs, seq))
	return nil
}

// deleteIDs returns segs with the live documents of the changed papers
// deleted (both new versions and deletions drop the old document).
func deleteIDs(segs []*segView, changes []paperboy.Change) []*segView {
	out := slices.Clone(segs)
	for i, sv := range segs {
		s := sv.seg
		if s.n == 0 {
			continue
		}
		lo, hi := s.id(s.idSorted[0]), s.id(s.idSorted[s.n-1])
		var del []uint32
		for _, c := range changes {
			if c.ID < lo || c.ID > hi {
				continue
			}
			if d, ok := s.find(c.ID); ok && sv.isLive(d) {
				del = append(del, d)
			}
		}
		if len(del) > 0 {
			out[i] = sv.withDeleted(del)
		}
	}
	return out
}

// sizeClass groups segments by live documents: one class per factor of
// mergeFactor.
func sizeClass(live int) int { return bits.Len(uint(live)) / bits.Len(mergeFactor-1) }

// mergePick returns the segments to merge next: mergeFactor or more of one
// size class, or one that is mostly deleted; nil when none.
func mergePick(segs []*segView) []*segView {
	byClass := map[int][]*segView{}
	for _, sv := range segs {
		if sv.ndel > 0 && sv.ndel*2 >= sv.seg.n {
			return []*segView{sv}
		}
		c := sizeClass(sv.live())
		byClass[c] = append(byClass[c], sv)
	}
	best := -1
	for c, group := range byClass {
		if len(group) >= mergeFactor && (best < 0 || c < best) {
			best = c
		}
	}
	if best < 0 {
		return nil
	}
	return byClass[best]
}

// merge merges segments until the policy is content.
func (e *Engine) merge() error {
	for {
		v := e.cur.Load()
		pick := mergePick(v.segs)
		if pick == nil {
			return nil
		}
		began := time.Now()
		sv := &segView{seg: mergeSegments(pick, specFor(e.params, v, nil))}
		segs := slices.DeleteFunc(slices.Clone(v.segs), func(s *segView) bool { return slices.Contains(pick, s) })
		segs = append(segs, sv)
		if err := e.publish(segs, []*segView{sv}, v.seq); err != nil {
			return err
		}
		e.logger.Debug("search_segments_merged", "segments", len(pick), "papers", sv.seg.n, "duration", time.Since(began))
	}
}
