/*
 * Header test: compiled (never run) as C99, C11, C++11 and C++17 under
 * -Wall -Wextra -Werror -pedantic and friends. It proves floe.h is
 * self-contained, idempotent, valid in both languages, and that its
 * declarations have the signatures and layouts the library implements.
 */
#include "floe.h"
#include "floe.h" /* the include guard must make a second inclusion harmless */

/* A compile-time assertion valid in C99 and C++98 alike. */
#define HT_ASSERT(name, cond) typedef char ht_assert_##name[(cond) ? 1 : -1]

/* Error codes mirror engine/Floe.Core/Errors/FloeErrorCode.cs. */
HT_ASSERT(ok, FLOE_OK == 0);
HT_ASSERT(einternal, FLOE_EINTERNAL == -1);
HT_ASSERT(einvalid_arg, FLOE_EINVALID_ARG == -2);
HT_ASSERT(enotfound, FLOE_ENOTFOUND == -3);
HT_ASSERT(eexists, FLOE_EEXISTS == -4);
HT_ASSERT(einvalid_data, FLOE_EINVALID_DATA == -5);
HT_ASSERT(econflict, FLOE_ECONFLICT == -6);
HT_ASSERT(eio, FLOE_EIO == -7);
HT_ASSERT(eunsupported, FLOE_EUNSUPPORTED == -8);
HT_ASSERT(einvalid_handle, FLOE_EINVALID_HANDLE == -9);
HT_ASSERT(evalidation, FLOE_EVALIDATION == -10);
HT_ASSERT(ecancelled, FLOE_ECANCELLED == -11);

/* Versions. */
HT_ASSERT(version_check_self, FLOE_VERSION_CHECK(FLOE_VERSION_MAJOR, FLOE_VERSION_MINOR, FLOE_VERSION_PATCH));
HT_ASSERT(version_check_newer, !FLOE_VERSION_CHECK(FLOE_VERSION_MAJOR, FLOE_VERSION_MINOR + 1, 0));
HT_ASSERT(version_check_older, FLOE_VERSION_CHECK(0, 0, 0));
HT_ASSERT(abi_version, FLOE_ABI_VERSION >= 1);
HT_ASSERT(version_string, sizeof(FLOE_VERSION) >= 6);

/* Layouts the C# mirrors (Interop/FloeBuf.cs, Interop/FloeError.cs) assume. */
HT_ASSERT(buf_size, sizeof(floe_buf) == 2 * sizeof(void *));
HT_ASSERT(buf_len, offsetof(floe_buf, len) == sizeof(void *));
HT_ASSERT(error_category, offsetof(floe_error, category) == sizeof(void *));
HT_ASSERT(error_message, offsetof(floe_error, message) == 2 * sizeof(void *));

/* Option layouts the C# mirrors (Interop/FloeIngestOptions.cs, Interop/FloeScanOptions.cs) assume (64-bit). */
HT_ASSERT(ingest_options_size, sizeof(floe_ingest_options) == 24 || sizeof(void *) != 8);
HT_ASSERT(ingest_options_branch, offsetof(floe_ingest_options, branch) == 8 || sizeof(void *) != 8);
HT_ASSERT(scan_options_size, sizeof(floe_scan_options) == 48 || sizeof(void *) != 8);
HT_ASSERT(scan_options_snapshot, offsetof(floe_scan_options, snapshot_id) == 8);
HT_ASSERT(ingest_modes, FLOE_INGEST_APPEND == 0 && FLOE_INGEST_OVERWRITE_PARTITIONS == 1);

/* Arrow C Data Interface layouts (64-bit). */
HT_ASSERT(arrow_schema, sizeof(struct ArrowSchema) == 9 * 8 || sizeof(void *) != 8);
HT_ASSERT(arrow_array, sizeof(struct ArrowArray) == 10 * 8 || sizeof(void *) != 8);
HT_ASSERT(arrow_stream, sizeof(struct ArrowArrayStream) == 5 * 8 || sizeof(void *) != 8);
HT_ASSERT(arrow_flags, ARROW_FLAG_DICTIONARY_ORDERED == 1 && ARROW_FLAG_NULLABLE == 2 &&
                       ARROW_FLAG_MAP_KEYS_SORTED == 4);

/*
 * Assigning each function to a pointer of the exact expected type fails to
 * compile if a declaration drifts. Nothing here runs; the object is not linked.
 */
void headertest_signatures(void);
void headertest_signatures(void)
{
    const char *(*version)(void) = floe_version;
    int (*abi_version)(void) = floe_abi_version;
    const floe_error *(*last_error)(void) = floe_last_error;
    void (*buf_free)(floe_buf *) = floe_buf_free;
    int (*warehouse_open)(floe_warehouse **, const char *) = floe_warehouse_open;
    void (*warehouse_close)(floe_warehouse *) = floe_warehouse_close;
    int (*warehouse_path)(floe_buf *, const floe_warehouse *) = floe_warehouse_path;
    int (*table_create)(const floe_warehouse *, const char *, const char *, const char *) = floe_table_create;
    int (*table_describe)(floe_buf *, const floe_warehouse *, const char *) = floe_table_describe;
    int (*table_list)(floe_buf *, const floe_warehouse *) = floe_table_list;
    int (*snapshots)(floe_buf *, const floe_warehouse *, const char *) = floe_table_snapshots;
    int (*ingest_file)(floe_buf *, const floe_warehouse *, const char *, const char *,
                       const floe_ingest_options *) = floe_ingest_file;
    int (*scan_count)(int64_t *, const floe_warehouse *, const char *, const char *) = floe_scan_count;
    int (*scan)(struct ArrowArrayStream *, const floe_warehouse *, const char *, const floe_scan_options *) = floe_table_scan;
    int (*branch_create)(const floe_warehouse *, const char *, const char *, const char *) = floe_branch_create;
    int (*branch_fast_forward)(const floe_warehouse *, const char *, const char *, const char *) =
        floe_branch_fast_forward;
    int (*backfill_run)(floe_buf *, const floe_warehouse *, const char *, floe_progress_fn, void *) = floe_backfill_run;
    int (*lineage_describe)(floe_buf *, const floe_warehouse *, const char *, const char *) = floe_lineage_describe;
    int (*audit_run)(floe_buf *, const floe_warehouse *, const char *, const char *, const char *) = floe_audit_run;
    int (*publish_run)(floe_buf *, const floe_warehouse *, const char *, const char *) = floe_publish_run;
    int (*training_set_build)(floe_buf *, const floe_warehouse *, const char *) = floe_training_set_build;
    int (*backfill_plan)(floe_buf *, const floe_warehouse *, const char *) = floe_backfill_plan;
    int (*task_execute)(floe_buf *, const floe_warehouse *, const char *) = floe_task_execute;
    int (*tasks_commit)(floe_buf *, const floe_warehouse *, const char *, const char *) = floe_tasks_commit;
    floe_progress_fn progress_fn = 0;
    int (*progress)(int64_t, int64_t, int64_t, void *) = progress_fn;
    floe_ingest_options ingest_options = FLOE_INGEST_OPTIONS_INIT;
    floe_scan_options scan_options = FLOE_SCAN_OPTIONS_INIT;
    floe_error_code code = FLOE_OK;
    floe_buf buf = {0, 0};

    (void)version;
    (void)abi_version;
    (void)last_error;
    (void)buf_free;
    (void)warehouse_open;
    (void)warehouse_close;
    (void)warehouse_path;
    (void)table_create;
    (void)table_describe;
    (void)table_list;
    (void)snapshots;
    (void)ingest_file;
    (void)scan_count;
    (void)scan;
    (void)branch_create;
    (void)branch_fast_forward;
    (void)backfill_run;
    (void)lineage_describe;
    (void)audit_run;
    (void)publish_run;
    (void)training_set_build;
    (void)progress;
    (void)backfill_plan;
    (void)task_execute;
    (void)tasks_commit;
    (void)ingest_options;
    (void)scan_options;
    (void)code;
    (void)buf;
}
