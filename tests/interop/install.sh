#!/usr/bin/env bash
# Installs the interop tests' pinned npm packages (package-lock.json) when node_modules is missing or older than the
# lock file. The build runs it (CMakeLists.txt, which ignores its status), so a fresh clone's test run does not spend
# its time in npm (~4 s of wall in CI); run.sh runs it again and skips the test when it fails. Exits 1 when the
# packages are still not installed (no npm, or npm ci failed).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
[[ -f node_modules/.package-lock.json && ! package-lock.json -nt node_modules/.package-lock.json ]] && exit 0
command -v npm >/dev/null 2>&1 || exit 1
echo "npm ci (tests/interop)"
npm ci --no-audit --no-fund --loglevel=error
