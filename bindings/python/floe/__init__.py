"""Floe for Python: a thin, idiomatic layer over the libfloe C ABI (see floe.h).

The raw 1:1 ctypes mirror lives in floe._ffi; this package adds exceptions, context managers and Python
types, and holds no engine logic.
"""
from . import _ffi
from ._errors import (
    AlreadyExistsError,
    CancelledError,
    CommitConflictError,
    FloeError,
    FloeIOError,
    InternalError,
    InvalidArgumentError,
    InvalidDataError,
    InvalidHandleError,
    NotFoundError,
    UnsupportedError,
    ValidationError,
)
from ._features import ArrowStream, compute_features, validate_features
from ._warehouse import ScanResult, Warehouse

ABI_VERSION = _ffi.FLOE_ABI_VERSION


def _check_abi():
    found = _ffi.floe_abi_version()
    if found != ABI_VERSION:
        raise ImportError(
            f"libfloe ABI version {found} does not match the version these bindings were written for "
            f"({ABI_VERSION}); load a matching libfloe.so via FLOE_LIB")


_check_abi()

__version__ = _ffi.floe_version().decode("utf-8")


def version():
    """The loaded library's version string."""
    return __version__


__all__ = [
    "ABI_VERSION",
    "ArrowStream",
    "AlreadyExistsError",
    "CancelledError",
    "CommitConflictError",
    "FloeError",
    "FloeIOError",
    "InternalError",
    "InvalidArgumentError",
    "InvalidDataError",
    "InvalidHandleError",
    "NotFoundError",
    "UnsupportedError",
    "ScanResult",
    "ValidationError",
    "Warehouse",
    "compute_features",
    "validate_features",
    "version",
]
