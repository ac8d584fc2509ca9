"""Warehouse: a folder holding a catalog and its Iceberg tables."""
import ctypes
import json
import os

from . import _arrow, _ffi
from ._errors import InvalidHandleError, check


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

    def __init__(self, path):
        encoded = os.fsencode(path) if isinstance(path, os.PathLike) else path
        if isinstance(encoded, str):
            encoded = encoded.encode("utf-8")
        handle = _ffi.floe_warehouse_p()
        check(_ffi.floe_warehouse_open(ctypes.byref(handle), encoded))
        self._handle = handle

    @property
    def path(self):
        """The warehouse's absolute folder."""
        buf = _ffi.floe_buf()
        check(_ffi.floe_warehouse_path(ctypes.byref(buf), self._live()))
        return _take_text(buf)

    def create_table(self, name, schema, partition=None):
        """Creates a format-v2 table; schema is "name:type[ not null],...", partition e.g. "day(ts)"."""
        check(_ffi.floe_table_create(self._live(), _text(name), _text(schema), _text(partition)))

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
        return self._json(_ffi.floe_snapshots, _text(table))

    def count(self, table, filter=None):
        """The number of rows main holds, matching `filter` when given."""
        out = ctypes.c_int64()
        check(_ffi.floe_scan_count(ctypes.byref(out), self._live(), _text(table), _text(filter)))
        return out.value

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
        check(_ffi.floe_scan(ctypes.byref(stream), self._live(), _text(table), ctypes.byref(options)))
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
