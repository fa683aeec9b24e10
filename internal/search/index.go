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

// postings lists the documents containing a term in one field, in document
// order, with the term's positions in each.
type postings struct {
	docs  []uint32
	start []uint32 // start[i] indexes pos for docs[i]; its positions end at start[i+1] or len(pos)
	pos   []uint32
}

func (p *postings) positions(i int) []uint32 {
	end := len(p.pos)
	if i+1 < len(p.start) {
		end = int(p.start[i+1])
	}
	return p.pos[p.start[i]:end]
}

// find returns the index of doc in p.docs, or -1.
func (p *postings) find(doc uint32) int {
	i, ok := slices.BinarySearch(p.docs, doc)
	if !ok {
		return -1
	}
	return i
}

func (p *postings) add(doc uint32, pos []uint32) {
	p.docs = append(p.docs, doc)
	p.start = append(p.start, uint32(len(p.pos)))
	p.pos = append(p.pos, pos...)
}

func (p *postings) remove(doc uint32) {
	i := p.find(doc)
	if i < 0 {
		return
	}
	from, n := int(p.start[i]), len(p.positions(i))
	p.pos = slices.Delete(p.pos, from, from+n)
	p.docs = slices.Delete(p.docs, i, i+1)
	p.start = slices.Delete(p.start, i, i+1)
	for j := i; j < len(p.start); j++ {
		p.start[j] -= uint32(n)
	}
}

type termPostings [numFields]postings

// docInfo is what the index keeps of a paper to filter, rank and remove it.
type docInfo struct {
	id        paperboy.ArxivID
	live      bool
	submitted int64 // Unix seconds of first submission
	cats      []string
	lens      [numFields]uint32
	terms     []string // distinct terms over all fields
	titleKey  string
}

// analyzedDoc is a paper analyzed for indexing, prepared outside the lock.
type analyzedDoc struct {
	info   docInfo
	fields [numFields]map[string][]uint32
}

func analyzePaper(p *paperboy.Paper, st *stemmer) *analyzedDoc {
	d := &analyzedDoc{info: docInfo{
		id:        p.ID,
		live:      true,
		submitted: p.Submitted.Unix(),
		titleKey:  titleKey(p.Title),
	}}
	for _, c := range p.Categories {
		d.info.cats = append(d.info.cats, strings.ToLower(c))
	}
	d.addField(fieldTitle, analyzeWith(p.Title, docText, st), 0)
	d.addField(fieldAbstract, analyzeWith(p.Abstract, docText, st), 0)
	base := 0
	for _, a := range p.Authors {
		toks := analyzeWith(a.Name, docAuthors, st)
		d.addField(fieldAuthors, toks, base)
		if len(toks) > 0 {
			base += toks[len(toks)-1].pos + authorGap
		}
	}
	return d
}

func (d *analyzedDoc) addField(f int, toks []token, base int) {
	if d.fields[f] == nil {
		d.fields[f] = make(map[string][]uint32)
	}
	for _, t := range toks {
		if _, ok := d.fields[f][t.term]; !ok {
			seen := false
			for g := range f {
				_, seen = d.fields[g][t.term]
				if seen {
					break
				}
			}
			if !seen {
				d.info.terms = append(d.info.terms, t.term)
			}
		}
		d.fields[f][t.term] = append(d.fields[f][t.term], uint32(base+t.pos))
	}
	d.info.lens[f] += uint32(len(toks))
}

// index is the in-memory inverted index. Documents get increasing numbers,
// so postings stay sorted by appending; a changed paper is removed and added
// again under a new number.
type index struct {
	terms    map[string]*termPostings
	docs     []docInfo
	byID     map[paperboy.ArxivID]uint32
	titles   map[string][]uint32
	live     int
	totalLen [numFields]uint64
}

func newIndex() *index {
	return &index{
		terms:  make(map[string]*termPostings),
		byID:   make(map[paperboy.ArxivID]uint32),
		titles: make(map[string][]uint32),
	}
}

func (x *index) add(d *analyzedDoc) {
	x.remove(d.info.id)
	doc := uint32(len(x.docs))
	x.docs = append(x.docs, d.info)
	for f := range numFields {
		for term, pos := range d.fields[f] {
			tp := x.terms[term]
			if tp == nil {
				tp = new(termPostings)
				x.terms[term] = tp
			}
			tp[f].add(doc, pos)
		}
		x.totalLen[f] += uint64(d.info.lens[f])
	}
	x.byID[d.info.id] = doc
	if d.info.titleKey != "" {
		x.titles[d.info.titleKey] = append(x.titles[d.info.titleKey], doc)
	}
	x.live++
}

func (x *index) remove(id paperboy.ArxivID) {
	doc, ok := x.byID[id]
	if !ok {
		return
	}
	info := &x.docs[doc]
	for _, term := range info.terms {
		tp := x.terms[term]
		empty := true
		for f := range numFields {
			tp[f].remove(doc)
			empty = empty && len(tp[f].docs) == 0
		}
		if empty {
			delete(x.terms, term)
		}
	}
	for f := range numFields {
		x.totalLen[f] -= uint64(info.lens[f])
	}
	if t := slices.DeleteFunc(x.titles[info.titleKey], func(d uint32) bool { return d == doc }); len(t) > 0 {
		x.titles[info.titleKey] = t
	} else {
		delete(x.titles, info.titleKey)
	}
	delete(x.byID, id)
	*info = docInfo{id: id}
	x.live--
}
