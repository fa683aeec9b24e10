package embed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"

	"github.com/viterin/vek/vek32"
)

// Contrastive refinement of the term vectors (an inverse cloze task, Lee et
// al. 2019, with in-batch negatives as in Contriever, Izacard et al. 2022):
// a part of a paper (its title or one of its sentences), embedded as a
// query is, must lie nearer the rest of its paper, embedded as a paper is,
// than the rest of the other papers of its batch. LSA places words that
// occur in the same papers together; this also teaches which words a
// sentence stating a finding shares with the paper that reports it, the
// question users and SciFact's claims ask. Both sides are the model's own
// weighted sums of term vectors, so refined vectors embed papers and
// queries exactly as before, as fast.

// refineCorpus is the corpus cut into parts, each a run of term numbers
// (-1 for a word outside the vocabulary, which still counts towards a
// paper's length).
type refineCorpus struct {
	parts [][][]int32 // per paper, its parts
	pairs []refinePair
}

// refinePair is one training example: part part of paper doc against the
// rest of it.
type refinePair struct{ doc, part int32 }

// splitParts cuts a paper's text into its lines and their sentences: a
// sentence ends at '.', '?' or '!' before a space.
func splitParts(text string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		start := 0
		for i := 0; i+1 < len(line); i++ {
			if c := line[i]; (c == '.' || c == '?' || c == '!') && line[i+1] == ' ' {
				out = append(out, line[start:i+1])
				start = i + 1
			}
		}
		out = append(out, line[start:])
	}
	return out
}

// refineCorpusOf tokenizes docs into parts and lists the pairs: every part
// holding a vocabulary term, of every paper with at least two such parts.
func (m *Model) refineCorpusOf(docs []string) *refineCorpus {
	c := &refineCorpus{parts: make([][][]int32, len(docs))}
	parallel(len(docs), func(from, to int) {
		var toks []string
		for d := from; d < to; d++ {
			for _, p := range splitParts(docs[d]) {
				toks = m.tok.tokens(toks[:0], p)
				ids := make([]int32, len(toks))
				known := false
				for i, t := range toks {
					ids[i] = -1
					if j, ok := m.index[t]; ok {
						ids[i], known = j, true
					}
				}
				if known {
					c.parts[d] = append(c.parts[d], ids)
				}
			}
		}
	})
	for d, parts := range c.parts {
		if len(parts) < 2 {
			continue
		}
		for p := range parts {
			c.pairs = append(c.pairs, refinePair{int32(d), int32(p)})
		}
	}
	return c
}

// refineScratch is one worker's buffers for turning parts into weights.
type refineScratch struct {
	counts  []int32 // per term, its count in the text being weighed
	touched []int32
}

// queryWeights weighs a part as a query is embedded: each distinct term by
// its IDF.
func (m *Model) queryWeights(ids []int32, s *refineScratch) []termWeight {
	out := make([]termWeight, 0, len(ids))
	for _, t := range ids {
		if t >= 0 && s.counts[t] == 0 {
			s.counts[t] = 1
			out = append(out, termWeight{t, m.IDF[t]})
		}
	}
	for _, w := range out {
		s.counts[w.term] = 0
	}
	return out
}

// restWeights weighs the parts of a paper other than skip as the paper
// would be embedded (BM25 weights, Model.weights).
func (m *Model) restWeights(parts [][]int32, skip int, s *refineScratch) []termWeight {
	n := 0
	s.touched = s.touched[:0]
	for i, p := range parts {
		if i == skip {
			continue
		}
		n += len(p)
		for _, t := range p {
			if t < 0 {
				continue
			}
			if s.counts[t] == 0 {
				s.touched = append(s.touched, t)
			}
			s.counts[t]++
		}
	}
	norm := m.lengthNorm(n)
	out := make([]termWeight, 0, len(s.touched))
	for _, t := range s.touched {
		out = append(out, termWeight{t, m.bm25(t, int(s.counts[t]), norm)})
		s.counts[t] = 0
	}
	return out
}

// side is one embedded text of a batch: its weights, its unnormalized
// vector's length, its unit vector and the loss's gradient with respect
// to it.
type side struct {
	w    []termWeight
	norm float32
	v, g []float32
}

// embedSide sums the side's weighted term vectors and normalizes the sum,
// as Model.embed does, keeping its length for the gradient.
func (m *Model) embedSide(s *side, tmp []float32) {
	clear(s.v)
	for _, w := range s.w {
		axpySIMD(s.v, w.w, m.Vecs[int(w.term)*m.Dim:int(w.term+1)*m.Dim], tmp)
	}
	s.norm = float32(math.Sqrt(float64(vek32.Dot(s.v, s.v))))
	if s.norm > 0 {
		vek32.MulNumber_Inplace(s.v, 1/s.norm)
	}
}

// refiner holds the state of a refinement: its batch's buffers and
// Adagrad's sums of squared gradients.
type refiner struct {
	m       *Model
	c       *refineCorpus
	o       TrainOptions
	scratch sync.Pool
	q, d    []side    // the batch's parts and rests
	sim     []float32 // b×b: the loss's gradient with respect to each q_i·d_j
	acc     []float32 // Adagrad's sums of squared gradients, like Model.Vecs
	slot    []int32   // a term's row in grad, plus one
	rows    []int32   // the terms with a gradient
	grad    []float32 // their gradients, a row each
}

func newRefiner(m *Model, c *refineCorpus, o TrainOptions) *refiner {
	r := &refiner{m: m, c: c, o: o, q: make([]side, o.RefineBatch), d: make([]side, o.RefineBatch),
		sim: make([]float32, o.RefineBatch*o.RefineBatch), acc: make([]float32, len(m.Vecs)), slot: make([]int32, len(m.Vocab))}
	r.scratch.New = func() any { return &refineScratch{counts: make([]int32, len(m.Vocab))} }
	for i := range r.q {
		r.q[i] = side{v: make([]float32, m.Dim), g: make([]float32, m.Dim)}
		r.d[i] = side{v: make([]float32, m.Dim), g: make([]float32, m.Dim)}
	}
	return r
}

// refine runs o.Refine epochs of contrastive refinement over c, calling
// step after each batch. It is deterministic for o.Seed, whatever the
// number of cores.
func (m *Model) refine(ctx context.Context, c *refineCorpus, o TrainOptions, step func()) error {
	r := newRefiner(m, c, o)
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x5851f42d4c957f2d))
	for range o.Refine {
		order := rng.Perm(len(c.pairs))
		for s := 0; s+o.RefineBatch <= len(order); s += o.RefineBatch {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("train: %w", err)
			}
			r.loss(order[s : s+o.RefineBatch])
			r.gradient()
			r.update()
			step()
		}
	}
	return nil
}

// loss embeds a batch of pairs, as many as RefineBatch, and returns the
// contrastive loss: the mean over the batch of -log softmax_j(q_i·d_j/τ)
// at j = i, another part of the same paper being no negative. It leaves
// in sim the loss's gradient with respect to each q_i·d_j.
func (r *refiner) loss(batch []int) float64 {
	m, c, b := r.m, r.c, len(batch)
	tau := float32(r.o.Temperature)
	parallel(b, func(from, to int) {
		sc := r.scratch.Get().(*refineScratch)
		defer r.scratch.Put(sc)
		tmp := make([]float32, m.Dim)
		for i := from; i < to; i++ {
			p := c.pairs[batch[i]]
			parts := c.parts[p.doc]
			r.q[i].w = m.queryWeights(parts[p.part], sc)
			r.d[i].w = m.restWeights(parts, int(p.part), sc)
			m.embedSide(&r.q[i], tmp)
			m.embedSide(&r.d[i], tmp)
		}
	})
	losses := make([]float64, b)
	parallel(b, func(from, to int) {
		for i := from; i < to; i++ {
			row := r.sim[i*b : (i+1)*b]
			top := float32(math.Inf(-1))
			for j := range b {
				row[j] = vek32.Dot(r.q[i].v, r.d[j].v) / tau
				if j != i && c.pairs[batch[j]].doc == c.pairs[batch[i]].doc {
					row[j] = float32(math.Inf(-1))
				}
				top = max(top, row[j])
			}
			var z float64
			for j := range b {
				z += math.Exp(float64(row[j] - top))
			}
			losses[i] = (math.Log(z) - float64(row[i]-top)) / float64(b)
			for j := range b {
				p := float32(math.Exp(float64(row[j]-top)) / z)
				if j == i {
					p--
				}
				row[j] = p / float32(b) / tau
			}
		}
	})
	var sum float64
	for _, l := range losses {
		sum += l
	}
	return sum
}

// gradient turns sim into each term's gradient, summed in batch order.
func (r *refiner) gradient() {
	b, dim := len(r.q), r.m.Dim
	parallel(b, func(from, to int) {
		tmp := make([]float32, dim)
		for i := from; i < to; i++ {
			clear(r.q[i].g)
			clear(r.d[i].g)
			for j := range b {
				axpySIMD(r.q[i].g, r.sim[i*b+j], r.d[j].v, tmp)
				axpySIMD(r.d[i].g, r.sim[j*b+i], r.q[j].v, tmp)
			}
			unnormalize(&r.q[i])
			unnormalize(&r.d[i])
		}
	})
	for _, t := range r.rows {
		r.slot[t] = 0
	}
	r.rows, r.grad = r.rows[:0], r.grad[:0]
	tmp := make([]float32, dim)
	for _, sides := range [][]side{r.q, r.d} {
		for i := range sides {
			for _, w := range sides[i].w {
				if r.slot[w.term] == 0 {
					r.rows = append(r.rows, w.term)
					r.grad = append(r.grad, make([]float32, dim)...)
					r.slot[w.term] = int32(len(r.rows))
				}
				at := int(r.slot[w.term]-1) * dim
				axpySIMD(r.grad[at:at+dim], w.w, sides[i].g, tmp)
			}
		}
	}
}

// termGradient returns the gradient of term t (nil: none in the batch).
func (r *refiner) termGradient(t int32) []float32 {
	if r.slot[t] == 0 {
		return nil
	}
	at := int(r.slot[t]-1) * r.m.Dim
	return r.grad[at : at+r.m.Dim]
}

// update takes one Adagrad step along the gradient.
func (r *refiner) update() {
	dim, rate := r.m.Dim, float32(r.o.RefineRate)
	parallel(len(r.rows), func(from, to int) {
		for i := from; i < to; i++ {
			g, at := r.grad[i*dim:(i+1)*dim], int(r.rows[i])*dim
			for k, x := range g {
				r.acc[at+k] += x * x
				r.m.Vecs[at+k] -= rate * x / (float32(math.Sqrt(float64(r.acc[at+k]))) + 1e-8)
			}
		}
	})
}

// axpySIMD adds a·x to dst in vector instructions, through tmp.
func axpySIMD(dst []float32, a float32, x, tmp []float32) {
	vek32.MulNumber_Into(tmp[:0], x, a)
	vek32.Add_Inplace(dst, tmp)
}

// unnormalize turns the gradient with respect to a side's unit vector into
// the gradient with respect to the sum before normalization.
func unnormalize(s *side) {
	if s.norm == 0 {
		clear(s.g)
		return
	}
	dot := Dot(s.g, s.v)
	for k := range s.g {
		s.g[k] = (s.g[k] - dot*s.v[k]) / s.norm
	}
}

// refineSteps is how many batches refine runs (none for a nil c).
func refineSteps(c *refineCorpus, o TrainOptions) int {
	if c == nil {
		return 0
	}
	return o.Refine * (len(c.pairs) / o.RefineBatch)
}
