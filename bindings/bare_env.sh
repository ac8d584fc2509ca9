#!/bin/sh
# Runs "$@" in a bare environment (no dotnet, no DOTNET_ROOT), as a host would load the library, keeping only what
# the tests need from ctest's: the PostgreSQL server .ci/run started, and whether this is CI (then it is required).
exec env -i PATH=/usr/bin:/bin ${FLOE_POSTGRES_URL:+"FLOE_POSTGRES_URL=$FLOE_POSTGRES_URL"} ${CI:+"CI=$CI"} "$@"
