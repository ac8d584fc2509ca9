/*
 * C tests of the table lifecycle, delete, maintenance and ref exports: check, drop (purge and its safety rule),
 * register, delete by filter, expire/remove-orphans/compact, tag create, branch/tag replace, ref drop, cherry-pick,
 * and their misuse (NULL pointers, bad handles, bad UTF-8) as error codes.
 */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "floe_fixture.h"

#define PARTS "db.parts"

/* Pulls the integer after "key": out of JSON text (the first occurrence), or fails. */
static long long json_int(const char *json, const char *key)
{
    char pattern[64];
    const char *at;
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    at = strstr(json, pattern);
    if (at == NULL) FT_FAIL("no %s in %s", key, json);
    return strtoll(at + strlen(pattern), NULL, 10);
}

/* Copies the string value of "key" out of JSON text into out. */
static void json_str(const char *json, const char *key, char *out, size_t size)
{
    char pattern[64];
    const char *at, *end;
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    at = strstr(json, pattern);
    if (at == NULL) FT_FAIL("no %s in %s", key, json);
    at += strlen(pattern);
    end = strchr(at, '"');
    FT_ASSERT(end != NULL && (size_t)(end - at) < size);
    memcpy(out, at, (size_t)(end - at));
    out[end - at] = '\0';
}

/* A table partitioned by name, and one ingest of rows a,a,b,b (two data files). */
static void open_parts(fx_warehouse *fx)
{
    char path[512];
    floe_buf json = {NULL, 0};
    FILE *f;
    fx_open(fx);
    FT_OK(floe_table_create(fx->w, PARTS, FX_SCHEMA, "name"));
    snprintf(path, sizeof path, "%s/parts.csv", fx->dir);
    f = fopen(path, "w");
    FT_ASSERT(f != NULL);
    fputs("id,amount,name\n1,1.5,a\n2,2.5,a\n3,3.5,b\n4,4.5,b\n", f);
    FT_ASSERT_INT(0, fclose(f));
    FT_OK(floe_ingest_file(&json, fx->w, PARTS, path, NULL));
    floe_buf_free(&json);
}

static int64_t count_of(const fx_warehouse *fx, const char *table)
{
    int64_t n = -1;
    FT_OK(floe_scan_count(&n, fx->w, table, NULL));
    return n;
}

static int file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

void test_maintenance__check_then_drop_with_purge_removes_the_files(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    char metadata[512];
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", "1,1.0,x\n2,2.0,y\n", NULL);

    FT_OK(floe_table_check(&json, fx.w, FX_TABLE, 1));
    FT_ASSERT_CONTAINS("\"healthy\":true", (const char *)json.data);
    FT_ASSERT(json_int((const char *)json.data, "files_checked") >= 1);
    floe_buf_free(&json);

    FT_OK(floe_table_describe(&json, fx.w, FX_TABLE));
    json_str((const char *)json.data, "metadata_location", metadata, sizeof metadata);
    floe_buf_free(&json);
    FT_ASSERT(file_exists(strncmp(metadata, "file://", 7) == 0 ? metadata + 7 : metadata));

    FT_OK(floe_table_drop(&json, fx.w, FX_TABLE, 1, 0));
    FT_ASSERT_CONTAINS("\"purged\":true", (const char *)json.data);
    floe_buf_free(&json);
    FT_ASSERT(!file_exists(strncmp(metadata, "file://", 7) == 0 ? metadata + 7 : metadata));
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_table_describe(&json, fx.w, FX_TABLE));
    FT_ASSERT(json.data == NULL);
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_table_drop(&json, fx.w, FX_TABLE, 0, 0));
    fx_close(&fx);
}

void test_maintenance__register_then_purge_never_deletes_another_tables_files(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    char metadata[512];
    int rc;
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", "1,1.0,x\n2,2.0,y\n3,3.0,z\n", NULL);
    FT_OK(floe_table_describe(&json, fx.w, FX_TABLE));
    json_str((const char *)json.data, "metadata_location", metadata, sizeof metadata);
    floe_buf_free(&json);

    /* register takes a file path; metadata_location is a file:// URI. */
    {
        const char *path = strncmp(metadata, "file://", 7) == 0 ? metadata + 7 : metadata;
        FT_OK(floe_table_register(&json, fx.w, "db.back", path, NULL));
        FT_ASSERT_CONTAINS("\"name\":\"db.back\"", (const char *)json.data);
        floe_buf_free(&json);
        FT_ASSERT_INT(3, count_of(&fx, "db.back"));
        FT_ASSERT_INT(FLOE_EEXISTS, floe_table_register(&json, fx.w, "db.back", path, NULL));
        FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_register(&json, fx.w, "db.other", path, "[1]"));
    }

    /* Purging the registered table must not take the files db.events still uses: refused or skipped. */
    rc = floe_table_drop(&json, fx.w, "db.back", 1, 0);
    FT_ASSERT(rc == FLOE_OK || rc < 0);
    floe_buf_free(&json);
    FT_ASSERT_INT(3, fx_count(&fx));
    FT_OK(floe_table_check(&json, fx.w, FX_TABLE, 1));
    FT_ASSERT_CONTAINS("\"healthy\":true", (const char *)json.data);
    floe_buf_free(&json);
    fx_close(&fx);
}

void test_maintenance__delete_whole_partition_then_rows_of_a_file(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    open_parts(&fx);

    FT_OK(floe_table_delete(&json, fx.w, PARTS, "name = 'a'", NULL));
    FT_ASSERT_INT(1, json_int((const char *)json.data, "deleted_files"));
    FT_ASSERT(json_int((const char *)json.data, "snapshot_id") != 0);
    floe_buf_free(&json);
    FT_ASSERT_INT(2, count_of(&fx, PARTS));

    /* id = 3 matches the remaining file (ids 3 and 4) in part: that file is rewritten without the row. */
    FT_OK(floe_table_delete(&json, fx.w, PARTS, "id = 3", NULL));
    FT_ASSERT_INT(1, json_int((const char *)json.data, "rewritten_files"));
    FT_ASSERT_INT(1, json_int((const char *)json.data, "deleted_rows"));
    floe_buf_free(&json);
    FT_ASSERT_INT(1, count_of(&fx, PARTS));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_delete(&json, fx.w, PARTS, "name = = 'a'", NULL));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_delete(&json, fx.w, PARTS, NULL, NULL));
    fx_close(&fx);
}

void test_maintenance__expire_compact_and_remove_orphans(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    char orphan[512];
    FILE *f;
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", "1,1.0,x\n", NULL);
    fx_ingest(&fx, "b.csv", "2,2.0,y\n", NULL);
    fx_ingest(&fx, "c.csv", "3,3.0,z\n", NULL);

    FT_OK(floe_maintenance_compact(&json, fx.w, FX_TABLE, NULL, 0, 0, 2));
    FT_ASSERT_INT(3, json_int((const char *)json.data, "rewritten_files"));
    FT_ASSERT_INT(1, json_int((const char *)json.data, "added_files"));
    floe_buf_free(&json);
    FT_ASSERT_INT(3, fx_count(&fx));

    FT_OK(floe_maintenance_expire_snapshots(&json, fx.w, FX_TABLE, "99999999999999", 1, 1, 0));
    FT_ASSERT_CONTAINS("\"dry_run\":true", (const char *)json.data);
    floe_buf_free(&json);
    FT_OK(floe_table_snapshots(&json, fx.w, FX_TABLE));
    FT_ASSERT_CONTAINS("\"snapshot_id\"", (const char *)json.data);
    floe_buf_free(&json);

    FT_OK(floe_maintenance_expire_snapshots(&json, fx.w, FX_TABLE, "99999999999999", 1, 0, 0));
    FT_ASSERT_CONTAINS("\"expired_snapshot_ids\":[", (const char *)json.data);
    FT_ASSERT(strstr((const char *)json.data, "\"expired_snapshot_ids\":[]") == NULL);
    floe_buf_free(&json);
    FT_ASSERT_INT(3, fx_count(&fx));
    FT_OK(floe_table_check(&json, fx.w, FX_TABLE, 1));
    FT_ASSERT_CONTAINS("\"healthy\":true", (const char *)json.data);
    FT_ASSERT_INT(1, json_int((const char *)json.data, "snapshots"));
    floe_buf_free(&json);

    /* An unreferenced file under the table's data folder, older than the bound given as epoch ms in the future. */
    FT_OK(floe_table_describe(&json, fx.w, FX_TABLE));
    {
        char location[400];
        json_str((const char *)json.data, "location", location, sizeof location);
        snprintf(orphan, sizeof orphan, "%s/data/orphan.parquet", strncmp(location, "file://", 7) == 0 ? location + 7 : location);
    }
    floe_buf_free(&json);
    f = fopen(orphan, "w");
    FT_ASSERT(f != NULL);
    fputs("not referenced", f);
    FT_ASSERT_INT(0, fclose(f));
    FT_OK(floe_maintenance_remove_orphans(&json, fx.w, FX_TABLE, "99999999999999", 1, 0));
    FT_ASSERT_CONTAINS("orphan.parquet", (const char *)json.data);
    floe_buf_free(&json);
    FT_ASSERT(file_exists(orphan));
    FT_OK(floe_maintenance_remove_orphans(&json, fx.w, FX_TABLE, "99999999999999", 0, 0));
    floe_buf_free(&json);
    FT_ASSERT(!file_exists(orphan));
    FT_ASSERT_INT(3, fx_count(&fx));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_maintenance_remove_orphans(&json, fx.w, FX_TABLE, "yesterday", 1, 0));
    fx_close(&fx);
}

void test_maintenance__tags_replace_drop_and_cherry_pick(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    floe_ingest_options opts = FLOE_INGEST_OPTIONS_INIT;
    long long first, dev_head;
    char from[32];
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", "1,1.0,x\n", NULL);
    FT_OK(floe_tag_create(&json, fx.w, FX_TABLE, "v1", NULL));
    FT_ASSERT_CONTAINS("\"type\":\"tag\"", (const char *)json.data);
    first = json_int((const char *)json.data, "snapshot_id");
    floe_buf_free(&json);
    FT_ASSERT_INT(FLOE_EEXISTS, floe_tag_create(&json, fx.w, FX_TABLE, "v1", NULL));

    FT_OK(floe_branch_create(fx.w, FX_TABLE, "dev", NULL));
    opts.branch = "dev";
    fx_ingest(&fx, "b.csv", "2,2.0,y\n", &opts);
    FT_OK(floe_tag_replace(&json, fx.w, FX_TABLE, "v1", "dev"));
    dev_head = json_int((const char *)json.data, "snapshot_id");
    FT_ASSERT(dev_head != first);
    floe_buf_free(&json);

    /* Main still has one row; cherry-picking dev's head onto main adds its row there. */
    FT_ASSERT_INT(1, fx_count(&fx));
    FT_OK(floe_branch_cherry_pick(&json, fx.w, FX_TABLE, dev_head, NULL));
    FT_ASSERT_CONTAINS("\"snapshot_id\"", (const char *)json.data);
    floe_buf_free(&json);
    FT_ASSERT_INT(2, fx_count(&fx));
    FT_ASSERT(floe_branch_cherry_pick(&json, fx.w, FX_TABLE, 12345, NULL) < 0);
    FT_ASSERT(json.data == NULL);

    snprintf(from, sizeof from, "%lld", first);
    FT_OK(floe_branch_replace(&json, fx.w, FX_TABLE, "dev", from));
    FT_ASSERT_INT(first, json_int((const char *)json.data, "snapshot_id"));
    floe_buf_free(&json);

    FT_OK(floe_ref_drop(fx.w, FX_TABLE, "dev", FLOE_REF_BRANCH));
    FT_OK(floe_ref_drop(fx.w, FX_TABLE, "v1", FLOE_REF_TAG));
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_ref_drop(fx.w, FX_TABLE, "v1", FLOE_REF_TAG));
    FT_ASSERT(floe_ref_drop(fx.w, FX_TABLE, "main", FLOE_REF_BRANCH) < 0);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_ref_drop(fx.w, FX_TABLE, "x", (floe_ref_kind)7));
    FT_OK(floe_table_describe(&json, fx.w, FX_TABLE));
    FT_ASSERT(strstr((const char *)json.data, "\"dev\"") == NULL);
    floe_buf_free(&json);
    fx_close(&fx);
}

void test_maintenance__misuse_is_an_error_code(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    floe_warehouse *closed = NULL;
    static const char bad_utf8[] = {'d', 'b', '.', (char)0xC3, (char)0x28, 0};
    fx_open_with_table(&fx);

    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_check(NULL, fx.w, FX_TABLE, 0));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_check(&json, fx.w, NULL, 0));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_drop(&json, fx.w, bad_utf8, 1, 0));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_register(&json, fx.w, "db.x", NULL, NULL));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_delete(NULL, fx.w, FX_TABLE, "id = 1", NULL));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_maintenance_expire_snapshots(&json, fx.w, FX_TABLE, bad_utf8, 0, 1, 0));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_maintenance_compact(&json, fx.w, FX_TABLE, bad_utf8, 0, 0, 0));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_tag_create(&json, fx.w, FX_TABLE, NULL, NULL));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_branch_replace(&json, fx.w, FX_TABLE, "main", NULL));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_tag_replace(NULL, fx.w, FX_TABLE, "t", "main"));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_ref_drop(fx.w, FX_TABLE, bad_utf8, FLOE_REF_TAG));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_branch_cherry_pick(&json, fx.w, NULL, 1, NULL));
    FT_ASSERT(json.data == NULL);

    FT_OK(floe_warehouse_open(&closed, fx.dir));
    floe_warehouse_close(closed);
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_table_check(&json, closed, FX_TABLE, 0));
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_table_drop(&json, closed, FX_TABLE, 1, 1));
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_table_delete(&json, (const floe_warehouse *)(uintptr_t)0x1234, FX_TABLE, "id = 1", NULL));
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_maintenance_remove_orphans(&json, NULL, FX_TABLE, NULL, 1, 0));
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_ref_drop(closed, FX_TABLE, "x", FLOE_REF_TAG));
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_branch_cherry_pick(&json, closed, FX_TABLE, 1, NULL));
    FT_ASSERT(json.data == NULL);
    /* The table is untouched by all of the above. */
    FT_OK(floe_table_describe(&json, fx.w, FX_TABLE));
    floe_buf_free(&json);
    fx_close(&fx);
}

void test_maintenance__forget_an_entity_in_every_table_with_its_column(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    char path[512];
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", "1,1.0,x\n2,2.0,y\n2,3.0,z\n", NULL);
    /* A second table with the same key column, and one without it. */
    FT_OK(floe_table_create(fx.w, "db.other", "id:long,score:double", NULL));
    FT_OK(floe_table_create(fx.w, "db.nokey", "k:long", NULL));
    fx_write_csv(&fx, "o.csv", "", path, sizeof path);
    {
        FILE *f = fopen(path, "w");
        FT_ASSERT(f != NULL);
        fputs("id,score\n2,0.5\n5,0.7\n", f);
        FT_ASSERT_INT(0, fclose(f));
    }
    FT_OK(floe_ingest_file(&json, fx.w, "db.other", path, NULL));
    floe_buf_free(&json);

    FT_OK(floe_table_forget(&json, fx.w, "id", "2", NULL, 1, NULL));
    FT_ASSERT_CONTAINS("\"dry_run\":true", (const char *)json.data);
    FT_ASSERT_CONTAINS("{\"table\":\"db.events\",\"snapshot_id\":null,\"deleted_rows\":2}", (const char *)json.data);
    floe_buf_free(&json);
    FT_ASSERT_INT(3, fx_count(&fx));

    FT_OK(floe_table_forget(&json, fx.w, "id", "2", NULL, 0, "user request"));
    FT_ASSERT_CONTAINS("\"dry_run\":false", (const char *)json.data);
    FT_ASSERT_CONTAINS("\"table\":\"db.other\"", (const char *)json.data);
    FT_ASSERT(strstr((const char *)json.data, "db.nokey") == NULL);
    floe_buf_free(&json);
    FT_ASSERT_INT(1, fx_count(&fx));
    FT_OK(floe_table_snapshots(&json, fx.w, FX_TABLE));
    FT_ASSERT_CONTAINS("user request", (const char *)json.data);
    floe_buf_free(&json);

    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_forget(&json, fx.w, "id", "two", NULL, 0, NULL));
    FT_ASSERT(json.data == NULL);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_forget(&json, fx.w, "id", "2", "db.nokey", 0, NULL));
    FT_ASSERT_CONTAINS("db.nokey", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_table_forget(&json, fx.w, "id", "2", "db.nosuch", 0, NULL));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_forget(&json, fx.w, NULL, "2", NULL, 0, NULL));
    fx_close(&fx);
}
