#!/usr/bin/env bash
# Whole-process ingest: `floe ingest` (NativeAOT) into a day-partitioned table against a native DuckDB process's
# `COPY ... PARTITION_BY (d)` of the same file, zstd both, interleaved; wall, CPU and peak RSS from /usr/bin/time.
#   bash bench/cli/ingest-memory.sh INPUT [RUNS] [THREADS]
# INPUT: the ingest bench's generated file, e.g. /tmp/floe-bench-ingest/events-10000000.parquet (or .csv); make it
# with `dotnet bench/Floe.Benchmarks/bin/Release/net10.0/Floe.Benchmarks.dll ingest --rows 10000000`.
# Needs build/dist/floe (or FLOE_BIN) and the DuckDB.NET package's libduckdb.so (dotnet restore).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
input="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
runs="${2:-2}"
threads="${3:-$(nproc)}"
floe="${FLOE_BIN:-$root/build/dist/floe}"
[ -x "$floe" ] || { echo "no floe binary at $floe (build it: cmake --build build)" >&2; exit 2; }
out="${TMPDIR:-/tmp}/floe-cli-ingest"
mkdir -p "$out"
# shellcheck source=duckdb.sh
source "$here/duckdb.sh"
build_duckdb_query "$out"
schema="entity_id:long not null,event_time:timestamptz not null,amount:double,category:string"
case "$input" in
  *.csv) source="read_csv('$input', header=true, columns={'entity_id':'BIGINT','event_time':'TIMESTAMPTZ','amount':'DOUBLE','category':'VARCHAR'})" ;;
  *) source="read_parquet('$input')" ;;
esac

measure() { # prints "wall cpu peak_mib" of "$@"
  /usr/bin/time -f '%e %U %S %M' -o "$out/time" "$@" >/dev/null
  read -r wall user sys kib <"$out/time"
  printf '%s %.2f %.0f\n' "$wall" "$(echo "$user + $sys" | bc -l)" "$(echo "$kib / 1024" | bc -l)"
}

echo "uptime: $(uptime)"
echo "| run | floe wall / CPU / peak RSS | DuckDB wall / CPU / peak RSS | time ratio | memory ratio |"
echo "|---|---|---|---:|---:|"
for r in $(seq "$runs"); do
  rm -rf "$out/wh" "$out/duck"; mkdir -p "$out/duck"
  "$floe" --warehouse "$out/wh" table create bench.events --schema "$schema" --partition "day(event_time)" >/dev/null
  read -r fw fc fm < <(measure "$floe" --warehouse "$out/wh" ingest bench.events "$input")
  read -r dw dc dm < <(measure "$out/duckdb_query" "SET threads=$threads; COPY (SELECT *, CAST(event_time AS DATE) AS d FROM $source) TO '$out/duck' (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (d), OVERWRITE_OR_IGNORE)")
  printf '| %s | %s s / %s s / %s MiB | %s s / %s s / %s MiB | %.2f | %.2f |\n' "$r" "$fw" "$fc" "$fm" "$dw" "$dc" "$dm" \
    "$(echo "$fw / $dw" | bc -l)" "$(echo "$fm / $dm" | bc -l)"
done
echo "floe data: $(du -sm "$out/wh" | cut -f1) MiB, $(find "$out/wh" -name '*.parquet' | wc -l) files"
