#!/usr/bin/env bash
# Interleaved whole-process runs of three writers on one job, for changes to the Parquet writer: `base` (another floe
# binary, FLOE_BASE_BIN), `new` (FLOE_BIN, default build/dist/floe) and `managed` (FLOE_BIN with FLOE_ZSTD=managed:
# ZstdSharp instead of the system libzstd). Prints wall, CPU (user + sys), peak RSS and output bytes of every run.
#   bash bench/cli/writer-ab.sh features INPUT [ROUNDS]   # floe features compute (bench/cli/features12.json), 1 core, --profile's write stage
#   bash bench/cli/writer-ab.sh ingest INPUT [ROUNDS]     # floe ingest into a day-partitioned table (ingest-memory.sh's DDL)
# INPUT: the feature bench's events-zipf-ROWS-ENTITIES-DAYS.parquet (30 days), or the ingest bench's events-N.parquet/.csv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
job="$1"
input="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
rounds="${3:-3}"
new="${FLOE_BIN:-$root/build/dist/floe}"
base="${FLOE_BASE_BIN:?FLOE_BASE_BIN names the baseline floe binary}"
out="${TMPDIR:-/tmp}/floe-cli-writer-ab"
mkdir -p "$out"
schema="entity_id:long not null,event_time:timestamptz not null,amount:double,category:string"
echo "uptime: $(uptime)"
for _ in $(seq "$rounds"); do
  for v in base new managed; do
    bin="$new" zstd=""
    [ "$v" = base ] && bin="$base"
    [ "$v" = managed ] && zstd=managed
    case "$job" in
      features)
        cmd=(taskset -c 0 "$bin" features compute "$here/features12.json" --from 2024-01-01 --to 2024-01-31
          --source "$input" --output "$out/$v.parquet" --profile) ;;
      ingest)
        rm -rf "$out/wh"
        "$bin" --warehouse "$out/wh" table create bench.events --schema "$schema" --partition "day(event_time)" >/dev/null
        cmd=("$bin" --warehouse "$out/wh" ingest bench.events "$input") ;;
      *) echo "job: features or ingest" >&2; exit 2 ;;
    esac
    FLOE_ZSTD="$zstd" /usr/bin/time -f '%e %U %S %M' -o "$out/time" "${cmd[@]}" >"$out/log" 2>&1 || { cat "$out/log" >&2; exit 1; }
    read -r wall user sys kib <"$out/time"
    if [ "$job" = features ]; then
      bytes=$(stat -c %s "$out/$v.parquet"); extra=$(grep -o 'write [0-9.]* s/[0-9.]* CPU-s' "$out/log" || true)
    else
      bytes=$(find "$out/wh" -name '*.parquet' -path '*/data/*' -printf '%s\n' | awk '{s+=$1} END {print s}'); extra=""
    fi
    printf '%-8s wall %6s s  CPU %6.2f s  peak %5d MiB  output %s bytes  %s\n' "$v" "$wall" "$(echo "$user + $sys" | bc -l)" \
      $((kib / 1024)) "$bytes" "$extra"
  done
done
rm -rf "$out"
