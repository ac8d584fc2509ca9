"""The FloeError hierarchy, keyed by FLOE_E* code (never by message text)."""
from . import _ffi


class FloeError(Exception):
    """A failed floe_* call: `code` is the FLOE_E* value, `category` its stable name."""

    code = _ffi.FLOE_EINTERNAL

    def __init__(self, message, code=None, category=None):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.category = category
        self.message = message


class InternalError(FloeError):
    code = _ffi.FLOE_EINTERNAL


class InvalidArgumentError(FloeError, ValueError):
    code = _ffi.FLOE_EINVALID_ARG


class NotFoundError(FloeError, LookupError):
    code = _ffi.FLOE_ENOTFOUND


class AlreadyExistsError(FloeError):
    code = _ffi.FLOE_EEXISTS


class InvalidDataError(FloeError):
    code = _ffi.FLOE_EINVALID_DATA


class CommitConflictError(FloeError):
    """A commit lost an optimistic race; repeating it against fresh state may succeed."""

    code = _ffi.FLOE_ECONFLICT
    retryable = True


class FloeIOError(FloeError, OSError):
    code = _ffi.FLOE_EIO


class UnsupportedError(FloeError, NotImplementedError):
    code = _ffi.FLOE_EUNSUPPORTED


class InvalidHandleError(FloeError):
    """A closed, forged or wrong-type handle (in Python: using a closed object)."""

    code = _ffi.FLOE_EINVALID_HANDLE


class ValidationError(FloeError):
    code = _ffi.FLOE_EVALIDATION


class CancelledError(FloeError):
    """The caller cancelled the call (a progress callback asked to stop); nothing more was committed."""

    code = _ffi.FLOE_ECANCELLED


_BY_CODE = {cls.code: cls for cls in (
    InternalError, InvalidArgumentError, NotFoundError, AlreadyExistsError, InvalidDataError,
    CommitConflictError, FloeIOError, UnsupportedError, InvalidHandleError, ValidationError, CancelledError)}


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
