package search

import (
	"runtime"
	"sort"
	"strings"
	"sync"
)

// mergeSegments writes the live documents of svs as one segment, in order,
// merging each term's postings without re-analyzing anything. The terms
// are merged in two ranges at once, split where the largest segment's
// postings are halved, and the second range's sections are appended to
// the first's.
func mergeSegments(svs []*segView, spec boundSpec) *segment {
	w := &segWriter{spec: spec}
	remaps := make([][]int32, len(svs))
	for i, sv := range svs {
		remaps[i] = w.addDocs(sv)
	}
	split := splitTerm(svs)
	if split == "" || runtime.GOMAXPROCS(0) < 2 {
		mergeTerms(w, svs, remaps, "", "")
	} else {
		second := &segWriter{spec: spec, docs: w.docs}
		var wg sync.WaitGroup
		wg.Go(func() { mergeTerms(second, svs, remaps, split, "") })
		mergeTerms(w, svs, remaps, "", split)
		wg.Wait()
		w.appendTerms(second)
	}
	s, err := openSegment(w.finish())
	if err != nil {
		panic("search: a merged segment does not open: " + err.Error())
	}
	runtime.KeepAlive(svs)
	return s
}

// splitTerm returns the first term of the dictionary block at which the
// largest segment's postings are halved, or "" when it has too few blocks
// to split.
func splitTerm(svs []*segView) string {
	big := svs[0].seg
	for _, sv := range svs[1:] {
		if len(sv.seg.post) > len(big.post) {
			big = sv.seg
		}
	}
	nb := big.dictBlocks()
	if nb < 2 {
		return ""
	}
	half := uint64(len(big.post) / 2)
	b := sort.Search(nb, func(b int) bool { return big.dictIndex[b*dictIndexStride+1] >= half })
	return big.firstTerm(max(1, min(b, nb-1)))
}

// mergeTerms adds to w the merged postings of the terms in [from, to) ("":
// unbounded) of svs.
func mergeTerms(w *segWriter, svs []*segView, remaps [][]int32, from, to string) {
	ds := make([]dictIter, len(svs)) // each segment's next term
	more := make([]bool, len(svs))
	for i, sv := range svs {
		s := sv.seg
		b := sort.Search(s.dictBlocks(), func(b int) bool { return s.firstTerm(b) >= from })
		ds[i].seek(s, max(b-1, 0))
		for more[i] = ds[i].next(); more[i] && ds[i].termString() < from; more[i] = ds[i].next() {
		}
	}
	acc, it := &termAcc{}, &postIter{}
	for {
		least, any := "", false
		for i := range ds {
			if more[i] {
				if t := ds[i].termString(); !any || t < least {
					least, any = t, true
				}
			}
		}
		if !any || to != "" && least >= to {
			return
		}
		least = strings.Clone(least) // the iterators' buffers move on
		acc.reset()
		for i, sv := range svs {
			if more[i] && ds[i].termString() == least {
				sv.seg.appendAll(it, ds[i].st, remaps[i], acc)
				more[i] = ds[i].next()
			}
		}
		if len(acc.docs) > 0 {
			w.addTerm(least, acc)
		}
	}
}

// appendTerms appends o's terms, which sort after w's, and their postings,
// to w, moving their offsets past w's.
func (w *segWriter) appendTerms(o *segWriter) {
	blob, blocks := uint32(len(w.termBlob)), len(w.blockMeta)/metaStride
	post := uint64(len(w.post))
	for _, off := range o.termOff {
		w.termOff = append(w.termOff, blob+off)
	}
	for _, st := range o.terms {
		st.postOff += post
		if st.nBlocks > 1 {
			st.block0 += blocks
		}
		w.terms = append(w.terms, st)
	}
	for i := 0; i < len(o.impactDir); i += impactStride {
		e := o.impactDir[i : i+impactStride]
		w.impactDir = append(w.impactDir, e[0]+uint32(blocks), e[1]+uint32(len(w.impact)), e[2], e[3])
	}
	w.impact = append(w.impact, o.impact...)
	w.termBlob = append(w.termBlob, o.termBlob...)
	w.blockMeta = append(w.blockMeta, o.blockMeta...)
	w.post = append(w.post, o.post...)
}

// addDocs copies the live documents of sv and returns their new numbers
// (-1 for deleted ones).
func (w *segWriter) addDocs(sv *segView) []int32 {
	s := sv.seg
	remap := make([]int32, s.n)
	hashes := make([]uint64, s.n)
	for i, d := range s.titleDoc {
		hashes[d] = s.titleHash[i]
	}
	for doc := range uint32(s.n) {
		if !sv.isLive(doc) {
			remap[doc] = -1
			continue
		}
		remap[doc] = int32(len(w.docs))
		r := docRec{id: cloneID(s.id(doc)), submitted: s.sub(doc), titleHash: hashes[doc]}
		for f := range numFields {
			r.lens[f] = s.fieldLen(f, doc)
		}
		w.docs = append(w.docs, r)
	}
	for i := range s.numCats() {
		c := strings.Clone(s.cat(i))
		for doc := range s.catDocList(i) {
			if nd := remap[doc]; nd >= 0 {
				w.docs[nd].cats = append(w.docs[nd].cats, c)
			}
		}
	}
	return remap
}
