#!/usr/bin/env bash
# Coverage-guided fuzzing of one Floe fuzz target with AFL++ and SharpFuzz (the longer run; see README.md).
#   tests/Floe.Fuzz/afl.sh TARGET [SECONDS] [WORKDIR]
# Needs: afl++ (apt-get install afl++) and the SharpFuzz instrumenter (dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0).
# Builds Floe.Fuzz, copies it to WORKDIR/bin, instruments the Floe assemblies there with SharpFuzz, and runs afl-fuzz
# from the committed corpus for SECONDS. Crashes land in WORKDIR/findings/TARGET/default/crashes; reproduce one with
#   dotnet WORKDIR/bin/Floe.Fuzz.dll replay TARGET FILE
set -euo pipefail
target="${1:?usage: afl.sh TARGET [SECONDS] [WORKDIR]}"
seconds="${2:-300}"
here="$(cd "$(dirname "$0")" && pwd)"
work="${3:-/tmp/floe-fuzz-afl}"
export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1
if [ ! -f "$work/bin/.instrumented" ]; then
  dotnet build "$here" -c Release -nodeReuse:false -p:UseSharedCompilation=false -o "$work/bin" >/dev/null
  for assembly in Floe.Core Floe.Avro Floe.Parquet Floe.Iceberg Floe.Formats Floe.Features Floe.Application libfloe; do
    sharpfuzz "$work/bin/$assembly.dll" >/dev/null
  done
  touch "$work/bin/.instrumented"
fi
mkdir -p "$work/findings"
# The target binary is .NET, not compiled by afl-cc: SharpFuzz reports coverage through AFL's shared memory itself.
# One core: the .NET target sizes its thread pool to one processor; pin the whole run with taskset to be strict.
export DOTNET_PROCESSOR_COUNT=1
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
exec afl-fuzz -i "$here/corpora/$target" -o "$work/findings/$target" -t 10000 -m none -V "$seconds" \
  -- "$work/bin/Floe.Fuzz" afl "$target"
