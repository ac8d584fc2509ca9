"""Arrow PyCapsule interface (`__arrow_c_stream__`) with ctypes only.

A capsule named "arrow_array_stream" owns a struct ArrowArrayStream; its destructor releases the stream unless a
consumer moved it out (set release to NULL), as the Arrow PyCapsule protocol asks.
"""
import ctypes

from . import _ffi

STREAM_CAPSULE_NAME = b"arrow_array_stream"

_PyCapsule_Destructor = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_new = ctypes.pythonapi.PyCapsule_New
_new.restype = ctypes.py_object
_new.argtypes = [ctypes.c_void_p, ctypes.c_char_p, _PyCapsule_Destructor]
_get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_get_pointer.restype = ctypes.c_void_p
_get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
# A raw-pointer variant (holding the GIL) for the destructor, which must not touch the dying capsule's refcount.
_get_pointer_raw = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p)(
    ("PyCapsule_GetPointer", ctypes.pythonapi))
_is_valid = ctypes.pythonapi.PyCapsule_IsValid
_is_valid.restype = ctypes.c_int
_is_valid.argtypes = [ctypes.py_object, ctypes.c_char_p]

# Streams handed out in capsules, by address: the ctypes objects must outlive the capsules that point at them.
_live = {}


def _destroy(capsule_address):
    # The capsule is being deallocated: take its pointer without touching its reference count.
    address = _get_pointer_raw(capsule_address, STREAM_CAPSULE_NAME)
    stream = _live.pop(address, None)
    if stream is not None and stream.release:
        stream.release(ctypes.byref(stream))


_destructor = _PyCapsule_Destructor(_destroy)


def export_stream(stream):
    """Wraps a filled _ffi.ArrowArrayStream in a new "arrow_array_stream" capsule that owns it."""
    address = ctypes.addressof(stream)
    _live[address] = stream
    return _new(address, STREAM_CAPSULE_NAME, _destructor)


def stream_pointer(capsule):
    """The struct ArrowArrayStream* inside an "arrow_array_stream" capsule (still owned by the capsule)."""
    if not _is_valid(capsule, STREAM_CAPSULE_NAME):
        raise TypeError('expected a PyCapsule named "arrow_array_stream"')
    return ctypes.cast(_get_pointer(capsule, STREAM_CAPSULE_NAME), ctypes.POINTER(_ffi.ArrowArrayStream))
