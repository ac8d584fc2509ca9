#!/usr/bin/env python3
"""Builds floe-<version>-py3-none-linux_x86_64.whl with the standard library only.

The wheel carries the floe package, py.typed and libfloe.so (the NativeAOT library, which needs no .NET runtime)
inside the package, where floe._ffi looks first. The tag is py3-none: the package is pure Python over ctypes, tied
to the platform only by the library it carries. Metadata (name, version, description, requires-python) is read
from pyproject.toml next to this file.

    build_wheel.py --library build/dist/libfloe.so --out build/dist
"""
import argparse
import base64
import hashlib
import os
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLATFORM_TAG = "linux_x86_64"
# Fixed time stamps make the wheel reproducible: the same inputs give the same bytes.
EPOCH = (1980, 1, 1, 0, 0, 0)


def project_metadata(pyproject):
    """name, version, description and requires-python from [project] (a flat read: no tomllib before 3.11)."""
    text = pyproject.read_text(encoding="utf-8")
    section = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, flags=re.M | re.S)
    if section is None:
        raise SystemExit(f"{pyproject}: no [project] table")
    values = {}
    for key in ("name", "version", "description", "requires-python"):
        match = re.search(rf'^{re.escape(key)}\s*=\s*"([^"]*)"', section.group(1), flags=re.M)
        if match is None:
            raise SystemExit(f"{pyproject}: [project] has no {key}")
        values[key] = match.group(1)
    return values


def record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{arcname},sha256={digest},{len(data)}"


def build(library, out_dir):
    meta = project_metadata(HERE / "pyproject.toml")
    name, version = meta["name"], meta["version"]
    dist_info = f"{name}-{version}.dist-info"
    files = []
    for path in sorted((HERE / "floe").rglob("*.py")):
        files.append((path.relative_to(HERE).as_posix(), path.read_bytes(), 0o644))
    files.append(("floe/py.typed", b"", 0o644))
    files.append(("floe/libfloe.so", Path(library).read_bytes(), 0o755))
    readme = HERE / "README.md"
    description = readme.read_text(encoding="utf-8") if readme.is_file() else meta["description"]
    metadata = (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: {meta['description']}\n"
                f"Requires-Python: {meta['requires-python']}\nProvides-Extra: arrow\n"
                f"Requires-Dist: pyarrow>=14; extra == \"arrow\"\n"
                f"Description-Content-Type: text/markdown\n\n{description}")
    wheel = ("Wheel-Version: 1.0\nGenerator: floe build_wheel.py\nRoot-Is-Purelib: false\n"
             f"Tag: py3-none-{PLATFORM_TAG}\n")
    files.append((f"{dist_info}/METADATA", metadata.encode("utf-8"), 0o644))
    files.append((f"{dist_info}/WHEEL", wheel.encode("utf-8"), 0o644))
    files.append((f"{dist_info}/top_level.txt", b"floe\n", 0o644))
    record = [record_line(arc, data) for arc, data, _ in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode("utf-8"), 0o644))

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{name}-{version}-py3-none-{PLATFORM_TAG}.whl"
    partial = target.with_suffix(".whl.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for arcname, data, mode in files:
            info = zipfile.ZipInfo(arcname, date_time=EPOCH)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    os.replace(partial, target)  # never leave a half-written wheel under the final name
    return target


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library", required=True, help="path of libfloe.so to bundle")
    parser.add_argument("--out", required=True, help="folder to write the wheel to")
    parser.add_argument("--expect-version", help="fail unless pyproject.toml has this version (CMake's)")
    args = parser.parse_args()
    version = project_metadata(HERE / "pyproject.toml")["version"]
    if args.expect_version and args.expect_version != version:
        raise SystemExit(f"pyproject.toml version {version} differs from the project's {args.expect_version}")
    if not Path(args.library).is_file():
        raise SystemExit(f"{args.library}: no such library (build the floe_native target first)")
    print(build(args.library, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
