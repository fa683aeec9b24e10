package main

import (
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"paperboy/internal/ingest"
)

// progress shows an import's advance: a bar on a terminal, a structured log
// line every few seconds otherwise.
type progress struct {
	name   string
	size   int64
	bar    *progressbar.ProgressBar
	logger *slog.Logger
	last   time.Time
}

const progressLogEvery = 5 * time.Second

func newProgress(path string, w io.Writer, terminal bool, logger *slog.Logger) *progress {
	p := &progress{name: path, size: -1, logger: logger, last: time.Now()}
	if fi, err := os.Stat(path); err == nil {
		p.size = fi.Size()
	}
	if terminal {
		p.bar = progressbar.NewOptions64(p.size,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(path),
			progressbar.OptionShowBytes(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionOnCompletion(func() { io.WriteString(w, "\n") }),
		)
	}
	return p
}

func (p *progress) update(_ string, consumed int64, s ingest.Stats) {
	if p.bar != nil {
		p.bar.Set64(consumed)
		return
	}
	if time.Since(p.last) < progressLogEvery {
		return
	}
	p.last = time.Now()
	attrs := []any{"file", p.name, "bytes", consumed, "read", s.Read, "skipped", s.Skipped}
	if p.size > 0 {
		attrs = append(attrs, "percent", float64(consumed*1000/p.size)/10)
	}
	p.logger.Info("import_progress", attrs...)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}

func isatty(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
