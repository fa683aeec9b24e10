package embed

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// sentenceCorpus is papers of three topics, each a title line and three
// sentences of words drawn from its topic's vocabulary.
func sentenceCorpus() []string {
	topics := [][]string{
		strings.Fields("learning rate warmup transformer training stable diverge gradient clipping optimizer loss spikes schedule"),
		strings.Fields("protein folding structure molecular dynamics energy landscape residue binding enzyme simulation"),
		strings.Fields("galaxy cluster redshift survey telescope dark matter halo lensing cosmology spectra"),
	}
	rng := rand.New(rand.NewPCG(3, 4))
	words := func(topic []string, n int) string {
		var w []string
		for range n {
			w = append(w, topic[rng.IntN(len(topic))])
		}
		return strings.Join(w, " ")
	}
	var docs []string
	for i := range 120 {
		topic := topics[i%3]
		docs = append(docs, words(topic, 4)+"\n"+words(topic, 6)+". "+words(topic, 6)+". "+words(topic, 6)+".")
	}
	return docs
}

// refinerOf trains an unrefined model on sentenceCorpus and returns a
// refiner over it with batches of b.
func refinerOf(t *testing.T, b int) (*refiner, TrainOptions) {
	t.Helper()
	docs := sentenceCorpus()
	m, err := Train(context.Background(), docs, TrainOptions{Dim: 8, MinDF: 2, MaxDFRatio: 0.9}, nil)
	if err != nil {
		t.Fatal(err)
	}
	o := TrainOptions{RefineBatch: b, Temperature: 0.1, RefineRate: 0.05, Refine: 3}.withDefaults()
	c := m.refineCorpusOf(docs)
	if len(c.pairs) != 4*len(docs) {
		t.Fatalf("%d pairs, want a title and three sentences of each of %d papers", len(c.pairs), len(docs))
	}
	return newRefiner(m, c, o), o
}

// TestRefineGradient checks the contrastive loss's gradient against
// finite differences, in a batch holding several parts of one paper.
func TestRefineGradient(t *testing.T) {
	r, o := refinerOf(t, 12)
	batch := make([]int, o.RefineBatch) // the first three papers' parts
	for i := range batch {
		batch[i] = i
	}
	r.loss(batch)
	r.gradient()
	checked := 0
	for _, term := range slices.Clone(r.rows) {
		g := slices.Clone(r.termGradient(term))
		for k := range 3 {
			at := int(term)*r.m.Dim + k
			old := r.m.Vecs[at]
			const eps = 1e-3
			r.m.Vecs[at] = old + eps
			up := r.loss(batch)
			r.m.Vecs[at] = old - eps
			down := r.loss(batch)
			r.m.Vecs[at] = old
			numeric := (up - down) / (2 * eps)
			if math.Abs(numeric-float64(g[k])) > 0.02*math.Abs(numeric)+2e-3 {
				t.Errorf("term %q, dimension %d: gradient %.5f, finite differences %.5f", r.m.Vocab[term], k, g[k], numeric)
			}
			checked++
		}
	}
	if checked < 30 {
		t.Fatalf("checked %d gradients; the batch touched too few terms", checked)
	}
}

// TestRefineLowersLoss checks that refinement lowers the loss on the
// corpus's batches and changes what training returns.
func TestRefineLowersLoss(t *testing.T) {
	r, o := refinerOf(t, 24)
	total := func() float64 {
		var sum float64
		for s := 0; s+o.RefineBatch <= len(r.c.pairs); s += o.RefineBatch {
			sum += r.loss(seq(s, s+o.RefineBatch))
		}
		return sum
	}
	before := total()
	if err := r.m.refine(context.Background(), r.c, o, func() {}); err != nil {
		t.Fatal(err)
	}
	if after := total(); after >= before {
		t.Errorf("loss %.3f before refinement, %.3f after; want it lower", before, after)
	}
}

func seq(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// TestRefineDeterministic trains with refinement on one core and on
// several: the vectors are the same, and differ from those without.
func TestRefineDeterministic(t *testing.T) {
	trainOn := func(procs int, o TrainOptions) *Model {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		m, err := Train(context.Background(), sentenceCorpus(), o, nil)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	o := TrainOptions{Dim: 8, MinDF: 2, MaxDFRatio: 0.9, Refine: 2, RefineBatch: 16, Seed: 5}
	one, four := trainOn(1, o), trainOn(4, o)
	if !slices.Equal(one.Vecs, four.Vecs) {
		t.Error("refinement on one core and on four differ")
	}
	if one.Refined != 2 {
		t.Errorf("model records %d epochs of refinement, want 2", one.Refined)
	}
	o.Refine = 0
	plain := trainOn(4, o)
	if slices.Equal(plain.Vecs, one.Vecs) || plain.Refined != 0 {
		t.Error("refinement left the vectors as the SVD made them")
	}
	o.Refine, o.RefineBatch = 2, 1000 // more than the corpus's 480 parts
	if few := trainOn(4, o); few.Refined != 0 || !slices.Equal(few.Vecs, plain.Vecs) ||
		NewBuiltin(few, 1).Contract().Model != "lsa-bm25" {
		t.Errorf("too few parts for a batch: the model records %d epochs of refinement", few.Refined)
	}
}

// TestRefineSamePaper checks that another part of the same paper is no
// negative: a batch of one paper's parts has nothing to tell apart.
func TestRefineSamePaper(t *testing.T) {
	r, _ := refinerOf(t, 4)
	if loss := r.loss([]int{0, 1, 2, 3}); loss != 0 {
		t.Errorf("loss of one paper's parts = %v, want 0", loss)
	}
}
