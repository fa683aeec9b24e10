package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"

	"paperboy"
	"paperboy/internal/arxiv"
)

// DefaultBatchSize is the number of papers written per store transaction.
const DefaultBatchSize = 1000

// maxProblems bounds how many skipped records are kept for the summary; all of
// them are logged and counted.
const maxProblems = 20

// Stats counts what an import did. Read counts usable records.
type Stats struct {
	Read      int
	Inserted  int
	Updated   int
	Unchanged int
	Skipped   int
	// Problems holds the first skipped records and failed files, each
	// naming the file and the record or line.
	Problems []string
}

// Add accumulates o into s.
func (s *Stats) Add(o Stats) {
	s.Read += o.Read
	s.Inserted += o.Inserted
	s.Updated += o.Updated
	s.Unchanged += o.Unchanged
	s.Skipped += o.Skipped
	for _, p := range o.Problems {
		s.problem(p)
	}
}

func (s *Stats) problem(msg string) {
	if len(s.Problems) < maxProblems {
		s.Problems = append(s.Problems, msg)
	}
}

// String is the one-line summary the import command ends with.
func (s Stats) String() string {
	return fmt.Sprintf("read %d, inserted %d, updated %d, unchanged %d, skipped %d",
		s.Read, s.Inserted, s.Updated, s.Unchanged, s.Skipped)
}

// Importer writes papers read from files into a store.
type Importer struct {
	Store     paperboy.PaperStore
	Logger    *slog.Logger
	BatchSize int // DefaultBatchSize when 0
	// Progress, when set, is called after each batch with the bytes of the
	// current input consumed so far and the running stats of that input.
	Progress func(name string, consumed int64, s Stats)
}

// ImportFile imports one file (plain or gzipped, format detected from the
// content). Records before a fatal error stay imported; the error names the
// file.
func (im *Importer) ImportFile(ctx context.Context, path string) (Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return Stats{}, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	return im.Import(ctx, path, f)
}

// Import imports the records read from r, reporting them under name.
func (im *Importer) Import(ctx context.Context, name string, r io.Reader) (Stats, error) {
	cr := &countingReader{r: r}
	rd, format, err := arxiv.NewReader(cr)
	if err != nil {
		return Stats{}, fmt.Errorf("%s: %w", name, err)
	}
	log := im.logger().With("file", name, "format", string(format))
	log.Info("import_start")
	b := batch{im: im, name: name, log: log, papers: make([]*paperboy.Paper, 0, im.batchSize())}
	for {
		p, err := rd.Next()
		if err == io.EOF {
			break
		}
		var rerr *arxiv.RecordError
		if errors.As(err, &rerr) {
			b.skip(rerr)
			continue
		} else if err != nil {
			err = fmt.Errorf("%s: %w", name, err)
			if ferr := b.flush(ctx, cr); ferr != nil {
				return b.stats, ferr
			}
			log.Error("import_stopped", "err", err, "read", b.stats.Read)
			b.stats.problem(err.Error())
			return b.stats, &ReadError{Err: err}
		}
		b.add(p)
		if len(b.papers) >= im.batchSize() {
			if err := b.flush(ctx, cr); err != nil {
				return b.stats, err
			}
		}
	}
	if err := b.flush(ctx, cr); err != nil {
		return b.stats, err
	}
	log.Info("import_done", "read", b.stats.Read, "inserted", b.stats.Inserted,
		"updated", b.stats.Updated, "unchanged", b.stats.Unchanged, "skipped", b.stats.Skipped)
	return b.stats, nil
}

// ReadError is an input that stopped being readable part-way (a truncated
// or corrupt file). Papers before it were imported; the store is fine.
type ReadError struct{ Err error }

func (e *ReadError) Error() string { return e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

// StoreError is a failure of the store itself: the import cannot go on.
type StoreError struct{ Err error }

func (e *StoreError) Error() string { return e.Err.Error() }
func (e *StoreError) Unwrap() error { return e.Err }

func (im *Importer) batchSize() int {
	if im.BatchSize > 0 {
		return im.BatchSize
	}
	return DefaultBatchSize
}

func (im *Importer) logger() *slog.Logger {
	if im.Logger != nil {
		return im.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// batch collects papers for one store transaction.
type batch struct {
	im     *Importer
	name   string
	log    *slog.Logger
	papers []*paperboy.Paper
	stats  Stats
}

func (b *batch) add(p *paperboy.Paper) {
	if err := p.Validate(); err != nil {
		b.skip(&arxiv.RecordError{Record: b.stats.Read + b.stats.Skipped + 1, ID: string(p.ID), Err: err})
		return
	}
	b.stats.Read++
	b.papers = append(b.papers, p)
}

func (b *batch) skip(err *arxiv.RecordError) {
	b.stats.Skipped++
	msg := fmt.Sprintf("%s: %v", b.name, err)
	b.stats.problem(msg)
	b.log.Warn("record_skipped", "err", err.Error(), "record", err.Record, "line", err.Line)
}

func (b *batch) flush(ctx context.Context, cr *countingReader) error {
	if len(b.papers) > 0 {
		outcomes, err := b.im.Store.UpsertPapers(ctx, b.papers)
		if err != nil {
			return &StoreError{Err: fmt.Errorf("%s: store papers: %w", b.name, err)}
		}
		for _, o := range outcomes {
			switch o {
			case paperboy.Inserted:
				b.stats.Inserted++
			case paperboy.Updated:
				b.stats.Updated++
			default:
				b.stats.Unchanged++
			}
		}
		b.papers = b.papers[:0]
	}
	if b.im.Progress != nil {
		b.im.Progress(b.name, cr.n.Load(), b.stats)
	}
	return nil
}

// countingReader counts the bytes consumed from the input, for progress.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
