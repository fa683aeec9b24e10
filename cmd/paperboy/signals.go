package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"paperboy"
	"paperboy/internal/config"
	"paperboy/internal/store"
	"paperboy/internal/trending"
)

// runSignals runs `paperboy signals import FILE`: external signals (GitHub
// stars, upvotes elsewhere) for trending, then a trending refresh.
func runSignals(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	const synopsis = "signals import [--db PATH] FILE\n\n" +
		"Imports external signals for trending: a JSON array in the Hugging Face\n" +
		"daily-papers shape (paper.upvotes, paper.githubStars, paper.githubRepo;\n" +
		"observed now), or CSV rows arxiv_id,signal,value,observed_at with signal\n" +
		"github_stars or upvotes. Malformed rows are skipped and listed. FILE - reads stdin."
	if len(args) == 0 || args[0] != "import" {
		return &usageError{msg: "usage: paperboy " + synopsis}
	}
	fs := newFlagSet("signals import", synopsis, stderr)
	cfg.DBFlag(fs)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{msg: "signals import needs exactly one FILE"}
	}
	in, name, err := openInput(fs.Arg(0))
	if err != nil {
		return err
	}
	defer in.Close()
	sigs, bad, err := trending.ParseSignals(in, time.Now())
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, b := range bad {
		fmt.Fprintf(stderr, "%s:%d: skipped: %s\n", name, b.Line, b.Err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(ctx, cfg.DB, logger)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()
	if err := st.AddSignals(ctx, sigs); err != nil {
		return err
	}
	if err := trending.New(trending.Config{Papers: st, Store: st, Logger: logger}).Refresh(ctx); err != nil {
		return fmt.Errorf("refresh trending: %w", err)
	}
	fmt.Fprintf(stdout, "imported %d signals from %s; skipped %d rows; trending refreshed\n", len(sigs), name, len(bad))
	if len(sigs) == 0 && len(bad) > 0 {
		return paperboy.Errorf(paperboy.EINVALID, "No valid rows in %s.", name)
	}
	return nil
}

// openInput opens a file, or stdin for "-".
func openInput(path string) (io.ReadCloser, string, error) {
	if path == "-" {
		return io.NopCloser(os.Stdin), "stdin", nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, path, paperboy.Errorf(paperboy.EINVALID, "Cannot read %s: %v", path, err)
	}
	return f, path, nil
}
