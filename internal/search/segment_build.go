package search

import (
	"cmp"
	"encoding/binary"
	"hash/fnv"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"paperboy"
)

// docRec is what a segment keeps of a document besides its postings.
type docRec struct {
	id        paperboy.ArxivID
	submitted int64
	cats      []string
	lens      [numFields]uint32
	titleKey  string // "" when the title has no words
	titleHash uint64 // set instead of titleKey when merging
}

func (d *docRec) hash() uint64 {
	if d.titleHash != 0 || d.titleKey == "" {
		return d.titleHash
	}
	return hashTitle(d.titleKey)
}

// hashTitle is the title key's hash that segments store to pin exact-title
// matches (0 is kept for "no title").
func hashTitle(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return max(h.Sum64(), 1)
}

// termAcc accumulates one term's postings for encoding: its documents in
// order, numFields frequencies per document, and per document and field in
// order, the positions.
type termAcc struct {
	docs []uint32
	tfs  []uint32
	pos  []uint32
}

func (a *termAcc) reset() { a.docs, a.tfs, a.pos = a.docs[:0], a.tfs[:0], a.pos[:0] }

// segWriter encodes a segment; terms must be added in sorted order.
type segWriter struct {
	spec      boundSpec
	docs      []docRec
	termBlob  []byte
	termOff   []uint32
	terms     []termStats // of the terms in termOff
	blockMeta []uint32
	post      []byte
	impactDir []uint32
	impact    []byte
	scratch   []uint32
	ts        []float64 // the current term's documents' BM25F frequencies
}

// buildSegment encodes analyzed documents as a segment, numbered in order,
// with block bounds for spec.
func buildSegment(ads []*analyzedDoc, spec boundSpec) *segment {
	w := &segWriter{spec: spec, docs: make([]docRec, len(ads))}
	for doc, d := range ads {
		w.docs[doc] = docRec{id: d.info.id, submitted: d.info.submitted, cats: d.info.cats, lens: d.info.lens, titleKey: d.info.titleKey}
	}
	var acc accumulator
	acc.gather(ads)
	order := make([]int32, len(acc.terms))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(acc.terms[a], acc.terms[b]) })
	for _, i := range order {
		w.addTerm(acc.terms[i], &acc.accs[i])
	}
	s, err := openSegment(w.finish())
	if err != nil {
		panic("search: a segment just built does not open: " + err.Error())
	}
	return s
}

// accumulator gathers the postings of a segment's documents by term. It
// finds a term's postings by its number in the document's epoch, falling
// back on its text once per term and epoch.
//
// The documents of a segment mostly come from one analysis worker, so one
// epoch: its terms are told apart by number alone, and the map by text is
// only filled in (for the terms so far, then for every new one) once a
// second epoch shows up.
type accumulator struct {
	terms  []string
	accs   []termAcc        // made by cut, once the terms are known
	byTerm map[string]int32 // terms[:mapped] and those byText added
	mapped int
	epoch  *termEpoch
	byID   []int32 // in epoch: term number -> index in accs, or -1
	seen   map[*termEpoch][]int32
}

// gather fills in the postings of ads in two passes: the first finds each
// term's place and counts its documents and positions, so that the second
// appends them to lists cut to size from three shared arrays, where growing
// each list by doubling would copy and discard most of what it holds.
func (c *accumulator) gather(ads []*analyzedDoc) {
	c.byTerm, c.seen = map[string]int32{}, map[*termEpoch][]int32{}
	n := 0
	for _, d := range ads {
		for f := range numFields {
			n += len(d.fields[f].ids)
		}
	}
	places := make([]int32, 0, n) // each document's terms' places, field by field
	var counts []termCount
	for doc, d := range ads {
		c.enter(d.epoch)
		for f := range numFields {
			ft := &d.fields[f]
			for i, id := range ft.ids {
				j := c.index(d, id)
				places = append(places, j)
				if int(j) == len(counts) {
					counts = append(counts, termCount{})
				}
				tc := &counts[j]
				if tc.last != uint32(doc)+1 {
					tc.last = uint32(doc) + 1
					tc.docs++
				}
				tc.pos += uint32(len(ft.positions(i)))
			}
		}
	}
	c.cut(counts)
	for doc, d := range ads {
		for f := range numFields {
			ft := &d.fields[f]
			for i := range ft.ids {
				a := &c.accs[places[0]]
				places = places[1:]
				if n := len(a.docs); n == 0 || a.docs[n-1] != uint32(doc) {
					a.docs = append(a.docs, uint32(doc))
					a.tfs = append(a.tfs, 0, 0, 0)
				}
				p := ft.positions(i)
				a.tfs[len(a.tfs)-numFields+f] = uint32(len(p))
				a.pos = append(a.pos, p...)
			}
		}
	}
}

// termCount is what gather's first pass counts of a term.
type termCount struct {
	docs, pos uint32
	last      uint32 // 1 + the last document counted
}

// cut makes each term's lists, with the capacity for the documents and
// positions it counts.
func (c *accumulator) cut(counts []termCount) {
	var nd, np int
	for _, tc := range counts {
		nd, np = nd+int(tc.docs), np+int(tc.pos)
	}
	docs, tfs, pos := make([]uint32, nd), make([]uint32, numFields*nd), make([]uint32, np)
	c.accs = make([]termAcc, len(counts))
	for j, tc := range counts {
		n, m := int(tc.docs), int(tc.pos)
		c.accs[j] = termAcc{docs: docs[:0:n], tfs: tfs[: 0 : numFields*n], pos: pos[:0:m]}
		docs, tfs, pos = docs[n:], tfs[numFields*n:], pos[m:]
	}
}

// enter switches to the term numbers of epoch.
func (c *accumulator) enter(epoch *termEpoch) {
	if epoch == c.epoch {
		return
	}
	if c.epoch != nil {
		c.seen[c.epoch] = c.byID
	}
	c.epoch, c.byID = epoch, c.seen[epoch]
}

// index returns the place in accs of d's term number id.
func (c *accumulator) index(d *analyzedDoc, id uint32) int32 {
	for int(id) >= len(c.byID) {
		c.byID = append(c.byID, -1)
	}
	if c.byID[id] < 0 {
		if len(c.seen) == 0 { // the first epoch: no other numbering to reconcile
			c.byID[id] = c.newTerm(d.vocab[id])
		} else {
			c.byID[id] = c.byText(d.vocab[id])
		}
	}
	return c.byID[id]
}

func (c *accumulator) newTerm(term string) int32 {
	c.terms = append(c.terms, term)
	return int32(len(c.terms) - 1)
}

func (c *accumulator) byText(term string) int32 {
	for ; c.mapped < len(c.terms); c.mapped++ {
		c.byTerm[c.terms[c.mapped]] = int32(c.mapped)
	}
	j, ok := c.byTerm[term]
	if !ok {
		j = int32(len(c.terms))
		c.byTerm[term] = c.newTerm(term)
		c.mapped++
	}
	return j
}

// buildSegments builds the documents as segments of at least minPerSegment
// documents each, on up to GOMAXPROCS goroutines, in order.
func buildSegments(ads []*analyzedDoc, spec boundSpec) []*segment {
	parts := max(1, min(runtime.GOMAXPROCS(0), len(ads)/minPerSegment))
	out := make([]*segment, parts)
	per := (len(ads) + parts - 1) / parts
	var wg sync.WaitGroup
	for i := range parts {
		chunk := ads[i*per : min((i+1)*per, len(ads))]
		wg.Go(func() { out[i] = buildSegment(chunk, spec) })
	}
	wg.Wait()
	return out
}

// minPerSegment is the fewest documents worth a segment of their own when
// a batch is built in parallel.
const minPerSegment = 2000

// addTerm encodes a term's postings in blocks, with each block's and the
// term's maximum frequencies and minimum lengths per field.
func (w *segWriter) addTerm(term string, a *termAcc) {
	w.termOff = append(w.termOff, uint32(len(w.termBlob)))
	w.termBlob = append(w.termBlob, term...)
	postOff := len(w.post)
	tmax, tmin := [numFields]uint32{}, [numFields]uint32{math.MaxUint32, math.MaxUint32, math.MaxUint32}
	block0 := len(w.blockMeta) / metaStride
	w.frequencies(a)
	var prev uint32
	p := 0
	inline := false
	titleDF, textDF := 0, 0
	for b := 0; b < len(a.docs); b += blockSize {
		end := min(b+blockSize, len(a.docs))
		bmax, bmin := [numFields]uint32{}, [numFields]uint32{math.MaxUint32, math.MaxUint32, math.MaxUint32}
		bPost := uint32(len(w.post) - postOff)
		deltas := w.scratch[:0]
		for _, d := range a.docs[b:end] {
			deltas = append(deltas, d-prev)
			prev = d
		}
		p0 := p
		for i := b; i < end; i++ {
			tfs := a.tfs[i*numFields : (i+1)*numFields]
			titleDF += b2i(tfs[fieldTitle] > 0)
			textDF += b2i(tfs[fieldTitle] > 0 || tfs[fieldAbstract] > 0)
			for f, tf := range tfs {
				if tf == 0 {
					continue
				}
				bmax[f] = max(bmax[f], tf)
				bmin[f] = min(bmin[f], w.docs[a.docs[i]].lens[f])
				p += int(tf)
			}
		}
		inline = len(a.docs) == 1 && max(bmax[0], bmax[1], bmax[2]) < 0xff
		tfs := a.tfs[b*numFields : end*numFields]
		if !inline {
			w.post = appendBlock(w.post, deltas, tfs, bmax)
		}
		w.post = appendPositions(w.post, tfs, a.pos[p0:p])
		w.scratch = deltas
		if len(a.docs) > blockSize {
			var meta [metaStride]uint32
			meta[metaLast], meta[metaPost] = a.docs[end-1], bPost
			packLimits(meta[:], bmax, bmin)
			meta[metaBound] = w.docBound(b, end)
			w.blockMeta = append(w.blockMeta, meta[:]...)
		}
		for f := range numFields {
			tmax[f], tmin[f] = max(tmax[f], bmax[f]), min(tmin[f], bmin[f])
		}
	}
	w.addImpact(block0, a.docs, w.ts)
	st := termStats{df: len(a.docs), titleDF: titleDF, textDF: textDF, maxTF: tmax, minLen: tmin, postOff: uint64(postOff),
		nBlocks: nBlocks(len(a.docs)), inline: inline}
	if st.nBlocks == 1 {
		st.lastDoc = a.docs[len(a.docs)-1]
	} else {
		st.block0 = block0
	}
	w.terms = append(w.terms, st)
}

// frequencies sets w.ts to the BM25F frequency under w's spec of each of
// a term's documents, for a term of several blocks (none otherwise).
func (w *segWriter) frequencies(a *termAcc) {
	w.ts = w.ts[:0]
	if !w.spec.valid() || len(a.docs) <= blockSize {
		return
	}
	for i, d := range a.docs {
		w.ts = append(w.ts, w.spec.tf(a.tfs[i*numFields:(i+1)*numFields], &w.docs[d].lens))
	}
}

// docBound is the stored bound of a term's block of documents [b, end):
// the largest BM25F frequency one of them has under w's spec.
func (w *segWriter) docBound(b, end int) uint32 {
	if len(w.ts) == 0 {
		return 0
	}
	return roundUp(slices.Max(w.ts[b:end]))
}

// finish lays the sections out after the header.
func (w *segWriter) finish() []byte {
	n := len(w.docs)
	var sec [numSections][]byte
	head := []uint64{uint64(n), 0, 0, 0}
	submitted := make([]int64, n)
	lens := make([]uint32, numFields*n)
	idOff := make([]uint32, 0, n+1)
	var idBlob []byte
	type titled struct {
		h   uint64
		doc uint32
	}
	var titles []titled
	catDocs := map[string][]uint32{}
	for doc := range w.docs {
		d := &w.docs[doc]
		submitted[doc] = d.submitted
		for f := range numFields {
			lens[doc*numFields+f] = d.lens[f]
			head[1+f] += uint64(d.lens[f])
		}
		idOff = append(idOff, uint32(len(idBlob)))
		idBlob = append(idBlob, d.id...)
		if h := d.hash(); h != 0 {
			titles = append(titles, titled{h, uint32(doc)})
		}
		for _, c := range d.cats {
			if l := catDocs[c]; len(l) == 0 || l[len(l)-1] != uint32(doc) {
				catDocs[c] = append(l, uint32(doc))
			}
		}
	}
	idOff = append(idOff, uint32(len(idBlob)))
	idSorted := make([]uint32, n)
	for i := range idSorted {
		idSorted[i] = uint32(i)
	}
	slices.SortFunc(idSorted, func(a, b uint32) int { return cmp.Compare(w.docs[a].id, w.docs[b].id) })
	slices.SortFunc(titles, func(a, b titled) int { return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.doc, b.doc)) })
	titleHash, titleDoc := make([]uint64, len(titles)), make([]uint32, len(titles))
	for i, t := range titles {
		titleHash[i], titleDoc[i] = t.h, t.doc
	}
	cats := make([]string, 0, len(catDocs))
	for c := range catDocs {
		cats = append(cats, c)
	}
	slices.Sort(cats)
	var catOff, catDocOff []uint32
	var catBlob, catList []byte
	for _, c := range cats {
		catOff, catDocOff = append(catOff, uint32(len(catBlob))), append(catDocOff, uint32(len(catList)))
		catBlob = append(catBlob, c...)
		var prev uint32
		for _, doc := range catDocs[c] {
			catList = binary.AppendUvarint(catList, uint64(doc-prev))
			prev = doc
		}
	}
	catOff, catDocOff = append(catOff, uint32(len(catBlob))), append(catDocOff, uint32(len(catList)))

	for _, v := range [][numFields]float64{w.spec.w, w.spec.b, w.spec.avgHi} {
		for f := range numFields {
			head = append(head, math.Float64bits(v[f]))
		}
	}
	base, shortSub, longSub := splitTimes(submitted)
	sec[secSubmitted], sec[secLongSub] = b32(shortSub), b64(longSub)
	shortLens, longLens := splitLens(lens)
	sec[secLens], sec[secLongLens] = b16(shortLens), b32(longLens)
	sec[secIDOff], sec[secIDBlob], sec[secIDSorted] = b32(idOff), idBlob, b32(idSorted)
	sec[secTitleHash], sec[secTitleDoc] = b64(titleHash), b32(titleDoc)
	sec[secCatOff], sec[secCatBlob], sec[secCatDocOff], sec[secCatDocs] = b32(catOff), catBlob, b32(catDocOff), catList
	var dw dictWriter
	for i := range w.terms {
		end := uint32(len(w.termBlob))
		if i+1 < len(w.termOff) {
			end = w.termOff[i+1]
		}
		dw.add(str(w.termBlob[w.termOff[i]:end]), &w.terms[i])
	}
	head = append(head, uint64(len(w.terms)), uint64(base))
	sec[secHeader] = b64(head)
	sec[secDictIndex], sec[secDict] = b64(dw.index), dw.data
	sec[secBlockMeta], sec[secPost] = b32(w.blockMeta), append(w.post, make([]byte, postPad)...)
	sec[secImpactDir], sec[secImpact] = b32(w.impactDir), w.impact
	return layout(sec)
}

func layout(sec [numSections][]byte) []byte {
	size := segHeaderLen
	for _, s := range sec {
		size = align8(size) + len(s)
	}
	out := make([]byte, segHeaderLen, size)
	copy(out, segMagic)
	for i, s := range sec {
		out = append(out, make([]byte, align8(len(out))-len(out))...)
		binary.LittleEndian.PutUint64(out[8+16*i:], uint64(len(out)))
		binary.LittleEndian.PutUint64(out[16+16*i:], uint64(len(s)))
		out = append(out, s...)
	}
	return out
}

func align8(n int) int { return (n + 7) &^ 7 }

// splitLens stores the field lengths in 16 bits, those that do not fit
// as lenEscape with their place and length in long: lengths are a large
// part of a segment's document table, and all but a few fit.
func splitLens(lens []uint32) (short []uint16, long []uint32) {
	short = make([]uint16, len(lens))
	for i, l := range lens {
		short[i] = uint16(min(l, lenEscape))
		if l >= lenEscape {
			long = append(long, uint32(i), l)
		}
	}
	return short, long
}

// splitTimes stores submission times as seconds after the earliest (base)
// in 32 bits, those further on as subEscape with their document and time
// in long: within a segment the times span years, not centuries.
func splitTimes(times []int64) (base int64, short []uint32, long []uint64) {
	if len(times) > 0 {
		base = slices.Min(times)
	}
	short = make([]uint32, len(times))
	for doc, t := range times {
		d := uint64(t) - uint64(base) // t >= base: exact, even past MaxInt64
		short[doc] = uint32(min(d, subEscape))
		if d >= subEscape {
			long = append(long, uint64(doc), uint64(t))
		}
	}
	return base, short, long
}

func b16(v []uint16) []byte {
	out := make([]byte, 2*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint16(out[2*i:], x)
	}
	return out
}

func b32(v []uint32) []byte {
	out := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(out[4*i:], x)
	}
	return out
}

func b64(v []uint64) []byte {
	out := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(out[8*i:], x)
	}
	return out
}

// cloneID copies an ID out of segment data, for keeping past the segment.
func cloneID(id paperboy.ArxivID) paperboy.ArxivID {
	return paperboy.ArxivID(strings.Clone(string(id)))
}
