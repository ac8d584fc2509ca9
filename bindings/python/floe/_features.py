"""Feature definitions without a warehouse: validate a definition file, compute it over Arrow data in memory."""
import ctypes
import json
import os

from . import _arrow, _capsule, _ffi
from ._errors import check


def validate_features(definition):
    """Checks a feature group definition (.json/.yaml): {"valid": bool, "errors": [...]}; never raises for an
    invalid definition (only for a missing file or bad argument)."""
    buf = _ffi.floe_buf()
    check(_ffi.floe_features_validate(ctypes.byref(buf), os.fsencode(definition)))
    try:
        return json.loads(ctypes.string_at(buf.data, buf.len).decode("utf-8"))
    finally:
        _ffi.floe_buf_free(ctypes.byref(buf))


def compute_features(definition, events, start, end):
    """Computes a feature group over `events` (any object with `__arrow_c_stream__`, e.g. a floe scan or a pyarrow
    Table; the definition's own source is ignored) for event times in [start, end). Returns an ArrowStream of the
    output rows (keys, event time, features), one batch per UTC day."""
    capsule = events.__arrow_c_stream__() if hasattr(events, "__arrow_c_stream__") else events
    pointer = _capsule.stream_pointer(capsule)
    out = _ffi.ArrowArrayStream()
    check(_ffi.floe_features_compute(ctypes.byref(out), os.fsencode(definition), pointer,
                                     str(start).encode("utf-8"), str(end).encode("utf-8")))
    return ArrowStream(out)


class ArrowStream:
    """A filled Arrow C stream, readable once: through `__arrow_c_stream__` (moving it into a capsule) or
    `to_pylist()`."""

    def __init__(self, stream):
        self._stream = stream

    def _take(self):
        stream, self._stream = self._stream, None
        if stream is None:
            raise ValueError("this Arrow stream was already consumed")
        return stream

    def __arrow_c_stream__(self, requested_schema=None):
        if requested_schema is not None:
            raise NotImplementedError("floe streams cannot cast to a requested schema")
        return _capsule.export_stream(self._take())

    def to_pylist(self):
        stream = self._take()
        try:
            return _arrow.read_rows(stream)
        finally:
            if stream.release:
                stream.release(ctypes.byref(stream))

    def __del__(self):
        stream = getattr(self, "_stream", None)
        if stream is not None and stream.release:
            stream.release(ctypes.byref(stream))
