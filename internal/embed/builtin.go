package embed

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"

	"paperboy"
)

// BuiltinName is the embedder name in the contract of the built-in model.
const BuiltinName = "builtin"

// Builtin is the Embedder of a trained Model. Its contract's version is the
// training generation: each retraining makes a new, incomparable set of
// vectors.
type Builtin struct {
	m       *Model
	version int
}

var _ Embedder = (*Builtin)(nil)

// NewBuiltin returns the embedder of m as training generation version.
func NewBuiltin(m *Model, version int) *Builtin {
	if m.index == nil {
		m.index = makeIndex(m.Vocab)
	}
	if m.tok == nil {
		m.tok = &tokenizer{}
	}
	return &Builtin{m: m, version: version}
}

// TermRelater is an embedder that relates words to one another, as the
// built-in model's word vectors do.
type TermRelater interface {
	// Related returns the words nearest to term (see Model.Related).
	Related(term string) []Related
}

var _ TermRelater = (*Builtin)(nil)

// Related implements TermRelater.
func (b *Builtin) Related(term string) []Related { return b.m.Related(term) }

// Model returns the trained model.
func (b *Builtin) Model() *Model { return b.m }

// Contract implements Embedder.
func (b *Builtin) Contract() paperboy.EmbedContract {
	model := "lsa-" + b.m.Weighting
	if b.m.Refined > 0 {
		model += "-ict" // refined by the inverse cloze task (refine.go)
	}
	return paperboy.EmbedContract{Embedder: BuiltinName, Model: model, Dim: b.m.Dim, Version: b.version}
}

// EmbedDocuments implements Embedder.
func (b *Builtin) EmbedDocuments(ctx context.Context, texts []string) ([][]float32, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return b.m.embedAll(texts), nil
}

// EmbedQuery implements Embedder; it takes microseconds.
func (b *Builtin) EmbedQuery(_ context.Context, text string) ([]float32, error) {
	return b.m.embed(text, true), nil
}

// modelData is Model without its methods, for gob.
type modelData Model

// MarshalBinary encodes the model for the store.
func (m *Model) MarshalBinary() ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode((*modelData)(m)); err != nil {
		return nil, fmt.Errorf("encode model: %w", err)
	}
	return buf.Bytes(), nil
}

// UnmarshalModel decodes a model MarshalBinary encoded.
func UnmarshalModel(data []byte) (*Model, error) {
	var m Model
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode((*modelData)(&m)); err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	if m.Dim <= 0 || len(m.Vecs) != len(m.Vocab)*m.Dim || len(m.IDF) != len(m.Vocab) {
		return nil, fmt.Errorf("decode model: inconsistent sizes (dim %d, %d terms, %d values)", m.Dim, len(m.Vocab), len(m.Vecs))
	}
	m.index = makeIndex(m.Vocab)
	m.tok = &tokenizer{}
	if len(m.Near) != len(m.Vocab)*RelatedTerms || len(m.NearCos) != len(m.Near) {
		// A model saved before it kept its related terms, or damaged:
		// relate them again from its vectors.
		if err := m.relate(context.Background()); err != nil {
			return nil, err
		}
	}
	return &m, nil
}
