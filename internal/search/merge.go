package search

import (
	"runtime"
	"strings"
)

// mergeSegments writes the live documents of svs as one segment, in order,
// merging each term's postings without re-analyzing anything.
func mergeSegments(svs []*segView) *segment {
	w := &segWriter{}
	remaps := make([][]int32, len(svs))
	for i, sv := range svs {
		remaps[i] = w.addDocs(sv)
	}
	terms := make([]int, len(svs)) // each segment's next term
	acc := &termAcc{}
	for {
		least, any := "", false
		for i, sv := range svs {
			if terms[i] < sv.seg.numTerms() {
				if t := sv.seg.termAt(terms[i]); !any || t < least {
					least, any = t, true
				}
			}
		}
		if !any {
			break
		}
		acc.reset()
		for i, sv := range svs {
			if terms[i] < sv.seg.numTerms() && sv.seg.termAt(terms[i]) == least {
				sv.seg.appendAll(terms[i], remaps[i], acc)
				terms[i]++
			}
		}
		if len(acc.docs) > 0 {
			w.addTerm(least, acc)
		}
	}
	s, err := openSegment(w.finish())
	if err != nil {
		panic("search: a merged segment does not open: " + err.Error())
	}
	runtime.KeepAlive(svs)
	return s
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
		r := docRec{id: cloneID(s.id(doc)), submitted: s.submitted[doc], titleHash: hashes[doc]}
		for f := range numFields {
			r.lens[f] = s.fieldLen(f, doc)
		}
		w.docs = append(w.docs, r)
	}
	for i := range s.numCats() {
		c := strings.Clone(s.cat(i))
		for _, doc := range s.catDocList(i) {
			if nd := remap[doc]; nd >= 0 {
				w.docs[nd].cats = append(w.docs[nd].cats, c)
			}
		}
	}
	return remap
}
