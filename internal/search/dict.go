package search

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
)

// The term dictionary of a segment holds its terms in order, in blocks of
// dictBlock. Each term is a record of varints: the length of the prefix it
// shares with the term before it in its block and the rest of its bytes,
// then its termStats, with the offset of its postings as the growth since
// the term before (so most records take a dozen bytes where fixed-width
// entries took forty). An index gives, per block, where its records
// start, how many blocks of postings the terms before it use and its first
// term's absolute offset: a lookup binary-searches the blocks' first terms
// and reads one block in order.
const dictBlock = 16

// dictIndexStride is the uint64s per dictionary block in the index: record
// offset | blocks of postings before << 32, postings offset.
const dictIndexStride = 2

// termStats are a term's entry in a segment. A term of one document whose
// frequencies fit their bytes is inline: its document and frequencies are
// all there is, with no block of postings, and postOff is where its
// positions are.
type termStats struct {
	df      int
	titleDF int               // documents with the term in the title
	textDF  int               // documents with the term in the title or the abstract
	maxTF   [numFields]uint32 // math.MaxUint32: unknown, 255 or more
	minLen  [numFields]uint32 // saturated at 65535
	block0  int               // its first block in blockMeta
	lastDoc uint32            // for a term of one block, instead of block0
	postOff uint64
	nBlocks int
	inline  bool
}

// dictWriter encodes a dictionary from terms and their stats in order.
type dictWriter struct {
	index  []uint64
	data   []byte
	n      int
	prev   string
	last   termStats // the previous term's, in this block
	blocks int       // blocks of postings of the terms so far
}

// add appends a term; the blocks of postings of a term of several must
// follow on from those of the terms before it.
func (d *dictWriter) add(term string, st *termStats) {
	if d.n%dictBlock == 0 {
		if len(d.data) > math.MaxUint32 {
			panic("search: a term dictionary over 4 GiB")
		}
		d.index = append(d.index, uint64(len(d.data))|uint64(d.blocks)<<32, st.postOff)
		d.prev, d.last = "", *st
	}
	if nb := nBlocks(st.df); nb > 1 {
		if st.block0 != d.blocks {
			panic("search: a term's blocks of postings out of order")
		}
		d.blocks += nb
	}
	d.n++
	p := 0
	for p < len(term) && p < len(d.prev) && term[p] == d.prev[p] {
		p++
	}
	b := binary.AppendUvarint(d.data, uint64(p))
	b = binary.AppendUvarint(b, uint64(len(term)-p))
	b = append(b, term[p:]...)
	flags := uint64(0)
	if st.inline {
		flags = 1
	}
	b = binary.AppendUvarint(b, uint64(st.df)<<1|flags)
	for f := range numFields {
		b = binary.AppendUvarint(b, uint64(min(st.maxTF[f], 0xff)))
	}
	if st.df > 1 { // one document's lengths are the segment's (see docLimits)
		for f := range numFields {
			b = binary.AppendUvarint(b, uint64(min(st.minLen[f], 0xffff)))
		}
		b = binary.AppendUvarint(b, uint64(st.titleDF))
		b = binary.AppendUvarint(b, uint64(st.df-st.textDF)) // mostly 0: author-only documents
	}
	if nBlocks(st.df) == 1 {
		b = binary.AppendUvarint(b, uint64(st.lastDoc))
	}
	b = binary.AppendUvarint(b, st.postOff-d.last.postOff)
	d.data, d.prev, d.last = b, term, *st
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nBlocks(df int) int { return (df + blockSize - 1) / blockSize }

// dictIter reads a segment's dictionary in order from the start of a block.
type dictIter struct {
	s      *segment
	i      int // the number of the term next returns
	at     int // where its record starts
	term   []byte
	st     termStats
	blocks int // blocks of postings before the next term of several
	// lazy leaves a one-document term's minLen unset (its document's
	// lengths, read from elsewhere in the segment): a lookup reads them
	// for the term it finds, not for each term it passes.
	lazy bool
}

// seek positions d before the first term of dictionary block b.
func (d *dictIter) seek(s *segment, b int) {
	d.s, d.i = s, min(b*dictBlock, s.nTerms)
}

// next decodes the next term into d.term and d.st, or reports false past
// the last.
func (d *dictIter) next() bool {
	if d.i >= d.s.nTerms {
		return false
	}
	prevPost := d.st.postOff
	if d.i%dictBlock == 0 { // a block starts: the index has its offset
		in := d.s.dictIndex[d.i/dictBlock*dictIndexStride:]
		d.at, d.blocks = int(uint32(in[0])), int(in[0]>>32)
		prevPost = in[1]
	}
	data := d.s.dict
	at := d.at
	uv := func() uint64 {
		v, k := binary.Uvarint(data[at:])
		at += k
		return v
	}
	p, n := int(uv()), int(uv())
	d.term = append(d.term[:p], data[at:at+n]...)
	at += n
	df := uv()
	st := termStats{df: int(df >> 1), inline: df&1 != 0}
	for f := range numFields {
		if st.maxTF[f] = uint32(uv()); st.maxTF[f] == 0xff {
			st.maxTF[f] = math.MaxUint32
		}
	}
	if st.df > 1 {
		for f := range numFields {
			st.minLen[f] = uint32(uv())
		}
		st.titleDF = int(uv())
		st.textDF = st.df - int(uv())
	} else { // one document: its frequencies say which fields hold the term
		st.titleDF = b2i(st.maxTF[fieldTitle] > 0)
		st.textDF = b2i(st.maxTF[fieldTitle] > 0 || st.maxTF[fieldAbstract] > 0)
	}
	st.nBlocks = nBlocks(st.df)
	if st.nBlocks == 1 {
		st.lastDoc = uint32(uv())
		if st.df == 1 && !d.lazy {
			st.minLen = d.s.docLimits(st.lastDoc, st.maxTF)
		}
	} else {
		st.block0 = d.blocks
		d.blocks += st.nBlocks
	}
	st.postOff = prevPost + uv()
	d.st, d.at = st, at
	d.i++
	return true
}

// termString returns the current term, as a string sharing d's buffer
// until the next call.
func (d *dictIter) termString() string { return str(d.term) }

// docLimits are the shortest lengths of a term found in one document
// only: the document's lengths in the fields it has the term in, 65535 in
// the others, as the writer computes them.
func (s *segment) docLimits(doc uint32, maxTF [numFields]uint32) [numFields]uint32 {
	var l [numFields]uint32
	for f := range numFields {
		l[f] = 0xffff
		if maxTF[f] > 0 {
			l[f] = min(s.fieldLen(f, doc), 0xffff)
		}
	}
	return l
}

func (s *segment) dictBlocks() int { return len(s.dictIndex) / dictIndexStride }

// firstTerm returns the first term of dictionary block b.
func (s *segment) firstTerm(b int) string {
	at := int(uint32(s.dictIndex[b*dictIndexStride]))
	_, k := binary.Uvarint(s.dict[at:]) // a prefix of 0
	n, k2 := binary.Uvarint(s.dict[at+k:])
	at += k + k2
	return str(s.dict[at : at+int(n)])
}

// termKey returns t's first 8 bytes as a big-endian number, zeros after
// a shorter term's end. Keys are in the order of their terms: where two
// keys differ, so do their terms, the same way round; terms that share
// their first 8 bytes share a key.
func termKey(t string) uint64 {
	var k uint64
	for i := range 8 {
		k <<= 8
		if i < len(t) {
			k |= uint64(t[i])
		}
	}
	return k
}

// lookup returns the stats of term t and whether the segment has it. Its
// binary search compares t with the blocks' first terms by their keys
// (dictKeys, a dense array), reading a first term from the dictionary
// only where the keys tie: the dictionary's first terms lie a block apart,
// and at millions of terms each one read was a cache miss (most of the
// time of a translated likelihood's lookups, docs/semantic.md).
func (s *segment) lookup(t string) (termStats, bool) {
	k := termKey(t)
	lo, hi := 0, s.dictBlocks() // the last block whose first term is <= t
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		km := s.dictKeys[m]
		if km < k || km == k && s.firstTerm(m) <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return s.scanBlock(lo-1, t)
}

// scanBlock returns the stats of term t, looked for in dictionary block b
// (-1: none), and whether it is there.
func (s *segment) scanBlock(b int, t string) (termStats, bool) {
	if b < 0 {
		return termStats{}, false
	}
	d := dictIter{lazy: true}
	d.seek(s, b)
	for k := 0; k < dictBlock && d.next(); k++ {
		switch c := strings.Compare(d.termString(), t); {
		case c == 0:
			st := d.st
			if st.df == 1 {
				st.minLen = s.docLimits(st.lastDoc, st.maxTF)
			}
			return st, true
		case c > 0:
			return termStats{}, false
		}
	}
	return termStats{}, false
}

// openDict verifies that the dictionary decodes and stays within its
// section, for a segment being opened, and sets dictKeys.
func (s *segment) openDict() error {
	if s.nTerms < 0 || s.dictBlocks() != (s.nTerms+dictBlock-1)/dictBlock {
		return errors.New("segment: dictionary index does not match its terms")
	}
	for b := range s.dictBlocks() {
		if uint32(s.dictIndex[b*dictIndexStride]) >= uint32(len(s.dict)) {
			return errors.New("segment: dictionary block out of bounds")
		}
	}
	s.dictKeys = make([]uint64, s.dictBlocks())
	for b := range s.dictKeys {
		s.dictKeys[b] = termKey(s.firstTerm(b))
	}
	return nil
}

// terms yields the segment's terms in order, each string valid only
// until the next.
func (s *segment) terms(yield func(string, termStats) bool) {
	var d dictIter
	d.seek(s, 0)
	for d.next() {
		if !yield(d.termString(), d.st) {
			return
		}
	}
}
