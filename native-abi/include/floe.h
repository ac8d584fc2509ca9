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
 *            FLOE_*_OPTIONS_INIT macro; fields are only ever appended. A
 *            version this library does not know gives FLOE_EINVALID_ARG.
 * Threads    floe_last_error() is per thread. Warehouse handles are thread-safe.
 *            Do not close a handle while another thread is using it.
 * Versioning FLOE_VERSION_* describe this header; FLOE_ABI_VERSION changes on any
 *            incompatible ABI change. Bindings compare floe_abi_version() with
 *            the value they were written for at load. The shared library's
 *            soname, libfloe.so.0, changes only with an incompatible ABI.
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
    FLOE_EVALIDATION = -10,
    /** The caller cancelled the operation (a progress callback returned non-zero); nothing more was committed. */
    FLOE_ECANCELLED = -11
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
 * Opens the warehouse rooted at a folder, creating the folder and its catalog
 * (catalog.db) when missing.
 *
 * @param[out] out   receives the handle; free with floe_warehouse_close.
 *                   Set to NULL on failure.
 * @param      path  the warehouse folder, UTF-8; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when out or path is NULL, path is empty or
 *         not UTF-8; FLOE_EIO when the folder cannot be used; FLOE_EINTERNAL.
 */
FLOE_API int floe_warehouse_open(floe_warehouse **out, const char *path);

/**
 * Opens the warehouse folder `path` (the tables' data) with a catalog given by
 * URI, as `floe --catalog` does: "sqlite:PATH", "postgresql://user@host:port/db"
 * (the Iceberg JDBC layout) or "http(s)://host:port[/prefix]" (an Iceberg REST
 * catalog). NULL catalog is the folder's own catalog.db, as floe_warehouse_open.
 *
 * @param[out] out      receives the handle; free with floe_warehouse_close.
 *                      Set to NULL on failure.
 * @param      path     the warehouse folder, UTF-8; borrowed.
 * @param      catalog  the catalog URI, UTF-8, or NULL; borrowed.
 * @param      token    a REST catalog's bearer token, UTF-8, or NULL; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG (NULL out or path, bad UTF-8, an unknown
 *         scheme); FLOE_EIO when the catalog cannot be reached; FLOE_EINTERNAL.
 */
FLOE_API int floe_warehouse_open_catalog(floe_warehouse **out, const char *path, const char *catalog,
                                         const char *token);

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

/* ---------------------------------------------------------------- tables */

/*
 * Table names are "namespace.table" (the namespace is created when missing).
 * JSON results use the same shapes as the CLI's --json output.
 */

/**
 * Creates a format-v2 table (the CLI's `floe table create`).
 *
 * @param w          the warehouse; borrowed.
 * @param name       the table name, e.g. "db.events"; borrowed.
 * @param schema     the columns, "name:type[ not null],..." with types boolean, int,
 *                   long, float, double, decimal(P,S), date, time, timestamp,
 *                   timestamptz, string, uuid, binary, fixed[L]; borrowed.
 * @param partition  hidden partitioning, e.g. "day(event_time),bucket(16,id)",
 *                   or NULL for an unpartitioned table; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when name or schema is NULL, not UTF-8, or
 *         the schema or partition text is malformed; FLOE_EEXISTS when the table
 *         exists; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_table_create(const floe_warehouse *w, const char *name, const char *schema,
                               const char *partition);

/**
 * Creates a table with table properties (the CLI's `floe table create
 * --property K=V ...`): "format-version" "3" makes a format-v3 table (row
 * lineage); other keys are stored as given, e.g. "write.delete.mode"
 * ("copy-on-write" or "merge-on-read") or "write.floe.buffer-budget-bytes".
 *
 * @param w                the warehouse; borrowed.
 * @param name             the table name; borrowed.
 * @param schema           the columns, as floe_table_create; borrowed.
 * @param partition        hidden partitioning, or NULL; borrowed.
 * @param properties_json  NULL, or a JSON object of string values
 *                         {"format-version":"3",...}; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG (as floe_table_create, or properties_json
 *         not an object of strings, or a format-version other than 1, 2, 3);
 *         FLOE_EEXISTS; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_table_create_with_properties(const floe_warehouse *w, const char *name, const char *schema,
                                               const char *partition, const char *properties_json);

/**
 * Upgrades a table's format version in one commit (the CLI's `floe table
 * upgrade`): from 2 to 3 starts row lineage at next-row-id 0. Upgrading to the
 * version the table has is a no-op; downgrades are refused.
 *
 * @param[out] out_json        receives the table description (as
 *                             floe_table_describe); free with floe_buf_free.
 * @param      w               the warehouse; borrowed.
 * @param      name            the table name; borrowed.
 * @param      format_version  the version to reach (3).
 * @return FLOE_OK; FLOE_EINVALID_ARG (NULL/non-UTF-8 name, or a version below
 *         the table's); FLOE_EUNSUPPORTED (above 3); FLOE_ENOTFOUND;
 *         FLOE_ECONFLICT; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_table_upgrade(floe_buf *out_json, const floe_warehouse *w, const char *name, int format_version);

/**
 * Describes a table as JSON (the CLI's `floe table show --json`): an object with
 * name, metadata_location, location, format_version, schema, partition_spec,
 * current_snapshot_id (or null), refs and properties.
 *
 * @param[out] out_json  receives the UTF-8 JSON; free with floe_buf_free.
 *                       Set to {NULL, 0} on failure.
 * @param      w         the warehouse; borrowed.
 * @param      name      the table name; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when out_json or name is NULL or not UTF-8;
 *         FLOE_ENOTFOUND when there is no such table; FLOE_EINVALID_HANDLE;
 *         FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_table_describe(floe_buf *out_json, const floe_warehouse *w, const char *name);

/**
 * Lists the warehouse's tables as a JSON array of names (the CLI's
 * `floe table list --json`).
 *
 * @param[out] out_json  receives the UTF-8 JSON; free with floe_buf_free.
 *                       Set to {NULL, 0} on failure.
 * @param      w         the warehouse; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when out_json is NULL; FLOE_EINVALID_HANDLE;
 *         FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_table_list(floe_buf *out_json, const floe_warehouse *w);

/**
 * Lists a table's snapshots, oldest first, as a JSON array (the CLI's
 * `floe snapshots --json`); each object carries snapshot_id among its fields.
 *
 * @param[out] out_json  receives the UTF-8 JSON; free with floe_buf_free.
 *                       Set to {NULL, 0} on failure.
 * @param      w         the warehouse; borrowed.
 * @param      table     the table name; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND when there is no such
 *         table; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_table_snapshots(floe_buf *out_json, const floe_warehouse *w, const char *table);

/**
 * Loads a table and verifies that the files its current snapshot (every
 * snapshot when all_snapshots is non-zero) references exist and are whole
 * (the CLI's `floe table check --json`). A table with missing or damaged
 * files is a result ("healthy":false with the problems listed), not an error.
 *
 * @param[out] out_json       receives the report; free with floe_buf_free.
 * @param      w              the warehouse; borrowed.
 * @param      table          the table name; borrowed.
 * @param      all_snapshots  non-zero to check every snapshot.
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND; FLOE_EINVALID_DATA when
 *         its metadata cannot be read; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_table_check(floe_buf *out_json, const floe_warehouse *w, const char *table, int all_snapshots);

/**
 * Drops a table from the catalog (the CLI's `floe table drop`). With purge,
 * also deletes exactly the files its metadata references, never anything
 * else; for a registered table (files outside the warehouse) a purge is
 * refused unless delete_registered_files is non-zero.
 *
 * @param[out] out_json  receives {"table","purged","deleted_files","skipped_files"...};
 *                       free with floe_buf_free.
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND; FLOE_EUNSUPPORTED or
 *         FLOE_EVALIDATION when a safety rule refuses the purge (nothing is
 *         dropped); FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_table_drop(floe_buf *out_json, const floe_warehouse *w, const char *table, int purge,
                             int delete_registered_files);

/**
 * Registers an existing Iceberg table by its metadata file (the CLI's
 * `floe table register`); its files stay where they are.
 *
 * @param[out] out_json           receives the table description (as
 *                                floe_table_describe); free with floe_buf_free.
 * @param      name               the new table name; borrowed.
 * @param      metadata_file      path of the vN.metadata.json; borrowed.
 * @param      location_map_json  NULL, or a JSON object {"FROM":"TO"} mapping
 *                                location prefixes recorded in the metadata to
 *                                where the files are now; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND; FLOE_EEXISTS;
 *         FLOE_EINVALID_DATA; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_table_register(floe_buf *out_json, const floe_warehouse *w, const char *name,
                                 const char *metadata_file, const char *location_map_json);

/**
 * Deletes, in one snapshot, exactly the rows matching filter (the CLI's
 * `floe delete --json`): files whose rows all match are dropped whole, others
 * are rewritten without the matching rows (copy-on-write). No match: nothing
 * is committed and snapshot_id is 0.
 *
 * @param[out] out_json  receives {"snapshot_id","deleted_files","rewritten_files",
 *                       "deleted_rows","summary"};
 *                       free with floe_buf_free.
 * @param      filter    e.g. "event_time < '2024-01-01T00:00:00Z'"; borrowed.
 * @param      branch    the branch to commit to; NULL = main.
 * @return FLOE_OK; FLOE_EINVALID_ARG (bad filter); FLOE_ENOTFOUND;
 *         FLOE_EVALIDATION or FLOE_EUNSUPPORTED (partial match); FLOE_ECONFLICT;
 *         FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_table_delete(floe_buf *out_json, const floe_warehouse *w, const char *table, const char *filter,
                               const char *branch);

/**
 * Forgets one entity (the CLI's `floe forget --json`, offline tables only):
 * deletes the rows where column key = value from every table that has a
 * top-level column key (or only from the tables listed), one row-level delete
 * snapshot per table with the reason in its summary. Tables are done one by
 * one; after a failure the earlier ones stay committed, and rerunning is safe.
 *
 * @param[out] out_json  receives {"dry_run":B,"tables":[{"table","snapshot_id"
 *                       (null on a dry run or when no row matched),
 *                       "deleted_rows"}...]}; free with floe_buf_free.
 * @param      w         the warehouse; borrowed.
 * @param      key       the entity's column name; borrowed.
 * @param      value     its value, as text (converted to the column's type); borrowed.
 * @param      tables    NULL for every table with the column, or a
 *                       comma-separated list of table names; borrowed.
 * @param      dry_run   non-zero: count the matching rows, commit nothing.
 * @param      reason    NULL, or why (recorded in each snapshot summary); borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG (empty key, a value the column cannot
 *         hold, a listed table without the column); FLOE_ENOTFOUND (a listed
 *         table); FLOE_ECONFLICT; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_table_forget(floe_buf *out_json, const floe_warehouse *w, const char *key, const char *value,
                               const char *tables, int dry_run, const char *reason);

/* ---------------------------------------------------------------- maintenance */

/**
 * Expires snapshots (the CLI's `floe expire-snapshots --json`) older than
 * older_than (ISO-8601 timestamp or epoch ms; NULL = no age bound) and/or
 * beyond the newest retain_last per branch (<= 0 = no count bound), deleting
 * the files only they used. Branch heads and tagged snapshots are kept. A
 * registered table's files are kept unless delete_registered_files.
 *
 * @param[out] out_json  receives the report; free with floe_buf_free.
 * @param      dry_run   non-zero to report without changing anything.
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND; FLOE_ECONFLICT;
 *         FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_maintenance_expire_snapshots(floe_buf *out_json, const floe_warehouse *w, const char *table,
                                               const char *older_than, int32_t retain_last, int dry_run,
                                               int delete_registered_files);

/**
 * Deletes files under the table location that no snapshot or metadata file
 * references and that are older than older_than (NULL = 3 days ago), as
 * `floe remove-orphans --json`. Refused for a registered table (dry runs
 * aside) unless delete_registered_files.
 *
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND; FLOE_EUNSUPPORTED or
 *         FLOE_EVALIDATION when a safety rule refuses; FLOE_EINVALID_HANDLE;
 *         FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_maintenance_remove_orphans(floe_buf *out_json, const floe_warehouse *w, const char *table,
                                             const char *older_than, int dry_run, int delete_registered_files);

/**
 * Rewrites small data files of the partitions filter selects (NULL = all)
 * into target-size files without changing any row (`floe compact --json`).
 * Each number <= 0 takes the table's default.
 *
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND; FLOE_ECONFLICT;
 *         FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_maintenance_compact(floe_buf *out_json, const floe_warehouse *w, const char *table,
                                      const char *filter, int64_t target_file_size_bytes,
                                      int64_t min_file_size_bytes, int32_t min_input_files);

/* ---------------------------------------------------------------- ingest */

/** How floe_ingest_file commits. */
typedef enum floe_ingest_mode {
    /** Add the file's rows in a new snapshot. */
    FLOE_INGEST_APPEND = 0,
    /** Atomically replace the partitions present in the file. */
    FLOE_INGEST_OVERWRITE_PARTITIONS = 1
} floe_ingest_mode;

/** Options of floe_ingest_file; initialise with FLOE_INGEST_OPTIONS_INIT. */
typedef struct floe_ingest_options {
    /** The struct version: 1. */
    uint32_t version;
    /** A floe_ingest_mode value. */
    int mode;
    /** The branch to commit to (created when missing), or NULL for main; borrowed. */
    const char *branch;
    /** Snapshot summary properties as a JSON object of strings ({"k":"v"}), or NULL; borrowed. */
    const char *properties_json;
} floe_ingest_options;

/** The defaults: version 1, append, main, no properties. */
#define FLOE_INGEST_OPTIONS_INIT { 1u, FLOE_INGEST_APPEND, NULL, NULL }

/**
 * Loads a CSV (with a header row) or Parquet file into a table in one atomic
 * commit (the CLI's `floe ingest`).
 *
 * @param[out] out_json  receives {"snapshot_id", "operation", "rows", "files",
 *                       "summary"} as UTF-8 JSON; free with floe_buf_free.
 *                       Set to {NULL, 0} on failure.
 * @param      w         the warehouse; borrowed.
 * @param      table     the table name; borrowed.
 * @param      path      the file to load; borrowed.
 * @param      opts      options, or NULL for FLOE_INGEST_OPTIONS_INIT; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when out_json, table or path is NULL, the
 *         options' version or mode is unknown or properties_json is not an
 *         object of strings; FLOE_ENOTFOUND when the table or file does not
 *         exist; FLOE_EINVALID_DATA when the file does not match the schema;
 *         FLOE_ECONFLICT; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_ingest_file(floe_buf *out_json, const floe_warehouse *w, const char *table,
                              const char *path, const floe_ingest_options *opts);

/**
 * Loads the batches of a host-provided Arrow C stream into a table in one
 * atomic commit: appended, or with opts->mode FLOE_INGEST_OVERWRITE_PARTITIONS
 * replacing exactly the partitions the batches touch (dynamic-partition
 * overwrite). The stream's schema must be the table's columns, in order, by
 * name and Arrow type (timestamp[us], with a time zone for timestamptz).
 *
 * @param[out] out_json  receives the JSON of floe_ingest_file; free with
 *                       floe_buf_free. Set to {NULL, 0} on failure.
 * @param      stream    moved: the library releases it before returning,
 *                       whatever the result (stream->release is NULL after).
 *                       A stream error (get_next != 0) fails the call with
 *                       FLOE_EINVALID_DATA and commits nothing.
 * @param      opts      options, or NULL for FLOE_INGEST_OPTIONS_INIT; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG (NULL or released stream, bad options);
 *         FLOE_ENOTFOUND; FLOE_EINVALID_DATA (schema mismatch, stream error);
 *         FLOE_ECONFLICT; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_ingest_arrow(floe_buf *out_json, const floe_warehouse *w, const char *table,
                               struct ArrowArrayStream *stream, const floe_ingest_options *opts);

/* ---------------------------------------------------------------- scan */

/** Options of floe_table_scan; initialise with FLOE_SCAN_OPTIONS_INIT. Give at most one of snapshot_id, ref and as_of. */
typedef struct floe_scan_options {
    /** The struct version: 1. */
    uint32_t version;
    /** Read this snapshot; 0 for none. */
    int64_t snapshot_id;
    /** Read the head of this branch or tag, or NULL; borrowed. */
    const char *ref;
    /** Read what main showed at this time, e.g. "2024-06-01 12:00:00" (UTC unless an offset is given), or NULL; borrowed. */
    const char *as_of;
    /** Comma-separated columns to read, or NULL for all; borrowed. */
    const char *columns;
    /** A row filter, e.g. "amount > 10 and id in (1, 2)", or NULL; borrowed. */
    const char *filter;
} floe_scan_options;

/** The defaults: version 1, main's current snapshot, all columns, no filter. */
#define FLOE_SCAN_OPTIONS_INIT { 1u, 0, NULL, NULL, NULL, NULL }

/**
 * Counts the rows of main's current snapshot (the CLI's `floe scan --count`).
 *
 * @param[out] out     receives the row count; set to 0 on failure.
 * @param      w       the warehouse; borrowed.
 * @param      table   the table name; borrowed.
 * @param      filter  a row filter, or NULL to count every row; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when out or table is NULL or the filter is
 *         malformed; FLOE_ENOTFOUND when there is no such table;
 *         FLOE_EINVALID_DATA; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_scan_count(int64_t *out, const floe_warehouse *w, const char *table,
                             const char *filter);

/**
 * Computes ungrouped aggregates over main's current snapshot (the CLI's
 * `floe scan --agg LIST --json`), from manifest and Parquet statistics where
 * they prove the answer, else by decoding only the columns involved.
 *
 * @param[out] out_json    receives {"aggregates":[{"name","type","value"}, ...],
 *                         "snapshot_id","files_from_statistics",
 *                         "row_groups_from_statistics","row_groups_decoded",
 *                         "files_with_deletes","data_files","data_files_skipped",
 *                         "delete_files"}; value is null for SQL NULL, a string
 *                         for dates, timestamps, NaN and infinities; free with
 *                         floe_buf_free.
 * @param      w           the warehouse; borrowed.
 * @param      table       the table name; borrowed.
 * @param      aggregates  e.g. "count(*),sum(amount),min(event_time)" (count,
 *                         sum, min, max, avg); borrowed.
 * @param      filter      a row filter, or NULL for every row; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when out_json, table or aggregates is NULL,
 *         the list or filter is malformed or a column is unknown;
 *         FLOE_EUNSUPPORTED for an aggregate the column's type lacks;
 *         FLOE_ENOTFOUND; FLOE_EINVALID_DATA; FLOE_EINVALID_HANDLE; FLOE_EIO;
 *         FLOE_EINTERNAL.
 */
FLOE_API int floe_scan_aggregate(floe_buf *out_json, const floe_warehouse *w, const char *table,
                                 const char *aggregates, const char *filter);

/**
 * Reads a table as an Arrow C stream. The table, snapshot selection and filter
 * are resolved and the files planned now, so those errors are returned here;
 * the data is read lazily, one record batch per get_next. Read errors are
 * reported by get_next's return value and the stream's get_last_error. The
 * stream may be released before it is consumed to the end.
 *
 * @param[out] out    receives the stream (a struct column per batch, one child
 *                    per projected column); release with out->release. Left
 *                    with release == NULL on failure.
 * @param      w      the warehouse; borrowed (keep it open while reading).
 * @param      table  the table name; borrowed.
 * @param      opts   options, or NULL for FLOE_SCAN_OPTIONS_INIT; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when out or table is NULL, the options'
 *         version is unknown, more than one snapshot selector is given or the
 *         filter or a column is unknown; FLOE_ENOTFOUND when the table,
 *         snapshot or ref does not exist; FLOE_EINVALID_HANDLE; FLOE_EIO;
 *         FLOE_EINTERNAL.
 */
FLOE_API int floe_table_scan(struct ArrowArrayStream *out, const floe_warehouse *w, const char *table,
                       const floe_scan_options *opts);

/* ---------------------------------------------------------------- branches */

/**
 * Creates a branch (the CLI's `floe branch create`).
 *
 * @param w      the warehouse; borrowed.
 * @param table  the table name; borrowed.
 * @param name   the new branch; borrowed.
 * @param from   a branch, tag or snapshot id to start from, or NULL for main's
 *               head; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND when the table or from does
 *         not exist; FLOE_EEXISTS when the ref exists; FLOE_ECONFLICT;
 *         FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_branch_create(const floe_warehouse *w, const char *table, const char *name,
                                const char *from);

/**
 * Moves a branch to another ref's snapshot when the branch's head is an ancestor
 * of it (the CLI's `floe branch fast-forward`); with branch "main" and a staging
 * branch as `to`, this is the publish step of write-audit-publish.
 *
 * @param w       the warehouse; borrowed.
 * @param table   the table name; borrowed.
 * @param branch  the branch to move (created when missing); borrowed.
 * @param to      a branch, tag or snapshot id; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when an argument is NULL or branch is a
 *         tag; FLOE_EVALIDATION when the move is not a fast-forward (the
 *         histories diverged); FLOE_ENOTFOUND when the table or `to` does not
 *         exist; FLOE_ECONFLICT; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_branch_fast_forward(const floe_warehouse *w, const char *table,
                                      const char *branch, const char *to);

/** Which kind of ref floe_ref_drop drops. */
typedef enum floe_ref_kind {
    FLOE_REF_BRANCH = 0,
    FLOE_REF_TAG = 1
} floe_ref_kind;

/**
 * Creates tag name at from (a branch, tag or snapshot id; NULL = main's
 * head), as `floe tag create`; fills the ref's JSON (as `floe tag list --json`).
 *
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND; FLOE_EEXISTS;
 *         FLOE_ECONFLICT; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_tag_create(floe_buf *out_json, const floe_warehouse *w, const char *table, const char *name,
                             const char *from);

/** Points existing branch name at to (no ancestry check); fills the ref's JSON. Errors as floe_tag_create. */
FLOE_API int floe_branch_replace(floe_buf *out_json, const floe_warehouse *w, const char *table, const char *name,
                                 const char *to);

/** Points existing tag name at to; fills the ref's JSON. Errors as floe_tag_create. */
FLOE_API int floe_tag_replace(floe_buf *out_json, const floe_warehouse *w, const char *table, const char *name,
                              const char *to);

/**
 * Drops a branch (never main) or a tag; its snapshots stay until expired.
 *
 * @return FLOE_OK; FLOE_EINVALID_ARG (also an unknown kind, or main);
 *         FLOE_ENOTFOUND; FLOE_ECONFLICT; FLOE_EINVALID_HANDLE; FLOE_EIO;
 *         FLOE_EINTERNAL.
 */
FLOE_API int floe_ref_drop(const floe_warehouse *w, const char *table, const char *name, floe_ref_kind kind);

/**
 * Applies snapshot snapshot_id's changes onto branch (NULL = main), recording
 * source-snapshot-id (`floe cherry-pick`); fills the new snapshot's JSON (an
 * object as in floe_table_snapshots).
 *
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND; FLOE_EVALIDATION or
 *         FLOE_EUNSUPPORTED when it cannot be picked; FLOE_ECONFLICT;
 *         FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_branch_cherry_pick(floe_buf *out_json, const floe_warehouse *w, const char *table,
                                     int64_t snapshot_id, const char *branch);

/* ---------------------------------------------------------------- features */

/**
 * Parses and checks a feature group definition (.json, .yaml or .yml), as
 * `floe features validate --json`: fills {"valid": bool, "errors": [...]}.
 * An invalid definition is a result, not an error.
 *
 * @param[out] out_json         receives the JSON; free with floe_buf_free.
 * @param      definition_path  the definition file; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND when the file does not
 *         exist; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_features_validate(floe_buf *out_json, const char *definition_path);

/**
 * Computes a feature group over events the host holds: every batch of
 * `events` is read (the definition's own source is ignored; its lookback is
 * taken from whatever the events cover) and the output rows for event times
 * in [from, to) (entity keys, event time, every feature) come back in `out`,
 * one batch per UTC day, oldest first, with the schema of
 * `floe features compute`'s Parquet output. Needs no warehouse.
 *
 * @param[out] out              receives the output stream; release it with
 *                              out->release. Zeroed (released) on failure.
 * @param      definition_path  the definition file; borrowed.
 * @param      events           moved: the library releases it (at once on
 *                              failure, else when `out` is released, since
 *                              output columns may share its buffers).
 * @param      from, to         dates or ISO-8601 timestamps (UTC unless an
 *                              offset is given); borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG (NULL/bad arguments, NULL or released
 *         events); FLOE_ENOTFOUND; FLOE_EINVALID_DATA (the definition does
 *         not fit the events' schema, a stream error); FLOE_EINTERNAL.
 */
FLOE_API int floe_features_compute(struct ArrowArrayStream *out, const char *definition_path,
                                   struct ArrowArrayStream *events, const char *from, const char *to);

/* ---------------------------------------------------------------- backfill and lineage */

/*
 * Requests and options of the calls below are JSON objects whose field names are the CLI options in snake case.
 * A missing field or a JSON null means "not given". Invalid JSON, an unknown field or a value of the wrong type
 * gives FLOE_EINVALID_ARG naming the field.
 */

/**
 * Progress of a long-running call. Called on the thread that made the call (never concurrently), after each
 * computed day and each commit; the call waits for it to return.
 *
 * @param days_done   days of the range done so far (days resumed from an earlier run count as done).
 * @param days_total  days in the range.
 * @param rows        feature rows written by this run so far.
 * @param payload     the caller's pointer, passed through unchanged.
 * @return 0 to continue; non-zero to cancel the call before its next commit (it then returns FLOE_ECANCELLED).
 */
typedef int (*floe_progress_fn)(int64_t days_done, int64_t days_total, int64_t rows, void *payload);

/**
 * Computes a feature group for the days in [from, to) and replaces those days of its feature table atomically
 * (the CLI's `floe backfill`).
 *
 * @param[out] out           receives the JSON of `floe backfill --json`: {"table", "branch", "snapshot_id",
 *                           "snapshot_ids", "table_created", "from", "to", "resumed_from", "days", "rows",
 *                           "files", "events_read", "seconds", "lineage"}; free with floe_buf_free.
 *                           Set to {NULL, 0} on failure.
 * @param      w             the warehouse; borrowed.
 * @param      request_json  the request; borrowed. Fields: "definition" (the definition file, required),
 *                           "from" and "to" (UTC dates, required; to is exclusive), "source" (a .csv/.parquet
 *                           file or "ns.table" replacing the definition's), "code_version", "branch" (created
 *                           from main when missing), "wap" (true: commit to branch, default "wap-<name>", never
 *                           to main), "commit_every" (days per commit; 0 = one commit), "max_memory" (e.g.
 *                           "2g"), "resume" (default true: continue an unfinished run of the same backfill).
 * @param      progress      called with the progress, or NULL.
 * @param      payload       passed to progress; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when out or request_json is NULL or the request is malformed;
 *         FLOE_ECANCELLED when progress asked to stop (commits made before by commit_every stay, nothing else
 *         is committed); FLOE_ENOTFOUND when the definition, source or table does not exist;
 *         FLOE_EINVALID_DATA; FLOE_ECONFLICT; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_backfill_run(floe_buf *out, const floe_warehouse *w, const char *request_json,
                               floe_progress_fn progress, void *payload);

/**
 * Which snapshot, definition, code version and source produced each partition of a table (the CLI's
 * `floe lineage`).
 *
 * @param[out] out            receives the JSON of `floe lineage --json`: {"table", "snapshot_id",
 *                            "partitions": [{"partition", "rows", "files", "snapshot_id", "committed_at",
 *                            "operation", "writer_snapshot_ids", "lineage"}]}; free with floe_buf_free.
 *                            Set to {NULL, 0} on failure.
 * @param      w              the warehouse; borrowed.
 * @param      table          the table name; borrowed.
 * @param      selector_json  NULL for main's head, or {"snapshot_id": N} / {"ref": "name"} /
 *                            {"as_of": "ISO-8601"}; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND when the table, snapshot or ref does not exist;
 *         FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_lineage_describe(floe_buf *out, const floe_warehouse *w, const char *table,
                                   const char *selector_json);

/* ---------------------------------------------------------------- write-audit-publish */

/**
 * Audits the head of a staging branch against main: drift (PSI, KS), row-count change, null rates and unique
 * keys (the CLI's `floe audit`). The verdict is stored with the snapshot, for floe_publish_run.
 *
 * @param[out] out           receives the JSON of `floe audit --json`, whose "passed" is the verdict; free with
 *                           floe_buf_free. Set to {NULL, 0} on failure.
 * @param      w             the warehouse; borrowed.
 * @param      table         the table name; borrowed.
 * @param      branch        the staging branch; borrowed.
 * @param      options_json  NULL for the defaults, or {"rules": "RULES.yaml", "report_dir": "folder for the
 *                           HTML report", "key_columns": ["id"] or "id,day"}; borrowed.
 * @return FLOE_OK whether the audit passed or failed; FLOE_EINVALID_ARG; FLOE_ENOTFOUND when the table, branch
 *         or rules file does not exist; FLOE_EINVALID_DATA; FLOE_ECONFLICT; FLOE_EINVALID_HANDLE; FLOE_EIO;
 *         FLOE_EINTERNAL.
 */
FLOE_API int floe_audit_run(floe_buf *out, const floe_warehouse *w, const char *table, const char *branch,
                            const char *options_json);

/**
 * Fast-forwards main to the head of a staging branch, only when an audit passed for that very snapshot and
 * main is still its ancestor (the CLI's `floe publish`).
 *
 * @param[out] out     receives {"table", "branch", "snapshot_id", "previous_main_snapshot_id"}; free with
 *                     floe_buf_free. Set to {NULL, 0} on failure.
 * @param      w       the warehouse; borrowed.
 * @param      table   the table name; borrowed.
 * @param      branch  the audited staging branch; borrowed.
 * @return FLOE_OK; FLOE_EVALIDATION when the publish is refused (no passing audit of the head, or main
 *         moved); FLOE_EINVALID_ARG; FLOE_ENOTFOUND; FLOE_ECONFLICT; FLOE_EINVALID_HANDLE; FLOE_EIO;
 *         FLOE_EINTERNAL.
 */
FLOE_API int floe_publish_run(floe_buf *out, const floe_warehouse *w, const char *table, const char *branch);

/* ---------------------------------------------------------------- training sets */

/**
 * Joins the latest feature values at or before each spine row's time (never later) onto the spine and writes
 * the result to a file (the CLI's `floe training-set`).
 *
 * @param[out] out           receives the JSON of `floe training-set --json`: {"rows", "seconds", "groups":
 *                           [{"group", "table", "snapshot_id", "definition_sha256", "columns",
 *                           "feature_rows_read", "matched"}]}; free with floe_buf_free.
 *                           Set to {NULL, 0} on failure.
 * @param      w             the warehouse; borrowed.
 * @param      request_json  the request; borrowed. Fields: "spine" (a .csv/.parquet file, required),
 *                           "spine_time" (default "ts"), "features" (required: an array of "GROUP[:f1,f2]"
 *                           where GROUP is a definition file or a feature table), "as_of", "snapshot", "tag",
 *                           "max_age" (e.g. "7d"), "output" (.parquet or .csv, required).
 * @return FLOE_OK; FLOE_EINVALID_ARG when out or request_json is NULL or the request is malformed;
 *         FLOE_ENOTFOUND; FLOE_EINVALID_DATA; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_training_set_build(floe_buf *out, const floe_warehouse *w, const char *request_json);

/* ---------------------------------------------------------------- distributed backfill */

/*
 * A backfill split across processes: the driver plans it (floe_backfill_plan), any process that sees the
 * warehouse runs tasks (floe_task_execute: writes data files, commits nothing; a crashed task is simply run
 * again), and the driver commits one result per planned day as one snapshot (floe_tasks_commit). Plans, tasks
 * and results are JSON texts a scheduler may store and ship as they are.
 */

/**
 * Plans a backfill: pins the source snapshot, creates the feature table when missing and splits the days into
 * one task per day (the CLI's `floe backfill --plan`).
 *
 * @param[out] out           receives the plan JSON: {"version", "table", "branch", "from", "to", "lineage",
 *                           "tasks": [task, ...]}; free with floe_buf_free. Set to {NULL, 0} on failure.
 * @param      w             the warehouse; borrowed.
 * @param      request_json  the request of floe_backfill_run ("commit_every", "max_memory" and "resume" do not
 *                           apply); borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG; FLOE_ENOTFOUND; FLOE_EINVALID_DATA; FLOE_EINVALID_HANDLE; FLOE_EIO;
 *         FLOE_EINTERNAL.
 */
FLOE_API int floe_backfill_plan(floe_buf *out, const floe_warehouse *w, const char *request_json);

/**
 * Runs one task of a plan: computes its day into new data files of the feature table and commits nothing
 * (the CLI's `floe task run`).
 *
 * @param[out] out        receives the task result JSON: {"version", "table", "day", "rows", "events_read",
 *                        "files": [...]}; free with floe_buf_free. Set to {NULL, 0} on failure.
 * @param      w          the warehouse; borrowed.
 * @param      task_json  one element of the plan's "tasks"; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when task_json is not a task; FLOE_EINVALID_DATA when the definition
 *         changed since the plan; FLOE_ENOTFOUND; FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_task_execute(floe_buf *out, const floe_warehouse *w, const char *task_json);

/**
 * Commits the results of a plan's tasks, one per planned day, as one dynamic partition overwrite of those days
 * with the plan's lineage (the CLI's `floe tasks commit`).
 *
 * @param[out] out           receives the JSON of `floe backfill --json`; free with floe_buf_free.
 *                           Set to {NULL, 0} on failure.
 * @param      w             the warehouse; borrowed.
 * @param      plan_json     the plan; borrowed.
 * @param      results_json  a JSON array of task results; borrowed.
 * @return FLOE_OK; FLOE_EINVALID_ARG when a day has no result or two, or a result names a file outside the
 *         table; FLOE_ECONFLICT when a concurrent commit replaced the same days; FLOE_ENOTFOUND;
 *         FLOE_EINVALID_HANDLE; FLOE_EIO; FLOE_EINTERNAL.
 */
FLOE_API int floe_tasks_commit(floe_buf *out, const floe_warehouse *w, const char *plan_json,
                               const char *results_json);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* FLOE_H */
