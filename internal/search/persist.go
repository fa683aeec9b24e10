package search

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// The index directory holds segment files (NNNNNNNN.seg, immutable once
// renamed into place) and manifest.json, which names the live segments,
// their deletions and the change sequence they reflect. Every write goes to
// a temporary file that is synced and renamed; the manifest is renamed
// last, so a crash at any point leaves the previous manifest, whose
// segments are all still there. Files the manifest does not name are
// leftovers of an interrupted write and are removed at load.
const manifestName = "manifest.json"

type manifest struct {
	Format   int           `json:"format"`
	Seq      int64         `json:"seq"`
	Segments []manifestSeg `json:"segments"`
}

type manifestSeg struct {
	File    string   `json:"file"`
	Size    int64    `json:"size"`
	CRC     uint32   `json:"crc32c"`
	Deleted []uint32 `json:"deleted,omitempty"`
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// diskState writes an engine's index directory.
type diskState struct {
	dir  string
	next int // the number of the next segment file
	crc  map[string]uint32
	size map[string]int64
}

// WithDir keeps the index in dir: Sync loads it on first use (rebuilding
// it from the store if it is missing or damaged) and persists every change.
func WithDir(dir string) Option { return func(e *Engine) { e.dir = dir } }

// WithReadOnlyDir is WithDir for a process beside the one that keeps the
// index (the search command beside serve): Sync loads the directory and
// catches up with the store in memory, and nothing in the directory is
// written or removed. A directory that is missing, damaged or changing
// under it (a segment removed before it is mapped) makes it build
// the index from the store, in memory.
func WithReadOnlyDir(dir string) Option {
	return func(e *Engine) { e.dir, e.readOnly = dir, true }
}

// load reads the index directory once, before the first Sync: the view
// it describes becomes current, and Sync catches up from its sequence.
func (e *Engine) load() error {
	if e.dir == "" || e.loaded {
		return nil
	}
	if !e.readOnly {
		if err := os.MkdirAll(e.dir, 0o755); err != nil {
			return fmt.Errorf("search: index directory: %w", err)
		}
	}
	d := &diskState{dir: e.dir, crc: map[string]uint32{}, size: map[string]int64{}}
	v, err := d.read()
	if err != nil {
		e.logger.Warn("search_index_rebuild", "dir", e.dir, "err", err)
		v = newView(nil, 0)
	}
	if !e.readOnly { // read only, e.disk stays nil: changes stay in memory
		e.disk = d
		d.clean(v)
	}
	e.cur.Store(v)
	e.loaded = true
	return nil
}

func (d *diskState) read() (*view, error) {
	data, err := os.ReadFile(filepath.Join(d.dir, manifestName))
	if errors.Is(err, fs.ErrNotExist) {
		return newView(nil, 0), nil
	}
	if err != nil {
		return nil, err
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil || m.Format != 1 {
		return nil, fmt.Errorf("bad manifest: %v", err)
	}
	var segs []*segView
	for _, ms := range m.Segments {
		sv, err := d.open(ms)
		if err != nil {
			return nil, fmt.Errorf("segment %s: %w", ms.File, err)
		}
		segs = append(segs, sv)
	}
	return newView(segs, m.Seq), nil
}

// open maps a segment file after checking its size and checksum.
func (d *diskState) open(ms manifestSeg) (*segView, error) {
	seg, err := mapSegment(filepath.Join(d.dir, ms.File), ms.Size)
	if err != nil {
		return nil, err
	}
	if crc32.Checksum(seg.data, castagnoli) != ms.CRC {
		seg.close()
		return nil, errors.New("checksum mismatch")
	}
	sv := &segView{seg: seg, file: ms.File}
	for _, doc := range ms.Deleted {
		if int(doc) >= seg.n {
			return nil, errors.New("deleted document out of range")
		}
	}
	if len(ms.Deleted) > 0 {
		sv = sv.withDeleted(ms.Deleted)
	}
	d.crc[ms.File], d.size[ms.File] = ms.CRC, ms.Size
	var n int
	if _, err := fmt.Sscanf(ms.File, "%08d.seg", &n); err == nil {
		d.next = max(d.next, n+1)
	}
	return sv, nil
}

func mapSegment(path string, size int64) (*segment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() != size || size == 0 {
		return nil, fmt.Errorf("size %d, want %d", st.Size(), size)
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mmap: %w", err)
	}
	seg, err := openSegment(data)
	if err != nil {
		syscall.Munmap(data)
		return nil, err
	}
	// Searches hold the segment while they read it; once no view does, the
	// mapping goes.
	runtime.AddCleanup(seg, func(b []byte) { syscall.Munmap(b) }, data)
	return seg, nil
}

// clean removes the files v does not use.
func (d *diskState) clean(v *view) {
	keep := map[string]bool{manifestName: true}
	for _, sv := range v.segs {
		keep[sv.file] = true
	}
	entries, _ := os.ReadDir(d.dir)
	for _, en := range entries {
		name := en.Name()
		if !keep[name] && (strings.HasSuffix(name, ".seg") || strings.HasSuffix(name, ".tmp")) {
			os.Remove(filepath.Join(d.dir, name))
		}
	}
}

// save writes the fresh segments (replacing each in fresh, and in segs, by
// its mapped file), then the manifest of segs, then removes the files no
// longer named.
func (d *diskState) save(segs, fresh []*segView, seq int64) error {
	for _, sv := range fresh {
		name := fmt.Sprintf("%08d.seg", d.next)
		d.next++
		crc := crc32.Checksum(sv.seg.data, castagnoli)
		if err := writeFile(filepath.Join(d.dir, name), sv.seg.data); err != nil {
			return err
		}
		seg, err := mapSegment(filepath.Join(d.dir, name), int64(len(sv.seg.data)))
		if err != nil {
			return err
		}
		d.crc[name], d.size[name] = crc, int64(len(sv.seg.data))
		sv.seg, sv.file = seg, name
	}
	m := manifest{Format: 1, Seq: seq}
	for _, sv := range segs {
		ms := manifestSeg{File: sv.file, Size: d.size[sv.file], CRC: d.crc[sv.file]}
		for doc := range uint32(sv.seg.n) {
			if !sv.isLive(doc) {
				ms.Deleted = append(ms.Deleted, doc)
			}
		}
		m.Segments = append(m.Segments, ms)
	}
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := syncDir(d.dir); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(d.dir, manifestName), data); err != nil {
		return err
	}
	if err := syncDir(d.dir); err != nil {
		return err
	}
	d.clean(&view{segs: segs})
	return nil
}

// writeFile writes data to path through a synced temporary file.
func writeFile(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
