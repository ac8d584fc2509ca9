"""Warehouse: a folder holding a catalog and its Iceberg tables."""
import ctypes
import os

from . import _ffi
from ._errors import InvalidHandleError, check


def _take_text(buf):
    """Decodes a filled floe_buf as UTF-8 and frees it."""
    try:
        return ctypes.string_at(buf.data, buf.len).decode("utf-8")
    finally:
        _ffi.floe_buf_free(ctypes.byref(buf))


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
