package hybrid

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"paperboy"
	"paperboy/internal/vector"
)

// The index of each vector set is kept in its own file in the index
// directory (WithIndexDir), written whole through a synced temporary file
// that is renamed into place. The file records the set it indexes and the
// change sequence it reflects; at start-up an index is trusted only if its
// file is sound, names the stored set and is not ahead of it, and, once
// caught up with the vectors stored since, holds as many vectors as the
// set. Anything else is discarded with a warning and the index built from
// the stored vectors: the store is the truth, the file a shortcut.

// An index is saved when at least a tenth of it (and minSaveChanges
// changes) has changed since the last save, or saveEvery after the last
// save if anything has; and on Close. A save writes the whole index
// (about 1.3 KB a vector at dimension 256), so it is kept rare: what was
// not saved is caught up from the stored vectors at the next start.
const (
	saveEvery      = 6 * time.Hour
	minSaveChanges = 1000
)

// indexMeta is what an index file says about the vectors it holds.
type indexMeta struct {
	Contract paperboy.EmbedContract `json:"contract"`
	Created  time.Time              `json:"created"` // of the set
	Seq      int64                  `json:"seq"`
}

// indexPath is the file of a set's index: named after its contract, made
// safe for a file name, with a hash to keep names that the cleaning makes
// equal apart.
func (s *Semantic) indexPath(c paperboy.EmbedContract) string {
	safe := func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}
	h := fnv.New32a()
	h.Write([]byte(c.String()))
	name := fmt.Sprintf("%s-%s-v%d-d%d-%08x.hnsw", strings.Map(safe, c.Embedder), strings.Map(safe, c.Model), c.Version, c.Dim, h.Sum32())
	return filepath.Join(s.dir, name)
}

// restore builds g's index for its stored set: from the index file when it
// can be trusted, caught up with the vectors stored since it was saved;
// otherwise from every stored vector, and then saved.
func (s *Semantic) restore(ctx context.Context, g *generation, set paperboy.EmbedSet) error {
	began := s.now()
	if s.dir == "" {
		return s.fill(ctx, g)
	}
	if idx, seq, ok := s.open(set); ok {
		g.idx = idx
		n, err := s.catchUpIndex(ctx, g, seq)
		if err != nil {
			return err
		}
		if g.idx.Len() == set.Count {
			s.logger.Info("vector_index_loaded", "contract", set.Contract.String(), "vectors", set.Count,
				"saved_seq", seq, "changes", n, "duration", s.now().Sub(began))
			if n > 0 {
				g.unsaved = n
				s.saveLogged(g)
			}
			return nil
		}
		s.logger.Warn("vector_index_discarded", "contract", set.Contract.String(),
			"err", fmt.Sprintf("holds %d vectors once caught up; the set has %d", g.idx.Len(), set.Count))
	}
	if err := s.fill(ctx, g); err != nil {
		return err
	}
	s.logger.Info("vector_index_built", "contract", set.Contract.String(), "vectors", g.idx.Len(), "duration", s.now().Sub(began))
	g.unsaved = max(1, g.idx.Len())
	s.saveLogged(g)
	return nil
}

// open loads a set's index file and returns it with the change sequence it
// reflects, if it is sound and describes the set; a file that is not is
// removed.
func (s *Semantic) open(set paperboy.EmbedSet) (*vector.HNSW, int64, bool) {
	path := s.indexPath(set.Contract)
	idx, raw, err := vector.LoadHNSWFile(path, s.hnsw)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, false
	}
	var m indexMeta
	if err == nil {
		err = checkMeta(raw, &m, set, idx)
	}
	if err != nil {
		s.logger.Warn("vector_index_discarded", "contract", set.Contract.String(), "path", path, "err", err)
		if !s.readOnly {
			os.Remove(path)
		}
		return nil, 0, false
	}
	return idx, m.Seq, true
}

func checkMeta(raw []byte, m *indexMeta, set paperboy.EmbedSet, idx *vector.HNSW) error {
	if err := json.Unmarshal(raw, m); err != nil {
		return fmt.Errorf("bad metadata: %w", err)
	}
	switch {
	case m.Contract != set.Contract || idx.Dim() != set.Contract.Dim:
		return fmt.Errorf("indexes %v with dimension %d, not the set %v", m.Contract, idx.Dim(), set.Contract)
	case !m.Created.Equal(set.Created):
		return fmt.Errorf("indexes a set created %v, not the one created %v", m.Created, set.Created)
	case m.Seq > set.Seq:
		return fmt.Errorf("at change %d, ahead of the set at %d", m.Seq, set.Seq)
	}
	return nil
}

// catchUpIndex brings g's index, saved at change after, up to the vectors
// now stored: each paper changed since has its stored vector put in the
// index, or taken out if it has none (deleted, or not embedded yet). It
// returns the number of changes looked at.
func (s *Semantic) catchUpIndex(ctx context.Context, g *generation, after int64) (int, error) {
	c := g.emb.Contract()
	var n int
	for {
		changes, err := s.papers.Changes(ctx, after, s.batch)
		if err != nil {
			return n, fmt.Errorf("catch up vector index: changes after %d: %w", after, err)
		}
		if len(changes) == 0 {
			return n, nil
		}
		var put []paperboy.PaperVector
		var gone []paperboy.ArxivID
		for _, ch := range changes {
			v, err := s.vecs.Vector(ctx, c, ch.ID)
			switch {
			case err == nil:
				put = append(put, paperboy.PaperVector{ID: ch.ID, Vec: v})
			case paperboy.ErrorCode(err) == paperboy.ENOTFOUND:
				gone = append(gone, ch.ID)
			default:
				return n, fmt.Errorf("catch up vector index: %w", err)
			}
		}
		g.idx.Add(put...)
		g.idx.Remove(gone...)
		n += len(changes)
		after = changes[len(changes)-1].Seq
	}
}

// saveDue reports whether g's index should be saved now.
func (s *Semantic) saveDue(g *generation) bool {
	return s.dir != "" && !s.readOnly && g.unsaved > 0 &&
		(g.unsaved >= max(minSaveChanges, g.idx.Len()/10) || s.now().Sub(g.savedAt) >= saveEvery)
}

// save writes g's index file. The caller holds syncMu, so that the index
// and g.seq agree.
func (s *Semantic) save(g *generation) error {
	if s.dir == "" || s.readOnly {
		return nil
	}
	c := g.emb.Contract()
	meta, err := json.Marshal(indexMeta{Contract: c, Created: g.created, Seq: g.seq})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return fmt.Errorf("save vector index: %w", err)
	}
	began := s.now()
	if err := g.idx.SaveFile(s.indexPath(c), meta); err != nil {
		return err
	}
	g.unsaved, g.savedAt = 0, s.now()
	s.logger.Info("vector_index_saved", "contract", c.String(), "vectors", g.idx.Len(), "seq", g.seq,
		"duration", g.savedAt.Sub(began))
	return nil
}

// saveLogged saves g's index, logging a failure: the index in memory is
// whole, only the next start will be slower.
func (s *Semantic) saveLogged(g *generation) {
	if err := s.save(g); err != nil {
		s.logger.Error("vector_index_save_failed", "contract", g.emb.Contract().String(), "err", err)
	}
}

// inUse returns the contracts of the active and building sets.
func (s *Semantic) inUse() []paperboy.EmbedContract {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []paperboy.EmbedContract
	for _, g := range []*generation{s.active, s.building} {
		if g != nil {
			out = append(out, g.emb.Contract())
		}
	}
	return out
}

// prune removes the index files of sets other than keep, and temporary
// files a crash left behind.
func (s *Semantic) prune(keep []paperboy.EmbedContract) {
	if s.dir == "" || s.readOnly {
		return
	}
	paths := map[string]bool{}
	for _, c := range keep {
		paths[s.indexPath(c)] = true
	}
	entries, _ := os.ReadDir(s.dir)
	for _, e := range entries {
		path := filepath.Join(s.dir, e.Name())
		if strings.Contains(e.Name(), ".hnsw") && !paths[path] {
			if err := os.Remove(path); err == nil {
				s.logger.Info("vector_index_removed", "path", path)
			}
		}
	}
}

// Close saves the index of each set changed since its last save. The
// service stays usable.
func (s *Semantic) Close() error {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	s.mu.RLock()
	gens := []*generation{s.active, s.building}
	s.mu.RUnlock()
	var errs []error
	for _, g := range gens {
		if g != nil && g.unsaved > 0 {
			errs = append(errs, s.save(g))
		}
	}
	return errors.Join(errs...)
}

// setCreated returns when the stored set of contract c was created.
func (s *Semantic) setCreated(ctx context.Context, c paperboy.EmbedContract) (time.Time, error) {
	sets, err := s.vecs.EmbedSets(ctx)
	if err != nil {
		return time.Time{}, err
	}
	for _, set := range sets {
		if set.Contract == c {
			return set.Created, nil
		}
	}
	return time.Time{}, paperboy.Errorf(paperboy.ENOTFOUND, "The embedding set %v does not exist.", c)
}
