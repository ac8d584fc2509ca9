/* C tests of branches: write-audit-publish through a staging branch and fast-forward. */
#define _POSIX_C_SOURCE 200809L
#include "floe_fixture.h"

static const char *const ROWS = "1,1.0,a\n2,2.0,b\n";

void test_branch__wap_staging_then_fast_forward(void)
{
    fx_warehouse fx;
    floe_ingest_options opts = FLOE_INGEST_OPTIONS_INIT;
    floe_scan_options scan = FLOE_SCAN_OPTIONS_INIT;
    floe_buf json = {NULL, 0};
    struct ArrowArrayStream stream;
    struct ArrowArray batch;
    int64_t staged = 0;
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", ROWS, NULL);
    FT_ASSERT_INT(2, fx_count(&fx));

    /* Write: ingest to the staging branch; main does not change. */
    FT_OK(floe_branch_create(fx.w, FX_TABLE, "staging", NULL));
    opts.branch = "staging";
    opts.properties_json = "{\"floe.code-version\":\"abc123\"}";
    fx_ingest(&fx, "b.csv", "3,3.0,c\n4,4.0,d\n5,5.0,e\n", &opts);
    FT_ASSERT_INT(2, fx_count(&fx));

    /* Audit: the staged rows are visible through the ref. */
    scan.ref = "staging";
    FT_OK(floe_table_scan(&stream, fx.w, FX_TABLE, &scan));
    for (;;) {
        FT_ASSERT_INT(0, stream.get_next(&stream, &batch));
        if (batch.release == NULL) break;
        staged += batch.length;
        batch.release(&batch);
    }
    stream.release(&stream);
    FT_ASSERT_INT(5, staged);

    FT_OK(floe_table_snapshots(&json, fx.w, FX_TABLE));
    FT_ASSERT_CONTAINS("abc123", (const char *)json.data);
    floe_buf_free(&json);

    /* Publish: fast-forward main to staging. */
    FT_OK(floe_branch_fast_forward(fx.w, FX_TABLE, "main", "staging"));
    FT_ASSERT_INT(5, fx_count(&fx));
    fx_close(&fx);
}

void test_branch__diverged_fast_forward_is_validation(void)
{
    fx_warehouse fx;
    floe_ingest_options opts = FLOE_INGEST_OPTIONS_INIT;
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", ROWS, NULL);
    FT_OK(floe_branch_create(fx.w, FX_TABLE, "staging", NULL));
    opts.branch = "staging";
    fx_ingest(&fx, "b.csv", ROWS, &opts);
    fx_ingest(&fx, "c.csv", ROWS, NULL); /* main moves on too */
    FT_ASSERT_INT(FLOE_EVALIDATION, floe_branch_fast_forward(fx.w, FX_TABLE, "main", "staging"));
    FT_ASSERT_INT(4, fx_count(&fx));
    fx_close(&fx);
}

void test_branch__create_twice_is_exists_and_unknown_from_is_not_found(void)
{
    fx_warehouse fx;
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", ROWS, NULL);
    FT_OK(floe_branch_create(fx.w, FX_TABLE, "dev", NULL));
    FT_ASSERT_INT(FLOE_EEXISTS, floe_branch_create(fx.w, FX_TABLE, "dev", NULL));
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_branch_create(fx.w, FX_TABLE, "dev2", "nosuch"));
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_branch_create(fx.w, "db.nosuch", "dev", NULL));
    FT_ASSERT_CONTAINS("db.nosuch", floe_last_error()->message);
    fx_close(&fx);
}
