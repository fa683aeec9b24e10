// Command bench generates a synthetic arXiv-like corpus and query sets, runs
// them through paperboy's search engine, SQLite FTS5, Bleve and PostgreSQL
// full-text search, each in a child process of its own, and reports build
// rate, index size, peak memory, latency, throughput and agreement with an
// exact BM25 reference. See README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"paperboy/bench/corpus"
	"paperboy/bench/queries"
	"paperboy/bench/systems"
)

type options struct {
	docs       int
	seed       uint64
	systems    string
	perSet     int
	pg         string
	jsonPath   string
	dir        string
	scifact    string
	kaggle     string
	throughput time.Duration
	child      string
	childOut   string
	profile    string
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.IntVar(&o.docs, "docs", 100_000, fmt.Sprintf("corpus size, 1 to %d", corpus.MaxDocs))
	fs.Uint64Var(&o.seed, "seed", 1, "corpus and query seed: the same seed gives the same corpus and queries")
	fs.StringVar(&o.systems, "systems", strings.Join(systems.Names, ","), "systems to run, comma-separated")
	fs.IntVar(&o.perSet, "queries", 50, "queries per set (sets: "+strings.Join(queries.Sets, ", ")+")")
	fs.StringVar(&o.pg, "pg", "", "PostgreSQL DSN; without it postgres is skipped")
	fs.StringVar(&o.jsonPath, "json", "", "also write the report as JSON to this file")
	fs.StringVar(&o.dir, "dir", "", "directory for the systems' index files (default: a temporary one, removed)")
	fs.StringVar(&o.scifact, "scifact", corpus.DefaultSciFact, "SciFact corpus.jsonl(.gz) the model learns from")
	fs.StringVar(&o.kaggle, "kaggle", "", "write the corpus to this file as Kaggle JSON lines (.gz compresses) and exit")
	fs.DurationVar(&o.throughput, "throughput", 5*time.Second, "minimum duration of the two-thread throughput run")
	fs.StringVar(&o.profile, "profile", "", "write CPU profiles of each system's build and queries to this directory (SYSTEM-build.pprof, SYSTEM-search.pprof)")
	fs.StringVar(&o.child, "child", "", "internal: run one system and write its measurements to -child-out")
	fs.StringVar(&o.childOut, "child-out", "", "internal: where the child writes its measurements")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.docs < 1 || o.docs > corpus.MaxDocs {
		return o, fmt.Errorf("-docs %d: want 1 to %d", o.docs, corpus.MaxDocs)
	}
	if o.perSet < 1 {
		return o, fmt.Errorf("-queries %d: want at least 1", o.perSet)
	}
	return o, nil
}

func main() {
	o, err := parseFlags(os.Args[1:])
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch {
	case o.child != "":
		err = runChild(ctx, o)
	case o.kaggle != "":
		err = writeKaggle(o)
	default:
		err = runParent(ctx, o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// setup learns the model and makes the generator and the queries, which
// the parent and every child do alike.
func setup(o options) (*corpus.Generator, []queries.Query, error) {
	m, err := corpus.LoadModel(o.scifact)
	if err != nil {
		return nil, nil, err
	}
	g, err := corpus.New(m, o.docs, o.seed)
	if err != nil {
		return nil, nil, err
	}
	qs, err := queries.Generate(g, o.perSet, o.seed)
	return g, qs, err
}

func writeKaggle(o options) error {
	m, err := corpus.LoadModel(o.scifact)
	if err != nil {
		return err
	}
	g, err := corpus.New(m, o.docs, o.seed)
	if err != nil {
		return err
	}
	began := time.Now()
	if err := corpus.WriteKaggleFile(o.kaggle, g); err != nil {
		return err
	}
	fmt.Printf("wrote %d papers to %s in %v\n", g.Len(), o.kaggle, time.Since(began).Round(time.Millisecond))
	return nil
}
