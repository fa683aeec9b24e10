package search

import (
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkDictLookup looks random terms up in a dictionary of
// PAPERBOY_DICT_TERMS terms (default 2,000,000; each segment of the
// 2.5-million-paper benchmark corpus holds about 385,000), three in four
// of them present: by lookup, whose binary search compares the blocks'
// first terms by their keys (dictKeys), beside the same search reading
// each first term from the dictionary, as lookup did before the keys.
// Both scan the block found the same way.
func BenchmarkDictLookup(b *testing.B) {
	n := 2_000_000
	if v := os.Getenv("PAPERBOY_DICT_TERMS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			b.Fatalf("PAPERBOY_DICT_TERMS: %q is not a number of terms", v)
		}
	}
	rng := rand.New(rand.NewPCG(7, 7))
	seen := make(map[string]bool, n)
	var terms []string
	var sb strings.Builder
	for len(terms) < n {
		sb.Reset()
		for range 3 + rng.IntN(10) {
			sb.WriteByte(byte('a' + rng.IntN(26)))
		}
		if w := sb.String(); !seen[w] {
			seen[w] = true
			terms = append(terms, w)
		}
	}
	slices.Sort(terms)
	s, _ := lengthsOnly(rng, 64)
	var dw dictWriter
	for i, term := range terms {
		// Half the terms of one paper, as in a corpus's vocabulary.
		st := termStats{df: max(1, rng.IntN(100)-49), maxTF: [3]uint32{1, 1, 0}, postOff: uint64(i) * 100, lastDoc: uint32(rng.IntN(64))}
		st.textDF, st.nBlocks, st.inline = st.df, 1, st.df == 1
		dw.add(term, &st)
	}
	s.nTerms, s.dictIndex, s.dict = dw.n, dw.index, dw.data
	if err := s.openDict(); err != nil {
		b.Fatal(err)
	}
	queries := make([]string, 1<<16)
	for i := range queries {
		queries[i] = terms[rng.IntN(n)]
		if i%4 == 3 {
			queries[i] += "q" // absent
		}
	}
	for _, v := range []struct {
		name   string
		lookup func(string) (termStats, bool)
	}{
		{"keys", s.lookup},
		{"first terms", s.lookupByFirstTerms},
	} {
		b.Run(v.name, func(b *testing.B) {
			found := 0
			for i := range b.N {
				if _, ok := v.lookup(queries[i%len(queries)]); ok {
					found++
				}
			}
			if b.N >= len(queries) && found < b.N/2 {
				b.Fatalf("found %d of %d", found, b.N)
			}
		})
	}
}

// lookupByFirstTerms is lookup as it was before dictKeys.
func (s *segment) lookupByFirstTerms(t string) (termStats, bool) {
	lo, hi := 0, s.dictBlocks()
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.firstTerm(m) <= t {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return s.scanBlock(lo-1, t)
}
