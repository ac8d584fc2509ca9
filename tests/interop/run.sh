#!/usr/bin/env bash
# ctest entry point for the JavaScript interop tests: makes sure the pinned npm packages are installed (install.sh,
# which the build runs first), then runs every *.test.mjs in one node process (all.mjs).
# Exits 77 (ctest: skipped) with a clear message when node/npm are missing or too old, or the packages cannot be
# installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

skip() {
    echo "SKIPPED: $*" >&2
    exit 77
}

command -v node >/dev/null 2>&1 || skip "node is not installed (apt-get install nodejs npm); the icebird interop test needs it"
command -v npm >/dev/null 2>&1 || skip "npm is not installed (apt-get install npm); the icebird interop test needs it"
major="$(node --version)"  # vX.Y.Z, printed before the JavaScript engine starts
major="${major#v}"
major="${major%%.*}"
((major >= 18)) || skip "node $(node --version) is too old; the interop test needs node >= 18 (built-in test runner and fetch)"

# The build has installed the packages (install.sh); a tree built without npm, or an older node_modules, gets them here.
bash ./install.sh || skip "npm ci failed (is the npm registry reachable?)"

# all.mjs runs every *.test.mjs in one process, not one process per file as `node --test` does.
exec node --test-reporter=spec "$@" ./all.mjs
