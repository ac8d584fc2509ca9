"""The binding bench's Python driver. `backfill WAREHOUSE DEF FROM TO`: one backfill through the ABI. `calls WAREHOUSE`:
the per-call overhead of a trivial call and of an error round trip (a refused call + floe_last_error). One JSON line."""
import json
import sys
import time

from floe import FloeError, Warehouse, _ffi

mode, warehouse_dir = sys.argv[1], sys.argv[2]
begin = time.perf_counter()
with Warehouse(warehouse_dir) as wh:
    if mode == "backfill":
        definition, start, end = sys.argv[3:6]
        summary = wh.backfill(definition, start, end, code_version="bench")
        print(json.dumps({"driver": "python", "backfill_s": round(time.perf_counter() - begin, 3), "rows": summary.get("rows")}))
        sys.exit(0)
    n = 1_000_000
    t0 = time.perf_counter_ns()
    for _ in range(n):
        _ffi.floe_abi_version()
    trivial_ns = (time.perf_counter_ns() - t0) / n
    # An invalid identifier is refused before any catalog access: the cost is the call and the error path.
    m = 100_000
    t0 = time.perf_counter_ns()
    for _ in range(m):
        try:
            wh.describe(".bad")
        except FloeError:
            pass
    error_ns = (time.perf_counter_ns() - t0) / m
    print(json.dumps({"driver": "python", "trivial_call_ns": round(trivial_ns, 1), "error_round_trip_ns": round(error_ns, 1)}))
