"""Raw ctypes layer: a one-to-one mirror of native-abi/include/floe.h, under the same names.

Nothing here is idiomatic; the public modules build on it. The library is found through the FLOE_LIB
environment variable (a path to libfloe.so), else build/dist/libfloe.so above this package, else the
system loader's search path.
"""
import ctypes
import os
from pathlib import Path

# --- versions (floe.h) -------------------------------------------------------------------------
FLOE_VERSION_MAJOR = 0
FLOE_VERSION_MINOR = 1
FLOE_VERSION_PATCH = 0
FLOE_VERSION = "0.1.0"
FLOE_ABI_VERSION = 1

# --- floe_error_code ---------------------------------------------------------------------------
FLOE_OK = 0
FLOE_EINTERNAL = -1
FLOE_EINVALID_ARG = -2
FLOE_ENOTFOUND = -3
FLOE_EEXISTS = -4
FLOE_EINVALID_DATA = -5
FLOE_ECONFLICT = -6
FLOE_EIO = -7
FLOE_EUNSUPPORTED = -8
FLOE_EINVALID_HANDLE = -9
FLOE_EVALIDATION = -10


class floe_error(ctypes.Structure):
    """typedef struct floe_error { int code; const char* category; const char* message; } floe_error;"""

    _fields_ = [
        ("code", ctypes.c_int),
        ("category", ctypes.c_char_p),
        ("message", ctypes.c_char_p),
    ]


class floe_buf(ctypes.Structure):
    """typedef struct floe_buf { uint8_t* data; size_t len; } floe_buf;"""

    _fields_ = [
        ("data", ctypes.POINTER(ctypes.c_uint8)),
        ("len", ctypes.c_size_t),
    ]


# Opaque handles: typedef struct floe_warehouse floe_warehouse;
floe_warehouse_p = ctypes.c_void_p


def _candidates():
    explicit = os.environ.get("FLOE_LIB")
    if explicit:
        yield explicit
        return
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "build" / "dist" / "libfloe.so"
        if candidate.is_file():
            yield str(candidate)
            return
    yield "libfloe.so"


def _load():
    errors = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise OSError("cannot load libfloe.so (set FLOE_LIB to its path): " + "; ".join(errors))


lib = _load()


def _bind(name, restype, argtypes):
    function = getattr(lib, name)
    function.restype = restype
    function.argtypes = argtypes
    return function


# const char* floe_version(void);
floe_version = _bind("floe_version", ctypes.c_char_p, [])
# int floe_abi_version(void);
floe_abi_version = _bind("floe_abi_version", ctypes.c_int, [])
# const floe_error* floe_last_error(void);
floe_last_error = _bind("floe_last_error", ctypes.POINTER(floe_error), [])
# void floe_buf_free(floe_buf* buf);
floe_buf_free = _bind("floe_buf_free", None, [ctypes.POINTER(floe_buf)])
# int floe_warehouse_open(floe_warehouse** out, const char* path);
floe_warehouse_open = _bind("floe_warehouse_open", ctypes.c_int,
                            [ctypes.POINTER(floe_warehouse_p), ctypes.c_char_p])
# void floe_warehouse_close(floe_warehouse* w);
floe_warehouse_close = _bind("floe_warehouse_close", None, [floe_warehouse_p])
# int floe_warehouse_path(floe_buf* out, const floe_warehouse* w);
floe_warehouse_path = _bind("floe_warehouse_path", ctypes.c_int,
                            [ctypes.POINTER(floe_buf), floe_warehouse_p])
