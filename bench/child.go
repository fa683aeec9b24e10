package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"paperboy/bench/queries"
	"paperboy/bench/systems"
)

// childResult is what a child process measured for its one system.
type childResult struct {
	System       string     `json:"system"`
	Docs         int        `json:"docs"`
	BuildSeconds float64    `json:"build_seconds"` // generation left out
	GenSeconds   float64    `json:"generate_seconds"`
	IndexBytes   int64      `json:"index_bytes"`
	SizeNote     string     `json:"size_note"`
	BaselineRSS  int64      `json:"baseline_rss_bytes"` // before building: model and queries
	PeakRSS      int64      `json:"peak_rss_bytes"`
	ServerRSS    int64      `json:"server_peak_rss_bytes,omitempty"`
	LatencyMs    []float64  `json:"latency_ms"` // per query, in query order
	QPS2         float64    `json:"qps_2_threads"`
	Results      [][]string `json:"results"` // top-10 IDs per query
	Errors       int        `json:"errors"`
	FirstError   string     `json:"first_error,omitempty"`
}

func runChild(ctx context.Context, o options) error {
	g, qs, err := setup(o)
	if err != nil {
		return err
	}
	dir, err := workDir(o.dir)
	if err != nil {
		return err
	}
	if o.dir == "" {
		defer os.RemoveAll(dir)
	}
	r := childResult{System: o.child, Docs: g.Len(), BaselineRSS: systems.PeakRSS()}
	sys, err := systems.Open(ctx, o.child, dir, o.pg)
	if err != nil {
		return err
	}
	defer sys.Close()
	stopProfile, err := startProfile(o.profile, o.child+"-build")
	if err != nil {
		return err
	}
	began := time.Now()
	gen, err := sys.Build(ctx, g)
	stopProfile()
	if err != nil {
		return err
	}
	r.BuildSeconds, r.GenSeconds = (time.Since(began) - gen).Seconds(), gen.Seconds()
	if r.IndexBytes, r.SizeNote, err = sys.Size(ctx); err != nil {
		return err
	}
	if stopProfile, err = startProfile(o.profile, o.child+"-search"); err != nil {
		return err
	}
	r.measureLatency(ctx, sys, qs)
	stopProfile()
	r.QPS2 = throughput(ctx, sys, qs, o.throughput)
	r.PeakRSS = systems.PeakRSS()
	if s, ok := sys.(interface{ ServerPeakRSS(context.Context) int64 }); ok {
		r.ServerRSS = s.ServerPeakRSS(ctx)
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return os.WriteFile(o.childOut, b, 0o644)
}

// startProfile starts a CPU profile in dir/name.pprof, when dir is set,
// and returns what stops it.
func startProfile(dir, name string) (stop func(), err error) {
	if dir == "" {
		return func() {}, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, name+".pprof"))
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func workDir(dir string) (string, error) {
	if dir == "" {
		return os.MkdirTemp("", "paperboy-bench-")
	}
	return dir, os.MkdirAll(dir, 0o755)
}

// measureLatency runs every query once to warm caches, then once more,
// timed, keeping that run's results.
func (r *childResult) measureLatency(ctx context.Context, sys systems.System, qs []queries.Query) {
	for _, q := range qs {
		sys.Search(ctx, q)
	}
	r.Results = make([][]string, len(qs))
	r.LatencyMs = make([]float64, len(qs))
	for i, q := range qs {
		began := time.Now()
		ids, err := sys.Search(ctx, q)
		r.LatencyMs[i] = float64(time.Since(began).Nanoseconds()) / 1e6
		if err != nil {
			if r.Errors == 0 {
				r.FirstError = err.Error()
			}
			r.Errors++
		}
		r.Results[i] = slices.Clip(ids)
	}
}

// throughput runs the queries round-robin on two goroutines for at least
// min and at least one full pass, and returns queries per second.
func throughput(ctx context.Context, sys systems.System, qs []queries.Query, min time.Duration) float64 {
	var next, done atomic.Int64
	began := time.Now()
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(len(qs)) && time.Since(began) >= min {
					return
				}
				sys.Search(ctx, qs[i%int64(len(qs))])
				done.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(done.Load()) / time.Since(began).Seconds()
}
