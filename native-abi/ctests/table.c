/* C tests of the table module: create, describe, list, snapshots, and their errors. */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "floe_fixture.h"

void test_table__create_then_describe_and_list(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    fx_open_with_table(&fx);

    FT_OK(floe_table_describe(&json, fx.w, FX_TABLE));
    FT_ASSERT_CONTAINS("\"name\":\"db.events\"", (const char *)json.data);
    FT_ASSERT_CONTAINS("\"format_version\":2", (const char *)json.data);
    FT_ASSERT_CONTAINS("\"current_snapshot_id\":null", (const char *)json.data);
    FT_ASSERT_CONTAINS("\"amount\"", (const char *)json.data);
    floe_buf_free(&json);

    FT_OK(floe_table_list(&json, fx.w));
    FT_ASSERT_STR("[\"db.events\"]", (const char *)json.data);
    floe_buf_free(&json);
    fx_close(&fx);
}

void test_table__create_partitioned(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    fx_open(&fx);
    FT_OK(floe_table_create(fx.w, "db.parts", "id:long,ts:timestamp", "day(ts),bucket(4,id)"));
    FT_OK(floe_table_describe(&json, fx.w, "db.parts"));
    FT_ASSERT_CONTAINS("\"transform\":\"day\"", (const char *)json.data);
    floe_buf_free(&json);
    fx_close(&fx);
}

void test_table__create_twice_is_exists(void)
{
    fx_warehouse fx;
    fx_open_with_table(&fx);
    FT_ASSERT_INT(FLOE_EEXISTS, floe_table_create(fx.w, FX_TABLE, FX_SCHEMA, NULL));
    fx_close(&fx);
}

void test_table__bad_schema_is_invalid_arg(void)
{
    fx_warehouse fx;
    fx_open(&fx);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_create(fx.w, "db.bad", "id:notatype", NULL));
    FT_ASSERT_CONTAINS("floe_table_create", floe_last_error()->message);
    fx_close(&fx);
}

void test_table__name_leaving_the_warehouse_is_invalid_arg(void)
{
    static const char *const hostile[] = {".x.t", "x..t", "a/b.t", "../up.t", "db.", "db.-t"};
    fx_warehouse fx;
    size_t i;
    fx_open(&fx);
    for (i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_create(fx.w, hostile[i], FX_SCHEMA, NULL));
    }
    FT_ASSERT(access("/x/t", F_OK) != 0);
    fx_close(&fx);
}

void test_table__unknown_table_is_not_found_naming_it(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    int64_t n = 7;
    fx_open(&fx);
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_table_describe(&json, fx.w, "db.nosuch"));
    FT_ASSERT(json.data == NULL);
    FT_ASSERT_CONTAINS("db.nosuch", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_table_snapshots(&json, fx.w, "db.nosuch"));
    FT_ASSERT_CONTAINS("db.nosuch", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_scan_count(&n, fx.w, "db.nosuch", NULL));
    FT_ASSERT_INT(0, n);
    FT_ASSERT_CONTAINS("db.nosuch", floe_last_error()->message);
    fx_close(&fx);
}

void test_table__closed_handle_is_invalid_handle(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    int64_t n = 0;
    fx_open_with_table(&fx);
    floe_warehouse_close(fx.w);
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_table_describe(&json, fx.w, FX_TABLE));
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_table_create(fx.w, "db.other", FX_SCHEMA, NULL));
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_scan_count(&n, fx.w, FX_TABLE, NULL));
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_table_list(&json, NULL));
    FT_OK(floe_warehouse_open(&fx.w, fx.dir)); /* so fx_close has a live handle to close */
    fx_close(&fx);
}

void test_table__null_out_is_invalid_arg(void)
{
    fx_warehouse fx;
    fx_open_with_table(&fx);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_describe(NULL, fx.w, FX_TABLE));
    FT_ASSERT_CONTAINS("out_json must not be NULL", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_list(NULL, fx.w));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_snapshots(NULL, fx.w, FX_TABLE));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_scan_count(NULL, fx.w, FX_TABLE, NULL));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_scan(NULL, fx.w, FX_TABLE, NULL));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_ingest_file(NULL, fx.w, FX_TABLE, "/x.csv", NULL));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_create(fx.w, NULL, FX_SCHEMA, NULL));
    fx_close(&fx);
}

void test_table__create_with_properties_makes_a_v3_table_with_them(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    fx_open(&fx);
    FT_OK(floe_table_create_with_properties(fx.w, "db.v3", FX_SCHEMA, NULL,
                                            "{\"format-version\":\"3\",\"write.delete.mode\":\"merge-on-read\"}"));
    FT_OK(floe_table_describe(&json, fx.w, "db.v3"));
    FT_ASSERT_CONTAINS("\"format_version\":3", (const char *)json.data);
    FT_ASSERT_CONTAINS("\"write.delete.mode\":\"merge-on-read\"", (const char *)json.data);
    floe_buf_free(&json);
    /* NULL properties: the same as floe_table_create. */
    FT_OK(floe_table_create_with_properties(fx.w, "db.v2", FX_SCHEMA, NULL, NULL));
    FT_OK(floe_table_describe(&json, fx.w, "db.v2"));
    FT_ASSERT_CONTAINS("\"format_version\":2", (const char *)json.data);
    floe_buf_free(&json);
    fx_close(&fx);
}

void test_table__create_with_bad_properties_is_invalid_arg_and_creates_nothing(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    fx_open(&fx);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_create_with_properties(fx.w, "db.bad", FX_SCHEMA, NULL, "[1,2]"));
    FT_ASSERT_CONTAINS("properties_json", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_create_with_properties(fx.w, "db.bad", FX_SCHEMA, NULL, "{\"a\":1}"));
    FT_ASSERT_INT(FLOE_EINVALID_ARG,
                  floe_table_create_with_properties(fx.w, "db.bad", FX_SCHEMA, NULL, "{\"format-version\":\"9\"}"));
    FT_ASSERT_CONTAINS("format-version", floe_last_error()->message);
    FT_OK(floe_table_list(&json, fx.w));
    FT_ASSERT_STR("[]", (const char *)json.data);
    floe_buf_free(&json);
    fx_close(&fx);
}

void test_table__upgrade_to_v3_then_downgrade_is_refused(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    fx_open_with_table(&fx);
    FT_OK(floe_table_upgrade(&json, fx.w, FX_TABLE, 3));
    FT_ASSERT_CONTAINS("\"format_version\":3", (const char *)json.data);
    floe_buf_free(&json);
    FT_OK(floe_table_describe(&json, fx.w, FX_TABLE));
    FT_ASSERT_CONTAINS("\"format_version\":3", (const char *)json.data);
    floe_buf_free(&json);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_upgrade(&json, fx.w, FX_TABLE, 2));
    FT_ASSERT(json.data == NULL);
    FT_ASSERT_INT(FLOE_EUNSUPPORTED, floe_table_upgrade(&json, fx.w, FX_TABLE, 4));
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_table_upgrade(&json, fx.w, "db.nosuch", 3));
    FT_ASSERT_CONTAINS("db.nosuch", floe_last_error()->message);
    fx_close(&fx);
}
