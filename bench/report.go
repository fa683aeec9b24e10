package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"paperboy/bench/queries"
)

// report is the benchmark's output: one row per system, as a table on
// stdout and as JSON.
type report struct {
	Command          string      `json:"command"`
	Date             string      `json:"date"`
	Host             string      `json:"host"`
	CPUs             int         `json:"cpus"`
	GoVersion        string      `json:"go_version"`
	LoadBefore       string      `json:"load_average_before"`
	LoadAfter        string      `json:"load_average_after"`
	Docs             int         `json:"docs"`
	Seed             uint64      `json:"seed"`
	QueriesPerSet    int         `json:"queries_per_set"`
	Sets             []string    `json:"sets"`
	RawTextBytes     int64       `json:"raw_text_bytes"`
	ReferenceSeconds float64     `json:"reference_seconds"`
	Systems          []systemRow `json:"systems"`
	Notes            []string    `json:"notes,omitempty"`
}

type systemRow struct {
	System        string             `json:"system"`
	BuildDocsPerS float64            `json:"build_docs_per_s"`
	IndexBytes    int64              `json:"index_bytes"`
	IndexNote     string             `json:"index_note"`
	IndexPctRaw   float64            `json:"index_pct_of_raw_text"`
	PeakRSS       int64              `json:"peak_rss_bytes"`
	BaselineRSS   int64              `json:"baseline_rss_bytes"`
	ServerRSS     int64              `json:"server_peak_rss_bytes,omitempty"`
	P50, P95, P99 float64            `json:"-"`
	Latency       map[string]float64 `json:"latency_ms"`
	QPS2          float64            `json:"qps_2_threads"`
	Overlap10     float64            `json:"overlap_at_10"`
	PerSet        map[string]setRow  `json:"per_set"`
	Errors        int                `json:"errors"`
	FirstError    string             `json:"first_error,omitempty"`
}

type setRow struct {
	P50       float64 `json:"p50_ms"`
	Overlap10 float64 `json:"overlap_at_10"`
}

// summarize turns a child's measurements into a row, comparing its results
// with the reference's.
func summarize(r *childResult, qs []queries.Query, refIDs [][]string, raw int64) systemRow {
	row := systemRow{
		System: r.System, BuildDocsPerS: float64(r.Docs) / r.BuildSeconds,
		IndexBytes: r.IndexBytes, IndexNote: r.SizeNote, IndexPctRaw: 100 * float64(r.IndexBytes) / float64(raw),
		PeakRSS: r.PeakRSS, BaselineRSS: r.BaselineRSS, ServerRSS: r.ServerRSS,
		QPS2: r.QPS2, PerSet: map[string]setRow{}, Errors: r.Errors, FirstError: r.FirstError,
	}
	row.P50, row.P95, row.P99 = percentile(r.LatencyMs, 50), percentile(r.LatencyMs, 95), percentile(r.LatencyMs, 99)
	row.Latency = map[string]float64{"p50": row.P50, "p95": row.P95, "p99": row.P99}
	row.Overlap10 = meanOverlap(r.Results, refIDs, func(int) bool { return true })
	for _, set := range queries.Sets {
		in := func(i int) bool { return qs[i].Set == set }
		var lat []float64
		for i, ms := range r.LatencyMs {
			if in(i) {
				lat = append(lat, ms)
			}
		}
		row.PerSet[set] = setRow{P50: percentile(lat, 50), Overlap10: meanOverlap(r.Results, refIDs, in)}
	}
	return row
}

// percentile is the nearest-rank percentile.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	i := int(float64(len(s))*p/100+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

// Overlap is |got ∩ want| / |want|, the share of the reference's top 10
// that a system also returned in its top 10; ok is false when the
// reference has no match.
func Overlap(got, want []string) (float64, bool) {
	if len(want) == 0 {
		return 0, false
	}
	n := 0
	for _, id := range want {
		if slices.Contains(got, id) {
			n++
		}
	}
	return float64(n) / float64(len(want)), true
}

func meanOverlap(got, want [][]string, in func(int) bool) float64 {
	var sum float64
	n := 0
	for i := range want {
		if !in(i) {
			continue
		}
		if o, ok := Overlap(got[i], want[i]); ok {
			sum += o
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

func (rep *report) print(w io.Writer) {
	fmt.Fprintf(w, "%d papers (seed %d, %.0f MB raw text), %d queries (%d per set), %d CPUs, %s, load %s -> %s\n\n",
		rep.Docs, rep.Seed, mb(rep.RawTextBytes), rep.QueriesPerSet*len(rep.Sets), rep.QueriesPerSet,
		rep.CPUs, rep.GoVersion, rep.LoadBefore, rep.LoadAfter)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "system\tbuild docs/s\tindex MB\t% raw\tpeak RSS MB\tp50 ms\tp95 ms\tp99 ms\tQPS 2 thr\toverlap@10\t")
	for _, s := range rep.Systems {
		fmt.Fprintf(tw, "%s\t%.0f\t%.1f%s\t%.0f\t%.0f%s\t%.3f\t%.3f\t%.3f\t%.0f\t%.3f\t\n", s.System, s.BuildDocsPerS,
			mb(s.IndexBytes), mark(strings.Contains(s.IndexNote, "heap"), "*"), s.IndexPctRaw, mb(s.PeakRSS),
			mark(s.ServerRSS > 0, fmt.Sprintf("+%.0f", mb(s.ServerRSS))), s.P50, s.P95, s.P99, s.QPS2, s.Overlap10)
	}
	tw.Flush()
	fmt.Fprintf(w, "\np50 ms / overlap@10 by query set:\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "system\t%s\t\n", strings.Join(rep.Sets, "\t"))
	for _, s := range rep.Systems {
		cells := []string{s.System}
		for _, set := range rep.Sets {
			cells = append(cells, fmt.Sprintf("%.3f / %.2f", s.PerSet[set].P50, s.PerSet[set].Overlap10))
		}
		fmt.Fprintf(tw, "%s\t\n", strings.Join(cells, "\t"))
	}
	tw.Flush()
	rep.printNotes(w)
}

func (rep *report) printNotes(w io.Writer) {
	fmt.Fprintln(w)
	for _, s := range rep.Systems {
		fmt.Fprintf(w, "%s: index = %s; baseline RSS before building %.0f MB", s.System, s.IndexNote, mb(s.BaselineRSS))
		if s.ServerRSS > 0 {
			fmt.Fprintf(w, "; server backend peak RSS %.0f MB", mb(s.ServerRSS))
		}
		if s.Errors > 0 {
			fmt.Fprintf(w, "; %d query errors, first: %s", s.Errors, s.FirstError)
		}
		fmt.Fprintln(w)
	}
	for _, n := range rep.Notes {
		fmt.Fprintln(w, n)
	}
	fmt.Fprintf(w, "exact BM25 reference: %.1f s\n", rep.ReferenceSeconds)
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func mark(ok bool, s string) string {
	if ok {
		return s
	}
	return ""
}
