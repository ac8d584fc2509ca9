#!/usr/bin/env bash
# Whole-process feature computation memory: `floe features compute` (NativeAOT) against a native DuckDB process running
# the same 12 rolling features (count/sum/mean/max over 1h/1d/7d) on the same Parquet file, each writing Parquet;
# wall, CPU (user + sys) and peak RSS from /usr/bin/time. DuckDB runs once (it takes minutes at 10M events).
#   bash bench/cli/features-memory.sh INPUT [RUNS] [THREADS] [--skip-duckdb]
# INPUT: the features bench's Zipf file, e.g. D/events-zipf-10000000-100000-30.parquet from
#   dotnet bench/Floe.Benchmarks/bin/Release/net10.0/Floe.Benchmarks.dll features --rows 10000000 --entities 100000 \
#     --skew zipf --dir D --skip-duckdb --discard
# FLOE_ENV: extra environment for the floe runs (e.g. "DOTNET_GCgen0size=0x1000000"); FLOE_BIN: the floe binary.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
input="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
runs="${2:-2}"
threads="${3:-$(nproc)}"
skip_duck="${4:-}"
floe="${FLOE_BIN:-$root/build/dist/floe}"
[ -x "$floe" ] || { echo "no floe binary at $floe (build it: cmake --build build)" >&2; exit 2; }
out="${TMPDIR:-/tmp}/floe-cli-features-memory"
mkdir -p "$out"
features=""
duck_windows=""
duck_cols=""
for w in 1h:3600000000 1d:86400000000 7d:604800000000; do
  name="${w%%:*}"; micros="${w#*:}"
  features="$features${features:+, }{\"name\": \"cnt_$name\", \"agg\": \"count\", \"window\": \"$name\"}, {\"name\": \"sum_$name\", \"agg\": \"sum\", \"column\": \"amount\", \"window\": \"$name\"}, {\"name\": \"mean_$name\", \"agg\": \"mean\", \"column\": \"amount\", \"window\": \"$name\"}, {\"name\": \"max_$name\", \"agg\": \"max\", \"column\": \"amount\", \"window\": \"$name\"}"
  # RANGE frames are closed ([t - w, t]); Floe's windows are (t - w, t], so DuckDB gets w - 1 µs.
  duck_windows="$duck_windows${duck_windows:+, }w$name AS (PARTITION BY entity_id ORDER BY event_time RANGE BETWEEN INTERVAL '$((micros - 1)) microseconds' PRECEDING AND CURRENT ROW)"
  duck_cols="$duck_cols${duck_cols:+, }count(*) OVER w$name AS cnt_$name, sum(amount) OVER w$name AS sum_$name, avg(amount) OVER w$name AS mean_$name, max(amount) OVER w$name AS max_$name"
done
echo "{\"name\": \"bench\", \"version\": 1, \"entity\": \"entity_id\", \"timestamp\": \"event_time\", \"features\": [$features]}" >"$out/def.json"

measure() { # prints "wall cpu peak_mib" of "$@"
  /usr/bin/time -f '%e %U %S %M' -o "$out/time" "$@" >/dev/null
  read -r wall user sys kib <"$out/time"
  printf '%s %.2f %.0f\n' "$wall" "$(echo "$user + $sys" | bc -l)" "$(echo "$kib / 1024" | bc -l)"
}

echo "uptime: $(uptime)"
echo "| engine | run | wall s | CPU s | peak RSS MiB | output MB |"
echo "|---|---|---:|---:|---:|---:|"
for r in $(seq "$runs"); do
  rm -f "$out/floe-out.parquet"
  # shellcheck disable=SC2086
  read -r fw fc fm < <(measure env ${FLOE_ENV:-} "$floe" features compute "$out/def.json" --from 2024-01-01 --to 2024-01-31 --source "$input" --output "$out/floe-out.parquet")
  printf '| floe | %s | %s | %s | %s | %.1f |\n' "$r" "$fw" "$fc" "$fm" "$(echo "$(stat -c %s "$out/floe-out.parquet") / 1000000" | bc -l)"
done
if [ "$skip_duck" != "--skip-duckdb" ]; then
  libdir="$(dirname "$(find "${NUGET_PACKAGES:-$HOME/.nuget/packages}/duckdb.net.bindings.full" -path '*linux-x64/native/libduckdb.so' | sort | tail -1)")"
  [ -f "$libdir/libduckdb.so" ] || { echo "libduckdb.so not found (dotnet restore bench/Floe.Benchmarks)" >&2; exit 2; }
  cc -O2 -o "$out/duckdb_query" "$here/duckdb_query.c" -L"$libdir" -lduckdb -Wl,-rpath,"$libdir"
  rm -f "$out/duck-out.parquet"
  read -r dw dc dm < <(measure "$out/duckdb_query" "SET threads=$threads; COPY (SELECT entity_id, event_time, $duck_cols FROM read_parquet('$input') WINDOW $duck_windows) TO '$out/duck-out.parquet' (FORMAT parquet, COMPRESSION zstd)")
  printf '| duckdb | 1 | %s | %s | %s | %.1f |\n' "$dw" "$dc" "$dm" "$(echo "$(stat -c %s "$out/duck-out.parquet") / 1000000" | bc -l)"
fi
echo "uptime: $(uptime)"
