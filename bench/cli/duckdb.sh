# Sourced by the bench scripts: build_duckdb_query DIR compiles duckdb_query.c against the DuckDB.NET package's
# libduckdb.so into DIR/duckdb_query (rpath set, so it runs as is), or exits with why it cannot.
build_duckdb_query() {
  local libdir
  libdir="$(dirname "$(find "${NUGET_PACKAGES:-$HOME/.nuget/packages}/duckdb.net.bindings.full" -path '*linux-x64/native/libduckdb.so' | sort | tail -1)")"
  [ -f "$libdir/libduckdb.so" ] || { echo "libduckdb.so not found (dotnet restore bench/Floe.Benchmarks)" >&2; exit 2; }
  cc -O2 -o "$1/duckdb_query" "$(dirname "${BASH_SOURCE[0]}")/duckdb_query.c" -L"$libdir" -lduckdb -Wl,-rpath,"$libdir"
}
