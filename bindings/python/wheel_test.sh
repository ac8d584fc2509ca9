#!/usr/bin/env bash
# Installs the floe wheel into a fresh venv without any package index and runs an example against it from an
# empty folder, in a bare environment (no FLOE_LIB, no dotnet): the library must come from inside the package.
# Usage: wheel_test.sh WHEEL EXAMPLE TMPBASE
set -euo pipefail
wheel=$1 example=$2 base=$3
mkdir -p "$base"
work=$(mktemp -d "$base/wheel-XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --no-index --disable-pip-version-check --quiet "$wheel"
cp "$example" "$work/example.py"
cd "$work"
env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 "$work/venv/bin/python" example.py "$work/run" | tee "$work/out.txt"
site=$("$work/venv/bin/python" -c 'import os, sysconfig; print(os.path.realpath(sysconfig.get_paths()["purelib"]))')
grep -q "from $site/floe/libfloe.so" "$work/out.txt" || { echo "the library was not loaded from the installed package" >&2; exit 1; }
test -f "$site/floe/py.typed" || { echo "py.typed is missing from the installed package" >&2; exit 1; }
echo "wheel OK"
