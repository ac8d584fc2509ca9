#!/usr/bin/env bash
# Two builds' NUnit suites, interleaved (the order alternates each round), each run as its ctest runs it: the ctest's
# runtime settings (DOTNET_TieredCompilation=0, or DOTNET_TieredPGO=0 for the tiered suites; DOTNET_GCgen0size),
# TMPDIR in /dev/shm, FLOE_BIN/FLOE_CLI of that build, CI=true FLOE_REQUIRE_FIXTURES=1, Redis and PostgreSQL started
# as .ci/run starts them. Prints CPU (user+sys from /usr/bin/time), wall, test counts and the load average per run;
# each run's --output detailed log (every test with its time) stays in ${WORK:-/tmp/suite-pair}/<label>/.
#   [PYDIR=<folder of the python3 ctest puts first on PATH>] BASE=/work/main AFTER=/work/wt-x REPS=2 bash bench/ctest-cpu/suite_pair.sh Floe.Core.Tests Floe.Features.Tests ...
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
WORK="${WORK:-/tmp/suite-pair}"; mkdir -p "$WORK" /dev/shm/suite-pair-tmp
eval "$(sed -n '/^REDIS_PID=""/,/^# -* main/p' .ci/run | grep -v '^# -* main')"
log() { :; }
start_redis; start_postgres
trap 'stop_redis; stop_postgres' EXIT
export CI=true FLOE_REQUIRE_FIXTURES=1 DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 TESTINGPLATFORM_TELEMETRY_OPTOUT=1
for r in $(seq "${REPS:-2}"); do
  for s in "$@"; do
    if ((r % 2)); then order="base after"; else order="after base"; fi
    for v in $order; do
      root=$BASE; [[ $v == after ]] && root=$AFTER
      tier="DOTNET_TieredCompilation=0"; [[ $s == Floe.Features.Tests || $s == Floe.Iceberg.Tests ]] && tier="DOTNET_TieredPGO=0"
      mkdir -p "$WORK/$v"
      env ${PYDIR:+PATH=$PYDIR:$PATH} $tier DOTNET_GCgen0size=0x4000000 TMPDIR=/dev/shm/suite-pair-tmp FLOE_BIN="$root/build/dist/floe" FLOE_CLI="$root/build/dist/floe" \
        /usr/bin/time -f "%U %S %e" -o "$WORK/time" dotnet exec "$root/tests/$s/bin/Release/net10.0/$s.dll" --progress off --no-ansi \
        --output detailed --results-directory "$WORK/$v/results-$s" > "$WORK/$v/$s.log" 2>&1
      rc=$?
      read -r u sy e < <(tail -1 "$WORK/time")
      printf "%-26s %-5s cpu %6.2f (u %6.2f s %5.2f) wall %6.2f rc %d %s load %s\n" "$s" "$v" "$(echo "$u + $sy" | bc)" "$u" "$sy" "$e" "$rc" \
        "$(grep -E -o 'total: [0-9]+|failed: [0-9]+' "$WORK/$v/$s.log" | tr '\n' ' ')" "$(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
