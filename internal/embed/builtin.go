package embed

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"math"

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

// modelMagic begins an encoded model: a gob of its vocabulary and scalars,
// then its arrays as little-endian words. Gob alone, as models were
// stored before, took 1.5 s to decode the arrays of a model of 300,000
// papers (61 MB); a model without the magic is decoded as a gob.
const modelMagic = "pbmodel2"

// MarshalBinary encodes the model for the store.
func (m *Model) MarshalBinary() ([]byte, error) {
	head := *m
	head.IDF, head.Vecs, head.Near, head.NearCos = nil, nil, nil, nil
	var g bytes.Buffer
	if err := gob.NewEncoder(&g).Encode((*modelData)(&head)); err != nil {
		return nil, fmt.Errorf("encode model: %w", err)
	}
	words := len(m.IDF) + len(m.Vecs) + len(m.Near) + len(m.NearCos)
	out := make([]byte, 0, len(modelMagic)+4+g.Len()+4*8+4*words)
	out = append(out, modelMagic...)
	out = binary.LittleEndian.AppendUint32(out, uint32(g.Len()))
	out = append(out, g.Bytes()...)
	for _, a := range [][]float32{m.IDF, m.Vecs, m.NearCos} {
		out = binary.LittleEndian.AppendUint64(out, uint64(len(a)))
		for _, f := range a {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(f))
		}
	}
	out = binary.LittleEndian.AppendUint64(out, uint64(len(m.Near)))
	for _, n := range m.Near {
		out = binary.LittleEndian.AppendUint32(out, uint32(n))
	}
	return out, nil
}

// UnmarshalModel decodes a model MarshalBinary encoded.
func UnmarshalModel(data []byte) (*Model, error) {
	var m Model
	var err error
	if rest, ok := bytes.CutPrefix(data, []byte(modelMagic)); ok {
		err = decodeModel(rest, &m)
	} else {
		err = gob.NewDecoder(bytes.NewReader(data)).Decode((*modelData)(&m))
	}
	if err != nil {
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

// decodeModel decodes what follows modelMagic.
func decodeModel(b []byte, m *Model) error {
	errShort := errors.New("truncated")
	if len(b) < 4 || int(binary.LittleEndian.Uint32(b)) > len(b)-4 {
		return errShort
	}
	n := int(binary.LittleEndian.Uint32(b))
	if err := gob.NewDecoder(bytes.NewReader(b[4 : 4+n])).Decode((*modelData)(m)); err != nil {
		return err
	}
	b = b[4+n:]
	// words returns the next array's little-endian 32-bit words.
	words := func() ([]uint32, error) {
		if len(b) < 8 || binary.LittleEndian.Uint64(b) > uint64(len(b)-8)/4 {
			return nil, errShort
		}
		w := make([]uint32, binary.LittleEndian.Uint64(b))
		b = b[8:]
		for i := range w {
			w[i] = binary.LittleEndian.Uint32(b[4*i:])
		}
		b = b[4*len(w):]
		return w, nil
	}
	for _, a := range []*[]float32{&m.IDF, &m.Vecs, &m.NearCos} {
		w, err := words()
		if err != nil {
			return err
		}
		*a = make([]float32, len(w))
		for i, u := range w {
			(*a)[i] = math.Float32frombits(u)
		}
	}
	w, err := words()
	if err != nil {
		return err
	}
	m.Near = make([]int32, len(w))
	for i, u := range w {
		m.Near[i] = int32(u)
	}
	if len(b) != 0 {
		return fmt.Errorf("%d bytes past the end", len(b))
	}
	return nil
}
