"""Raw ctypes layer: a one-to-one mirror of native-abi/include/floe.h, under the same names.

Nothing here is idiomatic; the public modules build on it. The library is found through the FLOE_LIB
environment variable (a path to libfloe.so), else libfloe.so inside this package (an installed wheel), else
build/dist/libfloe.so above this package, else the
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
FLOE_ECANCELLED = -11


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
    bundled = here.parent / "libfloe.so"  # an installed wheel carries the library inside the package
    if bundled.is_file():
        yield str(bundled)
        return
    for parent in here.parents:
        candidate = parent / "build" / "dist" / "libfloe.so"
        if candidate.is_file():
            yield str(candidate)
            return
    yield "libfloe.so"
    yield "libfloe.so.0"  # the soname: what an installed runtime (without the development link) provides


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

# int floe_warehouse_open_catalog(floe_warehouse** out, const char* path, const char* catalog, const char* token);
floe_warehouse_open_catalog = _bind("floe_warehouse_open_catalog", ctypes.c_int,
                                    [ctypes.POINTER(floe_warehouse_p), ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p])

# --- Arrow C Data / Stream Interface (floe.h) ---------------------------------------------------


class ArrowSchema(ctypes.Structure):
    """struct ArrowSchema (Arrow C Data Interface)."""


ArrowSchema._fields_ = [
    ("format", ctypes.c_char_p),
    ("name", ctypes.c_char_p),
    ("metadata", ctypes.c_void_p),
    ("flags", ctypes.c_int64),
    ("n_children", ctypes.c_int64),
    ("children", ctypes.POINTER(ctypes.POINTER(ArrowSchema))),
    ("dictionary", ctypes.POINTER(ArrowSchema)),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowSchema))),
    ("private_data", ctypes.c_void_p),
]


class ArrowArray(ctypes.Structure):
    """struct ArrowArray (Arrow C Data Interface)."""


ArrowArray._fields_ = [
    ("length", ctypes.c_int64),
    ("null_count", ctypes.c_int64),
    ("offset", ctypes.c_int64),
    ("n_buffers", ctypes.c_int64),
    ("n_children", ctypes.c_int64),
    ("buffers", ctypes.POINTER(ctypes.c_void_p)),
    ("children", ctypes.POINTER(ctypes.POINTER(ArrowArray))),
    ("dictionary", ctypes.POINTER(ArrowArray)),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowArray))),
    ("private_data", ctypes.c_void_p),
]


class ArrowArrayStream(ctypes.Structure):
    """struct ArrowArrayStream (Arrow C Stream Interface)."""


ArrowArrayStream._fields_ = [
    ("get_schema", ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ArrowArrayStream), ctypes.POINTER(ArrowSchema))),
    ("get_next", ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ArrowArrayStream), ctypes.POINTER(ArrowArray))),
    ("get_last_error", ctypes.CFUNCTYPE(ctypes.c_char_p, ctypes.POINTER(ArrowArrayStream))),
    ("release", ctypes.CFUNCTYPE(None, ctypes.POINTER(ArrowArrayStream))),
    ("private_data", ctypes.c_void_p),
]

# --- tables ------------------------------------------------------------------------------------

# int floe_table_create(const floe_warehouse* w, const char* name, const char* schema, const char* partition);
floe_table_create = _bind("floe_table_create", ctypes.c_int,
                          [floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p])
# int floe_table_create_with_properties(const floe_warehouse* w, const char* name, const char* schema,
#                                       const char* partition, const char* properties_json);
floe_table_create_with_properties = _bind("floe_table_create_with_properties", ctypes.c_int,
                                          [floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                           ctypes.c_char_p])
# int floe_table_upgrade(floe_buf* out_json, const floe_warehouse* w, const char* name, int format_version);
floe_table_upgrade = _bind("floe_table_upgrade", ctypes.c_int,
                           [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_int])
# int floe_table_describe(floe_buf* out_json, const floe_warehouse* w, const char* name);
floe_table_describe = _bind("floe_table_describe", ctypes.c_int,
                            [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p])
# int floe_table_list(floe_buf* out_json, const floe_warehouse* w);
floe_table_list = _bind("floe_table_list", ctypes.c_int, [ctypes.POINTER(floe_buf), floe_warehouse_p])
# int floe_table_snapshots(floe_buf* out_json, const floe_warehouse* w, const char* table);
floe_table_snapshots = _bind("floe_table_snapshots", ctypes.c_int,
                       [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p])

# int floe_table_check(floe_buf* out_json, const floe_warehouse* w, const char* table, int all_snapshots);
floe_table_check = _bind("floe_table_check", ctypes.c_int,
                         [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_int])
# int floe_table_drop(floe_buf* out_json, const floe_warehouse* w, const char* table, int purge,
#                     int delete_registered_files);
floe_table_drop = _bind("floe_table_drop", ctypes.c_int,
                        [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int])
# int floe_table_register(floe_buf* out_json, const floe_warehouse* w, const char* name, const char* metadata_file,
#                         const char* location_map_json);
floe_table_register = _bind("floe_table_register", ctypes.c_int,
                            [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p,
                             ctypes.c_char_p])
# int floe_table_forget(floe_buf* out_json, const floe_warehouse* w, const char* key, const char* value,
#                       const char* tables, int dry_run, const char* reason);
floe_table_forget = _bind("floe_table_forget", ctypes.c_int,
                          [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p,
                           ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p])
# int floe_table_delete(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* filter,
#                       const char* branch);
floe_table_delete = _bind("floe_table_delete", ctypes.c_int,
                          [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p,
                           ctypes.c_char_p])

# --- maintenance -------------------------------------------------------------------------------

# int floe_maintenance_expire_snapshots(floe_buf* out_json, const floe_warehouse* w, const char* table,
#     const char* older_than, int32_t retain_last, int dry_run, int delete_registered_files);
floe_maintenance_expire_snapshots = _bind("floe_maintenance_expire_snapshots", ctypes.c_int,
                                          [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p,
                                           ctypes.c_char_p, ctypes.c_int32, ctypes.c_int, ctypes.c_int])
# int floe_maintenance_remove_orphans(floe_buf* out_json, const floe_warehouse* w, const char* table,
#     const char* older_than, int dry_run, int delete_registered_files);
floe_maintenance_remove_orphans = _bind("floe_maintenance_remove_orphans", ctypes.c_int,
                                        [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p,
                                         ctypes.c_char_p, ctypes.c_int, ctypes.c_int])
# int floe_maintenance_compact(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* filter,
#     int64_t target_file_size_bytes, int64_t min_file_size_bytes, int32_t min_input_files);
floe_maintenance_compact = _bind("floe_maintenance_compact", ctypes.c_int,
                                 [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p,
                                  ctypes.c_int64, ctypes.c_int64, ctypes.c_int32])

# --- ingest ------------------------------------------------------------------------------------

FLOE_INGEST_APPEND = 0
FLOE_INGEST_OVERWRITE_PARTITIONS = 1


class floe_ingest_options(ctypes.Structure):
    """typedef struct floe_ingest_options { uint32_t version; int mode; const char* branch;
    const char* properties_json; } floe_ingest_options;  (FLOE_INGEST_OPTIONS_INIT: version 1)"""
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("mode", ctypes.c_int),
        ("branch", ctypes.c_char_p),
        ("properties_json", ctypes.c_char_p),
    ]


def FLOE_INGEST_OPTIONS_INIT():
    return floe_ingest_options(1, FLOE_INGEST_APPEND, None, None)


# int floe_ingest_file(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* path,
#                      const floe_ingest_options* opts);
floe_ingest_file = _bind("floe_ingest_file", ctypes.c_int,
                         [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p,
                          ctypes.POINTER(floe_ingest_options)])

# --- scan --------------------------------------------------------------------------------------


class floe_scan_options(ctypes.Structure):
    """typedef struct floe_scan_options { uint32_t version; int64_t snapshot_id; const char* ref;
    const char* as_of; const char* columns; const char* filter; } floe_scan_options;"""
    _fields_ = [
        ("version", ctypes.c_uint32),
        ("snapshot_id", ctypes.c_int64),
        ("ref", ctypes.c_char_p),
        ("as_of", ctypes.c_char_p),
        ("columns", ctypes.c_char_p),
        ("filter", ctypes.c_char_p),
    ]


def FLOE_SCAN_OPTIONS_INIT():
    return floe_scan_options(1, 0, None, None, None, None)


# int floe_scan_count(int64_t* out, const floe_warehouse* w, const char* table, const char* filter);
floe_scan_count = _bind("floe_scan_count", ctypes.c_int,
                        [ctypes.POINTER(ctypes.c_int64), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p])
# int floe_scan_aggregate(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* aggregates,
#                         const char* filter);
floe_scan_aggregate = _bind("floe_scan_aggregate", ctypes.c_int,
                            [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p])
# int floe_table_scan(struct ArrowArrayStream* out, const floe_warehouse* w, const char* table,
#               const floe_scan_options* opts);
floe_table_scan = _bind("floe_table_scan", ctypes.c_int,
                  [ctypes.POINTER(ArrowArrayStream), floe_warehouse_p, ctypes.c_char_p,
                   ctypes.POINTER(floe_scan_options)])
# int floe_ingest_arrow(floe_buf* out_json, const floe_warehouse* w, const char* table,
#                       struct ArrowArrayStream* stream, const floe_ingest_options* opts);
floe_ingest_arrow = _bind("floe_ingest_arrow", ctypes.c_int,
                          [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p,
                           ctypes.POINTER(ArrowArrayStream), ctypes.POINTER(floe_ingest_options)])

# --- features ----------------------------------------------------------------------------------

# int floe_features_validate(floe_buf* out_json, const char* definition_path);
floe_features_validate = _bind("floe_features_validate", ctypes.c_int, [ctypes.POINTER(floe_buf), ctypes.c_char_p])
# int floe_features_compute(struct ArrowArrayStream* out, const char* definition_path,
#                           struct ArrowArrayStream* events, const char* from, const char* to);
floe_features_compute = _bind("floe_features_compute", ctypes.c_int,
                              [ctypes.POINTER(ArrowArrayStream), ctypes.c_char_p, ctypes.POINTER(ArrowArrayStream),
                               ctypes.c_char_p, ctypes.c_char_p])

# --- branches ----------------------------------------------------------------------------------

# int floe_branch_create(const floe_warehouse* w, const char* table, const char* name, const char* from);
floe_branch_create = _bind("floe_branch_create", ctypes.c_int,
                           [floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p])
# int floe_branch_fast_forward(const floe_warehouse* w, const char* table, const char* branch, const char* to);
floe_branch_fast_forward = _bind("floe_branch_fast_forward", ctypes.c_int,
                                 [floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p])

# typedef enum floe_ref_kind { FLOE_REF_BRANCH = 0, FLOE_REF_TAG = 1 } floe_ref_kind;
FLOE_REF_BRANCH = 0
FLOE_REF_TAG = 1
_ref_out = [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
# int floe_tag_create(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* name, const char* from);
floe_tag_create = _bind("floe_tag_create", ctypes.c_int, _ref_out)
# int floe_branch_replace(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* name, const char* to);
floe_branch_replace = _bind("floe_branch_replace", ctypes.c_int, _ref_out)
# int floe_tag_replace(floe_buf* out_json, const floe_warehouse* w, const char* table, const char* name, const char* to);
floe_tag_replace = _bind("floe_tag_replace", ctypes.c_int, _ref_out)
# int floe_ref_drop(const floe_warehouse* w, const char* table, const char* name, floe_ref_kind kind);
floe_ref_drop = _bind("floe_ref_drop", ctypes.c_int, [floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int])
# int floe_branch_cherry_pick(floe_buf* out_json, const floe_warehouse* w, const char* table, int64_t snapshot_id,
#                             const char* branch);
floe_branch_cherry_pick = _bind("floe_branch_cherry_pick", ctypes.c_int,
                                [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_int64,
                                 ctypes.c_char_p])

# --- backfill and lineage ----------------------------------------------------------------------

# typedef int (*floe_progress_fn)(int64_t days_done, int64_t days_total, int64_t rows, void* payload);
floe_progress_fn = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p)

# int floe_backfill_run(floe_buf* out, const floe_warehouse* w, const char* request_json,
#                       floe_progress_fn progress, void* payload);
floe_backfill_run = _bind("floe_backfill_run", ctypes.c_int,
                          [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, floe_progress_fn,
                           ctypes.c_void_p])
# int floe_lineage_describe(floe_buf* out, const floe_warehouse* w, const char* table, const char* selector_json);
floe_lineage_describe = _bind("floe_lineage_describe", ctypes.c_int,
                              [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p])

# --- write-audit-publish -----------------------------------------------------------------------

# int floe_audit_run(floe_buf* out, const floe_warehouse* w, const char* table, const char* branch,
#                    const char* options_json);
floe_audit_run = _bind("floe_audit_run", ctypes.c_int,
                       [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p,
                        ctypes.c_char_p])
# int floe_publish_run(floe_buf* out, const floe_warehouse* w, const char* table, const char* branch);
floe_publish_run = _bind("floe_publish_run", ctypes.c_int,
                         [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p])

# --- training sets -----------------------------------------------------------------------------

# int floe_training_set_build(floe_buf* out, const floe_warehouse* w, const char* request_json);
floe_training_set_build = _bind("floe_training_set_build", ctypes.c_int,
                                [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p])

# --- distributed backfill ----------------------------------------------------------------------

# int floe_backfill_plan(floe_buf* out, const floe_warehouse* w, const char* request_json);
floe_backfill_plan = _bind("floe_backfill_plan", ctypes.c_int,
                           [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p])
# int floe_task_execute(floe_buf* out, const floe_warehouse* w, const char* task_json);
floe_task_execute = _bind("floe_task_execute", ctypes.c_int,
                          [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p])
# int floe_tasks_commit(floe_buf* out, const floe_warehouse* w, const char* plan_json, const char* results_json);
floe_tasks_commit = _bind("floe_tasks_commit", ctypes.c_int,
                          [ctypes.POINTER(floe_buf), floe_warehouse_p, ctypes.c_char_p, ctypes.c_char_p])
