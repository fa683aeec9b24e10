package ref

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Params are the reference's BM25 parameters: the sum over query clauses
// and fields of the field's weight times the clause's BM25 in that field,
// with the field's own document frequency and average length (paperboy's
// scoring as of the benchmark's first version, not a BM25F with pooled
// frequencies).
type Params struct {
	K1, B   float64
	Weights [NumFields]float64
}

// DefaultParams: k1 1.2, b 0.75, title 2, abstract 1, authors 1.5.
func DefaultParams() Params {
	return Params{K1: 1.2, B: 0.75, Weights: [NumFields]float64{2, 1, 1.5}}
}

// Hit is a scored document, by its index in the corpus.
type Hit struct {
	Doc   int
	Score float64
}

// Result is the exact top k of one query and how many documents matched.
type Result struct {
	Top     []Hit
	Matches int
}

// DocFunc analyzes document i with the given analyzer (one per goroutine).
type DocFunc func(i int, a *Analyzer) Doc

// Run scores every query against documents 0..n-1 exhaustively: a document
// matches when every clause occurs in one of its fields and the filters
// pass. It reads each document once, on workers goroutines; the result does
// not depend on their number.
func Run(n int, doc DocFunc, qs []Query, p Params, k, workers int) []Result {
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	st := newStats(qs)
	var next atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			w := newWorker(qs)
			a := NewAnalyzer()
			for {
				from := int(next.Add(chunk)) - chunk
				if from >= n {
					break
				}
				for i := from; i < min(from+chunk, n); i++ {
					d := doc(i, a)
					w.add(i, &d)
				}
			}
			mu.Lock()
			st.merge(w)
			mu.Unlock()
		})
	}
	wg.Wait()
	return st.results(n, p, k)
}

const chunk = 1024

// stats are the collection statistics and the matching documents with
// their frequencies; scoring waits for the document frequencies, which are
// known only at the end.
type stats struct {
	qs       []Query
	off      []int // off[q]: offset of query q's clause-by-field slots
	df       []int // per slot
	totalLen [NumFields]uint64
	matches  [][]match // per query
}

// match is a matching document: its field lengths and the frequency of
// each clause in each field.
type match struct {
	doc  int
	lens [NumFields]uint32
	tf   []uint16 // clause-major: tf[c*NumFields+f]
}

func newStats(qs []Query) *stats {
	s := &stats{qs: qs, off: make([]int, len(qs)+1), matches: make([][]match, len(qs))}
	for i, q := range qs {
		s.off[i+1] = s.off[i] + len(q.Clauses)*NumFields
	}
	s.df = make([]int, s.off[len(qs)])
	return s
}

func (s *stats) merge(w *worker) {
	for i, v := range w.df {
		s.df[i] += v
	}
	for f := range NumFields {
		s.totalLen[f] += w.totalLen[f]
	}
	for q := range s.matches {
		s.matches[q] = append(s.matches[q], w.matches[q]...)
	}
}

func (s *stats) results(n int, p Params, k int) []Result {
	out := make([]Result, len(s.qs))
	var avg [NumFields]float64
	for f := range NumFields {
		avg[f] = max(float64(s.totalLen[f])/float64(n), 1)
	}
	for q := range s.qs {
		df := s.df[s.off[q]:s.off[q+1]]
		hits := make([]Hit, len(s.matches[q]))
		for i, m := range s.matches[q] {
			hits[i] = Hit{m.doc, score(m, df, n, &avg, p)}
		}
		slices.SortFunc(hits, func(a, b Hit) int {
			if c := cmp.Compare(b.Score, a.Score); c != 0 {
				return c
			}
			return cmp.Compare(a.Doc, b.Doc)
		})
		out[q] = Result{Top: hits[:min(k, len(hits))], Matches: len(hits)}
	}
	return out
}

func score(m match, df []int, n int, avg *[NumFields]float64, p Params) float64 {
	var s float64
	for i, tf := range m.tf {
		if tf == 0 {
			continue
		}
		f := i % NumFields
		s += p.Weights[f] * IDF(n, df[i]) * TF(float64(tf), float64(m.lens[f]), avg[f], p)
	}
	return s
}

// IDF is BM25's inverse document frequency, the variant that is never
// negative: ln(1 + (N - df + 0.5) / (df + 0.5)).
func IDF(n, df int) float64 {
	return math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
}

// TF is BM25's saturated term frequency: tf (k1+1) / (tf + k1 (1 - b + b len/avg)).
func TF(tf, length, avg float64, p Params) float64 {
	return tf * (p.K1 + 1) / (tf + p.K1*(1-p.B+p.B*length/avg))
}
