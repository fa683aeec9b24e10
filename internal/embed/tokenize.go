package embed

import (
	"strings"
	"sync"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// maxStemLen is the longest word the stemmer sees; longer ones are kept as
// they are.
const maxStemLen = 30

// tokenizer splits text into stemmed, lower-case terms without English
// stopwords. It caches stems, so it is safe for concurrent use and fast on
// repeated words.
type tokenizer struct {
	stems sync.Map // surface word -> stem ("" for a stopword)
}

// tokens appends the terms of text to dst.
func (tk *tokenizer) tokens(dst []string, text string) []string {
	start := -1
	flush := func(end int) {
		if start >= 0 {
			if t := tk.stem(text[start:end]); t != "" {
				dst = append(dst, t)
			}
			start = -1
		}
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return dst
}

// stem returns the term of one word: "" for a stopword or a one-letter word.
func (tk *tokenizer) stem(word string) string {
	if v, ok := tk.stems.Load(word); ok {
		return v.(string)
	}
	w := strings.ToLower(word)
	var t string
	switch {
	case len(w) < 2 || english.IsStopWord(w):
	case len(w) > maxStemLen || !isASCII(w):
		t = w
	default:
		t = english.Stem(w, false)
	}
	tk.stems.Store(strings.Clone(word), t)
	return t
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
