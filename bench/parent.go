package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"paperboy"
	"paperboy/bench/corpus"
	"paperboy/bench/queries"
	"paperboy/bench/ref"
	"paperboy/bench/systems"
)

func runParent(ctx context.Context, o options) error {
	rep := newReport(o)
	g, qs, err := setup(o)
	if err != nil {
		return err
	}
	var results []*childResult
	for _, name := range strings.Split(o.systems, ",") {
		name = strings.TrimSpace(name)
		if name == "postgres" && o.pg == "" {
			rep.Notes = append(rep.Notes, "postgres skipped: no -pg DSN")
			continue
		}
		fmt.Fprintf(os.Stderr, "bench: %s: building %d papers and running %d queries\n", name, g.Len(), len(qs))
		r, err := runSystem(ctx, name)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		results = append(results, r)
	}
	fmt.Fprintf(os.Stderr, "bench: exact BM25 reference over %d papers\n", g.Len())
	began := time.Now()
	refIDs, raw := reference(g, qs)
	rep.ReferenceSeconds = time.Since(began).Seconds()
	rep.RawTextBytes = raw
	for _, r := range results {
		rep.Systems = append(rep.Systems, summarize(r, qs, refIDs, raw))
	}
	rep.LoadAfter = loadAverage()
	rep.print(os.Stdout)
	if o.jsonPath != "" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(o.jsonPath, append(b, '\n'), 0o644)
	}
	return nil
}

// runSystem measures one system in a child process of its own, so that its
// peak memory is its own.
func runSystem(ctx context.Context, name string) (*childResult, error) {
	out, err := os.CreateTemp("", "paperboy-bench-*.json")
	if err != nil {
		return nil, err
	}
	out.Close()
	defer os.Remove(out.Name())
	args := append(slices.Clone(os.Args[1:]), "-child", name, "-child-out", out.Name())
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(out.Name())
	if err != nil {
		return nil, err
	}
	var r childResult
	return &r, json.Unmarshal(b, &r)
}

// reference computes the exact BM25 top 10 of every query and the corpus's
// raw text size (title, abstract and author names).
func reference(g *corpus.Generator, qs []queries.Query) ([][]string, int64) {
	a := ref.NewAnalyzer()
	compiled := make([]ref.Query, len(qs))
	for i, q := range qs {
		compiled[i] = a.Compile(q)
	}
	var raw atomic.Int64
	doc := func(i int, a *ref.Analyzer) ref.Doc {
		p := g.Paper(i)
		raw.Add(int64(textSize(p)))
		return a.AnalyzePaper(p)
	}
	res := ref.Run(g.Len(), doc, compiled, ref.DefaultParams(), systems.K, runtime.GOMAXPROCS(0))
	ids := make([][]string, len(res))
	for i, r := range res {
		for _, h := range r.Top {
			ids[i] = append(ids[i], string(g.ID(h.Doc)))
		}
	}
	return ids, raw.Load()
}

func textSize(p *paperboy.Paper) int {
	n := len(p.Title) + len(p.Abstract)
	for _, a := range p.Authors {
		n += len(a.Name)
	}
	return n
}

func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func newReport(o options) *report {
	host, _ := os.Hostname()
	return &report{
		Docs: o.docs, Seed: o.seed, QueriesPerSet: o.perSet, Sets: queries.Sets,
		Date: time.Now().UTC().Format(time.RFC3339), Host: host, CPUs: runtime.NumCPU(),
		GoVersion: runtime.Version(), LoadBefore: loadAverage(),
		Command: "bench " + strings.Join(os.Args[1:], " "),
	}
}
