package search

import "math"

// noDoc is past the last document of every list.
const noDoc = math.MaxUint32

// postIter walks one term's postings in a segment, decoding a block of
// doc IDs at a time, and frequencies and positions only when asked.
type postIter struct {
	s       *segment
	st      termStats
	block   int // current block; st.nBlocks when exhausted
	decoded bool
	n, i    int // documents in the block, and the current one
	doc     uint32
	docs    [blockSize]uint32 // docs[:dn] unpacked so far
	dn      int
	dBit    uint // where the next ID's delta is in blk, in bits
	dw      uint // the deltas' width
	exc     int  // the block's next exception's delta's index; blockSize if none
	excAt   int  // where that index is in blk
	excLeft int  // the exceptions from that one on
	excBit  uint // where its high bits are in blk, in bits
	hw      uint // their width
	dPrev   uint32
	blk     []byte             // the current block's encoding
	tfBit   [numFields]uint    // where each field's frequencies start in blk, in bits
	tfW     [numFields]uint    // and their width
	cur     [numFields]uint32  // scratch for freqs
	posAt   int                // where the block's positions start in blk (appendPositions)
	pos     []byte             // its packed positions, past their widths; nil until asked
	posW    [numFields]uint    // their width in each field
	posI    int                // the document whose positions start at posBit
	posBit  uint               // in pos
	one     [metaStride]uint32 // the metadata of a term's only block
	ubBlock int                // the block ub is for; -1 for none
	ub      float64
	scale   float64 // of the blocks' document bounds (bm25f.boundScale); 0: not used
}

func newPostIter(s *segment, st termStats) *postIter {
	it := s.iter(st)
	it.nextGEQ(0)
	return it
}

// iter returns an iterator over a term's postings, before its first block.
func (s *segment) iter(st termStats) *postIter {
	it := new(postIter)
	s.reset(it, st)
	return it
}

// reset makes it an iterator over a term's postings, before its first
// block.
func (s *segment) reset(it *postIter, st termStats) {
	*it = postIter{s: s, st: st, ubBlock: -1}
	if it.st.nBlocks == 1 {
		it.one[metaLast] = it.st.lastDoc
		packLimits(it.one[:], it.st.maxTF, it.st.minLen)
	}
}

// meta returns block b's metadata: a term with one block has none stored,
// its term's standing in.
func (it *postIter) meta(b int) []uint32 {
	if it.st.nBlocks == 1 {
		return it.one[:]
	}
	m := (it.st.block0 + b) * metaStride
	return it.s.blockMeta[m : m+metaStride]
}

func (it *postIter) lastDoc(b int) uint32 { return it.meta(b)[metaLast] }

// decode reads the current block's doc IDs and locates its frequencies.
func (it *postIter) decode() {
	it.open()
	it.unpackTo(it.n)
}

// open locates the current block's doc IDs and frequencies, unpacking no
// IDs yet: a search that jumps into a block needs those up to its target
// only (unpackTo).
func (it *postIter) open() {
	b := it.block
	if it.st.inline { // no block: postOff is where its positions are
		it.docs[0], it.n, it.dn = it.st.lastDoc, 1, 1
		it.blk, it.posAt, it.pos = it.s.post[it.st.postOff:], 0, nil
		it.decoded, it.i = true, 0
		return
	}
	blk := it.s.post[it.st.postOff+uint64(it.meta(b)[metaPost]):]
	n := min(blockSize, it.st.df-b*blockSize)
	it.dPrev = 0
	if b > 0 {
		it.dPrev = it.lastDoc(b - 1)
	}
	it.dw, it.dn, it.exc = uint(blk[0]&^patched), 0, blockSize
	head, nExc := blockHeader, 0
	if blk[0]&patched != 0 {
		nExc, it.hw = int(blk[blockHeader]), uint(blk[blockHeader+1])
		head += 2
	}
	it.dBit = uint(8 * head)
	at := head + packedLen(n, it.dw)
	for f := range numFields {
		it.tfW[f] = uint(blk[1+f])
		it.tfBit[f] = uint(8 * at)
		at += packedLen(n, it.tfW[f])
	}
	if nExc > 0 {
		it.exc, it.excAt, it.excLeft, it.excBit = int(blk[at]), at, nExc, uint(8*(at+nExc))
		at += nExc + packedLen(nExc, it.hw)
	}
	it.blk, it.n, it.posAt, it.pos = blk, n, at, nil
	it.decoded, it.i = true, 0
}

// unpackTo unpacks the block's doc IDs before the j-th.
func (it *postIter) unpackTo(j int) {
	for ; it.dn < j; it.dn++ {
		d := unpack(it.blk, it.dBit, it.dw)
		it.dBit += it.dw
		if it.dn == it.exc {
			d |= unpack(it.blk, it.excBit, it.hw) << it.dw
			it.nextException()
		}
		it.dPrev += d
		it.docs[it.dn] = it.dPrev
	}
}

// nextException moves past the current exception to the next, if any.
func (it *postIter) nextException() {
	it.excBit += it.hw
	if it.excLeft--; it.excLeft == 0 {
		it.exc = blockSize
		return
	}
	it.excAt++
	it.exc = int(it.blk[it.excAt])
}

// unpackChunk is how many IDs past the current one unpackTo is asked for.
const unpackChunk = 16

// tf is the frequency of the block's j-th document in field f.
func (it *postIter) tf(j, f int) uint32 {
	if it.st.inline {
		return it.st.maxTF[f]
	}
	w := it.tfW[f]
	if w == 0 {
		return 0
	}
	return unpack(it.blk, it.tfBit[f]+uint(j)*w, w)
}

// shallow moves to the block that may hold target without decoding it, and
// reports false when no block does.
func (it *postIter) shallow(target uint32) bool {
	b := it.block
	for b < it.st.nBlocks && it.lastDoc(b) < target {
		b++
	}
	if b != it.block {
		it.block, it.decoded = b, false
	}
	return b < it.st.nBlocks
}

// nextGEQ moves to the first document at or after target.
func (it *postIter) nextGEQ(target uint32) {
	if it.decoded && it.doc >= target {
		return
	}
	if !it.shallow(target) {
		it.doc = noDoc
		return
	}
	if !it.decoded {
		it.open()
	}
	for {
		if it.i >= it.dn {
			it.unpackTo(min(it.n, it.i+unpackChunk))
		}
		if it.docs[it.i] >= target {
			break
		}
		it.i++
	}
	it.doc = it.docs[it.i]
}

// next moves to the following document.
func (it *postIter) next() {
	if it.doc == noDoc {
		return
	}
	it.i++
	if it.i < it.n {
		if it.i >= it.dn {
			it.unpackTo(min(it.n, it.i+unpackChunk))
		}
		it.doc = it.docs[it.i]
		return
	}
	it.block++
	it.decoded = false
	if it.block >= it.st.nBlocks {
		it.doc = noDoc
		return
	}
	it.open()
	it.unpackTo(min(it.n, unpackChunk))
	it.doc = it.docs[0]
}

// freqs returns the current document's frequency in each field.
func (it *postIter) freqs() *[numFields]uint32 {
	for f := range numFields {
		it.cur[f] = it.tf(it.i, f)
	}
	return &it.cur
}

// positions appends the current document's positions in field f to dst.
// Documents of a block are asked for in order, so it resumes where the
// last one's positions ended.
func (it *postIter) positions(f int, dst []uint32) []uint32 {
	tfs := it.freqs()
	if tfs[f] == 0 {
		return dst
	}
	if it.pos == nil || it.posI > it.i {
		it.locatePositions()
	}
	for ; it.posI < it.i; it.posI++ {
		for g := range numFields {
			it.posBit += uint(it.tf(it.posI, g)) * it.posW[g]
		}
	}
	bit := it.posBit
	for g := range f {
		bit += uint(tfs[g]) * it.posW[g]
	}
	w := it.posW[f]
	var p uint32
	for range tfs[f] {
		p += unpack(it.pos, bit, w)
		bit += w
		dst = append(dst, p)
	}
	return dst
}

// locatePositions reads the widths of the block's positions, one byte for
// each field that any of its documents has the term in, and points pos
// past them, at the first document's.
func (it *postIter) locatePositions() {
	at := it.posAt
	for f := range numFields {
		it.posW[f] = 0
		if it.st.inline && it.st.maxTF[f] > 0 || !it.st.inline && it.tfW[f] > 0 {
			it.posW[f] = uint(it.blk[at])
			at++
		}
	}
	it.pos, it.posI, it.posBit = it.blk[at:], 0, 0
}

// appendAll appends the term's postings for the documents that remap keeps
// (remap[doc] >= 0), renumbered, to a: how segments merge. it is scratch.
func (s *segment) appendAll(it *postIter, st termStats, remap []int32, a *termAcc) {
	s.reset(it, st)
	for it.block = 0; it.block < it.st.nBlocks; it.block++ {
		it.decode()
		it.locatePositions()
		var bit uint
		for j := range it.n {
			nd := remap[it.docs[j]]
			if nd >= 0 {
				a.docs = append(a.docs, uint32(nd))
			}
			for f := range numFields {
				tf, w := it.tf(j, f), it.posW[f]
				if nd < 0 {
					bit += uint(tf) * w
					continue
				}
				a.tfs = append(a.tfs, tf)
				var p uint32
				for range tf {
					p += unpack(it.pos, bit, w)
					bit += w
					a.pos = append(a.pos, p)
				}
			}
		}
	}
}

// bm25f scores a document for a query by BM25F (Robertson and Zaragoza,
// "The Probabilistic Relevance Framework: BM25 and Beyond", 2009). A term's
// frequencies in the fields are each normalized by the field's length
// against its average (b per field), weighted, and summed into one
// pseudo-frequency, which is then saturated once with k1:
//
//	tf~   = Σ_f w_f · tf_f / (1 − b_f + b_f · len_f / avglen_f)
//	score = Σ_t idf_t · tf~ · (k1 + 1) / (k1 + tf~)
//	idf_t = ln(1 + (N − df_t + 0.5) / (df_t + 0.5)), df_t over all fields
//
// Unlike a sum of per-field BM25 scores, a term repeated across title and
// abstract does not escape saturation. N, df and the average lengths count
// the documents of every segment, deleted ones included until a merge
// drops them, as Lucene does.
type bm25f struct {
	k1      float64
	n       float64
	w, b    [numFields]float64
	avg     [numFields]float64
	bPerAvg [numFields]float64
	inv     [numFields][lenCodes]float64 // a field's weight over the length normalisation of each code
}

func newBM25F(prm Params, docs int, totalLen [numFields]uint64) *bm25f {
	m := &bm25f{k1: prm.K1, n: float64(docs)}
	for f := range numFields {
		m.avg[f] = avgLen(totalLen[f], docs)
		m.w[f], m.b[f], m.bPerAvg[f] = prm.weight(f), prm.b(f), prm.b(f)/m.avg[f]
		for c, l := range codeLen {
			norm := 1.0 // b 0: no normalisation, not 0 times an infinite length
			if m.b[f] != 0 {
				norm = 1 - m.b[f] + m.bPerAvg[f]*l
			}
			m.inv[f][c] = m.w[f] / norm
		}
	}
	return m
}

func (m *bm25f) idf(df int) float64 {
	d := float64(df)
	return math.Log(1 + (m.n-d+0.5)/(d+0.5))
}

// tf is the weighted, length-normalized frequency of a term in a document,
// its lengths read as codes (norms.go).
func (m *bm25f) tf(s *segment, doc uint32, tfs *[numFields]uint32) float64 {
	codes := s.lenCode[int(doc)*numFields:][:numFields]
	var t float64
	for f := range numFields {
		if tfs[f] > 0 {
			t += float64(tfs[f]) * m.inv[f][codes[f]]
		}
	}
	return t
}

func (m *bm25f) sat(idf, t float64) float64 {
	if t <= 0 {
		return 0
	}
	return idf * t * (m.k1 + 1) / (m.k1 + t)
}

// bound is the largest score a term with these per-field maximum
// frequencies and minimum lengths can give a document: tf~ grows with
// each frequency and shrinks with each length (b >= 0).
func (m *bm25f) bound(idf float64, maxTF, minLen []uint32) float64 {
	var t float64
	for f := range numFields {
		if m.w[f] > 0 && maxTF[f] == math.MaxUint32 {
			return idf * (m.k1 + 1) // the limit of saturation
		}
		if m.w[f] > 0 && maxTF[f] > 0 {
			norm := 1 - m.b[f] + m.bPerAvg[f]*float64(minLen[f])
			t += m.w[f] * float64(maxTF[f]) / norm
		}
	}
	return m.sat(idf, t)
}

// blockBound is the bound of the iterator's current block.
func (it *postIter) blockBound(m *bm25f, idf float64) float64 {
	if it.ubBlock != it.block {
		maxTF, minLen := it.blockLimits(it.meta(it.block))
		it.ub, it.ubBlock = m.bound(idf, maxTF[:], minLen[:]), it.block
		if it.scale > 0 {
			it.ub = min(it.ub, m.sat(idf, it.docBound(it.block)*it.scale))
		}
	}
	return it.ub
}

// blockLimits unpacks a block's per-field maximum frequencies and minimum
// lengths; a frequency saturated in its byte is bounded by the term's.
func (it *postIter) blockLimits(meta []uint32) (maxTF, minLen [numFields]uint32) {
	l := meta[metaLimits:]
	for f := range numFields {
		maxTF[f] = l[0] >> (8 * f) & 0xff
		if maxTF[f] == 0xff {
			maxTF[f] = it.st.maxTF[f]
		}
	}
	minLen[0], minLen[1], minLen[2] = l[0]>>24, l[1]&0xffff, l[1]>>16
	return maxTF, minLen
}

// packLimits is the inverse of blockLimits, into meta[metaLimits:][:2]:
// frequencies saturate at 255, the title's length (seldom near) at 255
// and the others' at 65535, all staying bounds.
func packLimits(meta []uint32, maxTF, minLen [numFields]uint32) {
	l := meta[metaLimits:]
	l[0] = min(minLen[0], 0xff) << 24
	for f := range numFields {
		l[0] |= min(maxTF[f], 0xff) << (8 * f)
	}
	l[1] = min(minLen[1], 0xffff) | min(minLen[2], 0xffff)<<16
}
