package paperboy

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"time"
)

// EmbedContract identifies what made a vector: vectors are comparable only
// with vectors, and queries, of the same contract. It is stored with every
// vector.
type EmbedContract struct {
	Embedder string // "builtin", "openai"
	Model    string // "lsa-bm25", "nomic-embed-text", ...
	Dim      int
	Version  int // the built-in model's training generation; 0 for external models
}

// String formats c as "embedder/model@version (dim d)".
func (c EmbedContract) String() string {
	return fmt.Sprintf("%s/%s@%d (dim %d)", c.Embedder, c.Model, c.Version, c.Dim)
}

// Validate reports a contract that cannot name a vector set. It returns
// EINVALID.
func (c EmbedContract) Validate() error {
	if c.Embedder == "" || c.Model == "" || c.Dim <= 0 || c.Version < 0 {
		return Errorf(EINVALID, "Incomplete embedder contract %v.", c)
	}
	return nil
}

// The states of an embedding set.
const (
	EmbedBuilding = "building" // being filled; search does not use it yet
	EmbedActive   = "active"   // complete; search uses it
)

// EmbedSet is the set of stored vectors of one contract.
type EmbedSet struct {
	Contract EmbedContract
	State    string
	Seq      int64 // the change sequence number the set has caught up to
	Count    int   // stored vectors
	Created  time.Time
}

// EncodeVector returns v as little-endian float32s, the stored form.
func EncodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// DecodeVector reverses EncodeVector. Returns EINVALID for a length that is
// not a multiple of 4.
func DecodeVector(b []byte) ([]float32, error) {
	if len(b)%4 != 0 {
		return nil, Errorf(EINVALID, "A stored vector has %d bytes, not a multiple of 4.", len(b))
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

// PaperVector is one paper's vector.
type PaperVector struct {
	ID  ArxivID
	Vec []float32
}

// EmbeddingStore keeps paper vectors, grouped in sets by the contract that
// made them, so that a new embedder's vectors can be built while search
// uses the old ones. At most one set is active. Each method is one
// transaction.
type EmbeddingStore interface {
	// CreateEmbedSet adds an empty set in state building, with the
	// embedder's model (the built-in embedder's trained model; nil for
	// external ones). Returns EINVALID for an invalid contract, ECONFLICT if
	// the set exists.
	CreateEmbedSet(ctx context.Context, c EmbedContract, model []byte) error

	// EmbedSets returns every set, the newest first.
	EmbedSets(ctx context.Context) ([]EmbedSet, error)

	// EmbedModel returns the model stored with a set. Returns ENOTFOUND if
	// there is no such set.
	EmbedModel(ctx context.Context, c EmbedContract) ([]byte, error)

	// PutVectors stores vecs in the set (replacing the papers' earlier
	// vectors), removes the vectors of the deleted papers, and records that
	// the set has caught up to seq. Returns ENOTFOUND if there is no such
	// set, EINVALID for a vector of the wrong dimension.
	PutVectors(ctx context.Context, c EmbedContract, seq int64, vecs []PaperVector, deleted []ArxivID) error

	// Vectors returns up to limit vectors of the set with IDs after the
	// given one, in ID order (limit 0: all). Returns ENOTFOUND if there is
	// no such set.
	Vectors(ctx context.Context, c EmbedContract, after ArxivID, limit int) ([]PaperVector, error)

	// Vector returns one paper's vector in the set. Returns ENOTFOUND if
	// the set or the vector does not exist.
	Vector(ctx context.Context, c EmbedContract, id ArxivID) ([]float32, error)

	// ActivateEmbedSet makes the set the active one and deletes the set
	// that was active, with its vectors; sets still building stay. Returns
	// ENOTFOUND if there is no such set.
	ActivateEmbedSet(ctx context.Context, c EmbedContract) error

	// DeleteEmbedSet removes a set and its vectors. Returns ENOTFOUND if
	// there is no such set.
	DeleteEmbedSet(ctx context.Context, c EmbedContract) error
}
