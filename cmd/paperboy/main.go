// Command paperboy is the self-hosted research-paper radar: one binary that
// imports arXiv metadata, searches it and serves the daily papers site.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"paperboy"
	"paperboy/internal/config"
)

const usage = `paperboy: a self-hosted research-paper radar.

Usage:
  paperboy serve   [--db PATH] [--addr HOST:PORT] [--demo]   run the web site and API
  paperboy import  [--db PATH] FILE...                       import arXiv metadata files
  paperboy search  [--db PATH] [--limit N] [--json] QUERY    search from the terminal
  paperboy harvest [--db PATH] [--set cs] [--from DATE]      harvest arXiv (OAI-PMH) once
  paperboy eval beir --dir DIR [--qrels FILE] [--json]     score search on a BEIR benchmark
  paperboy embed train [--db PATH] [--dim N]             train the built-in embedder; embed every paper
  paperboy digest preview --email ADDRESS [--date D]          print a subscriber's digest
  paperboy digest run [--date D] [--dry-run]                 compose and send the digests due
  paperboy migrate [--db PATH]                               apply pending schema migrations
  paperboy signals import [--db PATH] FILE                   import GitHub stars and upvotes for trending
  paperboy user create [--db PATH] [--admin] [--name N] EMAIL   create an account
  paperboy version                                           print the version

Every command reads --db or PAPERBOY_DB (a SQLite path or a postgres:// URL);
the default database is
` + "`$XDG_DATA_HOME/paperboy/paperboy.db`" + ` (~/.local/share/paperboy/paperboy.db).
Run 'paperboy COMMAND --help' for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

// run executes one command line and returns the process exit status: 0 on
// success, 1 when the work failed, 2 for a usage error.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cfg := config.Load(getenv)
	cmd, args := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = runServe(ctx, cfg, args, stdout, stderr)
	case "import":
		err = runImport(ctx, cfg, args, stdout, stderr)
	case "search":
		err = runSearch(ctx, cfg, args, stdout, stderr)
	case "harvest":
		err = runHarvest(ctx, cfg, args, stdout, stderr)
	case "eval":
		err = runEval(ctx, cfg, args, stdout, stderr)
	case "embed":
		err = runEmbed(ctx, cfg, args, stdout, stderr)
	case "user":
		err = runUser(ctx, cfg, args, stdout, stderr)
	case "digest":
		err = runDigest(ctx, cfg, args, stdout, stderr)
	case "migrate":
		err = runMigrate(ctx, cfg, args, stdout, stderr)
	case "signals":
		err = runSignals(ctx, cfg, args, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "paperboy", Version())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "paperboy: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	return exitStatus(err, stderr)
}

// usageError is a bad command line; it exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func exitStatus(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "paperboy:", ue.msg)
		return 2
	case paperboy.ErrorCode(err) != paperboy.EINTERNAL:
		fmt.Fprintln(stderr, "paperboy:", paperboy.ErrorMessage(err))
	default:
		fmt.Fprintln(stderr, "paperboy:", err)
	}
	return 1
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: paperboy %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args, turning a bad flag into a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{msg: err.Error()}
	}
	return nil
}
