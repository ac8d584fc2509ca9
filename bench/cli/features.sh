#!/usr/bin/env bash
# Whole-process feature computation: `floe features compute` (NativeAOT) against Polars (bench/polars/features.mjs in
# its own node process) and a native DuckDB process (window SQL, COPY ... COMPRESSION zstd) on the same Zipf Parquet
# file, the 12 features of the in-process bench (count/sum/mean/max over 1h, 1d, 7d; FeaturesEndToEnd.DefinitionJson).
# Wall, CPU (user + sys) and peak RSS from /usr/bin/time, best wall of RUNS per engine; then the Floe output is
# checked against DuckDB's (or, without DuckDB, Polars') distinct (entity, time) rows by a DuckDB query.
#   bash bench/cli/features.sh INPUT [RUNS] [THREADS]
# INPUT: events-zipf-ROWS-ENTITIES-DAYS.parquet from the in-process bench, e.g.
#   dotnet bench/Floe.Benchmarks/bin/Release/net10.0/Floe.Benchmarks.dll features --rows 10000000 --entities 100000 \
#     --skew zipf --dir /tmp/feat10m --skip-duckdb --discard
# THREADS 1 pins every engine to one core (taskset -c 0); otherwise they use THREADS threads (Floe: every core).
# Environment: FLOE_BIN (default build/dist/floe), ENGINES (default "floe polars duckdb"; DuckDB takes minutes at 10M;
# add "base" and FLOE_BASE_BIN=another floe binary to measure a baseline build in the same run),
# KEEP=1 keeps the outputs (under $TMPDIR/floe-cli-features).
# Needs the DuckDB.NET package's libduckdb.so (dotnet restore bench/Floe.Benchmarks), node and `npm ci` in bench/polars.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
input="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
runs="${2:-3}"
threads="${3:-$(nproc)}"
engines="${ENGINES:-floe polars duckdb}"
floe="${FLOE_BIN:-$root/build/dist/floe}"
[ -x "$floe" ] || { echo "no floe binary at $floe (build it: cmake --build build)" >&2; exit 2; }
out="${TMPDIR:-/tmp}/floe-cli-features"
mkdir -p "$out"
# shellcheck source=duckdb.sh
source "$here/duckdb.sh"
build_duckdb_query "$out"

# The bench's generator names its files events-zipf-ROWS-ENTITIES-DAYS.parquet; events start 2024-01-01.
days="$(basename "$input" .parquet | awk -F- '{print $NF}')"
[[ "$days" =~ ^[0-9]+$ ]] || days=30
from="2024-01-01"
to="$(date -u -d "$from + $days days" +%F)"
pin=()
[ "$threads" = 1 ] && pin=(taskset -c 0)

cp "$here/features12.json" "$out/def.json"

# DuckDB's RANGE frames are closed ([t - w, t]); Floe's and Polars' windows are (t - w, t], so DuckDB gets w - 1 µs.
cols=() wins=()
for w in 1h:3600000000 1d:86400000000 7d:604800000000; do
  n="${w%%:*}" us="${w#*:}"
  wins+=("w$n AS (PARTITION BY entity_id ORDER BY event_time RANGE BETWEEN INTERVAL '$((us - 1)) microseconds' PRECEDING AND CURRENT ROW)")
  cols+=("count(*) OVER w$n AS cnt_$n, sum(amount) OVER w$n AS sum_$n, avg(amount) OVER w$n AS mean_$n, max(amount) OVER w$n AS max_$n")
done
duck_sql="SELECT entity_id, event_time, $(IFS=,; echo "${cols[*]}") FROM read_parquet('$input') WINDOW $(IFS=,; echo "${wins[*]}")"

measure() { # prints "wall cpu peak_mib" of "$@"
  /usr/bin/time -f '%e %U %S %M' -o "$out/time" "$@" >"$out/log" 2>&1 || { cat "$out/log" >&2; return 1; }
  read -r wall user sys kib <"$out/time"
  printf '%s %.2f %.0f\n' "$wall" "$(echo "$user + $sys" | bc -l)" "$(echo "$kib / 1024" | bc -l)"
}

best() { # best wall of $runs runs of "$@" and that run's CPU and peak RSS; the largest peak RSS of all runs
  local bw=999999 bc=0 bm=0 mm=0 w c m
  for _ in $(seq "$runs"); do
    read -r w c m < <(measure "$@")
    if (( $(echo "$w < $bw" | bc -l) )); then bw=$w; bc=$c; bm=$m; fi
    (( m > mm )) && mm=$m
  done
  echo "$bw $bc $bm $mm"
}

declare -A wall cpu rss rssmax size
for engine in $engines; do
  case "$engine" in
    floe|base)
      bin="$floe"
      [ "$engine" = base ] && bin="${FLOE_BASE_BIN:?FLOE_BASE_BIN names the baseline floe binary}"
      read -r wall[$engine] cpu[$engine] rss[$engine] rssmax[$engine] < <(best "${pin[@]}" "$bin" features compute "$out/def.json" \
        --from "$from" --to "$to" --source "$input" --output "$out/$engine.parquet") ;;
    polars)
      read -r wall[polars] cpu[polars] rss[polars] rssmax[polars] < <(best env POLARS_MAX_THREADS="$threads" "${pin[@]}" \
        node "$root/bench/polars/features.mjs" "$input" "$out/polars.parquet") ;;
    duckdb)
      read -r wall[duckdb] cpu[duckdb] rss[duckdb] rssmax[duckdb] < <(best "${pin[@]}" "$out/duckdb_query" \
        "SET threads=$threads; COPY ($duck_sql) TO '$out/duckdb.parquet' (FORMAT parquet, COMPRESSION zstd)") ;;
    *) echo "unknown engine $engine" >&2; exit 2 ;;
  esac
  size[$engine]="$(echo "$(stat -c %s "$out/$engine.parquet") / 1000000" | bc -l)"
done

echo "uptime: $(uptime)"
echo "input: $input, $threads thread(s), best wall of $runs"
echo "| engine | wall (s) | CPU (s) | peak RSS (MiB, max of runs) | output MB | wall / Floe's | CPU / Floe's | RSS / Floe's |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for engine in $engines; do
  if [ -n "${wall[floe]:-}" ]; then
    ratios="$(printf '%.2f | %.2f | %.2f' "$(echo "${wall[$engine]} / ${wall[floe]}" | bc -l)" \
      "$(echo "${cpu[$engine]} / ${cpu[floe]}" | bc -l)" "$(echo "${rss[$engine]} / ${rss[floe]}" | bc -l)")"
  else ratios="- | - | -"; fi
  printf '| %s | %s | %s | %s (%s) | %.1f | %s |\n' "$engine" "${wall[$engine]}" "${cpu[$engine]}" "${rss[$engine]}" \
    "${rssmax[$engine]}" "${size[$engine]}" "$ratios"
done

# Rows with the same (entity, time) carry identical values in every engine, so compare distinct rows.
ref=""
for e in duckdb polars; do [[ " $engines " == *" $e "* ]] && { ref=$e; break; }; done
if [ -n "${wall[floe]:-}" ] && [ -n "$ref" ]; then
  checks="false"
  for w in 1h 1d 7d; do
    checks="$checks OR f.cnt_$w <> d.cnt_$w"
    for f in sum mean max; do checks="$checks OR abs(f.${f}_$w - d.${f}_$w) > 1e-9 * greatest(1, abs(d.${f}_$w))"; done
  done
  verdict="$("$out/duckdb_query" "SET threads=$threads; WITH f AS (SELECT DISTINCT * FROM read_parquet('$out/floe.parquet')),
    d AS (SELECT DISTINCT * FROM read_parquet('$out/$ref.parquet'))
    SELECT count(*) || ' distinct rows, ' || count(*) FILTER (WHERE f.entity_id IS NULL OR d.entity_id IS NULL OR $checks) || ' mismatching'
    FROM f FULL OUTER JOIN d ON f.entity_id = d.entity_id AND f.event_time = d.event_time")"
  echo "floe vs $ref: $verdict"
fi
[ "${KEEP:-0}" = 1 ] || rm -f "$out"/{floe,base,polars,duckdb}.parquet
