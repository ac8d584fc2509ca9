#!/usr/bin/env bash
# Whole-process scans: the `floe` binary (NativeAOT) against a native DuckDB process on the same table's files,
# process start included, best of N runs each, interleaved.
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
libdir="$(dirname "$(find "${NUGET_PACKAGES:-$HOME/.nuget/packages}/duckdb.net.bindings.full" -path '*linux-x64/native/libduckdb.so' | sort | tail -1)")"
[ -f "$libdir/libduckdb.so" ] || { echo "libduckdb.so not found (dotnet restore bench/Floe.Benchmarks)" >&2; exit 2; }
out="${TMPDIR:-/tmp}/floe-cli-bench"
mkdir -p "$out"
cc -O2 -o "$out/duckdb_query" "$here/duckdb_query.c" -L"$libdir" -lduckdb -Wl,-rpath,"$libdir"
files="$warehouse/${table%%.*}/${table#*.}/data/**/*.parquet"

best() { # best wall seconds of $runs runs of "$@", and its last output
  local best=999 out t0 t1 t
  for _ in $(seq "$runs"); do
    t0=$(date +%s.%N); out=$("$@"); t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l); if (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  printf '%.3f %s\n' "$best" "$out"
}

echo "| work | floe (s) | DuckDB (s) | floe/DuckDB | rows (floe / DuckDB) |"
echo "|---|---|---|---|---|"
while IFS='|' read -r name filter sql; do
  if [ -n "$filter" ]; then f=(--filter "$filter"); else f=(); fi
  read -r ft fr < <(best "$floe" --warehouse "$warehouse" scan "$table" "${f[@]}" --count)
  read -r dt dr < <(best "$out/duckdb_query" "SET threads=$threads; $sql")
  printf '| %s | %s | %s | %.2f | %s / %s |\n' "$name" "$ft" "$dt" "$(echo "$ft / $dt" | bc -l)" "$fr" "$dr"
done <<SQL
count(*)||select count(*) from read_parquet('$files')
count where amount > 100|amount > 100|select count(*) from read_parquet('$files') where amount > 100
count where amount > 990|amount > 990|select count(*) from read_parquet('$files') where amount > 990
SQL
