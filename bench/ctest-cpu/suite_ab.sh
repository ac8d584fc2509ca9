#!/usr/bin/env bash
# A/B of runtime settings (or of two builds) for NUnit suites, one process at a time, the order of the variants rotated
# from suite to suite: each run's CPU (user+sys from /usr/bin/time), wall, test counts and the load average.
#   VARIANTS="name=ENV=V,ENV2=V2 name2=... base=" SUITES="Floe.Parquet.Tests ..." [DIRS="name=FOLDER ..."] [REPS=n] \
#     bash bench/ctest-cpu/suite_ab.sh
# A variant runs tests/<suite>/bin/Release/net10.0/<suite>.dll, or <FOLDER>/<suite>/<suite>.dll when DIRS names a
# folder for it (a copy of the suites' bin folders from another build). Redis and PostgreSQL are started as .ci/run
# starts them (its functions), with CI=true FLOE_REQUIRE_FIXTURES=1; logs go to ${WORK:-/tmp/suite-ab}.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$(pwd)"
WORK="${WORK:-/tmp/suite-ab}"; mkdir -p "$WORK"
eval "$(sed -n '/^REDIS_PID=""/,/^# -* main/p' .ci/run | grep -v '^# -* main')"
log() { :; }
start_redis; start_postgres
trap 'stop_redis; stop_postgres' EXIT
export CI=true FLOE_REQUIRE_FIXTURES=1 FLOE_FIXTURES="${FLOE_FIXTURES:-$ROOT/../shared/fixtures}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 TESTINGPLATFORM_TELEMETRY_OPTOUT=1
export FLOE_BIN="$ROOT/build/dist/floe" FLOE_CLI="$ROOT/build/dist/floe"
read -ra vs <<< "$VARIANTS"
declare -A dirs=()
for d in ${DIRS:-}; do dirs[${d%%=*}]=${d#*=}; done
i=0
for rep in $(seq 1 "${REPS:-1}"); do
  for s in $SUITES; do
    n=${#vs[@]}
    for k in $(seq 0 $((n - 1))); do
      v=${vs[$(((k + i) % n))]}; name=${v%%=*}; envs=${v#*=}
      dll="tests/$s/bin/Release/net10.0/$s.dll"
      [[ -n "${dirs[$name]:-}" ]] && dll="${dirs[$name]}/$s/$s.dll"
      env ${envs//,/ } /usr/bin/time -f "%U %S %e" -o "$WORK/time" dotnet exec "$dll" --progress off --no-ansi --output detailed \
        --results-directory "$WORK/results/$s-$name" > "$WORK/$s-$name.log" 2>&1
      rc=$?
      read -r u sy e < <(tail -1 "$WORK/time")
      printf "%-28s %-10s cpu %6.2f (u %6.2f s %5.2f) wall %6.2f rc %d %s load %s\n" "$s" "$name" "$(echo "$u + $sy" | bc)" "$u" "$sy" "$e" "$rc" \
        "$(grep -E -o 'total: [0-9]+|failed: [0-9]+' "$WORK/$s-$name.log" | tr '\n' ' ')" "$(cut -d' ' -f1 /proc/loadavg)"
    done
    i=$((i + 1))
  done
done
