package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"paperboy"
	"paperboy/internal/config"
	"paperboy/internal/ingest"
	"paperboy/internal/store"
)

func runImport(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "import [--db PATH] FILE...\n\nImports Kaggle arxiv-metadata-oai-snapshot JSON lines (plain or .gz),\nOAI-PMH ListRecords XML (arXivRaw, arXiv, oai_dc) and arXiv API Atom feeds;\nthe format is detected from the content.", stderr)
	cfg.DBFlag(fs)
	batch := fs.Int("batch", ingest.DefaultBatchSize, "papers per store transaction")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return &usageError{msg: "import needs at least one FILE"}
	}
	terminal := isTerminal(stderr)
	level := slog.LevelInfo
	if terminal {
		level = slog.LevelWarn // the progress bar shows what info logs would
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	st, err := store.Open(ctx, cfg.DB, logger)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()

	im := &ingest.Importer{Store: st, Logger: logger, BatchSize: *batch}
	var total ingest.Stats
	var storeErr error
	start := time.Now()
	for _, path := range fs.Args() {
		p := newProgress(path, stderr, terminal, logger)
		im.Progress = p.update
		stats, err := im.ImportFile(ctx, path)
		p.finish()
		total.Add(stats)
		var serr *ingest.StoreError
		if err != nil && (ctx.Err() != nil || errors.As(err, &serr)) {
			storeErr = err
			break
		} else if err != nil {
			// An unreadable or truncated file: report it, keep what it
			// gave, and go on with the next one.
			fmt.Fprintf(stderr, "paperboy: %v\n", err)
			total.Problems = append(total.Problems, err.Error())
		}
	}
	printSummary(stdout, total, time.Since(start))
	switch {
	case storeErr != nil:
		return storeErr
	case total.Read == 0:
		return paperboy.Errorf(paperboy.EINVALID, "No usable paper records were read.")
	}
	return nil
}

func printSummary(w io.Writer, s ingest.Stats, elapsed time.Duration) {
	if len(s.Problems) > 0 {
		fmt.Fprintf(w, "problems (first %d):\n", len(s.Problems))
		for _, p := range s.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
	rate := float64(s.Read) / max(elapsed.Seconds(), 1e-9)
	fmt.Fprintf(w, "imported in %s (%.0f papers/s)\n", elapsed.Round(time.Millisecond), rate)
	fmt.Fprintln(w, s.String())
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty(f)
}
