package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"paperboy"
	"paperboy/internal/config"
	"paperboy/internal/hybrid"
	"paperboy/internal/search"
	"paperboy/internal/store"
)

func runSearch(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("search", "search [--db PATH] [--mode hybrid|keyword|semantic] [--limit N] [--json] QUERY\n\nQUERY: words, \"quoted phrases\", -excluded, cat:cs.LG, author:name,\nyear:2019, after:2019-10-01, before:2019-10-31, or an arXiv ID.", stderr)
	cfg.DBFlag(fs)
	limit := fs.Int("limit", 10, "number of results (1-100)")
	mode := fs.String("mode", paperboy.ModeHybrid, "hybrid (words and meaning), keyword (words alone) or semantic (meaning alone), as serve ranks them")
	asJSON := fs.Bool("json", false, `print {"total":N,"mode":"...","fallback":"...","results":[{"id","title","score"}]}`)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	query := strings.Join(fs.Args(), " ")
	if strings.TrimSpace(query) == "" {
		return &usageError{msg: "search needs a QUERY"}
	}
	if *limit < 1 || *limit > 100 {
		return &usageError{msg: fmt.Sprintf("--limit %d is not between 1 and 100", *limit)}
	}
	if !paperboy.ValidSearchMode(*mode) {
		return &usageError{msg: fmt.Sprintf("--mode %q is not hybrid, keyword or semantic", *mode)}
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(ctx, cfg.DB, logger)
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer st.Close()
	var opts []search.Option
	if dir := lexicalDir(cfg.DB); dir != "" { // serve's index, read only
		opts = append(opts, search.WithReadOnlyDir(dir))
	}
	engine := search.New(st, logger, opts...)
	if _, err := engine.Sync(ctx); err != nil {
		return fmt.Errorf("build search index: %w", err)
	}
	sem := hybrid.NewSemantic(st, st, logger, hybrid.WithIndexDir(vectorDir(cfg.DB, cfg.Embed.VectorDir)), hybrid.WithReadOnlyIndexes())
	// Keyword search loads the vectors too: it ranks with the built-in
	// embedder's related words, as serve's does.
	if err := sem.Load(ctx, embedderResolver(probeClient(ctx, cfg, logger))); err != nil {
		return fmt.Errorf("load vectors: %w", err)
	}
	searcher := hybrid.New(engine, sem, st, logger)
	results, total, rep, err := searcher.SearchReport(ctx, paperboy.SearchQuery{Text: query, Limit: *limit, Mode: *mode})
	if err != nil {
		return err
	}
	if *asJSON {
		return printSearchJSON(stdout, results, total, rep)
	}
	printSearchText(stdout, results, total, rep)
	return nil
}

type searchJSON struct {
	Total    int            `json:"total"`
	Mode     string         `json:"mode"`
	Fallback string         `json:"fallback,omitempty"`
	Results  []searchResult `json:"results"`
}

type searchResult struct {
	ID    string  `json:"id"`
	Title string  `json:"title"`
	Score float64 `json:"score"`
}

func printSearchJSON(w io.Writer, results []paperboy.SearchResult, total int, rep paperboy.SearchReport) error {
	out := searchJSON{Total: total, Mode: rep.Mode, Fallback: rep.Fallback, Results: make([]searchResult, len(results))}
	for i, r := range results {
		out.Results[i] = searchResult{ID: string(r.Paper.ID), Title: r.Paper.Title, Score: r.Score}
	}
	enc := json.NewEncoder(w)
	return enc.Encode(out)
}

func printSearchText(w io.Writer, results []paperboy.SearchResult, total int, rep paperboy.SearchReport) {
	fmt.Fprintf(w, "%d matching papers (%s search", total, rep.Mode)
	if rep.Fallback != "" {
		fmt.Fprintf(w, ": %s", rep.Fallback)
	}
	fmt.Fprintln(w, ")")
	for i, r := range results {
		p := r.Paper
		fmt.Fprintf(w, "%2d. %s  %s\n", i+1, p.ID, p.Title)
		fmt.Fprintf(w, "    %s · %s · %s · score %.2f\n", authorLine(p.AuthorNames()), p.PrimaryCategory(), p.Submitted.Format("2006-01-02"), r.Score)
	}
}

func authorLine(names []string) string {
	switch len(names) {
	case 0:
		return "unknown authors"
	case 1, 2, 3:
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s, %s and %d others", names[0], names[1], len(names)-2)
}

// lexicalDir is where serve keeps the lexical index: beside a plain SQLite
// database file; "" (in memory, built at each start) for PostgreSQL.
func lexicalDir(db string) string { return besideDB(db, ".index") }
