#!/usr/bin/env bash
# The whole fast pass as .ci/run runs it (`ctest --test-dir BUILD --output-on-failure -LE 'stress|deep' -j2`), under
# /usr/bin/time: wall, CPU (user+sys of ctest and every test process it started), the load average before and after,
# and each ctest's wall time from ctest's log. Redis and PostgreSQL are started as .ci/run starts them (its functions),
# with CI=true FLOE_REQUIRE_FIXTURES=1.
# FASTPASS_EXCLUDE=stress measures the pass as it was before the deep label (valgrind, fuzz mutations) existed;
# FASTPASS_JOBS=N runs it with -jN instead of -j2.
#   bash bench/ctest-cpu/fastpass.sh [BUILD_DIR] [LABEL]     (logs: ${WORK:-/tmp/fastpass}/LABEL.*)
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$(pwd)"
BUILD="${1:-build}"; LABEL="${2:-run}"
WORK="${WORK:-/tmp/fastpass}"; mkdir -p "$WORK"
eval "$(sed -n '/^REDIS_PID=""/,/^# -* main/p' .ci/run | grep -v '^# -* main')"
log() { :; }
start_redis; start_postgres
trap 'stop_redis; stop_postgres' EXIT
export CI=true FLOE_REQUIRE_FIXTURES=1
load0="$(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "%e %U %S" -o "$WORK/$LABEL.time" ctest --test-dir "$BUILD" --output-on-failure -LE "${FASTPASS_EXCLUDE:-stress|deep}" "-j${FASTPASS_JOBS:-2}" > "$WORK/$LABEL.log" 2>&1
rc=$?
read -r e u s < <(tail -1 "$WORK/$LABEL.time")
cp "$BUILD/Testing/Temporary/LastTest.log" "$WORK/$LABEL.LastTest.log"
grep -E '^ *[0-9]+/[0-9]+ Test +#' "$WORK/$LABEL.log" | sed -E 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: ([^ ]+) [ .*]*(Passed|\*\*\*Failed|Failed|Not Run|\*\*\*Skipped|Skipped)?.* ([0-9.]+) sec$/\3 \1 \2/' \
  | sort -rn > "$WORK/$LABEL.tests"
printf "%s: wall %.1f s, cpu %.1f s (u %.1f s %.1f), rc %d, load %s -> %s, %s\n" "$LABEL" "$e" "$(echo "$u + $s" | bc)" "$u" "$s" "$rc" \
  "$load0" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(grep -E 'tests passed' "$WORK/$LABEL.log")"
