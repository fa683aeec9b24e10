package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"paperboy/internal/account"
	"paperboy/internal/config"
	"paperboy/internal/store"
)

// runUser runs `paperboy user SUBCOMMAND`; create is the only one so far.
func runUser(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return &usageError{msg: "usage: paperboy user create [--db PATH] [--admin] [--name NAME] EMAIL"}
	}
	fs := newFlagSet("user create", "user create [--db PATH] [--admin] [--name NAME] EMAIL\n\n"+
		"Creates an account; its owner signs in with an e-mailed link. The first admin is made this way.", stderr)
	cfg.DBFlag(fs)
	admin := fs.Bool("admin", false, "make the user an administrator")
	name := fs.String("name", "", "display name")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{msg: "user create needs exactly one EMAIL"}
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(ctx, cfg.DB, logger)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()
	svc := account.New(account.Config{Store: st, Logger: logger})
	u, err := svc.CreateUser(ctx, fs.Arg(0), *name, *admin)
	if err != nil {
		return err
	}
	role := "user"
	if u.Admin {
		role = "admin"
	}
	fmt.Fprintf(stdout, "created %s %s (id %d); they sign in at /signin with this address\n", role, u.Email, u.ID)
	return nil
}
