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
	titleKey  string
}

// analyzedDoc is a paper analyzed for indexing, prepared outside the lock.
type analyzedDoc struct {
	info   docInfo
	fields [numFields]fieldTerms
	epoch  *termEpoch // of the fields' term numbers
	vocab  []string   // the epoch's terms by number, at least those of fields
}

// fieldTerms are the distinct terms of one field of a document, by number
// in the analyzedDoc's epoch, in order of first occurrence, with their
// positions: those of ids[i] are pos[start[i]:start[i+1]] (or to the end
// for the last). Being pointer-free, the fields of a batch of documents
// cost the garbage collector nothing to scan.
type fieldTerms struct {
	ids   []uint32
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

// term returns the i-th term of field f.
func (d *analyzedDoc) term(f, i int) string { return d.vocab[d.fields[f].ids[i]] }

func analyzePaper(p *paperboy.Paper, st *stemmer) *analyzedDoc {
	d := &analyzedDoc{info: docInfo{id: p.ID, submitted: p.Submitted.Unix()}}
	for _, c := range p.Categories {
		d.info.cats = append(d.info.cats, strings.ToLower(c))
	}
	if len(st.cache) >= maxStemCache {
		st.reset()
	}
	if st.hot == nil {
		st.hot = new([hotEntries]hotEntry)
	}
	d.epoch = st.epoch
	st.chars, st.plain = foldText(st.chars[:0], p.Title), false // folded once for the key and the terms
	d.info.titleKey = titleKeyOf(st.chars)
	st.fieldToks = st.appendTokens(st.fieldToks[:0], docText)
	d.setField(fieldTitle, st)
	st.load(p.Abstract)
	st.fieldToks = st.appendTokens(st.fieldToks[:0], docText)
	d.setField(fieldAbstract, st)
	st.fieldToks = st.fieldToks[:0]
	base := 0
	for _, a := range p.Authors {
		st.load(a.Name)
		from := len(st.fieldToks)
		st.fieldToks = st.appendTokens(st.fieldToks, docAuthors)
		toks := st.fieldToks[from:]
		for i := range toks {
			toks[i].pos += base
		}
		if len(toks) > 0 {
			base = toks[len(toks)-1].pos + authorGap
		}
	}
	d.setField(fieldAuthors, st)
	d.vocab = st.terms
	return d
}

// setField groups st.fieldToks, the tokens of field f, by term. Terms are
// told apart by number, which spares hashing them again.
func (d *analyzedDoc) setField(f int, st *stemmer) {
	toks := st.fieldToks
	ft := &d.fields[f]
	st.gen++
	if n := len(st.terms); len(st.slot) < n {
		st.slot = slices.Grow(st.slot, n-len(st.slot))[:n]
		st.slotGen = slices.Grow(st.slotGen, n-len(st.slotGen))[:n]
	}
	counts, firsts := st.counts[:0], st.firsts[:0]
	for i, t := range toks {
		if st.slotGen[t.id] != st.gen {
			st.slotGen[t.id] = st.gen
			st.slot[t.id] = int32(len(firsts))
			firsts = append(firsts, int32(i))
			counts = append(counts, 0)
		}
		counts[st.slot[t.id]]++
	}
	st.firsts = firsts
	// Sized exactly, in one allocation.
	n := len(firsts)
	all := st.carve(2*n + len(toks))
	ft.ids, ft.start, ft.pos = all[:n:n], all[n:2*n:2*n], all[2*n:]
	var at uint32
	for j, i := range firsts {
		ft.ids[j] = toks[i].id
		ft.start[j] = at
		at += counts[j]
		counts[j] = ft.start[j] // next free slot of term j
	}
	for _, t := range toks {
		i := st.slot[t.id]
		ft.pos[counts[i]] = uint32(t.pos)
		counts[i]++
	}
	st.counts = counts
	d.info.lens[f] = uint32(len(toks))
}
