package ref

import (
	"cmp"
	"slices"
)

// slot names one term of one clause of one query.
type slot struct{ q, c, k int32 }

// occurrence is a query term found in the document's current field.
type occurrence struct {
	slot
	pos int
}

// worker accumulates statistics and matches over the documents it is given.
type worker struct {
	qs       []Query
	interest map[string][]slot // the query terms, for one lookup per token
	off      []int
	df       []int
	tf       []uint16 // the current document's, per slot
	touched  []int32  // queries with a term in the current document
	seen     []bool
	occ      []occurrence
	totalLen [NumFields]uint64
	matches  [][]match
}

func newWorker(qs []Query) *worker {
	s := newStats(qs)
	w := &worker{qs: qs, interest: map[string][]slot{}, off: s.off, df: s.df,
		tf: make([]uint16, len(s.df)), seen: make([]bool, len(qs)), matches: make([][]match, len(qs))}
	for q, query := range qs {
		for c, clause := range query.Clauses {
			for k, term := range clause {
				w.interest[term] = append(w.interest[term], slot{int32(q), int32(c), int32(k)})
			}
		}
	}
	return w
}

func (w *worker) add(i int, d *Doc) {
	for f := range NumFields {
		w.totalLen[f] += uint64(len(d.Fields[f]))
		w.field(f, d.Fields[f])
	}
	for _, q := range w.touched {
		w.finish(int(q), i, d)
	}
	w.touched = w.touched[:0]
}

// field counts each clause's occurrences in one field of the document.
func (w *worker) field(f int, toks []Token) {
	w.occ = w.occ[:0]
	for _, t := range toks {
		for _, s := range w.interest[t.Term] {
			w.occ = append(w.occ, occurrence{s, t.Pos})
		}
	}
	slices.SortFunc(w.occ, func(a, b occurrence) int {
		return cmp.Or(cmp.Compare(a.q, b.q), cmp.Compare(a.c, b.c), cmp.Compare(a.k, b.k), cmp.Compare(a.pos, b.pos))
	})
	for i := 0; i < len(w.occ); {
		j := i
		for j < len(w.occ) && w.occ[j].q == w.occ[i].q && w.occ[j].c == w.occ[i].c {
			j++
		}
		q, c := int(w.occ[i].q), int(w.occ[i].c)
		if tf := count(w.occ[i:j], len(w.qs[q].Clauses[c])); tf > 0 {
			slot := w.off[q] + c*NumFields + f
			w.tf[slot] = uint16(min(tf, 65535))
			w.df[slot]++
			if !w.seen[q] {
				w.seen[q] = true
				w.touched = append(w.touched, int32(q))
			}
		}
		i = j
	}
}

// count returns how often a clause of n terms occurs, given its terms'
// occurrences sorted by term index then position: for one term, how many
// there are; for a phrase, how many positions start the whole phrase.
func count(occ []occurrence, n int) int {
	if n == 1 {
		return len(occ)
	}
	at := map[[2]int]bool{}
	for _, o := range occ {
		at[[2]int{int(o.k), o.pos}] = true
	}
	tf := 0
	for _, o := range occ {
		if o.k != 0 {
			break
		}
		all := true
		for k := 1; k < n && all; k++ {
			all = at[[2]int{k, o.pos + k}]
		}
		if all {
			tf++
		}
	}
	return tf
}

// finish records document i as a match of query q if every clause occurred
// and the filters pass, and clears the query's slots.
func (w *worker) finish(q, i int, d *Doc) {
	w.seen[q] = false
	slots := w.tf[w.off[q]:w.off[q+1]]
	ok := w.qs[q].passes(d)
	for c := 0; ok && c < len(slots)/NumFields; c++ {
		ok = slots[c*NumFields] > 0 || slots[c*NumFields+1] > 0 || slots[c*NumFields+2] > 0
	}
	if ok {
		m := match{doc: i, tf: slices.Clone(slots)}
		for f := range NumFields {
			m.lens[f] = uint32(len(d.Fields[f]))
		}
		w.matches[q] = append(w.matches[q], m)
	}
	clear(slots)
}
