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
// Parsing runs one batch ahead of the store, in its own goroutine, so a
// bulk import keeps both cores busy.
func (im *Importer) Import(ctx context.Context, name string, r io.Reader) (Stats, error) {
	cr := &countingReader{r: r}
	rd, format, err := arxiv.NewReader(cr)
	if err != nil {
		return Stats{}, fmt.Errorf("%s: %w", name, err)
	}
	log := im.logger().With("file", name, "format", string(format))
	log.Info("import_start")
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 2)
	p := parser{rd: rd, cr: cr, name: name, log: log, size: im.batchSize()}
	go p.run(ctx, batches)

	var stats Stats
	var failed error
	for b := range batches {
		stats.Read += b.read
		stats.Skipped += b.skipped
		for _, msg := range b.problems {
			stats.problem(msg)
		}
		if failed == nil {
			failed = im.store(ctx, name, b, &stats)
		}
		if failed != nil {
			cancel() // stop the parser; drain what it already sent
		}
	}
	if failed == nil && ctx.Err() != nil {
		failed = ctx.Err()
	}
	if failed != nil {
		log.Error("import_stopped", "err", failed, "read", stats.Read)
		return stats, failed
	}
	log.Info("import_done", "read", stats.Read, "inserted", stats.Inserted,
		"updated", stats.Updated, "unchanged", stats.Unchanged, "skipped", stats.Skipped)
	return stats, nil
}

// store writes one batch in one transaction and counts the outcomes. A read
// error that ended the batch comes back after its papers are stored.
func (im *Importer) store(ctx context.Context, name string, b batch, s *Stats) error {
	if len(b.papers) > 0 {
		outcomes, err := im.Store.UpsertPapers(ctx, b.papers)
		if err != nil {
			return &StoreError{Err: fmt.Errorf("%s: store papers: %w", name, err)}
		}
		for _, o := range outcomes {
			switch o {
			case paperboy.Inserted:
				s.Inserted++
			case paperboy.Updated:
				s.Updated++
			default:
				s.Unchanged++
			}
		}
	}
	if im.Progress != nil {
		im.Progress(name, b.consumed, *s)
	}
	if b.err != nil {
		s.problem(b.err.Error())
		return &ReadError{Err: b.err}
	}
	return nil
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

// batch is one store transaction's worth of parsed papers, with what the
// parser skipped on the way and, last, the read error that ended the input.
type batch struct {
	papers   []*paperboy.Paper
	read     int
	skipped  int
	problems []string
	consumed int64 // input bytes consumed when the batch was cut
	err      error
}

// parser reads records into batches.
type parser struct {
	rd   arxiv.Reader
	cr   *countingReader
	name string
	log  *slog.Logger
	size int
	n    int // records seen, for numbering those that fail Validate
}

func (p *parser) run(ctx context.Context, out chan<- batch) {
	defer close(out)
	b := batch{papers: make([]*paperboy.Paper, 0, p.size)}
	for {
		paper, err := p.rd.Next()
		if err == io.EOF {
			break
		}
		var rerr *arxiv.RecordError
		switch {
		case errors.As(err, &rerr):
			p.n++
			p.skip(&b, rerr)
			continue
		case err != nil:
			b.err = fmt.Errorf("%s: %w", p.name, err)
			p.send(ctx, out, &b)
			return
		}
		p.n++
		if err := paper.Validate(); err != nil {
			p.skip(&b, &arxiv.RecordError{Record: p.n, ID: string(paper.ID), Err: err})
			continue
		}
		b.read++
		b.papers = append(b.papers, paper)
		if len(b.papers) >= p.size && !p.send(ctx, out, &b) {
			return
		}
	}
	p.send(ctx, out, &b)
}

// send hands b to the store side and starts a new batch; false when the
// import was cancelled.
func (p *parser) send(ctx context.Context, out chan<- batch, b *batch) bool {
	b.consumed = p.cr.n.Load()
	select {
	case out <- *b:
		*b = batch{papers: make([]*paperboy.Paper, 0, p.size)}
		return true
	case <-ctx.Done():
		return false
	}
}

func (p *parser) skip(b *batch, err *arxiv.RecordError) {
	b.skipped++
	if len(b.problems) < maxProblems {
		b.problems = append(b.problems, fmt.Sprintf("%s: %v", p.name, err))
	}
	p.log.Warn("record_skipped", "err", err.Error(), "record", err.Record, "line", err.Line)
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
