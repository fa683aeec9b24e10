package main

import (
	"context"
	"fmt"
	"io"

	"paperboy/internal/config"
)

func runServe(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [--db PATH] [--addr HOST:PORT] [--demo]", stderr)
	cfg.ServeFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("serve takes no arguments, got %q", fs.Args())}
	}
	m, err := NewMain(cfg, stderr)
	if err != nil {
		return err
	}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	fmt.Fprintf(stdout, "paperboy %s serving http://%s (database %s)\n", Version(), m.Addr(), cfg.DB)
	<-ctx.Done()
	m.Logger.Info("shutting_down")
	return m.Close()
}
