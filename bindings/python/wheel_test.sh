#!/usr/bin/env bash
# Installs the floe wheel into a fresh venv without any package index and runs an example against it from an
# empty folder, in a bare environment (no FLOE_LIB, no dotnet): the library must come from inside the package.
# Usage: wheel_test.sh WHEEL EXAMPLE TMPBASE
set -euo pipefail
wheel=$1 example=$2 base=$3
mkdir -p "$base"
work=$(mktemp -d "$base/wheel-XXXXXX")
trap 'rm -rf "$work"' EXIT
# Where python3 has pip (22.3 or newer: --python), that pip installs into a venv made without one: bootstrapping pip
# into the venv (ensurepip) was most of this test's CPU. Otherwise the venv gets its own pip, as before. The version
# is read from pip's package without starting pip (`pip --python ... --version` cost ~1.2 CPU-s of the test).
# `pip --python VENV_PYTHON` starts pip only to run pip's __pip-runner__.py under VENV_PYTHON; the test runs that
# itself (~0.6 CPU-s less), with only the venv on PATH: pip's user agent ran lsb_release (a Python script), uname
# and rustc even for an install without an index.
if pip_dir=$(python3 -c 'import os, re, sys, pip
sys.exit(1) if tuple(map(int, re.findall(r"\d+", pip.__version__)[:2])) < (22, 3) else print(os.path.dirname(pip.__file__))' 2>/dev/null) \
        && [[ -f "$pip_dir/__pip-runner__.py" ]]; then
    python3 -m venv --without-pip "$work/venv"
    env PATH="$work/venv/bin" "$work/venv/bin/python" "$pip_dir/__pip-runner__.py" install --no-index --disable-pip-version-check --quiet "$wheel"
else
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --no-index --disable-pip-version-check --quiet "$wheel"
fi
cp "$example" "$work/example.py"
cd "$work"
env -i PATH=/usr/bin:/bin LC_ALL=C.UTF-8 "$work/venv/bin/python" example.py "$work/run" | tee "$work/out.txt"
site=$("$work/venv/bin/python" -c 'import os, sysconfig; print(os.path.realpath(sysconfig.get_paths()["purelib"]))')
grep -q "from $site/floe/libfloe.so" "$work/out.txt" || { echo "the library was not loaded from the installed package" >&2; exit 1; }
test -f "$site/floe/py.typed" || { echo "py.typed is missing from the installed package" >&2; exit 1; }
echo "wheel OK"
