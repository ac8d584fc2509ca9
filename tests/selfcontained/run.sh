#!/usr/bin/env bash
# Proves that a shipped artefact runs with nothing beside it: copies it alone into an empty temporary folder and
# runs it there in a bare environment (no dotnet on PATH, no DOTNET_ROOT, no LD_LIBRARY_PATH), watching the
# dynamic loader (LD_DEBUG=libs): SQLite must not be loaded from anywhere (it is linked in), and every library
# that is loaded must come from the system's /lib or /usr/lib, or be the artefact itself.
#
#   run.sh cli ARTEFACT                 floe --help, then table create / ingest / scan / count
#   run.sh lib ARTEFACT PYTHON BINDING  the Python binding (BINDING = bindings/python) loads libfloe.so from there
set -euo pipefail
mode="$1"
artefact="$2"
work="$(mktemp -d "${TMPDIR:-/tmp}/floe-selfcontained.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir "$work/alone"
cp -L "$artefact" "$work/alone/"
name="$(basename "$artefact")"
bare=(env -i "PATH=/usr/bin:/bin" "HOME=$work" "LD_DEBUG=libs" "LD_DEBUG_OUTPUT=$work/ld")

# A host interpreter's own libraries (e.g. a pyenv Python's libpython) are the host's business, not ours.
host_prefix="/nonexistent"

fail() { echo "FAIL: $*" >&2; exit 1; }

check_loader_log() {
    local log
    compgen -G "$work/ld.*" > /dev/null || fail "$1: the dynamic loader wrote no log"
    for log in "$work"/ld.*; do
        if grep -qi sqlite "$log"; then
            grep -i sqlite "$log" >&2
            fail "$1: the dynamic loader looked for SQLite (it must be linked into $name)"
        fi
        # "calling init: PATH" names each library as it is initialised.
        local path
        while read -r path; do
            case "$path" in
                /lib/*|/lib64/*|/usr/lib/*|/usr/lib64/*|"$work/alone/$name") ;;
                "$host_prefix"/*) ;;
                *) fail "$1: loaded $path, which is neither a system library nor $name" ;;
            esac
        done < <(sed -n 's/.*calling init: //p' "$log")
        rm -f "$log"
    done
}

if [[ "$(ls -A "$work/alone")" != "$name" ]]; then fail "the folder holds more than $name"; fi

case "$mode" in
cli)
    cd "$work"
    "${bare[@]}" ./alone/floe --help > help.txt
    grep -q "table" help.txt || fail "floe --help printed no commands"
    check_loader_log "floe --help"
    printf 'id,name\n1,alpha\n2,beta\n3,gamma\n' > rows.csv
    "${bare[@]}" ./alone/floe --warehouse wh table create db.t --schema "id:long not null,name:string"
    "${bare[@]}" ./alone/floe --warehouse wh ingest db.t rows.csv > /dev/null
    "${bare[@]}" ./alone/floe --warehouse wh scan db.t --format csv --filter "id >= 2" > scan.csv
    count="$("${bare[@]}" ./alone/floe --warehouse wh scan db.t --count)"
    check_loader_log "floe table create/ingest/scan"
    [[ "$count" == "3" ]] || fail "scan --count printed '$count', expected 3"
    sort scan.csv > scan.sorted
    printf '2,beta\n3,gamma\nid,name\n' > expected.sorted
    diff -u expected.sorted scan.sorted || fail "scan output differs"
    [[ -f wh/catalog.db ]] || fail "no catalog.db was written"
    ;;
lib)
    python="$3"
    binding="$4"
    host_prefix="$("$python" -c 'import sys; print(sys.base_prefix)')"
    cd "$work"
    printf 'id,name\n1,alpha\n2,beta\n3,gamma\n' > rows.csv
    "${bare[@]}" "FLOE_LIB=$work/alone/$name" "PYTHONPATH=$binding" PYTHONDONTWRITEBYTECODE=1 "$python" -B -c '
import floe
with floe.Warehouse("wh") as w:
    w.create_table("db.t", "id:long not null,name:string")
    assert w.ingest("db.t", "rows.csv")["rows"] == 3
    assert w.count("db.t", filter="id >= 2") == 2
    rows = sorted(w.scan_rows("db.t"), key=lambda r: r["id"])
    assert [r["name"] for r in rows] == ["alpha", "beta", "gamma"], rows
print("ok", floe.version())
' > python.txt
    grep -q '^ok ' python.txt || fail "the Python check printed: $(cat python.txt)"
    check_loader_log "python + $name"
    [[ -f wh/catalog.db ]] || fail "no catalog.db was written"
    ;;
*)
    fail "unknown mode $mode"
    ;;
esac
if [[ "$(ls -A "$work/alone")" != "$name" ]]; then fail "the run left files beside $name"; fi
echo "ok: $name ran alone in an empty folder ($mode)"
