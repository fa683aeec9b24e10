package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"

	"paperboy"
	"paperboy/internal/config"
	"paperboy/internal/embed"
	"paperboy/internal/search"
	"paperboy/internal/search/beir"
	"paperboy/internal/store"
)

const evalSynopsis = `eval beir --dir DIR [--qrels FILE] [--mode lexical] [--refine N] [--run FILE] [--json]

Indexes a BEIR-format benchmark (corpus.jsonl[.gz], queries.jsonl,
qrels/*.tsv) in a temporary store, runs every judged query through the
search engine and prints nDCG@10, Recall@100 and MRR@10. --run also
writes the rankings in TREC's run format, for trec_eval or for comparing
systems query by query.`

// evalBatch is how many benchmark papers go into the store per transaction.
const evalBatch = 1000

func runEval(ctx context.Context, _ config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "beir" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintf(stderr, "Usage: paperboy %s\n", evalSynopsis)
			return nil
		}
		return &usageError{msg: "eval needs a benchmark kind: paperboy eval beir --dir DIR"}
	}
	fs := newFlagSet("eval beir", evalSynopsis, stderr)
	dir := fs.String("dir", "", "BEIR dataset directory (required)")
	qrels := fs.String("qrels", "", "qrels file, relative to --dir or a path (default qrels/test.tsv, else the only qrels file)")
	mode := fs.String("mode", "lexical", "search mode: lexical (the lexical engine alone), keyword (as serve's keyword mode: re-ranked by query likelihood, translated by the built-in embedder's related words), semantic or hybrid (the built-in embedder, trained on the corpus)")
	refine := fs.Int("refine", 0, "epochs of contrastive refinement of the built-in embedder, as embed train --refine (semantic and hybrid modes)")
	runFile := fs.String("run", "", "also write each query's ranking to FILE in TREC's run format")
	asJSON := fs.Bool("json", false, `print {"ndcg@10":...,"recall@100":...,"mrr@10":...,"queries":N}`)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	switch {
	case *dir == "":
		return &usageError{msg: "eval beir needs --dir"}
	case *mode != "lexical" && *mode != paperboy.ModeKeyword && *mode != paperboy.ModeSemantic && *mode != paperboy.ModeHybrid:
		return &usageError{msg: fmt.Sprintf("--mode %q is not supported; use lexical, keyword, semantic or hybrid", *mode)}
	case *refine < 0:
		return &usageError{msg: fmt.Sprintf("--refine %d: give 0 or more epochs", *refine)}
	case fs.NArg() > 0:
		return &usageError{msg: fmt.Sprintf("eval beir takes no arguments, got %q", fs.Args())}
	}
	ds, err := beir.Load(*dir, *qrels)
	if err != nil {
		return paperboy.Errorf(paperboy.EINVALID, "%v", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	opts := embed.DefaultTrainOptions()
	opts.Refine = *refine
	var runOut *os.File
	if *runFile != "" { // created first: a bad path fails before the long part
		if runOut, err = os.Create(*runFile); err != nil {
			return fmt.Errorf("--run: %w", err)
		}
		defer runOut.Close()
	}
	run, err := evalRank(ctx, ds, *mode, opts, logger, stderr)
	if err != nil {
		return err
	}
	if runOut != nil {
		if err := beir.WriteTREC(runOut, run, ds.Queries, "paperboy-"+*mode); err != nil {
			return fmt.Errorf("--run %s: %w", *runFile, err)
		}
		if err := runOut.Close(); err != nil {
			return fmt.Errorf("--run %s: %w", *runFile, err)
		}
	}
	res := beir.Score(run, ds.Queries, ds.Qrels)
	if *asJSON {
		return json.NewEncoder(stdout).Encode(res)
	}
	fmt.Fprintf(stdout, "dataset     %s (%d documents)\n", *dir, len(ds.Corpus))
	fmt.Fprintf(stdout, "queries     %d\nnDCG@10     %.4f\nRecall@100  %.4f\nMRR@10      %.4f\n",
		res.Queries, res.NDCG10, res.Recall100, res.MRR10)
	return nil
}

// evalRank indexes the dataset in a temporary store and ranks its judged
// queries by the search in mode, with the built-in embedder trained with
// opts for the modes that use it.
func evalRank(ctx context.Context, ds *beir.Dataset, mode string, opts embed.TrainOptions, logger *slog.Logger, stderr io.Writer) (beir.Run, error) {
	tmp, err := os.MkdirTemp("", "paperboy-eval-")
	if err != nil {
		return nil, fmt.Errorf("eval: %w", err)
	}
	defer os.RemoveAll(tmp)
	st, err := store.Open(ctx, filepath.Join(tmp, "eval.db"), logger)
	if err != nil {
		return nil, fmt.Errorf("open temporary store: %w", err)
	}
	defer st.Close()
	papers, back := beir.Papers(ds.Corpus)
	for start := 0; start < len(papers); start += evalBatch {
		if _, err := st.UpsertPapers(ctx, papers[start:min(start+evalBatch, len(papers))]); err != nil {
			return nil, fmt.Errorf("store benchmark corpus: %w", err)
		}
	}
	engine := search.New(st, logger)
	if _, err := engine.Sync(ctx); err != nil {
		return nil, fmt.Errorf("build search index: %w", err)
	}
	var searcher paperboy.Searcher = engine
	if mode != "lexical" {
		if searcher, err = evalSearcher(ctx, st, engine, opts, logger, stderr); err != nil {
			return nil, err
		}
	}
	run := func(ctx context.Context, text string) ([]string, error) {
		res, _, err := searcher.Search(ctx, paperboy.SearchQuery{Text: beir.PlainText(text), Limit: beir.Depth, Mode: mode})
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(res))
		for i, r := range res {
			ids[i] = back[r.Paper.ID]
		}
		return ids, nil
	}
	var progress func(done, total int)
	if isTerminal(stderr) {
		bar := progressbar.NewOptions(len(ds.Queries), progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("queries"), progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		defer bar.Finish()
		progress = func(done, _ int) { bar.Set(done) }
	}
	return beir.Rank(ctx, ds.Queries, run, progress)
}
