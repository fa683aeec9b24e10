package vector

import (
	"encoding/gob"
	"fmt"
	"io"

	"paperboy"
)

// snapshot is the persisted form of an Index.
type snapshot struct {
	Dim       int
	Opts      Options
	IDs       []paperboy.ArxivID
	Vecs      []float32
	Centroids []float32
	TrainedAt int
}

// Save writes the index's vectors and clusters to w, so that a restart can
// Load them instead of re-clustering.
func (x *Index) Save(w io.Writer) error {
	x.mu.RLock()
	snap := snapshot{Dim: x.dim, Opts: x.opts, Centroids: x.centroids, TrainedAt: x.trainedAt}
	for s, id := range x.ids {
		if id != "" {
			snap.IDs = append(snap.IDs, id)
			snap.Vecs = append(snap.Vecs, x.vec(int32(s))...)
		}
	}
	x.mu.RUnlock()
	if err := gob.NewEncoder(w).Encode(&snap); err != nil {
		return fmt.Errorf("save vector index: %w", err)
	}
	return nil
}

// Load reads an index Save wrote.
func Load(r io.Reader) (*Index, error) {
	var snap snapshot
	if err := gob.NewDecoder(r).Decode(&snap); err != nil {
		return nil, fmt.Errorf("load vector index: %w", err)
	}
	if snap.Dim <= 0 || len(snap.Vecs) != len(snap.IDs)*snap.Dim || len(snap.Centroids)%snap.Dim != 0 {
		return nil, fmt.Errorf("load vector index: inconsistent sizes")
	}
	x := New(snap.Dim, snap.Opts)
	if len(snap.Centroids) > 0 {
		x.centroids = snap.Centroids
		x.lists = make([][]int32, len(snap.Centroids)/snap.Dim)
		x.trainedAt = snap.TrainedAt
	}
	x.mu.Lock()
	for i, id := range snap.IDs {
		x.add(id, snap.Vecs[i*snap.Dim:(i+1)*snap.Dim])
	}
	x.mu.Unlock()
	return x, nil
}
