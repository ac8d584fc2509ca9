#!/usr/bin/env python3
"""Independent Iceberg metadata inspector (Python standard library only, no Floe code).

Reads a table's metadata JSON, every snapshot's manifest list and every manifest (Avro object container files,
decoded here from the Avro specification), and checks them against the Iceberg spec. For format v3 it checks row
lineage: next-row-id, each snapshot's first-row-id and added-rows, the manifest lists' first_row_id (null for delete
manifests), data files' first_row_id after inheritance, id ranges that do not overlap within a snapshot and stay
below next-row-id, snapshots' ranges that do not overlap, next-row-id at the end of the newest range, and, for a
table created as v3 with its whole history kept, next-row-id == sum of added-rows.

usage: inspect_metadata.py METADATA_JSON [--expect-format N]     exit 0 = consistent, 1 = a violation (printed), 2 = usage
"""
import json
import os
import struct
import sys
import zlib
from urllib.parse import urlparse, unquote


class Violation(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Violation(message)


# ---- Avro object container files -------------------------------------------------------------------------------

class Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def read(self, n):
        if self.pos + n > len(self.data):
            raise Violation("truncated Avro data")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def long(self):
        shift = 0
        result = 0
        while True:
            b = self.read(1)[0]
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                break
        return (result >> 1) ^ -(result & 1)

    def bytes_(self):
        return self.read(self.long())

    def string(self):
        return self.bytes_().decode("utf-8")


def decode(schema, r, named):
    if isinstance(schema, str):
        if schema in named:
            return decode(named[schema], r, named)
        if schema == "null":
            return None
        if schema == "boolean":
            return r.read(1)[0] != 0
        if schema in ("int", "long"):
            return r.long()
        if schema == "float":
            return struct.unpack("<f", r.read(4))[0]
        if schema == "double":
            return struct.unpack("<d", r.read(8))[0]
        if schema == "bytes":
            return r.bytes_()
        if schema == "string":
            return r.string()
        raise Violation(f"unknown Avro type {schema}")
    if isinstance(schema, list):
        return decode(schema[r.long()], r, named)
    t = schema["type"]
    if t == "record":
        named[schema["name"]] = schema
        return {f["name"]: decode(f["type"], r, named) for f in schema["fields"]}
    if t == "array":
        items = []
        while True:
            n = r.long()
            if n == 0:
                return items
            if n < 0:
                n = -n
                r.long()
            for _ in range(n):
                items.append(decode(schema["items"], r, named))
    if t == "map":
        result = {}
        while True:
            n = r.long()
            if n == 0:
                return result
            if n < 0:
                n = -n
                r.long()
            for _ in range(n):
                k = r.string()
                result[k] = decode(schema["values"], r, named)
    if t == "fixed":
        named[schema["name"]] = schema
        return r.read(schema["size"])
    if t == "enum":
        return schema["symbols"][r.long()]
    return decode(t, r, named)


def read_avro(path):
    with open(path, "rb") as f:
        r = Reader(f.read())
    check(r.read(4) == b"Obj\x01", f"{path}: not an Avro object container file")
    meta = decode({"type": "map", "values": "bytes"}, r, {})
    sync = r.read(16)
    schema = json.loads(meta["avro.schema"])
    codec = meta.get("avro.codec", b"null").decode()
    records = []
    while r.pos < len(r.data):
        count = r.long()
        block = r.bytes_()
        if codec == "deflate":
            block = zlib.decompress(block, -15)
        elif codec != "null":
            raise Violation(f"{path}: codec {codec} not supported by the inspector")
        br = Reader(block)
        for _ in range(count):
            records.append(decode(schema, br, {}))
        check(r.read(16) == sync, f"{path}: sync marker mismatch")
    return schema, {k: v.decode("utf-8", "replace") for k, v in meta.items()}, records


def field_ids(schema):
    return {f["name"]: f.get("field-id") for f in schema["fields"]}


# ---- Iceberg -------------------------------------------------------------------------------------------------------

def local(location, table_location, root):
    """Maps a location under the table's location to the folder holding metadata/ (as a registered table is read)."""
    if location.startswith(table_location):
        return os.path.join(root, location[len(table_location):].lstrip("/"))
    parsed = urlparse(location)
    return unquote(parsed.path) if parsed.scheme in ("file", "") else location


def inspect(metadata_path, expect_format=None):
    with open(metadata_path) as f:
        m = json.load(f)
    root = os.path.dirname(os.path.dirname(os.path.abspath(metadata_path)))
    loc = m["location"].rstrip("/")
    v = m["format-version"]
    if expect_format is not None:
        check(v == expect_format, f"format-version {v}, expected {expect_format}")
    report = {"format-version": v, "snapshots": len(m.get("snapshots", [])), "data-files": 0}
    if v < 3:
        return report
    check("next-row-id" in m, "v3 metadata without next-row-id")
    next_row_id = m["next-row-id"]
    check(isinstance(next_row_id, int) and next_row_id >= 0, f"next-row-id {next_row_id!r} is not a non-negative long")
    snapshots = m.get("snapshots", [])
    lineage = [s for s in snapshots if s.get("first-row-id") is not None]
    for s in lineage:
        check(s.get("added-rows") is not None, f"snapshot {s['snapshot-id']} has first-row-id but no added-rows")
        check(s["first-row-id"] + s["added-rows"] <= next_row_id,
              f"snapshot {s['snapshot-id']} assigns ids up to {s['first-row-id'] + s['added-rows']}, beyond next-row-id {next_row_id}")
    spans = sorted((s["first-row-id"], s["first-row-id"] + s["added-rows"], s["snapshot-id"]) for s in lineage)
    for a, b in zip(spans, spans[1:]):
        check(b[0] >= a[1], f"snapshots {a[2]} and {b[2]} assign overlapping row ids")
    if spans:
        # Each commit moves next-row-id to its first-row-id + added-rows, so the newest range ends there.
        check(next_row_id == spans[-1][1], f"next-row-id {next_row_id} != end of the newest snapshot's ids {spans[-1][1]}")
    if len(lineage) == len(snapshots) and spans and spans[0][0] == 0 and all(b[0] == a[1] for a, b in zip(spans, spans[1:])):
        # A table written as v3 whose whole history is kept: the ids were handed out back to back from 0.
        total = sum(s["added-rows"] for s in snapshots)
        check(next_row_id == total, f"next-row-id {next_row_id} != sum of added-rows {total}")
    for s in snapshots:
        first = s.get("first-row-id")
        list_schema, list_meta, manifests = read_avro(local(s["manifest-list"], loc, root))
        if first is not None:
            # Snapshots from before an upgrade keep their v2 lists; every v3 one must be a v3 list.
            check(list_meta.get("format-version") == "3", f"manifest list of snapshot {s['snapshot-id']}: format-version {list_meta.get('format-version')}")
            check(field_ids(list_schema).get("first_row_id") == 520, f"manifest list of snapshot {s['snapshot-id']}: no first_row_id (520) field")
        ranges = []
        for mf in manifests:
            if mf["content"] == 1:
                check(mf.get("first_row_id") is None, f"{mf['manifest_path']}: delete manifest with a first_row_id")
                continue
            if first is None:
                check(mf.get("first_row_id") is None, f"{mf['manifest_path']}: first_row_id in a snapshot without first-row-id")
                continue
            check(mf["first_row_id"] is not None, f"{mf['manifest_path']}: data manifest without first_row_id in snapshot {s['snapshot-id']}")
            if mf["added_snapshot_id"] == s["snapshot-id"]:
                check(first <= mf["first_row_id"] and mf["first_row_id"] + mf["added_rows_count"] + mf["existing_rows_count"] <= first + s["added-rows"],
                      f"{mf['manifest_path']}: first_row_id {mf['first_row_id']} outside snapshot {s['snapshot-id']}'s range")
            entry_schema, _, entries = read_avro(local(mf["manifest_path"], loc, root))
            data_file = next(f["type"] for f in entry_schema["fields"] if f["name"] == "data_file")
            if mf["added_snapshot_id"] == s["snapshot-id"]:
                check(field_ids(data_file).get("first_row_id") == 142, f"{mf['manifest_path']}: data_file has no first_row_id (142) field")
            inherited = mf["first_row_id"]
            for e in entries:
                df = e["data_file"]
                fid = df.get("first_row_id")
                if fid is None:
                    # Spec "First Row ID Inheritance": the manifest's value plus the record counts of earlier null ones.
                    fid = inherited
                    inherited += df["record_count"]
                if e["status"] == 2:
                    continue
                ranges.append((fid, fid + df["record_count"], df["file_path"]))
        ranges.sort()
        for a, b in zip(ranges, ranges[1:]):
            check(b[0] >= a[1], f"snapshot {s['snapshot-id']}: row ids of {a[2]} and {b[2]} overlap")
        if ranges:
            check(ranges[-1][1] <= next_row_id, f"snapshot {s['snapshot-id']}: row id {ranges[-1][1] - 1} not below next-row-id {next_row_id}")
        if s.get("snapshot-id") == m.get("current-snapshot-id"):
            report["data-files"] = len(ranges)
    report["next-row-id"] = next_row_id
    return report


def main(argv):
    args = argv[1:]
    expect = None
    if "--expect-format" in args:
        i = args.index("--expect-format")
        expect = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    try:
        report = inspect(args[0], expect)
    except Violation as e:
        print(f"{args[0]}: {e}", file=sys.stderr)
        return 1
    print(json.dumps(report, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
