package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// token is one indexed term: its position in the field and the byte span of
// the original text it came from.
type token struct {
	term       string
	id         uint32 // the term's number in the stemmer that made it
	pos        int
	start, end int
}

// mode says how text is analyzed.
type mode struct {
	// stop drops English stopwords (titles, abstracts and plain query
	// words; author names keep them: "An" and "Will" are surnames too).
	stop bool
	// query indexes a hyphenated compound by its joined form only; documents
	// index its parts too, so "pre-training" in a query matches documents
	// saying "pre-training" or "pretraining", while "training" in a query
	// still matches "pre-training".
	query bool
}

var (
	docText     = mode{stop: true}
	docAuthors  = mode{}
	queryText   = mode{stop: true, query: true}
	queryAuthor = mode{query: true}
)

// maxStemLen is the longest word the stemmer sees; longer "words" (hashes,
// sequences) are indexed as they are.
const maxStemLen = 40

// analyze splits text into terms. Words are runs of letters and digits of
// the folded text (so $, {, }, ^, _, \ and punctuation separate words, and
// \alpha is alpha); stopwords still take up a position, so phrases keep
// their gaps. All parts of a hyphenated compound and its joined form share
// one position.
func analyze(text string, m mode) []token { return analyzeWith(text, m, nil) }

// analyzeWith is analyze with a stemmer whose cache and buffers outlive the
// call, for indexing many documents; nil means a fresh one. The tokens are
// valid until st's next use.
func analyzeWith(text string, m mode, st *stemmer) []token {
	if st == nil {
		st = newStemmer()
	}
	st.load(text)
	st.toks = st.appendTokens(st.toks[:0], m)
	return st.toks
}

// load prepares text for appendTokens: folded into st.chars or, when it is
// plain (ASCII without LaTeX, where folding only lower-cases each byte),
// read as it is, which spares folding most text.
func (st *stemmer) load(text string) {
	st.plain = isPlain(text)
	if st.plain {
		st.text = text
		return
	}
	st.chars = foldText(st.chars[:0], text)
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || c == '\\' || c == '{' {
			return false
		}
	}
	return true
}

// The loaded text's characters, by index: in st.text when it is plain,
// else in st.chars.

func (st *stemmer) length() int {
	if st.plain {
		return len(st.text)
	}
	return len(st.chars)
}

func (st *stemmer) wordAt(i int) bool {
	if st.plain {
		c := st.text[i]
		return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || 'A' <= c && c <= 'Z'
	}
	return isWordRune(st.chars[i].r)
}

func (st *stemmer) hyphenAt(i int) bool {
	if st.plain {
		return st.text[i] == '-'
	}
	return isHyphen(st.chars[i].r)
}

// span returns the byte span of the original text that the characters
// [p[0], p[1]) came from.
func (st *stemmer) span(p [2]int) (start, end int) {
	if st.plain {
		return p[0], p[1]
	}
	return int(st.chars[p[0]].start), int(st.chars[p[1]-1].end)
}

// appendPart appends the folded characters [p[0], p[1]) to b.
func (st *stemmer) appendPart(b []byte, p [2]int) []byte {
	if !st.plain {
		return appendRunes(b, st.chars[p[0]:p[1]])
	}
	for _, c := range []byte(st.text[p[0]:p[1]]) {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}

// appendTokens appends the tokens of the loaded text to toks, at positions
// from 0.
func (st *stemmer) appendTokens(toks []token, m mode) []token {
	pos := 0
	for i := 0; i < st.length(); {
		next := st.compoundAt(i)
		if len(st.parts) == 0 {
			i = next
			continue
		}
		toks = st.appendCompound(toks, pos, m)
		pos++
		i = next
	}
	return toks
}

// compoundAt reads the words joined by single hyphens starting at
// character i into st.parts and returns the index after them. It reads no
// words, and returns the next index, when character i does not start a
// word.
func (st *stemmer) compoundAt(i int) int {
	n := st.length()
	st.parts = st.parts[:0]
	if !st.wordAt(i) {
		return i + 1
	}
	for {
		j := i
		for j < n && st.wordAt(j) {
			j++
		}
		st.parts = append(st.parts, [2]int{i, j})
		if j+1 < n && st.hyphenAt(j) && st.wordAt(j+1) {
			i = j + 1
			continue
		}
		return j
	}
}

// appendCompound appends the terms of the compound in st.parts at pos.
func (st *stemmer) appendCompound(toks []token, pos int, m mode) []token {
	parts := st.parts
	start, _ := st.span(parts[0])
	_, end := st.span(parts[len(parts)-1])
	first := len(toks)
	if len(parts) == 1 || !m.query {
		for _, p := range parts {
			st.buf = st.appendPart(st.buf[:0], p)
			if t, id := st.normalize(st.buf, m.stop); t != "" {
				from, to := st.span(p)
				toks = append(toks, token{t, id, pos, from, to})
			}
		}
	}
	if len(parts) == 1 {
		return toks
	}
	st.buf = st.buf[:0]
	for _, p := range parts {
		st.buf = st.appendPart(st.buf, p)
	}
	t, id := st.normalize(st.buf, false)
	for _, have := range toks[first:] {
		if have.term == t {
			return toks
		}
	}
	return append(toks, token{t, id, pos, start, end})
}

func appendRunes(b []byte, chars []char) []byte {
	for _, c := range chars {
		b = utf8.AppendRune(b, c.r)
	}
	return b
}

// stemmer analyzes text with reusable buffers and a cache of the indexed
// form of each word: most words repeat, and stemming dominates analysis.
// The engine keeps one across syncs. It is not safe for concurrent use.
type stemmer struct {
	hot   *[hotEntries]hotEntry // in front of cache, when indexing
	cache map[string]stem
	text  string // the text loaded, when it is plain
	plain bool
	chars []char   // the text loaded, folded, when it is not plain
	parts [][2]int // [from, to) character indexes of each compound part
	buf   []byte

	ids   map[string]uint32 // term -> number, dense from 0
	terms []string          // number -> term; never overwritten, since documents share it
	epoch *termEpoch        // this numbering of terms; a reset starts another
	toks  []token           // analyzeWith's result while indexing

	// scratch space of analyzePaper, indexed by term number
	fieldToks []token
	slot      []int32  // the term's index in the field being grouped
	slotGen   []uint32 // slot[i] is valid when slotGen[i] == gen
	gen       uint32
	counts    []uint32
	firsts    []int32  // the token where each term of the field first occurs
	slab      []uint32 // what is left of the block carve takes from
}

// termEpoch identifies one numbering of terms by a stemmer: documents
// analyzed in the same epoch share term numbers, which segment building
// uses to find a term's postings without hashing its text again.
type termEpoch struct{ _ byte }

// stem is what the cache keeps of a word: the number of its term (the
// same for words with the same term) and whether it is a stopword. It
// holds no pointers, so the garbage collector need not follow the
// cache's.
type stem struct {
	id   uint32
	stop bool
}

// maxStemCache bounds the cache; past it, the cache starts over before the
// next document.
const maxStemCache = 1 << 20

func newStemmer() *stemmer {
	return &stemmer{cache: make(map[string]stem), ids: make(map[string]uint32), epoch: new(termEpoch)}
}

// normalize returns the indexed form of a folded word: its Snowball English
// stem, the word itself for numbers and very long words, or "" for a
// dropped stopword, and the term's number. The returned strings are shared
// through the cache.
func (st *stemmer) normalize(w []byte, stop bool) (string, uint32) {
	var s stem
	switch e := st.hotEntry(w); {
	case e == nil:
		s = st.lookup(w)
	case int(e.n) == len(w) && string(e.key[:e.n]) == string(w):
		s = e.stem
	default:
		s = st.lookup(w)
		e.n = uint8(copy(e.key[:], w))
		e.stem = s
	}
	if stop && s.stop {
		return "", 0
	}
	return st.terms[s.id], s.id
}

// hotEntries is the size of the stemmer's direct-mapped cache of recent
// words, which sits in front of its map: the tens of thousands of most
// common words make up most of any text, and a slot with the word's bytes
// inline is one cache line where the map costs several misses.
const (
	hotEntries = 1 << 16
	hotKeyLen  = 23 // a hotEntry takes 32 bytes
)

type hotEntry struct {
	key  [hotKeyLen]byte
	n    uint8 // key length; 0 for an empty slot
	stem stem
}

// hotEntry returns w's slot in the hot cache (by an FNV-1a hash), or nil
// when the stemmer has no hot cache (one analysing a query) or w is too
// long for one.
func (st *stemmer) hotEntry(w []byte) *hotEntry {
	if st.hot == nil || len(w) > hotKeyLen || len(w) == 0 {
		return nil
	}
	h := uint32(2166136261)
	for _, c := range w {
		h = (h ^ uint32(c)) * 16777619
	}
	return &st.hot[h&(hotEntries-1)]
}

// lookup returns the cached stem of w, stemming and numbering it on a miss.
func (st *stemmer) lookup(w []byte) stem {
	s, ok := st.cache[string(w)]
	if !ok {
		word := string(w)
		term := word
		if len(word) <= maxStemLen && !isNumber(word) {
			term = english.Stem(word, true)
		}
		id, ok := st.ids[term]
		if !ok {
			id = uint32(len(st.terms))
			st.ids[term] = id
			st.terms = append(st.terms, term)
		}
		s = stem{id: id, stop: english.IsStopWord(word)}
		st.cache[word] = s
	}
	return s
}

// reset empties the cache and renumbers terms from 0.
func (st *stemmer) reset() {
	if st.hot != nil {
		clear(st.hot[:])
	}
	clear(st.cache)
	clear(st.ids)
	st.terms = nil // documents of the old epoch still read the old one
	st.epoch = new(termEpoch)
	st.slot, st.slotGen = nil, nil
}

// slabSize is how many numbers carve allocates at once: one allocation
// serves the fields of many documents.
const slabSize = 1 << 15

// carve returns n numbers of their own, from a shared block when they are
// few.
func (st *stemmer) carve(n int) []uint32 {
	if n > len(st.slab) {
		if n > slabSize/8 {
			return make([]uint32, n)
		}
		st.slab = make([]uint32, slabSize)
	}
	out := st.slab[:n:n]
	st.slab = st.slab[n:]
	return out
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isHyphen(r rune) bool { return r == '-' || r == '\u2010' || r == '\u2011' }

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// terms returns the distinct terms of text analyzed in mode m.
func terms(text string, m mode) []string {
	var out []string
	for _, t := range analyze(text, m) {
		if !slices.Contains(out, t.term) {
			out = append(out, t.term)
		}
	}
	return out
}

// titleKey is the form in which a query must equal a title to be pinned as
// an exact-title match: folded words, unstemmed, joined by single spaces, so
// case, accents, spacing and punctuation do not matter.
func titleKey(s string) string { return titleKeyOf(foldText(nil, s)) }

// titleKeyOf is the title key of folded text.
func titleKeyOf(chars []char) string {
	var b strings.Builder
	b.Grow(len(chars))
	for i := 0; i < len(chars); i++ {
		if !isWordRune(chars[i].r) {
			continue
		}
		if b.Len() > 0 && (i == 0 || !isWordRune(chars[i-1].r)) {
			b.WriteByte(' ')
		}
		b.WriteRune(chars[i].r)
	}
	return b.String()
}
