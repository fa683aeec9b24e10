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
	st.chars = foldText(st.chars[:0], text)
	toks := st.toks[:0]
	pos := 0
	for i := 0; i < len(st.chars); {
		next := st.compoundAt(i)
		if len(st.parts) == 0 {
			i = next
			continue
		}
		toks = st.appendCompound(toks, pos, m)
		pos++
		i = next
	}
	st.toks = toks
	return toks
}

// compoundAt reads the words joined by single hyphens starting at
// st.chars[i] into st.parts and returns the index after them. It reads no
// words, and returns the next index, when st.chars[i] does not start a word.
func (st *stemmer) compoundAt(i int) int {
	chars := st.chars
	st.parts = st.parts[:0]
	if !isWordRune(chars[i].r) {
		return i + 1
	}
	for {
		j := i
		for j < len(chars) && isWordRune(chars[j].r) {
			j++
		}
		st.parts = append(st.parts, [2]int{i, j})
		if j+1 < len(chars) && isHyphen(chars[j].r) && isWordRune(chars[j+1].r) {
			i = j + 1
			continue
		}
		return j
	}
}

// appendCompound appends the terms of the compound in st.parts at pos.
func (st *stemmer) appendCompound(toks []token, pos int, m mode) []token {
	chars, parts := st.chars, st.parts
	start, end := chars[parts[0][0]].start, chars[parts[len(parts)-1][1]-1].end
	if len(parts) == 1 || !m.query {
		for _, p := range parts {
			st.buf = appendRunes(st.buf[:0], chars[p[0]:p[1]])
			if t, id := st.normalize(st.buf, m.stop); t != "" {
				toks = append(toks, token{t, id, pos, chars[p[0]].start, chars[p[1]-1].end})
			}
		}
	}
	if len(parts) == 1 {
		return toks
	}
	st.buf = st.buf[:0]
	for _, p := range parts {
		st.buf = appendRunes(st.buf, chars[p[0]:p[1]])
	}
	t, id := st.normalize(st.buf, false)
	for _, have := range toks {
		if have.pos == pos && have.term == t {
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
	chars []char
	parts [][2]int // [from, to) indexes into chars of each compound part
	buf   []byte

	ids   map[string]uint32 // term -> number, dense from 0
	epoch *termEpoch        // this numbering of terms; a reset starts another
	toks  []token           // analyzeWith's result while indexing

	// scratch space of analyzePaper, indexed by term number
	fieldToks []token
	slot      []int32  // the term's index in the field being grouped
	slotGen   []uint32 // slot[i] is valid when slotGen[i] == gen
	seenGen   []uint32 // the term was seen in this document when seenGen[i] == docGen
	gen       uint32
	docGen    uint32
	counts    []uint32
	firsts    []int32 // the token where each term of the field first occurs
}

// termEpoch identifies one numbering of terms by a stemmer: documents
// analyzed in the same epoch share term numbers, which segment building
// uses to find a term's postings without hashing its text again.
type termEpoch struct{ _ byte }

type stem struct {
	term string
	id   uint32 // the same for words with the same term
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
	return s.term, s.id
}

// hotEntries is the size of the stemmer's direct-mapped cache of recent
// words, which sits in front of its map: the few thousand most common
// words make up most of any text, and a slot with the word's bytes inline
// is one cache line where the map costs several misses.
const (
	hotEntries = 1 << 13
	hotKeyLen  = 22
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
		s = stem{term: word, stop: english.IsStopWord(word)}
		if len(word) <= maxStemLen && !isNumber(word) {
			s.term = english.Stem(word, true)
		}
		id, ok := st.ids[s.term]
		if !ok {
			id = uint32(len(st.ids))
			st.ids[s.term] = id
		}
		s.id = id
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
	st.epoch = new(termEpoch)
	st.slot, st.slotGen, st.seenGen = nil, nil, nil
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

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
func titleKey(s string) string { return titleKeyWith(s, nil) }

// titleKeyWith is titleKey with st's scratch space, when st is not nil.
func titleKeyWith(s string, st *stemmer) string {
	var chars []char
	if st != nil {
		st.chars = foldText(st.chars[:0], s)
		chars = st.chars
	} else {
		chars = foldText(nil, s)
	}
	var b strings.Builder
	b.Grow(len(s))
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
