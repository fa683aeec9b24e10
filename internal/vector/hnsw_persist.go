package vector

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"

	"paperboy"
)

// hnswMagic starts a saved HNSW index; the last byte is the format version.
const hnswMagic = "PBHNSW\x00\x02"

// maxMeta caps the caller's metadata saved with an index.
const maxMeta = 1 << 20

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errCorrupt means a saved index failed its checks.
var errCorrupt = errors.New("corrupt or truncated index")

// Save writes the index, graph included, to w in a little-endian binary
// format that ends with a CRC-32C of everything before it: meta (the
// caller's record of what the vectors are, up to 1 MiB), a header, then per
// slot its ID, tombstone flag, level, vector and link lists. Searches go on
// while it writes; writers wait.
func (x *HNSW) Save(w io.Writer, meta []byte) error {
	if len(meta) > maxMeta {
		return fmt.Errorf("save hnsw index: %d bytes of metadata", len(meta))
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	bw := bufio.NewWriterSize(w, 1<<20)
	h := crc32.New(castagnoli)
	out := io.MultiWriter(bw, h)
	buf := []byte(hnswMagic)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(meta)))
	buf = append(buf, meta...)
	for _, v := range []int{x.dim, x.opts.M, x.opts.EfConstruction, x.opts.EfSearch, x.opts.ExactBelow} {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(v))
	}
	buf = binary.LittleEndian.AppendUint64(buf, x.opts.Seed)
	buf = binary.LittleEndian.AppendUint32(buf, uint32(len(x.ids)))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(x.entry))
	buf = append(buf, byte(x.top), boolByte(x.built), boolByte(x.opts.Beam)|boolByte(x.opts.Int8)<<1)
	for s := range x.ids {
		buf = x.appendSlot(buf, int32(s))
		if len(buf) >= 1<<20 {
			if _, err := out.Write(buf); err != nil {
				return fmt.Errorf("save hnsw index: %w", err)
			}
			buf = buf[:0]
		}
	}
	if _, err := out.Write(buf); err != nil {
		return fmt.Errorf("save hnsw index: %w", err)
	}
	if _, err := bw.Write(binary.LittleEndian.AppendUint32(nil, h.Sum32())); err != nil {
		return fmt.Errorf("save hnsw index: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("save hnsw index: %w", err)
	}
	return nil
}

func (x *HNSW) appendSlot(buf []byte, s int32) []byte {
	id := x.ids[s]
	buf = binary.LittleEndian.AppendUint16(buf, uint16(len(id)))
	buf = append(buf, id...)
	buf = append(buf, boolByte(x.dead[s]), x.levels[s])
	for _, f := range x.vec(s) {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(f))
	}
	for lev := 0; lev <= int(x.levels[s]); lev++ {
		l := x.list(s, lev)
		for _, v := range l[:1+l[0]] {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(v))
		}
	}
	return buf
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// SaveFile saves the index and meta to path atomically: to a temporary
// file in the same directory, synced, then renamed over path.
func (x *HNSW) SaveFile(path string, meta []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("save hnsw index: %w", err)
	}
	defer os.Remove(f.Name()) // fails harmlessly once renamed
	if err := x.Save(f, meta); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("save hnsw index: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("save hnsw index: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("save hnsw index: %w", err)
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("save hnsw index: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil { // the rename itself
		return fmt.Errorf("save hnsw index: %w", err)
	}
	return nil
}

// LoadHNSWFile reads an index SaveFile wrote, and its meta.
func LoadHNSWFile(path string, opts HNSWOptions) (*HNSW, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("load hnsw index: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("load hnsw index: %w", err)
	}
	x, meta, err := loadHNSW(f, opts.withDefaults(), fi.Size())
	if err != nil {
		return nil, nil, fmt.Errorf("load hnsw index %s: %w", path, err)
	}
	return x, meta, nil
}

// LoadHNSW reads an index Save wrote, and its meta, checking sizes, links
// and checksum. The graph must have been built with the M,
// EfConstruction, ExactBelow and Seed of opts, or it is refused (the
// caller rebuilds it); the other options are taken from opts.
func LoadHNSW(r io.Reader, opts HNSWOptions) (*HNSW, []byte, error) {
	x, meta, err := loadHNSW(r, opts.withDefaults(), -1)
	if err != nil {
		return nil, nil, fmt.Errorf("load hnsw index: %w", err)
	}
	return x, meta, nil
}

// hnswReader reads a saved index, hashing what it reads.
type hnswReader struct {
	br  *bufio.Reader
	h   hash32
	buf []byte
	err error
}

type hash32 interface {
	io.Writer
	Sum32() uint32
}

// next returns the next n bytes (valid until the next call); after an error
// it returns zeros and keeps the first error.
func (d *hnswReader) next(n int) []byte {
	if cap(d.buf) < n {
		d.buf = make([]byte, n)
	}
	d.buf = d.buf[:n]
	if d.err != nil {
		clear(d.buf)
		return d.buf
	}
	if _, err := io.ReadFull(d.br, d.buf); err != nil {
		d.err = errCorrupt
		clear(d.buf)
		return d.buf
	}
	d.h.Write(d.buf)
	return d.buf
}

func (d *hnswReader) u32() uint32 { return binary.LittleEndian.Uint32(d.next(4)) }

// loadHNSW reads a saved index of size bytes (-1: unknown), which bounds
// the memory a damaged count of slots could claim before the checksum is
// reached.
func loadHNSW(r io.Reader, want HNSWOptions, size int64) (*HNSW, []byte, error) {
	d := &hnswReader{br: bufio.NewReaderSize(r, 1<<20), h: crc32.New(castagnoli)}
	if string(d.next(len(hnswMagic))) != hnswMagic {
		return nil, nil, errors.New("not an hnsw index of this version")
	}
	metaLen := int(d.u32())
	if metaLen > maxMeta {
		return nil, nil, errCorrupt
	}
	meta := slices.Clone(d.next(metaLen))
	var o HNSWOptions
	dim := int(d.u32())
	o.M, o.EfConstruction, o.EfSearch, o.ExactBelow = int(d.u32()), int(d.u32()), int(d.u32()), int(d.u32())
	o.Seed = binary.LittleEndian.Uint64(d.next(8))
	n, entry := int(d.u32()), int32(d.u32())
	tb := d.next(3)
	top, built := int(tb[0]), tb[1] == 1
	if d.err != nil || dim <= 0 || dim > 1<<16 || o.M < 2 || o.M > 1024 || n < 0 || n > 1<<31-1 ||
		entry < -1 || int(entry) >= max(n, 1) || top > maxLevel || built && n > 0 && entry < 0 {
		return nil, nil, errCorrupt
	}
	if o.M != want.M || o.EfConstruction != want.EfConstruction || o.ExactBelow != want.ExactBelow || o.Seed != want.Seed {
		return nil, nil, fmt.Errorf("built with M %d, efConstruction %d, exactBelow %d, seed %d; want %d, %d, %d, %d",
			o.M, o.EfConstruction, o.ExactBelow, o.Seed, want.M, want.EfConstruction, want.ExactBelow, want.Seed)
	}
	prealloc := min(n, 1<<16)
	if size >= 0 {
		if int64(n)*int64(4*dim+8) > size {
			return nil, nil, errCorrupt
		}
		prealloc = n
	}
	x := NewHNSW(dim, want)
	x.entry, x.top, x.built = entry, top, built
	x.reserve(prealloc)
	for s := range n {
		if err := x.loadSlot(d, int32(s), n); err != nil {
			return nil, nil, err
		}
	}
	sum := d.h.Sum32()
	var tail [4]byte
	if _, err := io.ReadFull(d.br, tail[:]); err != nil || d.err != nil || binary.LittleEndian.Uint32(tail[:]) != sum {
		return nil, nil, errCorrupt
	}
	return x, meta, nil
}

func (x *HNSW) loadSlot(d *hnswReader, s int32, n int) error {
	idLen := int(binary.LittleEndian.Uint16(d.next(2)))
	id := paperboy.ArxivID(d.next(idLen))
	fl := d.next(2)
	dead, lv := fl[0] == 1, fl[1]
	if d.err != nil || lv > maxLevel {
		return errCorrupt
	}
	raw := d.next(4 * x.dim)
	for i := 0; i < len(raw); i += 4 {
		x.vecs = append(x.vecs, math.Float32frombits(binary.LittleEndian.Uint32(raw[i:])))
	}
	x.newSlot(id, lv, dead)
	if _, dup := x.slotOf[id]; dup && !dead {
		return errCorrupt
	}
	if dead {
		x.nDead++
	} else {
		x.slotOf[id] = s
	}
	for lev := 0; lev <= int(lv); lev++ {
		l := x.list(s, lev)
		cnt := int(d.u32())
		if cnt >= len(l) {
			return errCorrupt
		}
		l[0] = int32(cnt)
		raw := d.next(4 * cnt)
		for i := range cnt {
			v := binary.LittleEndian.Uint32(raw[4*i:])
			if int(v) >= n {
				return errCorrupt
			}
			l[1+i] = int32(v)
		}
	}
	return d.err
}
