"""Warehouse: a folder holding a catalog and its Iceberg tables."""
import ctypes
import json
import os

from . import _arrow, _capsule, _ffi
from ._errors import FloeError, InvalidHandleError, check


def _take_text(buf):
    """Decodes a filled floe_buf as UTF-8 and frees it."""
    try:
        return ctypes.string_at(buf.data, buf.len).decode("utf-8")
    finally:
        _ffi.floe_buf_free(ctypes.byref(buf))


def _text(value):
    """A str (or None) as UTF-8 bytes for a const char* argument."""
    return None if value is None else value.encode("utf-8")


class Warehouse:
    """An open warehouse. Close it (or use `with`); it is safe to share between threads."""

    def __init__(self, path, catalog=None, token=None):
        """Opens the warehouse folder `path`; `catalog` is a catalog URI as `floe --catalog` takes ("sqlite:PATH",
        "postgresql://user@host:port/db", "http(s)://host:port" for an Iceberg REST catalog, with `token` its bearer
        token); None uses the folder's own catalog.db."""
        encoded = os.fsencode(path) if isinstance(path, os.PathLike) else path
        if isinstance(encoded, str):
            encoded = encoded.encode("utf-8")
        handle = _ffi.floe_warehouse_p()
        if catalog is None and token is None:
            check(_ffi.floe_warehouse_open(ctypes.byref(handle), encoded))
        else:
            check(_ffi.floe_warehouse_open_catalog(ctypes.byref(handle), encoded, _text(catalog), _text(token)))
        self._handle = handle

    @property
    def path(self):
        """The warehouse's absolute folder."""
        buf = _ffi.floe_buf()
        check(_ffi.floe_warehouse_path(ctypes.byref(buf), self._live()))
        return _take_text(buf)

    def create_table(self, name, schema, partition=None, properties=None):
        """Creates a table; schema is "name:type[ not null],...", partition e.g. "day(ts)".

        properties: table properties as a dict of strings, e.g. {"format-version": "3"} for a format-v3 table
        (row lineage) or {"write.delete.mode": "merge-on-read"}; without them the table is format v2.
        """
        if properties is None:
            check(_ffi.floe_table_create(self._live(), _text(name), _text(schema), _text(partition)))
        else:
            check(_ffi.floe_table_create_with_properties(self._live(), _text(name), _text(schema), _text(partition),
                                                         json.dumps(properties).encode("utf-8")))

    def upgrade_table(self, name, format_version=3):
        """Upgrades the table's format version in one commit (v2 to v3 starts row lineage); returns its description."""
        return self._json(_ffi.floe_table_upgrade, _text(name), ctypes.c_int(format_version))

    def describe(self, name):
        """The table as a dict (the JSON of `floe table show --json`)."""
        return self._json(_ffi.floe_table_describe, _text(name))

    def tables(self):
        """The names of the warehouse's tables."""
        return self._json(_ffi.floe_table_list)

    def ingest(self, table, path, mode="append", branch=None, properties=None):
        """Loads a CSV or Parquet file in one commit; mode "append" or "overwrite-partitions".
        Returns the commit as a dict: snapshot_id, operation, rows, files, summary."""
        modes = {"append": _ffi.FLOE_INGEST_APPEND, "overwrite-partitions": _ffi.FLOE_INGEST_OVERWRITE_PARTITIONS}
        if mode not in modes:
            raise ValueError(f"mode must be one of {sorted(modes)}, not {mode!r}")
        options = _ffi.FLOE_INGEST_OPTIONS_INIT()
        options.mode = modes[mode]
        options.branch = _text(branch)
        options.properties_json = None if properties is None else json.dumps(properties).encode("utf-8")
        return self._json(_ffi.floe_ingest_file, _text(table), _text(os.fspath(path)), ctypes.byref(options))

    def snapshots(self, table):
        """The table's snapshots, oldest first, as dicts (the JSON of `floe snapshots --json`)."""
        return self._json(_ffi.floe_table_snapshots, _text(table))

    def count(self, table, filter=None):
        """The number of rows main holds, matching `filter` when given."""
        out = ctypes.c_int64()
        check(_ffi.floe_scan_count(ctypes.byref(out), self._live(), _text(table), _text(filter)))
        return out.value

    def aggregate(self, table, aggregates, filter=None):
        """Ungrouped aggregates, e.g. "count(*),sum(amount),max(event_time)", over the rows main holds (matching
        `filter` when given), as `floe scan --agg ... --json`: {"aggregates": [{"name", "type", "value"}], ...}."""
        return self._json(_ffi.floe_scan_aggregate, _text(table), _text(aggregates), _text(filter))

    def scan(self, table, columns=None, filter=None, ref=None, snapshot_id=None, as_of=None):
        """A lazy scan: implements the Arrow PyCapsule protocol (`__arrow_c_stream__`, so pyarrow, polars, duckdb
        and floe's own ingest_arrow read it without copies) and `to_pylist()` without any dependency."""
        return ScanResult(self, table, columns=columns, filter=filter, ref=ref, snapshot_id=snapshot_id, as_of=as_of)

    def _open_stream(self, table, columns=None, filter=None, ref=None, snapshot_id=None, as_of=None):
        options = _ffi.FLOE_SCAN_OPTIONS_INIT()
        options.snapshot_id = snapshot_id or 0
        options.ref = _text(ref)
        options.as_of = _text(as_of)
        options.columns = _text(",".join(columns) if isinstance(columns, (list, tuple)) else columns)
        options.filter = _text(filter)
        stream = _ffi.ArrowArrayStream()
        check(_ffi.floe_table_scan(ctypes.byref(stream), self._live(), _text(table), ctypes.byref(options)))
        return stream

    def ingest_arrow(self, table, data, mode="append", branch=None, properties=None):
        """Loads Arrow data in one commit: `data` is any object with `__arrow_c_stream__` (a pyarrow Table or
        RecordBatchReader, a floe scan, ...) or such a capsule, with the table's columns in order. mode "append" or
        "overwrite-partitions" (replaces exactly the partitions the data touches). Returns the commit dict."""
        modes = {"append": _ffi.FLOE_INGEST_APPEND, "overwrite-partitions": _ffi.FLOE_INGEST_OVERWRITE_PARTITIONS}
        if mode not in modes:
            raise ValueError(f"mode must be one of {sorted(modes)}, not {mode!r}")
        capsule = data.__arrow_c_stream__() if hasattr(data, "__arrow_c_stream__") else data
        pointer = _capsule.stream_pointer(capsule)
        options = _ffi.FLOE_INGEST_OPTIONS_INIT()
        options.mode = modes[mode]
        options.branch = _text(branch)
        options.properties_json = None if properties is None else json.dumps(properties).encode("utf-8")
        # floe_ingest_arrow moves the stream out of the capsule; the capsule's destructor then finds it released.
        return self._json(_ffi.floe_ingest_arrow, _text(table), pointer, ctypes.byref(options))

    def scan_rows(self, table, columns=None, filter=None, ref=None, snapshot_id=None, as_of=None):
        """Reads a table through its Arrow C stream into a list of dicts. Decodes int64/int32/double/float/utf8/
        bool and timestamp[us] (as epoch microseconds); other types raise UnsupportedError."""
        options = _ffi.FLOE_SCAN_OPTIONS_INIT()
        options.snapshot_id = snapshot_id or 0
        options.ref = _text(ref)
        options.as_of = _text(as_of)
        options.columns = _text(",".join(columns) if isinstance(columns, (list, tuple)) else columns)
        options.filter = _text(filter)
        stream = _ffi.ArrowArrayStream()
        check(_ffi.floe_table_scan(ctypes.byref(stream), self._live(), _text(table), ctypes.byref(options)))
        try:
            return _arrow.read_rows(stream)
        finally:
            if stream.release:
                stream.release(ctypes.byref(stream))

    def create_branch(self, table, name, from_ref=None):
        """Creates a branch at `from_ref` (a branch, tag or snapshot id; default main's head)."""
        check(_ffi.floe_branch_create(self._live(), _text(table), _text(name),
                                      _text(None if from_ref is None else str(from_ref))))

    def fast_forward(self, table, branch, to):
        """Moves `branch` to `to`'s snapshot when its head is an ancestor (the publish step of WAP)."""
        check(_ffi.floe_branch_fast_forward(self._live(), _text(table), _text(branch), _text(str(to))))

    def check_table(self, table, all_snapshots=False):
        """Loads a table and verifies the files its current (or every) snapshot references; returns the report dict
        (`healthy`, `files_checked`, `problems`). A broken table is a report, not an exception."""
        return self._json(_ffi.floe_table_check, _text(table), 1 if all_snapshots else 0)

    def drop_table(self, table, purge=False, delete_registered_files=False):
        """Drops a table; with purge also deletes exactly the files its metadata references (for a registered
        table only with delete_registered_files). Returns the drop report dict."""
        return self._json(_ffi.floe_table_drop, _text(table), 1 if purge else 0, 1 if delete_registered_files else 0)

    def register_table(self, name, metadata_file, location_map=None):
        """Registers an existing Iceberg table by its metadata file; location_map maps recorded location prefixes
        to where the files are now. Returns the table description dict."""
        mapping = None if location_map is None else json.dumps(dict(location_map)).encode("utf-8")
        return self._json(_ffi.floe_table_register, _text(name), _text(os.fspath(metadata_file)), mapping)

    def delete(self, table, filter, branch=None):
        """Deletes the data files whose rows all match `filter` (whole partitions) in one snapshot, as
        `floe delete`; returns {"snapshot_id", "deleted_files", "summary"}."""
        return self._json(_ffi.floe_table_delete, _text(table), _text(filter), _text(branch))

    def forget(self, key, value, tables=None, dry_run=False, reason=None):
        """Deletes one entity's rows (column `key` = `value`) from every table with that column, or from `tables`
        (a list of names), one snapshot per table with `reason` in its summary, as `floe forget --json`; returns
        {"dry_run", "tables": [{"table", "snapshot_id", "deleted_rows"}]}."""
        listed = None if tables is None else ",".join(tables)
        return self._json(_ffi.floe_table_forget, _text(key), _text(str(value)), _text(listed),
                          ctypes.c_int(1 if dry_run else 0), _text(reason))

    def expire_snapshots(self, table, older_than=None, retain_last=None, dry_run=False, delete_registered_files=False):
        """Expires snapshots older than `older_than` (ISO-8601 or epoch ms) and/or beyond the newest `retain_last`
        per branch; returns the report dict."""
        return self._json(_ffi.floe_maintenance_expire_snapshots, _text(table),
                          _text(None if older_than is None else str(older_than)),
                          retain_last or 0, 1 if dry_run else 0, 1 if delete_registered_files else 0)

    def remove_orphans(self, table, older_than=None, dry_run=False, delete_registered_files=False):
        """Deletes unreferenced files under the table location older than `older_than` (default 3 days ago)."""
        return self._json(_ffi.floe_maintenance_remove_orphans, _text(table),
                          _text(None if older_than is None else str(older_than)), 1 if dry_run else 0,
                          1 if delete_registered_files else 0)

    def compact(self, table, filter=None, target_file_size_bytes=None, min_file_size_bytes=None, min_input_files=None):
        """Rewrites small data files without changing any row; returns the report dict."""
        return self._json(_ffi.floe_maintenance_compact, _text(table), _text(filter), target_file_size_bytes or 0,
                          min_file_size_bytes or 0, min_input_files or 0)

    def create_tag(self, table, name, from_ref=None):
        """Creates tag `name` at `from_ref` (default main's head); returns the ref dict."""
        return self._json(_ffi.floe_tag_create, _text(table), _text(name),
                          _text(None if from_ref is None else str(from_ref)))

    def replace_branch(self, table, name, to):
        """Points existing branch `name` at `to` (no ancestry check); returns the ref dict."""
        return self._json(_ffi.floe_branch_replace, _text(table), _text(name), _text(str(to)))

    def replace_tag(self, table, name, to):
        """Points existing tag `name` at `to`; returns the ref dict."""
        return self._json(_ffi.floe_tag_replace, _text(table), _text(name), _text(str(to)))

    def drop_ref(self, table, name, kind="branch"):
        """Drops a branch (never main) or, with kind="tag", a tag."""
        kinds = {"branch": _ffi.FLOE_REF_BRANCH, "tag": _ffi.FLOE_REF_TAG}
        if kind not in kinds:
            raise ValueError(f"kind must be one of {sorted(kinds)}, not {kind!r}")
        check(_ffi.floe_ref_drop(self._live(), _text(table), _text(name), kinds[kind]))

    def cherry_pick(self, table, snapshot_id, branch=None):
        """Applies one snapshot's changes onto `branch` (default main); returns the new snapshot dict."""
        return self._json(_ffi.floe_branch_cherry_pick, _text(table), int(snapshot_id), _text(branch))

    def backfill(self, definition, start, end, *, source=None, code_version=None, branch=None, wap=False,
                 commit_every=0, max_memory=None, resume=True, progress=None):
        """Computes a feature group for the days in [start, end) (dates or "YYYY-MM-DD" strings, UTC) and replaces
        those days of its feature table atomically; with wap=True it commits to `branch` (default
        "wap-<name>"), never to main. `progress(days_done, days_total, rows)` is called on this thread after
        each day and commit; returning True cancels the run (CancelledError, nothing more committed), and an
        exception it raises cancels the run and is re-raised. Returns the summary dict of
        `floe backfill --json`."""
        request = {"definition": os.fspath(definition), "from": str(start), "to": str(end), "source": source,
                   "code_version": code_version, "branch": branch, "wap": wap, "commit_every": commit_every,
                   "max_memory": max_memory, "resume": resume}
        encoded = json.dumps({k: v for k, v in request.items() if v is not None}).encode("utf-8")
        if progress is None:
            return self._json(_ffi.floe_backfill_run, encoded, _ffi.floe_progress_fn(), None)
        raised = []

        def on_progress(days_done, days_total, rows, _payload):
            try:
                return 1 if progress(days_done, days_total, rows) else 0
            except BaseException as e:  # an exception must not unwind through the C frames: stop and re-raise
                raised.append(e)
                return 1

        callback = _ffi.floe_progress_fn(on_progress)
        try:
            return self._json(_ffi.floe_backfill_run, encoded, callback, None)
        except FloeError:
            if raised:
                raise raised[0] from None
            raise

    def backfill_plan(self, definition, start, end, *, source=None, code_version=None, branch=None, wap=False):
        """Plans a backfill as one task per day (the distributed protocol; `floe backfill --plan`): returns the plan
        dict, whose "tasks" any process can run with execute_task; commit their results with commit_tasks."""
        request = {"definition": os.fspath(definition), "from": str(start), "to": str(end), "source": source,
                   "code_version": code_version, "branch": branch, "wap": wap}
        encoded = json.dumps({k: v for k, v in request.items() if v is not None}).encode("utf-8")
        return self._json(_ffi.floe_backfill_plan, encoded)

    def execute_task(self, task):
        """Runs one task of a plan (a dict from its "tasks"): writes its data files, commits nothing, returns the
        result dict for commit_tasks."""
        return self._json(_ffi.floe_task_execute, json.dumps(task).encode("utf-8"))

    def commit_tasks(self, plan, results):
        """Commits one result per planned day as one snapshot; returns the summary dict of `floe backfill --json`."""
        return self._json(_ffi.floe_tasks_commit, json.dumps(plan).encode("utf-8"), json.dumps(list(results)).encode("utf-8"))

    def lineage(self, table, snapshot_id=None, ref=None, as_of=None):
        """Per partition, the snapshot that last wrote it and its definition, code version and source (the dict
        of `floe lineage --json`); at main's head unless a snapshot id, ref or as-of time is given."""
        selector = {k: v for k, v in {"snapshot_id": snapshot_id, "ref": ref, "as_of": as_of}.items() if v is not None}
        return self._json(_ffi.floe_lineage_describe, _text(table),
                          json.dumps(selector).encode("utf-8") if selector else None)

    def audit(self, table, branch, rules=None, report_dir=None, key_columns=None):
        """Audits a staging branch against main; returns the result dict of `floe audit --json`, whose "passed"
        is the verdict (a failed audit does not raise)."""
        options = {"rules": None if rules is None else os.fspath(rules),
                   "report_dir": None if report_dir is None else os.fspath(report_dir),
                   "key_columns": None if key_columns is None else list(key_columns)}
        options = {k: v for k, v in options.items() if v is not None}
        return self._json(_ffi.floe_audit_run, _text(table), _text(branch),
                          json.dumps(options).encode("utf-8") if options else None)

    def publish(self, table, branch):
        """Fast-forwards main to the audited branch's head; raises ValidationError when no passing audit covers
        it. Returns {"table", "branch", "snapshot_id", "previous_main_snapshot_id"}."""
        return self._json(_ffi.floe_publish_run, _text(table), _text(branch))

    def training_set(self, spine, features, output, *, spine_time=None, as_of=None, snapshot=None, tag=None,
                     max_age=None):
        """Joins the latest feature values at or before each spine row's time onto the spine and writes `output`
        (.parquet or .csv). `features` is a list of "GROUP[:f1,f2]" (a definition file or feature table).
        Returns the dict of `floe training-set --json`."""
        if isinstance(features, (str, os.PathLike)):
            features = [features]
        request = {"spine": os.fspath(spine), "features": [os.fspath(f) for f in features],
                   "output": os.fspath(output), "spine_time": spine_time, "as_of": as_of, "snapshot": snapshot,
                   "tag": tag, "max_age": max_age}
        encoded = json.dumps({k: v for k, v in request.items() if v is not None}).encode("utf-8")
        return self._json(_ffi.floe_training_set_build, encoded)

    def _json(self, function, *args):
        buf = _ffi.floe_buf()
        check(function(ctypes.byref(buf), self._live(), *args))
        return json.loads(_take_text(buf))

    @property
    def closed(self):
        return self._handle is None

    def close(self):
        """Releases the handle; closing twice is harmless."""
        handle, self._handle = self._handle, None
        if handle is not None:
            _ffi.floe_warehouse_close(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False

    def __del__(self):
        # A backstop only: the handle table outlives nothing, so leaks are bounded but real.
        if getattr(self, "_handle", None) is not None:
            self.close()

    def __repr__(self):
        return "<floe.Warehouse closed>" if self.closed else f"<floe.Warehouse {self.path!r}>"

    def _live(self):
        if self._handle is None:
            raise InvalidHandleError("the warehouse is closed", code=_ffi.FLOE_EINVALID_HANDLE,
                                     category="invalid_handle")
        return self._handle


class ScanResult:
    """The rows of one table scan, read on demand. Each `__arrow_c_stream__()` call starts a fresh scan."""

    def __init__(self, warehouse, table, **options):
        self._warehouse = warehouse
        self._table = table
        self._options = options

    def __arrow_c_stream__(self, requested_schema=None):
        """The scan as a PyCapsule named "arrow_array_stream" (Arrow PyCapsule interface). A requested_schema
        is not supported: cast with the consumer after reading."""
        if requested_schema is not None:
            raise NotImplementedError("floe scans cannot cast to a requested schema")
        return _capsule.export_stream(self._warehouse._open_stream(self._table, **self._options))

    def to_pylist(self):
        """The rows as a list of dicts (no Arrow library needed)."""
        return self._warehouse.scan_rows(self._table, **self._options)
