#!/usr/bin/env bash
# The Floe demo on the embedded default (a local warehouse folder with the SQLite catalog): the seed's story of a
# feature store. Generate events, backfill features with write-audit-publish, build a training set, fix the logic,
# catch a bad change in the audit, and rebuild the old training set byte for byte by time travel.
# Usage: demo.sh [FLOE_BINARY] [WORK_DIR]   (defaults: build/dist/floe, ./demo-output)
# FLOE_DEMO_ROWS sets how many events step 1 generates (default 200,000, as the README shows). The ctest runs every
# step on 50,000: each step still has every day, entity and check to work on, and the fast pass is CPU-bound.
set -euo pipefail
FLOE="${1:-build/dist/floe}"
ROWS="${FLOE_DEMO_ROWS:-200000}"
WORK="${2:-demo-output}"
rm -rf "$WORK" && mkdir -p "$WORK"
WAREHOUSE="$WORK/warehouse"
floe() { "$FLOE" --warehouse "$WAREHOUSE" "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. events: one week of synthetic card transactions into a day-partitioned Iceberg table"
floe generate events --rows "$ROWS" --entities 5000 --days 7 --output "$WORK/events.csv"
floe table create demo.events \
  --schema "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string" \
  --partition "day(event_time)" > /dev/null
floe ingest demo.events "$WORK/events.csv"
echo "rows: $(floe scan demo.events --count)"

step "2. a feature group: one declarative definition serves backfills, training sets and streaming"
cat > "$WORK/user_txn.json" <<'JSON'
{
  "name": "user_txn", "version": 1,
  "entity": ["entity_id"], "timestamp": "event_time",
  "source": {"table": "demo.events"},
  "output": {"table": "features.user_txn"},
  "filter": "amount > 0",
  "features": [
    {"name": "txn_count_1h",   "agg": "count", "window": "1h"},
    {"name": "amount_sum_7d",  "agg": "sum",  "column": "amount", "window": "7d"},
    {"name": "amount_mean_1d", "agg": "mean", "column": "amount", "window": "1d"},
    {"name": "amount_max_1d",  "agg": "max",  "column": "amount", "window": "1d"},
    {"name": "txn_count_7d",   "agg": "count", "window": "7d"},
    {"name": "avg_ticket_7d",  "expr": "amount_sum_7d / txn_count_7d"}
  ]
}
JSON
floe features validate "$WORK/user_txn.json"

step "3. write: backfill logic v1 into a staging branch (idempotent per day, lineage in the snapshot)"
floe backfill "$WORK/user_txn.json" --from 2024-01-01 --to 2024-01-08 --code-version logic-v1 --wap

step "4. audit the staging branch against main, then publish"
floe audit features.user_txn --branch wap-user_txn --report "$WORK/reports"
floe publish features.user_txn --branch wap-user_txn
floe tag create features.user_txn model-v1 > /dev/null
floe lineage features.user_txn | head -12

step "5. a point-in-time-correct training set for model v1 (features never from after the label time)"
python3 - "$WORK/spine.csv" <<'PY'
import random, sys
random.seed(7)
with open(sys.argv[1], "w") as f:
    f.write("entity_id,ts,label\n")
    for _ in range(20000):
        f.write(f"{random.randrange(5000)},2024-01-{random.randint(2, 7):02d}T{random.randrange(24):02d}:{random.randrange(60):02d}:00Z,{random.randint(0, 1)}\n")
PY
floe training-set --spine "$WORK/spine.csv" --features "$WORK/user_txn.json" --output "$WORK/train-v1.parquet"
cp "$WORK/train-v1.parquet" "$WORK/train-v1-then.parquet"

step "6. a change with a unit bug (amount in cents) is caught by the audit; main is untouched"
sed 's/"column": "amount", "window": "7d"/"column": "amount * 100", "window": "7d"/' "$WORK/user_txn.json" > "$WORK/user_txn_bug.json"
floe backfill "$WORK/user_txn_bug.json" --from 2024-01-01 --to 2024-01-08 --code-version logic-v2-bug --wap > /dev/null
if floe audit features.user_txn --branch wap-user_txn --report "$WORK/reports"; then
  echo "unexpected: the audit passed" >&2; exit 1
fi
if floe publish features.user_txn --branch wap-user_txn; then
  echo "unexpected: publish went through" >&2; exit 1
fi

step "7. the fix (logic v2: mean over 2 days) passes the audit and is published"
sed 's/"name": "amount_mean_1d", "agg": "mean", "column": "amount", "window": "1d"/"name": "amount_mean_1d", "agg": "mean", "column": "amount", "window": "2d"/' \
  "$WORK/user_txn.json" > "$WORK/user_txn_v2.json"
floe branch drop features.user_txn wap-user_txn > /dev/null
floe backfill "$WORK/user_txn_v2.json" --from 2024-01-01 --to 2024-01-08 --code-version logic-v2 --wap > /dev/null
floe audit features.user_txn --branch wap-user_txn --rules <(printf 'psi_max: 0.5\nks_max: 0.5\n') | head -3
floe publish features.user_txn --branch wap-user_txn

step "8. time travel: the model-v1 training set, rebuilt today from the tag, is byte-for-byte the one built then"
floe training-set --spine "$WORK/spine.csv" --features "$WORK/user_txn.json" --tag model-v1 --output "$WORK/train-v1-again.parquet"
cmp "$WORK/train-v1-then.parquet" "$WORK/train-v1-again.parquet" && echo "identical: $(sha256sum < "$WORK/train-v1-again.parquet" | cut -c1-16)…"
floe training-set --spine "$WORK/spine.csv" --features "$WORK/user_txn.json" --output "$WORK/train-v2.parquet"
cmp -s "$WORK/train-v1-then.parquet" "$WORK/train-v2.parquet" || echo "and today's (logic v2) differs, as it should"

step "9. online: a private redis-server; materialize the feature table, read it back, prove Redis equals Iceberg"
REDIS_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --daemonize yes --pidfile "$WORK/redis.pid" > /dev/null
trap 'kill "$(cat "$WORK/redis.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping > /dev/null 2>&1 && break; sleep 0.1; done
export FLOE_REDIS="127.0.0.1:$REDIS_PORT"
floe materialize "$WORK/user_txn.json"
floe get "$WORK/user_txn.json" 1 2
floe consistency-check "$WORK/user_txn.json" --sample 1000

step "10. streaming: new events land in the raw table and their features go straight to Redis"
printf '%s\n' \
  '{"entity_id": 1, "event_time": "2024-01-08T00:05:00Z", "amount": 12.5, "category": "food"}' \
  '{"entity_id": 1, "event_time": "2024-01-08T00:20:00Z", "amount": 30.0, "category": "travel"}' \
  'not json' \
  | floe stream "$WORK/user_txn.json" --source - --dead-letter "$WORK/dead-letter.jsonl"
cat "$WORK/dead-letter.jsonl"
floe get "$WORK/user_txn.json" 1

step "11. the operating loop: backfill recent days from the raw table, re-sync Redis, check"
floe backfill "$WORK/user_txn_v2.json" --from 2024-01-07 --to 2024-01-09 --code-version logic-v2 > /dev/null
floe materialize "$WORK/user_txn_v2.json"
floe consistency-check "$WORK/user_txn_v2.json" --sample 1000

step "12. history"
floe snapshots features.user_txn
echo "audit report: $(ls "$WORK"/reports/*.html | head -1)"
