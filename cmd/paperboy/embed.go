package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/schollz/progressbar/v3"

	"paperboy"
	"paperboy/internal/config"
	"paperboy/internal/embed"
	"paperboy/internal/hybrid"
	"paperboy/internal/search"
	"paperboy/internal/store"
)

const embedSynopsis = `embed train [--db PATH] [--vector-dir DIR] [--dim N] [--refine N] [--seed N]

Trains the built-in embedder on the papers in the database (no pretrained
weights: a truncated SVD of their BM25-weighted terms, then, with
--refine, epochs of contrastive refinement on their own sentences), embeds
every paper and makes the new vectors the ones search uses. A running
serve keeps using the previous vectors until the new set is complete, and
its periodic retraining keeps the dimension and refinement chosen here.`

func runEmbed(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "train" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintf(stderr, "Usage: paperboy %s\n", embedSynopsis)
			return nil
		}
		return &usageError{msg: "embed needs a subcommand: paperboy embed train"}
	}
	fs := newFlagSet("embed train", embedSynopsis, stderr)
	cfg.DBFlag(fs)
	fs.StringVar(&cfg.Embed.VectorDir, "vector-dir", cfg.Embed.VectorDir, "serve's vector index directory, when it is not beside the database (env PAPERBOY_VECTOR_DIR)")
	def := embed.DefaultTrainOptions()
	dim := fs.Int("dim", def.Dim, "vector dimension")
	refine := fs.Int("refine", def.Refine, "epochs of contrastive refinement after the SVD (0: none); better semantic mode, hybrid as good (docs/semantic.md)")
	seed := fs.Uint64("seed", def.Seed, "random seed; training is deterministic for a seed")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(ctx, cfg.DB, logger)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()
	vecs := paperboy.EmbeddingStore(st)
	began := time.Now()
	opts := def
	if *refine < 0 {
		return &usageError{msg: fmt.Sprintf("--refine %d: give 0 or more epochs", *refine)}
	}
	opts.Dim, opts.Refine, opts.Seed = *dim, *refine, *seed
	emb, model, err := trainBuiltin(ctx, st, vecs, opts, stderr)
	if err != nil {
		return err
	}
	// With serve's index directory, the next serve loads the graph built
	// here instead of building it again.
	semOpts := []hybrid.SemanticOption{hybrid.WithIndexDir(vectorDir(cfg.DB, cfg.Embed.VectorDir))}
	if progress, finish := stepBar(stderr, "embedding"); progress != nil {
		defer finish()
		semOpts = append(semOpts, hybrid.WithProgress(progress))
	}
	sem := hybrid.NewSemantic(st, vecs, logger, semOpts...)
	if err := sem.Load(ctx, builtinResolver); err != nil {
		return err
	}
	if err := sem.Use(ctx, emb, model); err != nil {
		return err
	}
	n, err := sem.Sync(ctx)
	if err != nil {
		return err
	}
	if err := sem.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "trained %v on %d papers; embedded %d in %v\n", emb.Contract(), emb.Model().Docs, n, time.Since(began).Round(time.Millisecond))
	return nil
}

// trainBuiltin trains the built-in embedder on every paper of the store, as
// the next training generation, and returns it with its encoded model.
func trainBuiltin(ctx context.Context, st paperboy.PaperStore, vecs paperboy.EmbeddingStore, opts embed.TrainOptions, stderr io.Writer) (*embed.Builtin, []byte, error) {
	changes, err := st.Changes(ctx, 0, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("read papers: %w", err)
	}
	texts := make([]string, 0, len(changes))
	for _, ch := range changes {
		if ch.Paper != nil {
			texts = append(texts, embed.PaperText(ch.Paper))
		}
	}
	var progress func(step, steps int)
	if bar, finish := stepBar(stderr, "training"); bar != nil {
		defer finish()
		progress = func(step, steps int) { bar(int64(step), int64(steps)) }
	}
	m, err := embed.Train(ctx, texts, opts, progress)
	if err != nil {
		return nil, nil, err
	}
	version := 1
	sets, err := vecs.EmbedSets(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range sets {
		if s.Contract.Embedder == embed.BuiltinName {
			version = max(version, s.Contract.Version+1)
		}
	}
	model, err := m.MarshalBinary()
	if err != nil {
		return nil, nil, err
	}
	return embed.NewBuiltin(m, version), model, nil
}

// stepBar returns, on a terminal, a progress bar's update (done of total
// steps) and the function that ends it; elsewhere nil and nil.
func stepBar(w io.Writer, desc string) (update func(done, total int64), finish func()) {
	if !isTerminal(w) {
		return nil, nil
	}
	bar := progressbar.NewOptions64(1, progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(desc), progressbar.OptionSetWidth(30), progressbar.OptionClearOnFinish())
	return func(done, total int64) { bar.ChangeMax64(total); bar.Set64(done) }, func() { bar.Finish() }
}

// builtinResolver restores the built-in embedder of a stored set.
func builtinResolver(c paperboy.EmbedContract, model []byte) (embed.Embedder, error) {
	if c.Embedder != embed.BuiltinName {
		return nil, fmt.Errorf("no client configured for %v", c)
	}
	m, err := embed.UnmarshalModel(model)
	if err != nil {
		return nil, err
	}
	return embed.NewBuiltin(m, c.Version), nil
}

// evalSearcher trains the built-in embedder with opts on the benchmark
// corpus in st and returns the hybrid searcher over it and the lexical
// engine.
func evalSearcher(ctx context.Context, st paperboy.Store, engine *search.Engine, opts embed.TrainOptions, logger *slog.Logger, stderr io.Writer) (paperboy.Searcher, error) {
	vecs := paperboy.EmbeddingStore(st)
	emb, model, err := trainBuiltin(ctx, st, vecs, opts, stderr)
	if err != nil {
		return nil, err
	}
	sem := hybrid.NewSemantic(st, vecs, logger)
	if err := sem.Use(ctx, emb, model); err != nil {
		return nil, err
	}
	if _, err := sem.Sync(ctx); err != nil {
		return nil, err
	}
	return hybrid.New(engine, sem, st, logger), nil
}
