package hybrid

import (
	"context"
	"errors"

	"paperboy"
	"paperboy/internal/embed"
)

// errNotReady means no embedder has a complete set of vectors yet.
var errNotReady = errors.New("no vectors are ready yet")

// queryVector embeds a query with the active embedder; ctx bounds the time
// an external embedder may take.
func (s *Semantic) queryVector(ctx context.Context, text string) (*generation, []float32, error) {
	s.mu.RLock()
	g := s.active
	s.mu.RUnlock()
	if g == nil {
		return nil, nil, errNotReady
	}
	v, err := g.emb.EmbedQuery(ctx, text)
	if err != nil {
		return nil, nil, err
	}
	return g, v, nil
}

// Nearest returns the k papers nearest to the query text.
func (s *Semantic) Nearest(ctx context.Context, text string, k int) ([]Hit, error) {
	g, v, err := s.queryVector(ctx, text)
	if err != nil {
		return nil, err
	}
	return hits(g.idx.Search(v, k)), nil
}

// feedback moves a query vector towards the mean of the vectors of the
// given papers (Rocchio relevance feedback on the lexical engine's best
// results), by weight.
func feedback(g *generation, v []float32, ids []paperboy.ArxivID, weight float64) []float32 {
	out := append([]float32(nil), v...)
	if len(ids) == 0 {
		return out
	}
	w := float32(weight / float64(len(ids)))
	for _, id := range ids {
		if d, ok := g.idx.Vector(id); ok {
			for i := range out {
				out[i] += w * d[i]
			}
		}
	}
	return embed.Normalize(out)
}

// relatedBeam is how many times the index's beam width a related-papers
// walk uses; it starts from the paper's own node, and such a walk stops
// sooner than one from the graph's top. Among the built-in embedder's
// vectors of 2.5 million synthetic papers, at twice the default beam (ef
// 512) it found 0.862 of the exact top 10 in p99 8.4 ms, where the walk
// from the top at ef 256 found 0.822 in 8.7 ms (from the paper at ef 256:
// 0.811 in 4.4 ms; BenchmarkHybridScale).
const relatedBeam = 2

// nearPaper returns the k papers nearest to paper id's vector, itself
// excluded; ok is false when the paper has no vector.
func (s *Semantic) nearPaper(id paperboy.ArxivID, k int) (out []Hit, ok bool) {
	s.mu.RLock()
	g := s.active
	s.mu.RUnlock()
	if g == nil {
		return nil, false
	}
	v, ok := g.idx.Vector(id)
	if !ok {
		return nil, false
	}
	for _, h := range hits(g.idx.SearchFrom(v, k+1, relatedBeam*g.idx.Ef(), []paperboy.ArxivID{id})) {
		if h.ID != id && len(out) < k {
			out = append(out, h)
		}
	}
	return out, true
}
