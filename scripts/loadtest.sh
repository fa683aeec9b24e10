#!/usr/bin/env bash
# loadtest.sh: wrk against paperboy's home, search and paper pages, on one
# SQLite process and on two `serve` replicas sharing one PostgreSQL schema.
# Loopback only, bounded: RUNS runs of DURATION per page and setup. Prints
# one line per run and the median of each; needs wrk (apt-get install wrk).
#
#   PG=postgres://postgres@127.0.0.1:5432/test scripts/loadtest.sh
#
# Two replicas get 200 connections as two wrk processes of 100 each, one
# per replica port, run at once (no proxy in the way): requests/s is their
# sum, p99 the worse of the two, errors the sum of socket errors (wrk's
# 2-second timeouts among them, shown apart) and non-2xx/3xx answers.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "loadtest.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
CONNS=${CONNS:-200} DURATION=${DURATION:-10s} RUNS=${RUNS:-3} THREADS=${THREADS:-2}
PG=${PG:-${PAPERBOY_TEST_POSTGRES_DSN:-}}
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -n "$PG" ] && psql "$PG" -qc 'DROP SCHEMA IF EXISTS paperboy_load CASCADE' >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
CGO_ENABLED=0 go build -o "$work/paperboy" ./cmd/paperboy
pages=("/" "/search?q=neural+networks" "/papers/0704.0001")

serve() { # db port: start serve, wait until healthy
	PAPERBOY_DB=$1 PAPERBOY_LOG_LEVEL=warn PAPERBOY_DIGEST=off "$work/paperboy" serve --addr "127.0.0.1:$2" >"$work/serve-$2.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && break; sleep 0.1; done
	# Semantic search trains its model in the background after start: wait
	# for it (at most a minute), so the runs measure serving, not training.
	for _ in $(seq 600); do
		curl -sf "http://127.0.0.1:$2/api/v1/search?q=neural" | grep -q '"fallback":null' && return
		sleep 0.1
	done
	echo "serve on port $2: search not ready in a minute" >&2; exit 1
}

# one_run port...: wrk on each port at once, CONNS split between them;
# prints "rps p99_ms errors".
one_run() {
	local page=$1; shift
	local per=$((CONNS / $#)) i=0
	for port in "$@"; do
		wrk -t "$THREADS" -c "$per" -d "$DURATION" --latency "http://127.0.0.1:$port$page" >"$work/wrk.$i" &
		i=$((i + 1))
	done
	wait $(jobs -p | grep -v -f <(printf '%s\n' "${pids[@]}")) 2>/dev/null || true
	cat "$work"/wrk.* | awk '
		/Requests\/sec/ { rps += $2 }
		/^ +99%/ { v = $2; ms = v + 0; if (v ~ /us$/) ms /= 1000; else if (v ~ /ms$/) ms += 0; else if (v ~ /s$/) ms *= 1000; if (ms > p99) p99 = ms }
		/Socket errors/ { gsub(/,/, ""); errs += $4 + $6 + $8 + $10; tmo += $10 }
		/Non-2xx/ { errs += $5 }
		END { printf "%.0f %.2f %d %d\n", rps, p99, errs, tmo }'
	rm -f "$work"/wrk.*
}

measure() { # label port...
	local label=$1; shift
	for page in "${pages[@]}"; do
		local runs=()
		for r in $(seq "$RUNS"); do
			runs+=("$(one_run "$page" "$@")")
			echo "  $label $page run $r: $(echo "${runs[-1]}" | awk '{printf "%s req/s, p99 %s ms, %s errors (%s of them wrk timeouts, 2 s)", $1, $2, $3, $4}'); load $(cut -d' ' -f1-3 /proc/loadavg)"
		done
		printf '%s\n' "${runs[@]}" | sort -n -k1 | awk -v l="$label" -v p="$page" -v n="$RUNS" '
			{ r[NR] = $0; e += $3 } END { split(r[int((n + 1) / 2)], m, " "); printf "MEDIAN | %s | %s | %s req/s | p99 %s ms | %d errors (all runs)\n", l, p, m[1], m[2], e }'
	done
}

echo "== SQLite, one process"
"$work/paperboy" import --db "$work/p.db" internal/demo/arxiv-sample.jsonl.gz >/dev/null 2>&1
serve "$work/p.db" 18181
measure "sqlite x1" 18181

if [ -n "$PG" ]; then
	echo "== PostgreSQL, two replicas"
	psql "$PG" -qc 'DROP SCHEMA IF EXISTS paperboy_load CASCADE; CREATE SCHEMA paperboy_load' >/dev/null 2>&1
	sep='?'; case $PG in *\?*) sep='&' ;; esac
	dsn="$PG${sep}search_path=paperboy_load"
	"$work/paperboy" import --db "$dsn" internal/demo/arxiv-sample.jsonl.gz >/dev/null 2>&1
	kill "${pids[0]}"; pids=()
	serve "$dsn" 18182
	serve "$dsn" 18183
	measure "postgres x2" 18182 18183
else
	echo "PG (or PAPERBOY_TEST_POSTGRES_DSN) not set: PostgreSQL replicas skipped"
fi
