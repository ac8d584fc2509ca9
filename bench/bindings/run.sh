#!/usr/bin/env bash
# The bindings bench (issue #11): the same backfill driven by the floe binary and through the C ABI from Python
# (ctypes), Go (cgo) and the JVM (JNI), each on a fresh copy of one prepared warehouse; the per-call overhead of a
# trivial ABI call and of an error round trip in C and each binding; libfloe.so's size and the AOT binary's cold start.
# Needs the artefacts of `cmake --build build` (build/dist: floe, libfloe.so, floe.jar, libfloe_jni.so).
# Usage: bench/bindings/run.sh [ROWS] [REPEATS]   (defaults: 2000000 rows over 14 days, 3 runs per driver)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIST="${FLOE_DIST:-$ROOT/build/dist}"
ROWS="${1:-2000000}"
REPEATS="${2:-3}"
WORK="$(mktemp -d /tmp/floe-bindings-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
FLOE="$DIST/floe"
for f in floe libfloe.so floe.jar libfloe_jni.so; do
  [ -e "$DIST/$f" ] || { echo "missing $DIST/$f: run cmake --build build first" >&2; exit 1; }
done

echo "preparing $ROWS events over 14 days..." >&2
"$FLOE" generate events --rows "$ROWS" --entities 50000 --days 14 --output "$WORK/events.csv" > /dev/null
"$FLOE" --warehouse "$WORK/wh" table create bench.events \
  --schema "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string" \
  --partition "day(event_time)" > /dev/null
"$FLOE" --warehouse "$WORK/wh" ingest bench.events "$WORK/events.csv" > /dev/null
cat > "$WORK/def.json" <<'JSON'
{
  "name": "user_txn", "version": 1, "entity": ["entity_id"], "timestamp": "event_time",
  "source": {"table": "bench.events"}, "output": {"table": "features.user_txn"}, "filter": "amount > 0",
  "features": [
    {"name": "txn_count_1h", "agg": "count", "window": "1h"},
    {"name": "amount_sum_7d", "agg": "sum", "column": "amount", "window": "7d"},
    {"name": "amount_mean_1d", "agg": "mean", "column": "amount", "window": "1d"},
    {"name": "amount_max_1d", "agg": "max", "column": "amount", "window": "1d"},
    {"name": "txn_count_7d", "agg": "count", "window": "7d"},
    {"name": "avg_ticket_7d", "expr": "amount_sum_7d / txn_count_7d"}
  ]
}
JSON
# Tables record absolute locations, so every run restores the prepared warehouse at the same path.
cp -a "$WORK/wh" "$WORK/pristine"
FROM=2024-01-01; TO=2024-01-15

echo "building the drivers..." >&2
cc -O2 -I"$ROOT/native-abi/include" "$ROOT/bench/bindings/abi_calls.c" -L"$DIST" -l:libfloe.so.0 -Wl,-rpath,"$DIST" -o "$WORK/abi_calls"
mkdir -p "$WORK/go" "$WORK/java"
(cd "$ROOT/bench/bindings/go" && HOME="$WORK/go" GOCACHE="$WORK/go/cache" GOPATH="$WORK/go/path" GOPROXY=off GOFLAGS=-mod=mod \
  CGO_ENABLED=1 CGO_CFLAGS="-I$ROOT/native-abi/include" CGO_LDFLAGS="-L$DIST -Wl,-rpath,$DIST" go build -o "$WORK/gobench" .)
javac -d "$WORK/java" -cp "$DIST/floe.jar" "$ROOT/bench/bindings/java/BindingBench.java"

# Each run: a fresh copy of the prepared warehouse; wall time of the whole process (start, load, backfill, exit).
run() {
  local name="$1"; shift
  for i in $(seq "$REPEATS"); do
    rm -rf "$WORK/wh" && cp -a "$WORK/pristine" "$WORK/wh"
    local t0 t1 out
    t0=$(date +%s%N)
    out=$("$@" 2>"$WORK/err") || { cat "$WORK/err" >&2; exit 1; }
    out=${out//$'\n'/ }
    t1=$(date +%s%N)
    echo "{\"run\": \"$name\", \"process_s\": $(( (t1 - t0) / 1000000 ))e-3, \"out\": ${out:-null}}"
  done
}
BARE=(env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8)
{
  PY=("${BARE[@]}" "FLOE_LIB=$DIST/libfloe.so" PYTHONPATH="$ROOT/bindings/python" python3 -B "$ROOT/bench/bindings/backfill.py")
  JAVA=("${BARE[@]}" java -Dfloe.jni.library="$DIST/libfloe_jni.so" -cp "$DIST/floe.jar:$WORK/java" BindingBench)
  # Interleaved, so a slow phase of the machine hits every driver alike.
  for i in $(seq "$REPEATS"); do
    REPEATS=1 run binary "${BARE[@]}" "$FLOE" --warehouse "$WORK/wh" --json backfill "$WORK/def.json" --from $FROM --to $TO --code-version bench
    REPEATS=1 run python "${PY[@]}" backfill "$WORK/wh" "$WORK/def.json" $FROM $TO
    REPEATS=1 run go "${BARE[@]}" "$WORK/gobench" backfill "$WORK/wh" "$WORK/def.json" $FROM $TO
    REPEATS=1 run java "${JAVA[@]}" backfill "$WORK/wh" "$WORK/def.json" $FROM $TO
  done
  REPEATS=1 run c_calls "${BARE[@]}" "$WORK/abi_calls" "$WORK/wh"
  REPEATS=1 run python_calls "${PY[@]}" calls "$WORK/wh"
  REPEATS=1 run go_calls "${BARE[@]}" "$WORK/gobench" calls "$WORK/wh"
  REPEATS=1 run java_calls "${JAVA[@]}" calls "$WORK/wh"
} > "$WORK/results.jsonl"

# Cold start: the AOT binary answering --version, 20 times.
t0=$(date +%s%N); for i in $(seq 20); do "${BARE[@]}" "$FLOE" --version > /dev/null; done; t1=$(date +%s%N)
python3 - "$WORK/results.jsonl" "$(stat -L -c %s "$DIST/libfloe.so")" "$(stat -L -c %s "$FLOE")" "$(( (t1 - t0) / 20000 ))e-6" "$ROWS" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
lib_size, bin_size, cold, rows = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
by = {}
for r in runs: by.setdefault(r["run"], []).append(r)
base = statistics.median(r["process_s"] for r in by["binary"])
print(f"backfill of {rows:,} events (14 days, 6 features), median of {len(by['binary'])} runs, whole process:")
print("| driver | process s (start to exit) | vs floe binary | backfill call s (inside the process) | trivial call ns | error round trip ns |")
print("|---|---|---|---|---|---|")
def med(rs, k):
    v = [r["out"][k] for r in rs if isinstance(r.get("out"), dict) and k in r["out"]]
    return statistics.median(v) if v else None
fmt = lambda v, d=1: "–" if v is None else f"{v:.{d}f}"
for name, label in [("binary", "floe binary"), ("python", "Python (ctypes)"), ("go", "Go (cgo)"), ("java", "Java (JNI)"), ("c", "C (no binding)")]:
    rs, calls = by.get(name, []), by.get(name + "_calls", [])
    p = statistics.median(r["process_s"] for r in rs) if rs else None
    ratio = f"{(p / base - 1) * 100:+.1f}%" if rs and name != "binary" else "–"
    print(f"| {label} | {fmt(p, 2)} | {ratio} | {fmt(med(rs, 'backfill_s'), 2)} | {fmt(med(calls, 'trivial_call_ns'))} | {fmt(med(calls, 'error_round_trip_ns'))} |")
print(f"\nlibfloe.so: {lib_size / 2**20:.1f} MiB; floe: {bin_size / 2**20:.1f} MiB; floe --version cold start: {cold * 1000:.0f} ms (mean of 20)")
PY
