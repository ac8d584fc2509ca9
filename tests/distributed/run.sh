#!/usr/bin/env bash
# The distributed backfill protocol across processes and languages (issue #11): a 30-day backfill is planned once,
# its tasks run in four separate OS processes (two Python, two Go, through the bindings, with no .NET runtime in their
# environment), one Go worker is killed with SIGKILL in the middle of a task and its unfinished tasks simply rerun,
# and the results commit once. The feature table must equal a single-process backfill's, row for row, and the
# distributed run must add exactly one snapshot.
# Usage: run.sh DIST_DIR PYTHON GO
set -euo pipefail
DIST="$1"; PYTHON="$2"; GO="$3"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/floe-distributed.XXXXXX")"
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
FLOE="$DIST/floe"
BARE=(env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8)
fail() { echo "FAIL: $*" >&2; exit 1; }

# The Go worker: FLOE_GO_WORKER when given (`cmake --build` builds it, see CMakeLists.txt), otherwise built here,
# offline, against the binding (FLOE_GOCACHE: a Go build cache to reuse).
if [[ -n "${FLOE_GO_WORKER:-}" ]]; then
  [[ -x "$FLOE_GO_WORKER" ]] || fail "FLOE_GO_WORKER=$FLOE_GO_WORKER is not an executable (cmake --build builds it)"
  GO_WORKER="$FLOE_GO_WORKER"
else
  GOHOME="$WORK/gohome"; mkdir -p "$GOHOME/tmp"
  (cd "$HERE/go" && "${BARE[@]}" HOME="$GOHOME" GOCACHE="${FLOE_GOCACHE:-$GOHOME/cache}" GOPATH="$GOHOME/path" GOPROXY=off GOFLAGS=-mod=mod \
    TMPDIR="$GOHOME/tmp" CGO_ENABLED=1 CGO_CFLAGS="-I$ROOT/native-abi/include" CGO_LDFLAGS="-L$DIST -Wl,-rpath,$DIST" \
    "$GO" build -o "$WORK/go-worker" .)
  GO_WORKER="$WORK/go-worker"
fi
PY=("${BARE[@]}" "FLOE_LIB=$DIST/libfloe.so" PYTHONPATH="$ROOT/bindings/python" PYTHONDONTWRITEBYTECODE=1 "$PYTHON" -B "$HERE/worker.py")

# One warehouse with 30 days of events: the distributed run writes features.dist_txn and the single-process reference
# features.single_txn from the same source table (a second warehouse ingested the same events again for nothing).
# 120k events (~119k feature rows) are plenty for the protocol; what is compared is every row, and the kill does not
# depend on how long a task takes (the killed worker never finishes its second one).
"$FLOE" generate events --rows 120000 --entities 3000 --days 30 --output "$WORK/events.csv" > /dev/null
"$FLOE" --warehouse "$WORK/dist" table create dist.events \
  --schema "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string" \
  --partition "day(event_time)" > /dev/null
"$FLOE" --warehouse "$WORK/dist" ingest dist.events "$WORK/events.csv" > /dev/null
definition() {
  cat <<JSON
{
  "name": "dist_txn", "version": 1, "entity": ["entity_id"], "timestamp": "event_time",
  "source": {"table": "dist.events"}, "output": {"table": "$1"}, "filter": "amount > 0",
  "features": [
    {"name": "txn_count_1h", "agg": "count", "window": "1h"},
    {"name": "amount_sum_7d", "agg": "sum", "column": "amount", "window": "7d"},
    {"name": "amount_max_1d", "agg": "max", "column": "amount", "window": "1d"},
    {"name": "avg_ticket_7d", "expr": "amount_sum_7d / txn_count_7d"},
    {"name": "txn_count_7d", "agg": "count", "window": "7d"}
  ]
}
JSON
}
definition features.dist_txn > "$WORK/def.json"
definition features.single_txn > "$WORK/def-single.json"
FROM=2024-01-01; TO=2024-01-31

# The reference: the same backfill in one process (the floe binary), before any worker has touched the warehouse.
"$FLOE" --warehouse "$WORK/dist" backfill "$WORK/def-single.json" --from $FROM --to $TO --code-version dist-test > /dev/null

# Plan (Python), which also writes one file per task.
mkdir -p "$WORK/tasks" "$WORK/results"
"${PY[@]}" plan "$WORK/dist" "$WORK/def.json" $FROM $TO "$WORK/plan.json" "$WORK/tasks"
TASKS=$(ls "$WORK/tasks" | wc -l)
[ "$TASKS" -eq 30 ] || fail "planned $TASKS tasks for 30 days"
# The task's number from its file name with parameter expansion: a basename and a cut per file cost more CPU than
# the rest of the shell script.
shard() { local f i; for f in "$WORK"/tasks/task-*.json; do i=${f##*/task-}; i=$((10#${i%.json})); if ((i % 4 == $1)); then echo "$f"; fi; done; }
# Snapshots of the output table before the run (none while it does not exist: no Python to count an error).
count_snapshots() { "$PYTHON" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
if listed=$("$FLOE" --warehouse "$WORK/dist" --json snapshots features.dist_txn 2>/dev/null); then
  BEFORE=$(count_snapshots <<< "$listed")
else
  BEFORE=0
fi

# Four workers at once: shards 0 and 2 in Python, 1 and 3 in Go; the Go worker of shard 1 is killed mid-task.
"${PY[@]}" execute "$WORK/dist" $(shard 0) "$WORK/results" & p0=$!
"${BARE[@]}" FLOE_TEST_STARTED="$WORK/started-1" "$GO_WORKER" "$WORK/dist" $(shard 1) "$WORK/results" & p1=$!
"${PY[@]}" execute "$WORK/dist" $(shard 2) "$WORK/results" & p2=$!
"${BARE[@]}" "$GO_WORKER" "$WORK/dist" $(shard 3) "$WORK/results" & p3=$!
second=$(shard 1 | sed -n 2p)
started=""
for _ in $(seq 2400); do
  # The worker writes the name without a newline: read's status says nothing, what it read does.
  if [ -f "$WORK/started-1" ]; then
    read -r started < "$WORK/started-1" || true
    if [ "$started" = "$second" ]; then break; fi
  fi
  sleep 0.05
done
[ "$started" = "$second" ] || fail "the Go worker of shard 1 never reached its second task"
kill -9 $p1
if wait $p1 2>/dev/null; then fail "the killed worker exited normally"; fi
wait $p0 || fail "Python worker 0 failed"
wait $p2 || fail "Python worker 2 failed"
wait $p3 || fail "Go worker 3 failed"
[ -f "$WORK/results/${second##*/}" ] && fail "the killed task left a result"

# Rerun whatever has no result (the killed task and any after it), in a fresh Go process.
missing=()
for f in "$WORK"/tasks/task-*.json; do [ -f "$WORK/results/${f##*/}" ] || missing+=("$f"); done
echo "rerunning ${#missing[@]} unfinished task(s): ${missing[*]##*/}"
[ ${#missing[@]} -ge 1 ] || fail "nothing to rerun after the kill"
"${BARE[@]}" "$GO_WORKER" "$WORK/dist" "${missing[@]}" "$WORK/results"

# One commit (Python).
"${PY[@]}" commit "$WORK/dist" "$WORK/plan.json" "$WORK/results" > "$WORK/commit.json"
AFTER=$("$FLOE" --warehouse "$WORK/dist" --json snapshots features.dist_txn | count_snapshots)
[ $((AFTER - BEFORE)) -eq 1 ] || fail "the distributed run added $((AFTER - BEFORE)) snapshots, expected 1"

"$FLOE" --warehouse "$WORK/dist" scan features.dist_txn --format csv | LC_ALL=C sort > "$WORK/dist.csv"
"$FLOE" --warehouse "$WORK/dist" scan features.single_txn --format csv | LC_ALL=C sort > "$WORK/single.csv"
rows=$(($(wc -l < "$WORK/dist.csv") - 1))
[ "$rows" -gt 100000 ] || fail "only $rows feature rows"
cmp -s "$WORK/dist.csv" "$WORK/single.csv" || { diff "$WORK/dist.csv" "$WORK/single.csv" | head -5; fail "distributed and single-process feature tables differ"; }
echo "PASS: 30 tasks in 4 processes (Python and Go), one killed and rerun, one commit; $rows rows equal a single-process backfill"
