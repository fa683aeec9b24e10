package search

import (
	"encoding/binary"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"sync"
	"unsafe"

	"paperboy"
)

// A segment is an immutable piece of the index over n documents numbered
// 0..n-1, in one byte slice that is either built in memory or mapped from a
// file: the same layout serves both, so loading a segment decodes nothing.
// Sections are 8-byte aligned little-endian arrays, read in place.
//
// Each term's documents form blocks of blockSize doc IDs, delta encoded and
// bit-packed at a width that most deltas fit (the rest patched, see
// pack.go), followed by the term's frequency in each field, bit-packed at
// the block's largest (no bits for a field absent from the block), so that
// a document's frequencies are read without decoding its neighbours', and
// then by its documents' positions (for phrases), bit-packed at a width
// per field, which a query without phrases never reads; keeping them in
// the block spares an offset per block and term.
// Every block carries, per field, the largest frequency and the shortest
// length among its documents: with the collection's statistics at query
// time they bound the block's BM25F score (block-max), and the same over
// the whole term bound the term's. A term of many blocks also has a
// high-impact list (impact.go).
type segment struct {
	data     []byte
	n        int
	totalLen [numFields]uint64
	spec     boundSpec // what the blocks' document bounds were computed with

	// Submission times (Unix seconds) as seconds after subBase, or
	// subEscape for the few whose distance does not fit 32 bits, in
	// longSub: pairs of document and time, by document (see sub).
	submitted []uint32
	subBase   int64
	longSub   []uint64
	// The earliest and latest submission dates, and whether the documents
	// are in date order (as a bulk import or a harvest leaves them): a date
	// filter then skips the segment, or all but a range of it.
	subMin, subMax int64
	subSorted      bool
	lens           []uint16 // lens[doc*numFields+f]: a document's lengths share a cache line
	longLens       []uint32 // sorted pairs of place in lens and length, for lengths of lenEscape or more
	idOff          []uint32
	idBlob         []byte
	idSorted       []uint32 // docs in order of ID
	ids            idTable  // docs by ID, built on opening
	lenCode        []uint8  // lenCode[doc*numFields+f]: lens as codes (norms.go), which scoring reads; built on opening
	titleHash      []uint64 // sorted, with titleDoc
	titleDoc       []uint32
	catOff         []uint32
	catBlob        []byte
	catDocOff      []uint32 // where each category's documents start in catDocs
	catDocs        []byte   // varint gaps between a category's documents, in order
	nTerms         int
	dictIndex      []uint64 // dictIndexStride per dictionary block (see dict.go)
	dictKeys       []uint64 // each dictionary block's first term's termKey; built on opening
	dict           []byte
	blockMeta      []uint32 // metaStride per block
	post           []byte
	impactDir      []uint32 // impactStride per term with a high-impact list (see impact.go)
	impact         []byte

	unmap func() error // releases a mapped file; nil in memory

	catMu    sync.Mutex
	catCache map[string]bitset // the documents of a cat: filter, kept for the next query
}

const (
	blockSize = 128
	segMagic  = "PBSEG009"

	// blockMeta: last doc, post offset (from the term's), maxTF[3] and
	// minLen[3] (two uint32s, see packLimits), and the largest BM25F
	// frequency of a document under the segment's boundSpec, a float32
	// rounded up (0 without a spec).
	metaStride = 5
	metaLast   = 0
	metaPost   = 1
	metaLimits = 2
	metaBound  = 4
)

// The sections of a segment, in file order.
const (
	secHeader = iota // n, totalLen[3], the boundSpec's w[3], b[3], avgHi[3] as float64 bits, terms, subBase
	secSubmitted
	secLongSub
	secLens
	secLongLens
	secIDOff
	secIDBlob
	secIDSorted
	secTitleHash
	secTitleDoc
	secCatOff
	secCatBlob
	secCatDocOff
	secCatDocs
	secDictIndex
	secDict
	secBlockMeta
	secPost
	secImpactDir
	secImpact
	numSections
)

const segHeaderLen = 8 + numSections*16

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// openSegment reads a segment's layout from data, which it keeps.
func openSegment(data []byte) (*segment, error) {
	if !littleEndian {
		return nil, errors.New("segment: big-endian hosts are not supported")
	}
	if len(data) < segHeaderLen || string(data[:8]) != segMagic {
		return nil, errors.New("segment: bad magic")
	}
	var sec [numSections][]byte
	for i := range numSections {
		off := binary.LittleEndian.Uint64(data[8+16*i:])
		n := binary.LittleEndian.Uint64(data[16+16*i:])
		if off%8 != 0 || off > uint64(len(data)) || n > uint64(len(data))-off {
			return nil, fmt.Errorf("segment: section %d out of bounds", i)
		}
		sec[i] = data[off : off+n]
	}
	head := u64s(sec[secHeader])
	if len(head) != 3+4*numFields {
		return nil, errors.New("segment: bad header")
	}
	s := &segment{data: data, n: int(head[0]), nTerms: int(head[1+4*numFields]), subBase: int64(head[2+4*numFields])}
	copy(s.totalLen[:], head[1:])
	for f := range numFields {
		s.spec.w[f] = math.Float64frombits(head[1+numFields+f])
		s.spec.b[f] = math.Float64frombits(head[1+2*numFields+f])
		s.spec.avgHi[f] = math.Float64frombits(head[1+3*numFields+f])
	}
	s.submitted, s.longSub = u32s(sec[secSubmitted]), u64s(sec[secLongSub])
	s.lens, s.longLens = u16s(sec[secLens]), u32s(sec[secLongLens])
	s.idOff, s.idBlob = u32s(sec[secIDOff]), sec[secIDBlob]
	s.idSorted, s.titleHash, s.titleDoc = u32s(sec[secIDSorted]), u64s(sec[secTitleHash]), u32s(sec[secTitleDoc])
	s.catOff, s.catBlob, s.catDocOff, s.catDocs = u32s(sec[secCatOff]), sec[secCatBlob], u32s(sec[secCatDocOff]), sec[secCatDocs]
	s.dictIndex, s.dict = u64s(sec[secDictIndex]), sec[secDict]
	s.blockMeta, s.post = u32s(sec[secBlockMeta]), sec[secPost]
	s.impactDir, s.impact = u32s(sec[secImpactDir]), sec[secImpact]
	if len(s.submitted) != s.n || len(s.lens) != numFields*s.n || len(s.longLens)%2 != 0 || len(s.longSub)%2 != 0 || len(s.idOff) != s.n+1 ||
		len(s.idSorted) != s.n || len(s.titleHash) != len(s.titleDoc) ||
		len(s.catOff) != len(s.catDocOff) || len(s.blockMeta)%metaStride != 0 ||
		len(s.impactDir)%impactStride != 0 {
		return nil, errors.New("segment: inconsistent sections")
	}
	if err := s.openDict(); err != nil {
		return nil, err
	}
	s.dateRange()
	s.ids = newIDTable(s)
	s.lenCode = lenCodesOf(s)
	return s, nil
}

// dateRange sets subMin, subMax and subSorted.
func (s *segment) dateRange() {
	s.subSorted = true
	for doc := range uint32(s.n) {
		t := s.sub(doc)
		if doc == 0 {
			s.subMin, s.subMax = t, t
			continue
		}
		if t < s.sub(doc-1) {
			s.subSorted = false
		}
		s.subMin, s.subMax = min(s.subMin, t), max(s.subMax, t)
	}
}

// subEscape in submitted sends sub to longSub.
const subEscape = math.MaxUint32

// sub returns a document's submission time. Those in longSub (a rare few
// in a segment, if any) are found by a linear scan, which keeps sub small
// enough to inline, and its callers too.
func (s *segment) sub(doc uint32) int64 {
	if v := s.submitted[doc]; v != subEscape {
		return s.subBase + int64(v)
	}
	j := 0
	for s.longSub[j] != uint64(doc) {
		j += 2
	}
	return int64(s.longSub[j+1])
}

func ptr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

func u16s(b []byte) []uint16 { return unsafe.Slice((*uint16)(ptr(b)), len(b)/2) }
func u32s(b []byte) []uint32 { return unsafe.Slice((*uint32)(ptr(b)), len(b)/4) }
func u64s(b []byte) []uint64 { return unsafe.Slice((*uint64)(ptr(b)), len(b)/8) }

// str returns b as a string without copying; b must outlive it unchanged,
// which segment data does.
func str(b []byte) string { return unsafe.String((*byte)(ptr(b)), len(b)) }

func (s *segment) id(doc uint32) paperboy.ArxivID {
	return paperboy.ArxivID(str(s.idBlob[s.idOff[doc]:s.idOff[doc+1]]))
}

// lenEscape in lens sends fieldLen to longLens.
const lenEscape = math.MaxUint16

// fieldLen returns a document's length in field f. A length of lenEscape
// or more (a rare few in a segment) is looked up in longLens by a linear
// scan, which keeps fieldLen small enough to inline.
func (s *segment) fieldLen(f int, doc uint32) uint32 {
	i := int(doc)*numFields + f
	l := uint32(s.lens[i])
	if l == lenEscape {
		j := 0
		for s.longLens[j] != uint32(i) {
			j += 2
		}
		l = s.longLens[j+1]
	}
	return l
}

// find returns the document with the given ID.
func (s *segment) find(id paperboy.ArxivID) (uint32, bool) { return s.ids.find(s, id) }

// withTitle returns the documents whose title key hashes to h.
func (s *segment) withTitle(h uint64) []uint32 {
	i, _ := slices.BinarySearch(s.titleHash, h)
	j := i
	for j < len(s.titleHash) && s.titleHash[j] == h {
		j++
	}
	return s.titleDoc[i:j]
}

func (s *segment) numCats() int { return len(s.catOff) - 1 }

func (s *segment) cat(i int) string { return str(s.catBlob[s.catOff[i]:s.catOff[i+1]]) }

// catDocList yields the documents of category i in order.
func (s *segment) catDocList(i int) iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		data := s.catDocs[s.catDocOff[i]:s.catDocOff[i+1]]
		var doc uint32
		for len(data) > 0 {
			gap, k := binary.Uvarint(data)
			if k <= 0 {
				return
			}
			doc += uint32(gap)
			if !yield(doc) {
				return
			}
			data = data[k:]
		}
	}
}

func (s *segment) numTerms() int { return s.nTerms }

func (s *segment) close() error {
	if s.unmap == nil {
		return nil
	}
	return s.unmap()
}
