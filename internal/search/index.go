package search

import (
	"slices"
	"strings"

	"paperboy"
)

// The indexed fields of a paper.
const (
	fieldTitle = iota
	fieldAbstract
	fieldAuthors
	numFields
)

// authorGap separates the positions of consecutive author names, so that a
// phrase never spans two authors.
const authorGap = 16

// docInfo is what indexing keeps of a paper besides its terms.
type docInfo struct {
	id        paperboy.ArxivID
	submitted int64 // Unix seconds of first submission
	cats      []string
	lens      [numFields]uint32
	terms     []string // distinct terms over all fields
	titleKey  string
}

// analyzedDoc is a paper analyzed for indexing, prepared outside the lock.
type analyzedDoc struct {
	info   docInfo
	fields [numFields]fieldTerms
	epoch  *termEpoch // of the fields' term numbers
}

// fieldTerms are the distinct terms of one field of a document, in order of
// first occurrence, with their positions: those of terms[i] are
// pos[start[i]:start[i+1]] (or to the end for the last).
type fieldTerms struct {
	terms []string
	ids   []uint32 // the terms' numbers in the analyzedDoc's epoch
	start []uint32
	pos   []uint32
}

func (ft *fieldTerms) positions(i int) []uint32 {
	end := len(ft.pos)
	if i+1 < len(ft.start) {
		end = int(ft.start[i+1])
	}
	return ft.pos[ft.start[i]:end]
}

func analyzePaper(p *paperboy.Paper, st *stemmer) *analyzedDoc {
	d := &analyzedDoc{info: docInfo{
		id:        p.ID,
		submitted: p.Submitted.Unix(),
		titleKey:  titleKeyWith(p.Title, st),
	}}
	for _, c := range p.Categories {
		d.info.cats = append(d.info.cats, strings.ToLower(c))
	}
	if len(st.cache) >= maxStemCache {
		st.reset()
	}
	if st.hot == nil {
		st.hot = new([hotEntries]hotEntry)
	}
	st.docGen++
	d.epoch = st.epoch
	st.fieldToks = append(st.fieldToks[:0], analyzeWith(p.Title, docText, st)...)
	d.setField(fieldTitle, st)
	st.fieldToks = append(st.fieldToks[:0], analyzeWith(p.Abstract, docText, st)...)
	d.setField(fieldAbstract, st)
	st.fieldToks = st.fieldToks[:0]
	base := 0
	for _, a := range p.Authors {
		toks := analyzeWith(a.Name, docAuthors, st)
		for _, t := range toks {
			t.pos += base
			st.fieldToks = append(st.fieldToks, t)
		}
		if len(toks) > 0 {
			base += toks[len(toks)-1].pos + authorGap
		}
	}
	d.setField(fieldAuthors, st)
	return d
}

// setField groups st.fieldToks, the tokens of field f, by term, and adds the
// terms not seen in earlier fields to the document's terms. Terms are
// told apart by number, which spares hashing them again.
func (d *analyzedDoc) setField(f int, st *stemmer) {
	toks := st.fieldToks
	ft := &d.fields[f]
	st.gen++
	if n := len(st.ids); len(st.slot) < n {
		st.slot = slices.Grow(st.slot, n-len(st.slot))[:n]
		st.slotGen = slices.Grow(st.slotGen, n-len(st.slotGen))[:n]
		st.seenGen = slices.Grow(st.seenGen, n-len(st.seenGen))[:n]
	}
	counts, firsts := st.counts[:0], st.firsts[:0]
	for i, t := range toks {
		if st.slotGen[t.id] != st.gen {
			st.slotGen[t.id] = st.gen
			st.slot[t.id] = int32(len(firsts))
			firsts = append(firsts, int32(i))
			counts = append(counts, 0)
			if st.seenGen[t.id] != st.docGen {
				st.seenGen[t.id] = st.docGen
				d.info.terms = append(d.info.terms, t.term)
			}
		}
		counts[st.slot[t.id]]++
	}
	st.firsts = firsts
	// Sized exactly, with start and pos in one allocation.
	ft.terms, ft.ids = make([]string, len(firsts)), make([]uint32, len(firsts))
	for j, i := range firsts {
		ft.terms[j], ft.ids[j] = toks[i].term, toks[i].id
	}
	both := make([]uint32, len(firsts)+len(toks))
	ft.start, ft.pos = both[:len(firsts):len(firsts)], both[len(firsts):]
	var at uint32
	for i, c := range counts {
		ft.start[i] = at
		at += c
		counts[i] = ft.start[i] // next free slot of term i
	}
	for _, t := range toks {
		i := st.slot[t.id]
		ft.pos[counts[i]] = uint32(t.pos)
		counts[i]++
	}
	st.counts = counts
	d.info.lens[f] = uint32(len(toks))
}
