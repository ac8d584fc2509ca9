#!/usr/bin/env bash
# Whole-process scans: the `floe` binary (NativeAOT) against a native DuckDB process on the same table's files,
# process start included, best of N runs each (wall time; CPU user + sys of that run): counts and aggregates.
#   bash bench/cli/run.sh WAREHOUSE [NS.TABLE] [RUNS] [THREADS]
# WAREHOUSE: a Floe warehouse, e.g. the scan-filter bench's /tmp/scanlate-bench/wh-10000000 (table bench.events).
# Needs build/dist/floe (cmake --build build) and the DuckDB.NET package's libduckdb.so (dotnet restore).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
warehouse="$(cd "$1" && pwd)"
table="${2:-bench.events}"
runs="${3:-5}"
threads="${4:-$(nproc)}"
floe="${FLOE_BIN:-$root/build/dist/floe}"
[ -x "$floe" ] || { echo "no floe binary at $floe (build it: cmake --build build)" >&2; exit 2; }
out="${TMPDIR:-/tmp}/floe-cli-bench"
out_dir="$out"
mkdir -p "$out"
# shellcheck source=duckdb.sh
source "$here/duckdb.sh"
build_duckdb_query "$out"
files="$warehouse/${table%%.*}/${table#*.}/data/**/*.parquet"

best() { # best wall seconds of $runs runs of "$@", the CPU seconds (user + sys) of that run, and its output's last line
  local best=999 cpu=0 out t c
  for _ in $(seq "$runs"); do
    out=$(/usr/bin/time -f '%e %U %S' -o "$out_dir/time" "$@" | tail -1)
    read -r t u s < "$out_dir/time"
    c=$(echo "$u + $s" | bc -l)
    if (( $(echo "$t < $best" | bc -l) )); then best=$t; cpu=$c; fi
  done
  printf '%.2f %.2f %s\n' "$best" "$cpu" "$out"
}

echo "| work | floe wall (s) | floe CPU (s) | DuckDB wall (s) | DuckDB CPU (s) | floe/DuckDB wall | value (floe / DuckDB) |"
echo "|---|---|---|---|---|---|---|"
while IFS='|' read -r name filter agg sql; do
  if [ -n "$filter" ]; then f=(--filter "$filter"); else f=(); fi
  if [ -n "$agg" ]; then what=(--agg "$agg"); else what=(--count); fi
  read -r ft fc fr < <(best "$floe" --warehouse "$warehouse" scan "$table" "${f[@]}" "${what[@]}" --threads "$threads")
  read -r dt dc dr < <(best "$out/duckdb_query" "SET threads=$threads; $sql")
  printf '| %s | %s | %s | %s | %s | %.2f | %s / %s |\n' "$name" "$ft" "$fc" "$dt" "$dc" "$(echo "$ft / $dt" | bc -l)" "$fr" "$dr"
done <<SQL
count(*)|||select count(*) from read_parquet('$files')
count where amount > 100|amount > 100||select count(*) from read_parquet('$files') where amount > 100
count where amount > 990|amount > 990||select count(*) from read_parquet('$files') where amount > 990
sum(amount)||sum(amount)|select sum(amount) from read_parquet('$files')
sum(amount) where amount > 100|amount > 100|sum(amount)|select sum(amount) from read_parquet('$files') where amount > 100
min(amount), max(event_time)||min(amount),max(event_time)|select min(amount)::varchar || ',' || strftime(max(event_time) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') from read_parquet('$files')
avg(amount), max(amount)||avg(amount),max(amount)|select avg(amount)::varchar || ',' || max(amount)::varchar from read_parquet('$files')
SQL
