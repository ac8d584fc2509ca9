package floe

import (
	"fmt"
	"runtime"

	"floe.invalid/floe/internal/capi"
)

// Code is a FLOE_E* return code of the C ABI. Bindings map the code, never the message text.
type Code int

// The codes of native-abi/include/floe.h (floe_error_code).
const (
	CodeOK            Code = Code(capi.FLOE_OK)
	CodeInternal      Code = Code(capi.FLOE_EINTERNAL)
	CodeInvalidArg    Code = Code(capi.FLOE_EINVALID_ARG)
	CodeNotFound      Code = Code(capi.FLOE_ENOTFOUND)
	CodeExists        Code = Code(capi.FLOE_EEXISTS)
	CodeInvalidData   Code = Code(capi.FLOE_EINVALID_DATA)
	CodeConflict      Code = Code(capi.FLOE_ECONFLICT)
	CodeIO            Code = Code(capi.FLOE_EIO)
	CodeUnsupported   Code = Code(capi.FLOE_EUNSUPPORTED)
	CodeInvalidHandle Code = Code(capi.FLOE_EINVALID_HANDLE)
	CodeValidation    Code = Code(capi.FLOE_EVALIDATION)
	CodeCancelled     Code = Code(capi.FLOE_ECANCELLED)
)

var codeNames = map[Code]string{
	CodeOK: "ok", CodeInternal: "internal", CodeInvalidArg: "invalid_argument", CodeNotFound: "not_found",
	CodeExists: "exists", CodeInvalidData: "invalid_data", CodeConflict: "conflict",
	CodeIO: "io", CodeUnsupported: "unsupported", CodeInvalidHandle: "invalid_handle", CodeValidation: "validation",
	CodeCancelled: "cancelled",
}

// String is the code's category name, e.g. "not_found".
func (c Code) String() string {
	if name, ok := codeNames[c]; ok {
		return name
	}
	return fmt.Sprintf("code(%d)", int(c))
}

// Sentinels, one per code: errors.Is(err, floe.ErrNotFound) holds for every *Error with that code.
var (
	ErrInternal      = &sentinel{CodeInternal}
	ErrInvalidArg    = &sentinel{CodeInvalidArg}
	ErrNotFound      = &sentinel{CodeNotFound}
	ErrExists        = &sentinel{CodeExists}
	ErrInvalidData   = &sentinel{CodeInvalidData}
	ErrConflict      = &sentinel{CodeConflict}
	ErrIO            = &sentinel{CodeIO}
	ErrUnsupported   = &sentinel{CodeUnsupported}
	ErrInvalidHandle = &sentinel{CodeInvalidHandle}
	ErrValidation    = &sentinel{CodeValidation}
	ErrCancelled     = &sentinel{CodeCancelled}
)

type sentinel struct{ code Code }

func (s *sentinel) Error() string { return "floe: " + s.code.String() }

// Error is a failed Floe call: the FLOE_E* code, its category and the library's one-line message.
// Use errors.Is with the Err* sentinels to test the kind, errors.As to read the fields.
type Error struct {
	Code     Code
	Category string
	Message  string
}

func (e *Error) Error() string { return "floe: " + e.Message }

// Is matches the sentinel of e's code.
func (e *Error) Is(target error) bool {
	s, ok := target.(*sentinel)
	return ok && s.code == e.Code
}

// Retryable reports whether repeating the operation against fresh state may succeed (a lost commit race).
func (e *Error) Retryable() bool { return e.Code == CodeConflict }

// call runs one fallible C call and, on failure, reads floe_last_error on the same OS thread: the error
// record is thread-local and a goroutine may otherwise move between the two cgo calls.
func call(f func() int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rc := f()
	if rc == capi.FLOE_OK {
		return nil
	}
	code, category, message := capi.LastError()
	if code != rc {
		// The record belongs to another failure; report the code alone rather than a wrong message.
		return &Error{Code: Code(rc), Category: Code(rc).String(), Message: fmt.Sprintf("call failed with %s", Code(rc))}
	}
	return &Error{Code: Code(rc), Category: category, Message: message}
}

// errClosed is what every method of a closed Warehouse returns.
func errClosed() error {
	return &Error{Code: CodeInvalidHandle, Category: CodeInvalidHandle.String(), Message: "the warehouse is closed"}
}
