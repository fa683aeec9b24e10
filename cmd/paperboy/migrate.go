package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"paperboy/internal/config"
	"paperboy/internal/store"
)

// runMigrate brings the database schema up to date. `serve` never upgrades
// a schema on its own (it refuses one that is behind), so an upgrade is this
// one deliberate step; import and search still migrate as they open.
func runMigrate(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("migrate", "migrate [--db PATH|postgres://...]\n\nApplies the pending schema migrations and prints the schema version.", stderr)
	cfg.DBFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &usageError{msg: fmt.Sprintf("migrate takes no arguments, got %q", fs.Args())}
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	before, after, err := store.Migrate(ctx, cfg.DB, logger)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if before == after {
		fmt.Fprintf(stdout, "database schema is at version %d: up to date\n", after)
		return nil
	}
	fmt.Fprintf(stdout, "database schema is at version %d (was %d; applied %d migrations)\n", after, before, after-before)
	return nil
}
