/*
 * floe.h: the C ABI of Floe, an embedded feature-store lakehouse engine.
 *
 * Conventions (they hold for every declaration in this header)
 * ------------------------------------------------------------
 * Names      Functions are floe_<module>_<verb>; macros and enum values are FLOE_*.
 *            Callbacks take `void *payload` as their last argument.
 * Out params Come first and are called `out`. On failure an out param is left
 *            zeroed (NULL handle, empty floe_buf), so it is always safe to free.
 * Errors     Fallible calls return int: FLOE_OK (0) or a negative FLOE_E* code.
 *            Bindings map the code, never the message text. After a failure,
 *            floe_last_error() describes it (see below).
 * Handles    Opaque pointers (floe_warehouse, ...) backed by a handle table with
 *            generation counters: a closed, forged or wrong-type handle gives
 *            FLOE_EINVALID_HANDLE, not a crash. They are never dereferenced.
 * Ownership  A handle returned through a `T **out` belongs to the caller and is
 *            released with that type's floe_<type>_close/_free. A returned pointer
 *            (const char *, const floe_error *) is borrowed from the library.
 *            Bytes and strings produced for the caller come in a floe_buf,
 *            released with floe_buf_free. Free/close functions accept NULL.
 *            Never free library memory with free(): allocators are not mixed.
 * Strings    UTF-8, NUL-terminated on input; invalid UTF-8 gives FLOE_EINVALID_ARG.
 * Tables     Cross the boundary as Arrow C Data Interface structs
 *            (ArrowSchema/ArrowArray/ArrowArrayStream). Each function says
 *            whether it moves (takes ownership of) or borrows its inputs.
 *            Stream errors are reported through the stream's get_last_error.
 * Options    Option structs start with `uint32_t version` and have a
 *            FLOE_*_OPTIONS_INIT macro; fields are only ever appended.
 * Threads    floe_last_error() is per thread. Warehouse handles are thread-safe;
 *            writers and transactions belong to one thread at a time. Do not
 *            close a handle while another thread is using it.
 * Versioning FLOE_VERSION_* describe this header; FLOE_ABI_VERSION changes on any
 *            incompatible ABI change. Bindings compare floe_abi_version() with
 *            the value they were written for at load. Unstable calls live in
 *            floe_experimental.h.
 * Lifetime   The library is a NativeAOT image with its own runtime and GC; it
 *            cannot be unloaded (never dlclose it).
 */
#ifndef FLOE_H
#define FLOE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- visibility */

#ifndef FLOE_API
#  if defined(_WIN32)
#    define FLOE_API __declspec(dllimport)
#  else
#    define FLOE_API
#  endif
#endif

/* ---------------------------------------------------------------- versions */

#define FLOE_VERSION_MAJOR 0
#define FLOE_VERSION_MINOR 1
#define FLOE_VERSION_PATCH 0
/** The version of this header as a string; floe_version() returns the library's. */
#define FLOE_VERSION "0.1.0"
/** The ABI generation this header describes; compare with floe_abi_version(). */
#define FLOE_ABI_VERSION 1

/** True when this header's version is at least major.minor.patch. */
#define FLOE_VERSION_CHECK(major, minor, patch)                                   \
    (FLOE_VERSION_MAJOR > (major) ||                                              \
     (FLOE_VERSION_MAJOR == (major) && FLOE_VERSION_MINOR > (minor)) ||           \
     (FLOE_VERSION_MAJOR == (major) && FLOE_VERSION_MINOR == (minor) &&           \
      FLOE_VERSION_PATCH >= (patch)))

/**
 * The library's version, e.g. "0.1.0".
 *
 * @return a static, NUL-terminated string; borrowed, never freed, never NULL.
 */
FLOE_API const char *floe_version(void);

/**
 * The ABI generation of the loaded library. Bindings refuse to run when it
 * differs from the FLOE_ABI_VERSION they were written against.
 */
FLOE_API int floe_abi_version(void);

/* ---------------------------------------------------------------- errors */

/**
 * Return codes. The values are stable and mirror the engine's FloeErrorCode.
 */
typedef enum floe_error_code {
    /** Success. */
    FLOE_OK = 0,
    /** An unexpected internal failure (a bug), including running out of memory. */
    FLOE_EINTERNAL = -1,
    /** A caller-supplied argument is NULL, malformed, out of range or not UTF-8. */
    FLOE_EINVALID_ARG = -2,
    /** A table, namespace, snapshot, ref or file does not exist. */
    FLOE_ENOTFOUND = -3,
    /** A table, namespace or ref of that name already exists. */
    FLOE_EEXISTS = -4,
    /** Input data or a stored file is corrupt or does not match the schema. */
    FLOE_EINVALID_DATA = -5,
    /** An optimistic commit lost a race with a conflicting commit; retrying may succeed. */
    FLOE_ECONFLICT = -6,
    /** Reading or writing storage failed. */
    FLOE_EIO = -7,
    /** The feature is valid Iceberg but not supported by this engine. */
    FLOE_EUNSUPPORTED = -8,
    /** A handle is closed, forged or of the wrong type. */
    FLOE_EINVALID_HANDLE = -9,
    /** An audit (write-audit-publish) or consistency check failed. */
    FLOE_EVALIDATION = -10
} floe_error_code;

/** The description of the last failure on the calling thread. */
typedef struct floe_error {
    /** A FLOE_E* code, or FLOE_OK when this thread has seen no failure. */
    int code;
    /** A short, stable category name for the code, e.g. "invalid_argument". */
    const char *category;
    /** A human-readable message naming the file, field or argument at fault. */
    const char *message;
} floe_error;

/**
 * The last error raised on the calling thread.
 *
 * It is thread-local, never NULL and owned by the library. It stays valid
 * until the next floe_* call on the same thread. It reports an error but does
 * not detect one: successful calls do not reset it, so test return codes first.
 *
 * @return the last error; {FLOE_OK, "ok", "no error"} before any failure.
 */
FLOE_API const floe_error *floe_last_error(void);

/* ---------------------------------------------------------------- buffers */

/**
 * Bytes (UTF-8 text, JSON, ...) handed to the caller. A buffer the library
 * filled has non-NULL `data` followed by one NUL byte that `len` does not
 * count (so text reads as a C string), even when `len` is 0. A buffer it did
 * not fill is {NULL, 0}. Initialise yours to {NULL, 0}; free with floe_buf_free.
 */
typedef struct floe_buf {
    uint8_t *data;
    size_t len;
} floe_buf;

/**
 * Frees the bytes of a buffer filled by the library and resets it to {NULL, 0}.
 * Accepts NULL and an already-freed buffer (no-op).
 */
FLOE_API void floe_buf_free(floe_buf *buf);

/* ---------------------------------------------------------------- handles */

/** A warehouse: a folder holding a catalog and its Iceberg tables. Thread-safe. */
typedef struct floe_warehouse floe_warehouse;

/* ---------------------------------------------------------------- warehouse */

/**
 * Opens the warehouse rooted at a folder.
 *
 * @param[out] out   receives the handle; free with floe_warehouse_close.
 *                   Set to NULL on failure.
 * @param      path  the warehouse folder, UTF-8; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when out or path is NULL, path is empty or
 *         not UTF-8; FLOE_EIO when the folder cannot be used; FLOE_EINTERNAL.
 */
FLOE_API int floe_warehouse_open(floe_warehouse **out, const char *path);

/**
 * Closes a warehouse handle; the handle is invalid afterwards. Accepts NULL.
 * Closing a closed or forged handle does nothing (floe_last_error() then
 * reports FLOE_EINVALID_HANDLE).
 */
FLOE_API void floe_warehouse_close(floe_warehouse *w);

/**
 * The absolute folder path of an open warehouse.
 *
 * @param[out] out  receives the UTF-8 path; free with floe_buf_free.
 *                  Set to {NULL, 0} on failure.
 * @param      w    the warehouse; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when out is NULL; FLOE_EINVALID_HANDLE
 *         when w is NULL, closed or forged; FLOE_EINTERNAL.
 */
FLOE_API int floe_warehouse_path(floe_buf *out, const floe_warehouse *w);

/* ---------------------------------------------------------------- Arrow C Data Interface */

/*
 * The standard Arrow C Data Interface and C Stream Interface, as specified at
 * https://arrow.apache.org/docs/format/CDataInterface.html. The guard lets
 * this header coexist with Arrow's own abi.h and with nanoarrow.
 */
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
    /* Array type description */
    const char *format;
    const char *name;
    const char *metadata;
    int64_t flags;
    int64_t n_children;
    struct ArrowSchema **children;
    struct ArrowSchema *dictionary;

    /* Release callback */
    void (*release)(struct ArrowSchema *);
    /* Opaque producer-specific data */
    void *private_data;
};

struct ArrowArray {
    /* Array data description */
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;

    /* Release callback */
    void (*release)(struct ArrowArray *);
    /* Opaque producer-specific data */
    void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
    /* Callbacks providing stream functionality */
    int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
    int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
    const char *(*get_last_error)(struct ArrowArrayStream *);

    /* Release callback */
    void (*release)(struct ArrowArrayStream *);

    /* Opaque producer-specific data */
    void *private_data;
};

#endif /* ARROW_C_STREAM_INTERFACE */

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FLOE_H */
