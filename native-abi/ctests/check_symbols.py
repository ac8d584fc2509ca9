#!/usr/bin/env python3
"""Checks that libfloe.so exports exactly the functions floe.h declares, in both directions.

A function declared but not exported breaks callers at link/load time; one exported but not declared is
surface nobody reviewed. Every exported *function* must also be named floe_*.
"""
import argparse
import re
import subprocess
import sys


def declared_functions(header_text):
    """Names of the functions floe.h declares, and those declared without FLOE_API."""
    text = re.sub(r"/\*.*?\*/", " ", header_text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    text = re.sub(r"\\\n", " ", text)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    names, missing_api = set(), set()
    # A declaration is a run of text up to ';' whose name is directly followed by '('. A function-pointer
    # typedef or member reads '(*name)(' instead and is skipped.
    for statement in text.split(";"):
        for match in re.finditer(r"(?<!\w)(floe_[a-z0-9_]+)\s*\(", statement):
            if re.search(r"\(\s*\*\s*$", statement[:match.start()]):
                continue
            names.add(match.group(1))
            if not re.search(r"\bFLOE_API\b", statement):
                missing_api.add(match.group(1))
    return names, missing_api


def exported_symbols(nm, library):
    """(functions, other symbols) exported by the library, without symbol versions."""
    output = subprocess.run([nm, "-D", "--defined-only", library], check=True, capture_output=True,
                            text=True).stdout
    functions, others = set(), set()
    for line in output.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        kind, name = parts[-2], parts[-1].split("@")[0]
        if kind in ("T", "t", "W", "i"):
            functions.add(name)
        elif kind != "A":
            others.add(name)
    return functions, others


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--header", required=True)
    parser.add_argument("--library", required=True)
    parser.add_argument("--nm", default="nm")
    args = parser.parse_args()

    with open(args.header, encoding="utf-8") as f:
        declared, missing_api = declared_functions(f.read())
    exported, others = exported_symbols(args.nm, args.library)

    problems = []
    for name in sorted(declared - exported):
        problems.append(f"declared in floe.h but not exported: {name}")
    for name in sorted(exported - declared):
        problems.append(f"exported but not declared in floe.h: {name}")
    for name in sorted(missing_api):
        problems.append(f"declared without FLOE_API: {name}")
    for name in sorted(n for n in exported if not n.startswith("floe_")):
        problems.append(f"exported function outside the floe_ namespace: {name}")

    print(f"floe.h declares {len(declared)} functions; {args.library} exports {len(exported)} "
          f"(+ data: {', '.join(sorted(others)) or 'none'})")
    for name in sorted(declared & exported):
        print(f"  ok {name}")
    for problem in problems:
        print(f"  FAIL {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
