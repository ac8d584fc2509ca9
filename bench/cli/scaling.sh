#!/usr/bin/env bash
# Thread scaling of the NativeAOT `floe` binary: scans (filtered count, full-scan sum) and the 12 rolling features,
# each run pinned to the first N cores with taskset (the runtime then sees N processors), best of RUNS, wall and CPU
# (user + sys) from bash's `time`. A native DuckDB process runs the same scans at the same thread counts when
# DUCKDB_QUERY (bench/cli/duckdb_query.c built against libduckdb.so) is given.
#   bash bench/cli/scaling.sh [ROWS] [THREADS...]        e.g. bash bench/cli/scaling.sh 10000000 1 2 4 8 16
# Environment: FLOE_BIN (default build/dist/floe), WORK (scratch folder), RUNS (scans, default 3), FEATURE_RUNS (default 2),
#   ZIPF_PARQUET (a Zipf-skewed events file from `Floe.Benchmarks features --skew zipf`, 30 days from 2024-01-01),
#   DUCKDB_QUERY (path of the duckdb_query program), PROFILE (non-empty: one more features run per N with --profile),
#   TIMELINE (non-empty, with ZIPF_PARQUET: one more Zipf run per N under bench/cli/timeline.py, which needs python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rows="${1:-10000000}"; shift || true
threads=("$@"); [ $# -gt 0 ] || threads=(1 2)
floe="${FLOE_BIN:-build/dist/floe}"
work="${WORK:-${TMPDIR:-/tmp}/floe-scaling}"
runs="${RUNS:-3}"
feature_runs="${FEATURE_RUNS:-2}"
duck="${DUCKDB_QUERY:-}"
command -v taskset > /dev/null || { echo "taskset (util-linux) is needed" >&2; exit 2; }
rm -rf "$work"; mkdir -p "$work"
wh="$work/warehouse"
f() { "$floe" --warehouse "$wh" "$@"; }
cores() { echo "0-$(( $1 - 1 ))"; }
TIMEFORMAT='%R %U %S'

exec 3>&2
quiet() { "$@" > /dev/null 2> "$work/stderr" || { echo "failed: $*" >&3; cat "$work/stderr" >&3; return 1; }; }
best() { # best-of-$runs wall seconds and that run's CPU seconds of "$@" (output discarded); stops on a failure
  local b=999 c=0 t u s
  for _ in $(seq "$repeat"); do
    { time quiet "$@"; } 2> "$work/time" || exit 1
    read -r t u s < "$work/time"
    if (( $(awk "BEGIN{print ($t < $b)}") )); then b=$t; c=$(awk "BEGIN{print $u + $s}"); fi
  done
  echo "$b $c"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), floe $(stat -c %s "$floe") bytes"
start=$(date +%s)
f generate events --rows "$rows" --entities 100000 --days 7 --output "$work/events.csv"
f table create bench.events --schema "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string" \
  --partition "day(event_time)" > /dev/null
read -r t u s < <({ time f ingest bench.events "$work/events.csv" > /dev/null; } 2>&1)
echo "generated and ingested $rows events in $(( $(date +%s) - start )) s (ingest $t s wall, $(awk "BEGIN{print $u + $s}") CPU-s, all cores)"
files="$wh/bench/events/data/**/*.parquet"

cp "$here/features12.json" "$work/features.json"  # the 12 rolling features of the feature benches

echo
echo "| threads | work | floe wall (s) | floe CPU (s) | speed-up vs 1 thread | per thread | DuckDB wall (s) | floe/DuckDB |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
declare -A base
row() { # threads, name, floe wall, floe cpu, duck wall
  local n=$1 name=$2 w=$3 c=$4 d=${5:-}
  [ -z "${base[$name]:-}" ] && base[$name]=$w
  local sp; sp=$(awk "BEGIN{printf \"%.2f\", ${base[$name]} / $w}")
  local per; per=$(awk "BEGIN{printf \"%.2f\", ${base[$name]} / $w / $n}")
  local ratio="–"; [ -n "$d" ] && ratio=$(awk "BEGIN{printf \"%.2f\", $w / $d}")
  echo "| $n | $name | $w | $c | ${sp}× | $per | ${d:-–} | $ratio |"
}
for n in "${threads[@]}"; do
  repeat=$runs
  pin=(taskset -c "$(cores "$n")")
  read -r w c < <(best "${pin[@]}" "$floe" --warehouse "$wh" scan bench.events --filter "amount > 100" --count --threads "$n")
  d=""; [ -n "$duck" ] && read -r d _ < <(best "${pin[@]}" "$duck" "SET threads=$n; select count(*) from read_parquet('$files') where amount > 100")
  row "$n" "count where amount > 100 ($rows)" "$w" "$c" "$d"
  read -r w c < <(best "${pin[@]}" "$floe" --warehouse "$wh" scan bench.events --agg "sum(amount)" --threads "$n")
  d=""; [ -n "$duck" ] && read -r d _ < <(best "${pin[@]}" "$duck" "SET threads=$n; select sum(amount) from read_parquet('$files')")
  row "$n" "sum(amount) ($rows)" "$w" "$c" "$d"
  repeat=$feature_runs
  read -r w c < <(best "${pin[@]}" "$floe" --warehouse "$wh" features compute "$work/features.json" --from 2024-01-01 --to 2024-01-08 \
    --source bench.events --output "$work/features-$n.parquet")
  row "$n" "12 features, table ($rows)" "$w" "$c"
  if [ -n "${PROFILE:-}" ]; then # one more run, for where its time went (stderr of --profile)
    "${pin[@]}" "$floe" --warehouse "$wh" features compute "$work/features.json" --from 2024-01-01 --to 2024-01-08 \
      --source bench.events --output "$work/features-profile.parquet" --profile 2>> "$work/profile.txt" > /dev/null
    sed -i "\$s/^/$n threads: /" "$work/profile.txt"
  fi
  if [ -n "${ZIPF_PARQUET:-}" ]; then
    read -r w c < <(best "${pin[@]}" "$floe" --warehouse "$wh" features compute "$work/features.json" --from 2024-01-01 --to 2024-01-31 \
      --source "$ZIPF_PARQUET" --output "$work/zipf-$n.parquet")
    row "$n" "12 features, Zipf file ($(basename "$ZIPF_PARQUET"))" "$w" "$c"
    if [ -n "${TIMELINE:-}" ]; then # one more run under bench/cli/timeline.py: serial seconds, phases, Amdahl from N's demand
      "${pin[@]}" python3 "$here/timeline.py" --quiet-stdout --bucket 0 --label "$n threads, Zipf file" --threads "1,$n,16" \
        -- "$floe" features compute "$work/features.json" --from 2024-01-01 --to 2024-01-31 --source "$ZIPF_PARQUET" \
        --output "$work/zipf-timeline.parquet" --profile >> "$work/timeline.txt" 2>&1
    fi
  fi
done
# Every thread count must give the same features: compare the outputs' bytes.
for n in "${threads[@]}"; do
  cmp -s "$work/features-${threads[0]}.parquet" "$work/features-$n.parquet" || echo "features differ at $n threads (content check needed)"
done
[ -f "$work/timeline.txt" ] && { echo; echo "features, Zipf file, bench/cli/timeline.py (serial = at most one thread runnable):"; grep -v "^stage wall" "$work/timeline.txt"; }
[ -f "$work/profile.txt" ] && { echo; echo "features, $rows-event table, --profile (stage: wall s/process CPU-s/own thread CPU-s/MiB allocated):"; cat "$work/profile.txt"; }
echo "total $(( $(date +%s) - start )) s"
