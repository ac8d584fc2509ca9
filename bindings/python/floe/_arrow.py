"""Reads an Arrow C stream (struct ArrowArrayStream) into Python values with ctypes only.

Supports the primitive columns Floe scans produce most: int64 ("l"), int32 ("i"), double ("g"), float ("f"),
utf8 ("u"), bool ("b") and timestamp[us] ("tsu:..."), which is returned as microseconds since the epoch (an int).
Other formats raise UnsupportedError. No engine logic lives here: this only decodes Arrow buffers.
"""
import ctypes

from . import _ffi
from ._errors import FloeError, UnsupportedError

_FIXED = {"l": ctypes.c_int64, "i": ctypes.c_int32, "g": ctypes.c_double, "f": ctypes.c_float}


def _valid(array, index):
    validity = array.buffers[0]
    if not validity:
        return True
    bit = array.offset + index
    return (ctypes.cast(validity, ctypes.POINTER(ctypes.c_uint8))[bit // 8] >> (bit % 8)) & 1 == 1


def _column(fmt, array):
    length = array.length
    if fmt in _FIXED or fmt.startswith("tsu:"):
        kind = _FIXED.get(fmt, ctypes.c_int64)
        values = ctypes.cast(array.buffers[1], ctypes.POINTER(kind))
        return [values[array.offset + i] if _valid(array, i) else None for i in range(length)]
    if fmt == "b":
        bits = ctypes.cast(array.buffers[1], ctypes.POINTER(ctypes.c_uint8))
        out = []
        for i in range(length):
            bit = array.offset + i
            out.append(bool((bits[bit // 8] >> (bit % 8)) & 1) if _valid(array, i) else None)
        return out
    if fmt == "u":
        offsets = ctypes.cast(array.buffers[1], ctypes.POINTER(ctypes.c_int32))
        data = array.buffers[2]
        out = []
        for i in range(length):
            if not _valid(array, i):
                out.append(None)
                continue
            start, end = offsets[array.offset + i], offsets[array.offset + i + 1]
            out.append(ctypes.string_at(data + start, end - start).decode("utf-8") if end > start else "")
        return out
    raise UnsupportedError(f"scan_rows does not decode Arrow format {fmt!r}", code=_ffi.FLOE_EUNSUPPORTED,
                           category="unsupported")


def read_rows(stream):
    """Consumes `stream` (an _ffi.ArrowArrayStream the caller still releases) into a list of dicts."""
    schema = _ffi.ArrowSchema()
    if stream.get_schema(ctypes.byref(stream), ctypes.byref(schema)) != 0:
        raise FloeError(_stream_error(stream))
    try:
        names = [schema.children[i].contents.name.decode("utf-8") for i in range(schema.n_children)]
        formats = [schema.children[i].contents.format.decode("utf-8") for i in range(schema.n_children)]
    finally:
        schema.release(ctypes.byref(schema))
    rows = []
    while True:
        batch = _ffi.ArrowArray()
        code = stream.get_next(ctypes.byref(stream), ctypes.byref(batch))
        if code != 0:
            raise FloeError(_stream_error(stream), code=None, category=None)
        if not batch.release:
            return rows
        length = batch.length
        try:
            columns = [_column(formats[c], batch.children[c].contents) for c in range(len(names))]
        finally:
            batch.release(ctypes.byref(batch))
        for r in range(length):
            rows.append({names[c]: columns[c][r] for c in range(len(names))})


def _stream_error(stream):
    message = stream.get_last_error(ctypes.byref(stream))
    return message.decode("utf-8", "replace") if message else "the Arrow stream failed"
