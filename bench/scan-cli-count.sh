#!/bin/bash
# Whole-process timings: floe scan --count (JIT dll, main's AOT binary) vs a DuckDB.NET process, same files.
# Run from the repository root after scan-filter has built the warehouse; DOTNET_PROCESSOR_COUNT sets threads.
WH=${WH:-/tmp/scanlate-bench/wh-10000000}
JIT=${JIT:-engine/Floe.Cli/bin/Release/net10.0/floe.dll}
AOT=${AOT:-build/dist/floe}
BENCH=${BENCH:-bench/Floe.Benchmarks/bin/Release/net10.0/Floe.Benchmarks.dll}
F="amount > 100"
t() { local name=$1; shift; for i in 1 2 3 4 5; do /usr/bin/time -f "$name %e s wall %U+%S s cpu" "$@" 2>&1 >${TMPDIR:-/tmp}/scan-cli-count.out | tail -1; cat ${TMPDIR:-/tmp}/scan-cli-count.out | tr '\n' ' '; echo; done; }
uptime
t "floe-jit" dotnet $JIT --warehouse $WH scan bench.events --filter "$F" --count
[ -x $AOT ] && t "floe-aot" $AOT --warehouse $WH scan bench.events --filter "$F" --count
t "duckdb.net-process" dotnet $BENCH scan-count-duckdb --dir $WH/bench --filter "$F"
t "floe-jit --version" dotnet $JIT --version
uptime
