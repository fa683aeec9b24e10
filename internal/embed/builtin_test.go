package embed

import (
	"bytes"
	"context"
	"encoding/gob"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// corpus is a small corpus of two topics: each document is words drawn
// from its topic's vocabulary.
func corpus() []string {
	topics := [][]string{
		strings.Fields("learning rate warmup transformer training stable diverge gradient clipping optimizer loss spikes step sizes schedule large"),
		strings.Fields("protein folding structure molecular dynamics energy landscape residue binding enzyme simulation"),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var docs []string
	for i := range 200 {
		words := topics[i%2]
		var doc []string
		for range 8 {
			doc = append(doc, words[rng.IntN(len(words))])
		}
		docs = append(docs, strings.Join(doc, " "))
	}
	return docs
}

func train(t *testing.T, seed uint64) *Builtin {
	t.Helper()
	m, err := Train(context.Background(), corpus(), TrainOptions{Dim: 4, MinDF: 2, MaxDFRatio: 0.9, Seed: seed}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return NewBuiltin(m, 1)
}

func TestTrainDeterministic(t *testing.T) {
	a, b := train(t, 7), train(t, 7)
	if !slices.Equal(a.m.Vecs, b.m.Vecs) || !slices.Equal(a.m.Vocab, b.m.Vocab) {
		t.Error("two trainings with one seed differ")
	}
}

func TestBuiltinFindsMeaning(t *testing.T) {
	b := train(t, 1)
	ctx := context.Background()
	docs, _ := b.EmbedDocuments(ctx, []string{
		"Loss spikes and divergence at big step sizes are fixed by warmup.",
		"Molecular dynamics of protein folding.",
	})
	// The query shares no word with the first document but its topic.
	q, _ := b.EmbedQuery(ctx, "how to keep training stable at large learning rates")
	if Dot(q, docs[0]) <= Dot(q, docs[1]) {
		t.Errorf("optimizer doc scores %.3f, protein doc %.3f; want the optimizer doc first", Dot(q, docs[0]), Dot(q, docs[1]))
	}
	if got := b.Contract(); got.Embedder != BuiltinName || got.Dim != 4 || got.Version != 1 {
		t.Errorf("contract = %v", got)
	}
}

func TestModelRoundTrip(t *testing.T) {
	b := train(t, 1)
	data, err := b.m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	m, err := UnmarshalModel(data)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	want, _ := b.EmbedQuery(ctx, "protein folding warmup")
	got, _ := NewBuiltin(m, 1).EmbedQuery(ctx, "protein folding warmup")
	if !slices.Equal(got, want) {
		t.Errorf("decoded model embeds %v, want %v", got, want)
	}
	if _, err := UnmarshalModel([]byte("junk")); err == nil {
		t.Error("UnmarshalModel(junk) succeeded")
	}
	for _, cut := range []int{len(data) - 1, len(data) / 2, len(modelMagic) + 2} {
		if _, err := UnmarshalModel(data[:cut]); err == nil {
			t.Errorf("UnmarshalModel of the first %d of %d bytes succeeded", cut, len(data))
		}
	}

	// Models stored before the arrays were written as words were gobs.
	var old bytes.Buffer
	if err := gob.NewEncoder(&old).Encode((*modelData)(b.m)); err != nil {
		t.Fatal(err)
	}
	m, err = UnmarshalModel(old.Bytes())
	if err != nil {
		t.Fatalf("UnmarshalModel(gob): %v", err)
	}
	if got, _ := NewBuiltin(m, 1).EmbedQuery(ctx, "protein folding warmup"); !slices.Equal(got, want) {
		t.Errorf("model decoded from a gob embeds %v, want %v", got, want)
	}
	if !slices.Equal(m.Near, b.m.Near) || !slices.Equal(m.IDF, b.m.IDF) {
		t.Error("model decoded from a gob lost its related terms or IDF")
	}
}

func BenchmarkEmbedQuery(b *testing.B) {
	m, err := Train(context.Background(), corpus(), TrainOptions{Dim: 256, MinDF: 1}, nil)
	if err != nil {
		b.Fatal(err)
	}
	e := NewBuiltin(m, 1)
	ctx := context.Background()
	for b.Loop() {
		e.EmbedQuery(ctx, "how to keep training stable at large learning rates")
	}
}
