package embed

import (
	"context"
	"math"

	"paperboy"
)

// Embedder turns text into unit-length vectors of a fixed dimension.
// Vectors of one Embedder are comparable by dot product; vectors of
// embedders with different contracts are not comparable at all.
type Embedder interface {
	// Contract names the embedder, its model, dimension and version: what a
	// stored vector must match to be used with this embedder's queries.
	Contract() paperboy.EmbedContract
	// EmbedDocuments embeds a batch of documents (a paper's title and
	// abstract), one vector per text, in order.
	EmbedDocuments(ctx context.Context, texts []string) ([][]float32, error)
	// EmbedQuery embeds a search query.
	EmbedQuery(ctx context.Context, text string) ([]float32, error)
}

// PaperText is the text of a paper that is embedded: its title and abstract.
func PaperText(p *paperboy.Paper) string { return p.Title + "\n" + p.Abstract }

// Normalize scales v to unit length in place; a zero vector stays zero.
func Normalize(v []float32) []float32 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return v
	}
	inv := float32(1 / math.Sqrt(s))
	for i := range v {
		v[i] *= inv
	}
	return v
}

// Dot returns the dot product of a and b, which must have the same length.
func Dot(a, b []float32) float32 {
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}
