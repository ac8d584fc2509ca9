#!/usr/bin/env bash
# The Floe demo on the embedded default: a local warehouse folder with the SQLite catalog.
# Usage: demo.sh [FLOE_BINARY] [WORK_DIR]   (defaults: build/dist/floe, ./demo-output)
set -euo pipefail
FLOE="${1:-build/dist/floe}"
WORK="${2:-demo-output}"
rm -rf "$WORK" && mkdir -p "$WORK"
WAREHOUSE="$WORK/warehouse"
floe() { "$FLOE" --warehouse "$WAREHOUSE" "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "generate one week of synthetic card transactions (200k events)"
floe generate events --rows 200000 --entities 5000 --days 7 --output "$WORK/events.csv"
head -3 "$WORK/events.csv"

step "create an Iceberg v2 table partitioned by day(event_time)"
floe table create demo.events \
  --schema "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string" \
  --partition "day(event_time)"

step "ingest the events (one atomic append, lineage recorded in the snapshot summary)"
floe ingest demo.events "$WORK/events.csv" --property floe.code-version=demo-v1
FIRST=$(floe snapshots demo.events --json | grep -m1 '"snapshot_id"' | tr -dc '0-9')

step "re-run day 2024-01-03 as a dynamic partition overwrite, twice (idempotent)"
floe scan demo.events --filter "event_time >= '2024-01-03T00:00:00Z' and event_time < '2024-01-04T00:00:00Z'" \
  --format csv --output "$WORK/day3.csv"
floe ingest demo.events "$WORK/day3.csv" --mode overwrite-partitions --property floe.code-version=demo-v2
floe ingest demo.events "$WORK/day3.csv" --mode overwrite-partitions --property floe.code-version=demo-v2
echo "rows now: $(floe scan demo.events --count)"

step "read with a filter (partition pruning) and a projection"
floe scan demo.events --columns entity_id,event_time,amount --filter "amount > 199.5 and event_time < '2024-01-02T00:00:00Z'" | head -5
floe scan demo.events --filter "event_time >= '2024-01-05T00:00:00Z'" --count --json

step "time travel to the first snapshot"
echo "rows at snapshot $FIRST: $(floe scan demo.events --snapshot "$FIRST" --count)"

step "compute point-in-time features from the table (same definition serves batch and streaming)"
cat > "$WORK/user_txn.json" <<'JSON'
{
  "name": "user_txn", "version": 1,
  "entity": ["entity_id"], "timestamp": "event_time",
  "source": {"table": "demo.events"},
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
floe features compute "$WORK/user_txn.json" --from 2024-01-05 --to 2024-01-07 --output "$WORK/features.csv"
head -4 "$WORK/features.csv"

step "table and history"
floe table show demo.events
floe snapshots demo.events

step "the files Floe wrote (readable by Spark, PyIceberg, DuckDB, ...)"
find "$WAREHOUSE/demo/events" -type f | sed "s#^$WAREHOUSE/##" | sort | head -20
