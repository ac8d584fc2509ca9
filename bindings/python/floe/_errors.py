"""The FloeError hierarchy, keyed by FLOE_E* code (never by message text)."""
from . import _ffi


# FLOE_E* code -> FloeError subclass, filled as each subclass below names its code.
_BY_CODE = {}


class FloeError(Exception):
    """A failed floe_* call: `code` is the FLOE_E* value, `category` its stable name."""

    code = _ffi.FLOE_EINTERNAL

    def __init_subclass__(cls, code=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if code is not None:
            cls.code = code
            _BY_CODE[code] = cls

    def __init__(self, message, code=None, category=None):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.category = category
        self.message = message


class InternalError(FloeError, code=_ffi.FLOE_EINTERNAL):
    """An unexpected internal failure (a bug), including running out of memory."""


class InvalidArgumentError(FloeError, ValueError, code=_ffi.FLOE_EINVALID_ARG):
    """An argument is None, malformed, out of range or not UTF-8."""


class NotFoundError(FloeError, LookupError, code=_ffi.FLOE_ENOTFOUND):
    """A table, namespace, snapshot, ref or file does not exist."""


class AlreadyExistsError(FloeError, code=_ffi.FLOE_EEXISTS):
    """A table, namespace or ref of that name already exists."""


class InvalidDataError(FloeError, code=_ffi.FLOE_EINVALID_DATA):
    """Input data or a stored file is corrupt or does not match the schema."""


class CommitConflictError(FloeError, code=_ffi.FLOE_ECONFLICT):
    """A commit lost an optimistic race; repeating it against fresh state may succeed."""

    retryable = True


class FloeIOError(FloeError, OSError, code=_ffi.FLOE_EIO):
    """Reading or writing storage failed."""


class UnsupportedError(FloeError, NotImplementedError, code=_ffi.FLOE_EUNSUPPORTED):
    """Valid Iceberg that this engine does not support."""


class InvalidHandleError(FloeError, code=_ffi.FLOE_EINVALID_HANDLE):
    """A closed, forged or wrong-type handle (in Python: using a closed object)."""


class ValidationError(FloeError, code=_ffi.FLOE_EVALIDATION):
    """An audit (write-audit-publish) or consistency check failed, or a safety rule refused."""


class CancelledError(FloeError, code=_ffi.FLOE_ECANCELLED):
    """The caller cancelled the call (a progress callback asked to stop); nothing more was committed."""


def error_for(code):
    """The exception for a failed call's return code, described by floe_last_error()."""
    last = _ffi.floe_last_error().contents
    # The thread's last error belongs to this failure when the codes agree; otherwise say so plainly.
    if last.code == code:
        message = last.message.decode("utf-8", "replace")
        category = last.category.decode("utf-8", "replace")
    else:
        message, category = f"floe call failed with code {code}", None
    return _BY_CODE.get(code, FloeError)(message, code=code, category=category)


def check(code):
    """Raises the matching FloeError when a floe_* return code is not FLOE_OK."""
    if code != _ffi.FLOE_OK:
        raise error_for(code)
