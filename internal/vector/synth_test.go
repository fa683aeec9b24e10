package vector

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"paperboy"
)

// lsaParams shape lsaLike's vectors: a shared offset (LSA vectors all lean
// one way), 100 topics, subtopics of about 50 papers and leaves of about 8
// under them, and per-paper noise of varying size, all drawn along a
// decaying spectrum (variance ∝ 1/(1+j/40) in dimension j). They were
// fitted to the built-in embedder's vectors (dimension 256) of the 7,814
// papers of the arXiv sample and SciFact together:
//
//	                     |mean|  random cos   nn1    nn10   nn100  effective dim
//	built-in embedder    0.311   0.097±0.078  0.621  0.493  0.336  150
//	lsaLike (n = 7,814)  0.311   0.097±0.084  0.620  0.492  0.312  144
//	clustered            0.092   0.009±0.103  0.830  0.805  0.119   93
//
// (nnK: mean cosine of a paper with its K-th nearest other paper;
// effective dimension: (Σλ)²/Σλ² over the covariance's eigenvalues.) The
// Gaussian topics of clustered are far easier for a graph: tight, well
// separated groups of 100 in fewer dimensions. lsaLike keeps the density
// of its subtopics as n grows, so a paper's neighbours are no nearer at
// 2.5 million than at 8,000, which is the harder assumption: a real corpus
// gets denser as it grows.
var lsaParams = struct {
	offset, topic, sub, leaf, noise, noiseSpread, decay float64
	topics, perSub, perLeaf                             int
}{0.45, 0.7, 0.4, 0.5, 1.0, 0.3, 40, 100, 50, 8}

// questionNoise is the length of the random vector added to a held-out
// paper to make a search question of it: the built-in embedder's vectors
// of SciFact's 809 training questions have nn1/nn10/nn100 0.578, 0.421,
// 0.235 with the corpus; lsaLike's with this noise 0.555, 0.426, 0.255.
const questionNoise = 0.4

// lsaLike returns n unit vectors like the built-in embedder's paper
// vectors (see lsaParams), then nq held-out papers of the same model, and
// the same nq made into search questions.
func lsaLike(n, nq, dim int, seed uint64) (docs, held, questions []paperboy.PaperVector) {
	p := lsaParams
	rng := rand.New(rand.NewPCG(seed, 13))
	scale := make([]float64, dim) // the standard deviation of dimension j, for a unit variance on average
	var sum float64
	for j := range scale {
		scale[j] = 1 / (1 + float64(j)/p.decay)
		sum += scale[j]
	}
	for j := range scale {
		scale[j] = math.Sqrt(scale[j] * float64(dim) / sum)
	}
	gauss := func(r *rand.Rand, s float64, v []float64) []float64 {
		for j := range v {
			v[j] += s * scale[j] * r.NormFloat64()
		}
		return v
	}
	offset := gauss(rng, 1, make([]float64, dim))
	norm := math.Sqrt(dotF64(offset, offset))
	for j := range offset {
		offset[j] *= p.offset * math.Sqrt(float64(dim)) / norm
	}
	topics := make([][]float64, p.topics)
	for i := range topics {
		topics[i] = gauss(rng, p.topic, make([]float64, dim))
	}
	subs := make([][]float32, max(1, (n+nq)/p.perSub))
	for i := range subs {
		s := gauss(rng, p.sub, slicesAdd(offset, topics[rng.IntN(len(topics))]))
		subs[i] = make([]float32, dim)
		for j, x := range s {
			subs[i][j] = float32(x)
		}
	}
	nleaf := max(1, (n+nq)/p.perLeaf)
	centre := make([]float64, dim)
	all := make([]paperboy.PaperVector, n+nq)
	for i := range all {
		leaf := rng.IntN(nleaf) // a leaf's centre is drawn again from its own seed each time
		lr := rand.New(rand.NewPCG(seed, uint64(leaf)<<1|1))
		for j, x := range subs[lr.IntN(len(subs))] {
			centre[j] = float64(x)
		}
		gauss(lr, p.leaf, centre)
		noise := p.noise * math.Exp(p.noiseSpread*rng.NormFloat64())
		v := make([]float32, dim)
		for j := range v {
			v[j] = float32(centre[j] + noise*scale[j]*rng.NormFloat64())
		}
		all[i] = paperboy.PaperVector{ID: paperboy.ArxivID(fmt.Sprintf("2401.%05d", i)), Vec: unit(v)}
	}
	docs, held = all[:n], all[n:]
	for _, h := range held {
		v := make([]float32, dim)
		for j := range v {
			v[j] = h.Vec[j] + float32(questionNoise/math.Sqrt(float64(dim))*rng.NormFloat64())
		}
		questions = append(questions, paperboy.PaperVector{ID: h.ID, Vec: unit(v)})
	}
	return docs, held, questions
}

func dotF64(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func slicesAdd(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] + b[i]
	}
	return out
}

func unit(v []float32) []float32 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
	return v
}

// shape is what lsaParams were fitted on.
type shape struct {
	mean, random, nn1, nn10, nn100, effDim float64
}

// measureShape measures vectors as in lsaParams' table, nnK over the first
// 300 queries against docs (queries taken from docs leave themselves out).
func measureShape(docs, queries []paperboy.PaperVector) shape {
	dim, n := len(docs[0].Vec), len(docs)
	mean := make([]float64, dim)
	for _, v := range docs {
		for j, x := range v.Vec {
			mean[j] += float64(x) / float64(n)
		}
	}
	var sh shape
	sh.mean = math.Sqrt(dotF64(mean, mean))
	rng := rand.New(rand.NewPCG(1, 2))
	const pairs = 20000
	for range pairs {
		sh.random += float64(dot(docs[rng.IntN(n)].Vec, docs[rng.IntN(n)].Vec)) / pairs
	}
	nq := min(300, len(queries))
	for _, q := range queries[:nq] {
		var sc []float64
		for _, d := range docs {
			if d.ID != q.ID {
				sc = append(sc, float64(dot(q.Vec, d.Vec)))
			}
		}
		slices.SortFunc(sc, func(a, b float64) int { return cmp.Compare(b, a) })
		sh.nn1 += sc[0] / float64(nq)
		sh.nn10 += sc[9] / float64(nq)
		sh.nn100 += sc[99] / float64(nq)
	}
	cov := make([]float64, dim*dim)
	x := make([]float64, dim)
	for _, v := range docs {
		for j := range x {
			x[j] = float64(v.Vec[j]) - mean[j]
		}
		for a := range dim {
			for b := range dim {
				cov[a*dim+b] += x[a] * x[b]
			}
		}
	}
	var tr float64
	for a := range dim {
		tr += cov[a*dim+a]
	}
	sh.effDim = tr * tr / dotF64(cov, cov)
	return sh
}

// TestLSALikeShape keeps lsaLike fitted to the built-in embedder's vectors
// (lsaParams).
func TestLSALikeShape(t *testing.T) {
	docs, _, questions := lsaLike(7814, 300, 256, 1)
	got := measureShape(docs, docs)
	t.Logf("papers: %+v", got)
	for _, c := range []struct {
		name          string
		got, min, max float64
	}{
		{"|mean|", got.mean, 0.28, 0.34}, {"random cos", got.random, 0.08, 0.115},
		{"nn1", got.nn1, 0.58, 0.66}, {"nn10", got.nn10, 0.45, 0.53}, {"nn100", got.nn100, 0.28, 0.36},
		{"effective dim", got.effDim, 120, 170},
	} {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s = %.3f, want %.3f..%.3f", c.name, c.got, c.min, c.max)
		}
	}
	q := measureShape(docs[:5183], questions)
	t.Logf("questions: %+v", q)
	if q.nn1 < 0.52 || q.nn1 > 0.62 || q.nn10 < 0.39 || q.nn10 > 0.48 {
		t.Errorf("questions: nn1 %.3f, nn10 %.3f; want about 0.58, 0.42", q.nn1, q.nn10)
	}
}
