package embed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// TrainOptions configure the built-in model. The zero value of a field
// means its default (DefaultTrainOptions).
type TrainOptions struct {
	Dim        int     // vector dimension
	MinDF      int     // a term must occur in at least this many documents
	MaxDFRatio float64 // and in at most this fraction of them
	Weighting  string  // "bm25" (default), "tfidf", or "random" (no SVD: a random-projection baseline)
	// SigmaPower scales each latent dimension by its singular value to this
	// power: 0 weighs all dimensions alike, 1 is classic LSA.
	SigmaPower float64
	K1, B      float64 // BM25 document weighting
	PowerIters int     // randomized-SVD power iterations
	MaxDocs    int     // train on at most this many documents (an even sample)
	// Refine is how many epochs of contrastive refinement follow the SVD
	// (refine.go; 0, the default: none). Each epoch takes every part of
	// every paper once, in batches of RefineBatch, at the softmax
	// temperature Temperature and Adagrad's learning rate RefineRate.
	Refine      int
	RefineBatch int
	Temperature float64
	RefineRate  float64
	Seed        uint64
}

// DefaultTrainOptions are the settings chosen on SciFact train (see
// docs in the package tests: TestTuneBuiltin).
func DefaultTrainOptions() TrainOptions {
	return TrainOptions{
		Dim: 256, MinDF: 2, MaxDFRatio: 0.5, Weighting: "bm25", SigmaPower: 0,
		K1: 1.2, B: 0.75, PowerIters: 3, MaxDocs: 100000,
		Refine: 0, RefineBatch: 256, Temperature: 0.1, RefineRate: 0.05, Seed: 1,
	}
}

func (o TrainOptions) withDefaults() TrainOptions {
	d := DefaultTrainOptions()
	setIfPositive(&d.Dim, o.Dim)
	setIfPositive(&d.MinDF, o.MinDF)
	setIfPositive(&d.MaxDFRatio, o.MaxDFRatio)
	if o.Weighting != "" {
		d.Weighting = o.Weighting
	}
	if o.SigmaPower != 0 {
		d.SigmaPower = o.SigmaPower
	}
	setIfPositive(&d.K1, o.K1)
	setIfPositive(&d.B, o.B)
	setIfPositive(&d.PowerIters, o.PowerIters)
	setIfPositive(&d.MaxDocs, o.MaxDocs)
	setIfPositive(&d.Refine, o.Refine)
	setIfPositive(&d.RefineBatch, o.RefineBatch)
	setIfPositive(&d.Temperature, o.Temperature)
	setIfPositive(&d.RefineRate, o.RefineRate)
	setIfPositive(&d.Seed, o.Seed)
	return d
}

// setIfPositive sets *dst to v when v is above 0: an option left at zero
// (or set below it) keeps its default.
func setIfPositive[T int | float64 | uint64](dst *T, v T) {
	if v > 0 {
		*dst = v
	}
}

// Model is the built-in embedder's trained state: a vocabulary with each
// term's IDF and latent vector. A text's vector is the BM25-weighted sum of
// its terms' vectors, normalized (LSA fold-in), so papers that arrive after
// training embed exactly like those it saw.
type Model struct {
	Weighting string
	Dim       int
	Vocab     []string
	IDF       []float32
	Vecs      []float32 // len(Vocab)·Dim, term i at [i·Dim, (i+1)·Dim)
	AvgLen    float32
	K1, B     float32
	Docs      int // documents trained on
	Refined   int // epochs of contrastive refinement (refine.go)
	// Near holds each term's RelatedTerms nearest terms by cosine, term i
	// at [i·RelatedTerms, (i+1)·RelatedTerms), -1 past the last, and
	// NearCos their cosines (see Model.Related).
	Near    []int32
	NearCos []float32

	index map[string]int32
	tok   *tokenizer
}

// Train fits a model to docs (paper texts). Progress, when not nil, is told
// about each step. Training is deterministic for opts.Seed.
func Train(ctx context.Context, docs []string, opts TrainOptions, progress func(step, steps int)) (*Model, error) {
	o := opts.withDefaults()
	if progress == nil {
		progress = func(int, int) {}
	}
	if len(docs) > o.MaxDocs { // an even sample keeps the corpus's mix of topics
		sample := make([]string, o.MaxDocs)
		for i := range sample {
			sample[i] = docs[i*len(docs)/o.MaxDocs]
		}
		docs = sample
	}
	m := &Model{Weighting: o.Weighting, Dim: o.Dim, K1: float32(o.K1), B: float32(o.B), Docs: len(docs), tok: &tokenizer{}}
	toks := m.tokenizeAll(docs)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	m.buildVocab(toks, o)
	if len(m.Vocab) == 0 && o.MinDF > 1 { // a tiny corpus: keep every term
		o.MinDF, o.MaxDFRatio = 1, 1
		m.buildVocab(toks, o)
	}
	if len(m.Vocab) == 0 {
		return nil, fmt.Errorf("train: no term occurs in %d of the %d documents", o.MinDF, len(docs))
	}
	m.index = makeIndex(m.Vocab)
	steps := 1 // relating the terms, last
	switch o.Weighting {
	case "random":
		m.randomVectors(o.Seed)
	case "bm25", "tfidf":
		var c *refineCorpus
		steps += 2 + 2*o.PowerIters
		if o.Refine > 0 {
			if c = m.refineCorpusOf(docs); refineSteps(c, o) == 0 {
				c = nil // too few parts for one batch
			}
			steps += refineSteps(c, o)
		}
		a := m.matrix(toks, o.Weighting)
		terms, sv := randomizedSVD(a, o.Dim, 10, o.PowerIters, o.Seed, func(step, _ int) { progress(step, steps) })
		m.setVectors(terms, sv, o.SigmaPower)
		if c != nil {
			step := 2 + 2*o.PowerIters
			if err := m.refine(ctx, c, o, func() { step++; progress(step, steps) }); err != nil {
				return nil, err
			}
			m.Refined = o.Refine
		}
	default:
		return nil, fmt.Errorf("train: unknown weighting %q", o.Weighting)
	}
	if err := m.relate(ctx); err != nil {
		return nil, err
	}
	progress(steps, steps)
	return m, ctx.Err()
}

// tokenizeAll tokenizes docs on all cores.
func (m *Model) tokenizeAll(docs []string) [][]string {
	toks := make([][]string, len(docs))
	parallel(len(docs), func(from, to int) {
		for i := from; i < to; i++ {
			toks[i] = m.tok.tokens(nil, docs[i])
		}
	})
	return toks
}

// buildVocab keeps the terms with a document frequency in [MinDF,
// MaxDFRatio·N], sorted, with their IDF, and the average document length.
func (m *Model) buildVocab(toks [][]string, o TrainOptions) {
	df := map[string]int{}
	var total int
	seen := map[string]bool{}
	for _, ts := range toks {
		total += len(ts)
		clear(seen)
		for _, t := range ts {
			if !seen[t] {
				seen[t] = true
				df[t]++
			}
		}
	}
	n := float64(len(toks))
	maxDF := int(math.Max(o.MaxDFRatio*n, float64(o.MinDF)))
	for t, c := range df {
		if c >= o.MinDF && c <= maxDF {
			m.Vocab = append(m.Vocab, t)
		}
	}
	slices.Sort(m.Vocab)
	m.IDF = make([]float32, len(m.Vocab))
	for i, t := range m.Vocab {
		d := float64(df[t])
		m.IDF[i] = float32(math.Log(1 + (n-d+0.5)/(d+0.5)))
	}
	m.AvgLen = float32(max(float64(total)/max(n, 1), 1))
}

func makeIndex(vocab []string) map[string]int32 {
	idx := make(map[string]int32, len(vocab))
	for i, t := range vocab {
		idx[t] = int32(i)
	}
	return idx
}

// matrix builds the weighted document-term matrix.
func (m *Model) matrix(toks [][]string, weighting string) *csr {
	a := &csr{rows: len(toks), cols: len(m.Vocab), start: make([]int, 1, len(toks)+1)}
	for _, ts := range toks {
		for _, w := range m.weights(ts, weighting) {
			a.col = append(a.col, w.term)
			a.val = append(a.val, w.w)
		}
		a.start = append(a.start, len(a.col))
	}
	return a
}

type termWeight struct {
	term int32
	w    float32
}

// weights returns the weight of each vocabulary term of a document, in
// term order: BM25's saturated, length-normalized tf times IDF, or
// (1+log tf)·IDF.
func (m *Model) weights(ts []string, weighting string) []termWeight {
	counts := map[int32]int{}
	for _, t := range ts {
		if i, ok := m.index[t]; ok {
			counts[i]++
		}
	}
	out := make([]termWeight, 0, len(counts))
	norm := m.lengthNorm(len(ts))
	for i, c := range counts {
		w := m.bm25(i, c, norm)
		if weighting == "tfidf" {
			w = float32((1 + math.Log(float64(c))) * float64(m.IDF[i]))
		}
		out = append(out, termWeight{i, w})
	}
	slices.SortFunc(out, func(a, b termWeight) int { return int(a.term - b.term) })
	return out
}

// lengthNorm is BM25's K1·(1-B+B·n/avgdl) for a text of n terms.
func (m *Model) lengthNorm(n int) float64 {
	return float64(m.K1) * (1 - float64(m.B) + float64(m.B)*float64(n)/float64(m.AvgLen))
}

// bm25 is the BM25 weight of term t occurring tf times in a text whose
// lengthNorm is norm: its IDF times its saturated frequency.
func (m *Model) bm25(t int32, tf int, norm float64) float32 {
	return float32(float64(m.IDF[t]) * float64(tf) * (float64(m.K1) + 1) / (float64(tf) + norm))
}

// setVectors stores each term's latent vector scaled by σ^power.
func (m *Model) setVectors(terms *dense, sv []float64, power float64) {
	m.Dim = terms.cols
	m.Vecs = make([]float32, len(m.Vocab)*m.Dim)
	for t := range m.Vocab {
		for j, x := range terms.row(t) {
			m.Vecs[t*m.Dim+j] = float32(x * math.Pow(sv[j], power))
		}
	}
}

// randomVectors gives each term a random Gaussian vector: the sum of a
// document's weighted term vectors then approximates its weighted term
// vector (Johnson-Lindenstrauss), a baseline with no learning.
func (m *Model) randomVectors(seed uint64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	m.Vecs = make([]float32, len(m.Vocab)*m.Dim)
	for i := range m.Vecs {
		m.Vecs[i] = float32(rng.NormFloat64())
	}
}

// embed returns the normalized vector of a text: document weights for a
// paper, IDF weights for a query.
func (m *Model) embed(text string, query bool) []float32 {
	ts := m.tok.tokens(make([]string, 0, 64), text)
	v := make([]float32, m.Dim)
	if query {
		seen := make(map[int32]bool, len(ts))
		for _, t := range ts {
			if i, ok := m.index[t]; ok && !seen[i] {
				seen[i] = true
				axpy(v, m.IDF[i], m.Vecs[int(i)*m.Dim:int(i+1)*m.Dim])
			}
		}
		return Normalize(v)
	}
	weighting := m.Weighting
	if weighting == "random" {
		weighting = "bm25"
	}
	for _, w := range m.weights(ts, weighting) {
		axpy(v, w.w, m.Vecs[int(w.term)*m.Dim:int(w.term+1)*m.Dim])
	}
	return Normalize(v)
}

func axpy(dst []float32, a float32, x []float32) {
	x = x[:len(dst)]
	for i, xv := range x {
		dst[i] += a * xv
	}
}

// embedAll embeds texts as documents on all cores.
func (m *Model) embedAll(texts []string) [][]float32 {
	out := make([][]float32, len(texts))
	parallel(len(texts), func(from, to int) {
		for i := from; i < to; i++ {
			out[i] = m.embed(texts[i], false)
		}
	})
	return out
}
