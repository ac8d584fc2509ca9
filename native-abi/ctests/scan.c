/* C tests of ingest and scan: ingest CSV, count, snapshots JSON, Arrow C stream scans and their errors. */
#define _POSIX_C_SOURCE 200809L
#include "floe_fixture.h"

static const char *const ROWS =
    "1,1.5,alpha\n"
    "2,2.25,beta\n"
    "3,,gamma\n"
    "4,4.0,delta\n";

/* Finds a top-level column's index by name in a struct schema; asserts it exists. */
static int64_t column_index(const struct ArrowSchema *schema, const char *name)
{
    int64_t i;
    FT_ASSERT_STR("+s", schema->format);
    for (i = 0; i < schema->n_children; i++) {
        if (strcmp(schema->children[i]->name, name) == 0) return i;
    }
    FT_FAIL("no column %s", name);
    return -1;
}

/* True when slot i of an array is valid (no validity bitmap means all valid). */
static int is_valid(const struct ArrowArray *array, int64_t i)
{
    const uint8_t *validity = (const uint8_t *)array->buffers[0];
    int64_t bit = array->offset + i;
    return validity == NULL || (validity[bit / 8] >> (bit % 8)) & 1;
}

/* Scans the whole stream and sums an int64 ("l") or double ("g") column; counts rows and non-null values. */
static double scan_sum(struct ArrowArrayStream *stream, const char *column, int64_t *rows, int64_t *valid)
{
    struct ArrowSchema schema;
    struct ArrowArray batch;
    double sum = 0;
    int64_t index, i;
    int is_double;
    *rows = 0;
    *valid = 0;
    FT_ASSERT_INT(0, stream->get_schema(stream, &schema));
    index = column_index(&schema, column);
    is_double = strcmp(schema.children[index]->format, "g") == 0;
    FT_ASSERT(is_double || strcmp(schema.children[index]->format, "l") == 0);
    schema.release(&schema);
    for (;;) {
        const struct ArrowArray *child;
        FT_ASSERT_INT(0, stream->get_next(stream, &batch));
        if (batch.release == NULL) break; /* end of stream */
        child = batch.children[index];
        for (i = 0; i < child->length; i++) {
            if (!is_valid(child, i)) continue;
            if (is_double) sum += ((const double *)child->buffers[1])[child->offset + i];
            else sum += (double)((const int64_t *)child->buffers[1])[child->offset + i];
            (*valid)++;
        }
        *rows += batch.length;
        batch.release(&batch);
    }
    return sum;
}

void test_scan__ingest_count_and_snapshots(void)
{
    fx_warehouse fx;
    floe_buf ingest = {NULL, 0}, snapshots = {NULL, 0};
    char path[512], id[64];
    const char *at;
    fx_open_with_table(&fx);
    FT_ASSERT_INT(0, fx_count(&fx));

    fx_write_csv(&fx, "a.csv", ROWS, path, sizeof path);
    FT_OK(floe_ingest_file(&ingest, fx.w, FX_TABLE, path, NULL));
    FT_ASSERT_CONTAINS("\"rows\":4", (const char *)ingest.data);
    FT_ASSERT_CONTAINS("\"operation\":\"append\"", (const char *)ingest.data);
    FT_ASSERT_INT(4, fx_count(&fx));

    /* The snapshot id the ingest reported appears in the snapshots JSON. */
    at = strstr((const char *)ingest.data, "\"snapshot_id\":");
    FT_ASSERT(at != NULL);
    snprintf(id, sizeof id, "%lld", strtoll(at + strlen("\"snapshot_id\":"), NULL, 10));
    FT_OK(floe_table_snapshots(&snapshots, fx.w, FX_TABLE));
    FT_ASSERT(((const char *)snapshots.data)[0] == '[');
    FT_ASSERT_CONTAINS(id, (const char *)snapshots.data);
    floe_buf_free(&snapshots);
    floe_buf_free(&ingest);

    FT_OK(floe_table_describe(&snapshots, fx.w, FX_TABLE));
    FT_ASSERT_CONTAINS(id, (const char *)snapshots.data);
    floe_buf_free(&snapshots);
    fx_close(&fx);
}

void test_scan__count_with_filter(void)
{
    fx_warehouse fx;
    int64_t n = -1;
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", ROWS, NULL);
    FT_OK(floe_scan_count(&n, fx.w, FX_TABLE, "id >= 3"));
    FT_ASSERT_INT(2, n);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_scan_count(&n, fx.w, FX_TABLE, "nosuch > 1"));
    fx_close(&fx);
}

void test_scan__stream_sums_columns(void)
{
    fx_warehouse fx;
    struct ArrowArrayStream stream;
    int64_t rows, valid;
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", ROWS, NULL);
    fx_ingest(&fx, "b.csv", "10,100.0,epsilon\n", NULL);

    FT_OK(floe_table_scan(&stream, fx.w, FX_TABLE, NULL));
    FT_ASSERT(scan_sum(&stream, "amount", &rows, &valid) == 1.5 + 2.25 + 4.0 + 100.0);
    FT_ASSERT_INT(5, rows);
    FT_ASSERT_INT(4, valid); /* row 3 has a NULL amount */
    stream.release(&stream);
    FT_ASSERT(stream.release == NULL);

    FT_OK(floe_table_scan(&stream, fx.w, FX_TABLE, NULL));
    FT_ASSERT_INT(20, (int64_t)scan_sum(&stream, "id", &rows, &valid));
    stream.release(&stream);
    fx_close(&fx);
}

void test_scan__stream_with_options(void)
{
    fx_warehouse fx;
    struct ArrowArrayStream stream;
    struct ArrowSchema schema;
    floe_scan_options opts = FLOE_SCAN_OPTIONS_INIT;
    int64_t rows, valid;
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", ROWS, NULL);

    opts.columns = "id";
    opts.filter = "id > 1";
    FT_OK(floe_table_scan(&stream, fx.w, FX_TABLE, &opts));
    FT_ASSERT_INT(0, stream.get_schema(&stream, &schema));
    FT_ASSERT_INT(1, schema.n_children);
    FT_ASSERT_STR("id", schema.children[0]->name);
    schema.release(&schema);
    FT_ASSERT_INT(9, (int64_t)scan_sum(&stream, "id", &rows, &valid));
    FT_ASSERT_INT(3, rows);
    stream.release(&stream);

    opts.columns = NULL;
    opts.filter = NULL;
    opts.ref = "nosuch";
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_table_scan(&stream, fx.w, FX_TABLE, &opts));
    FT_ASSERT(stream.release == NULL);

    opts.ref = NULL;
    opts.version = 0;
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_scan(&stream, fx.w, FX_TABLE, &opts));
    fx_close(&fx);
}

void test_scan__release_before_end(void)
{
    fx_warehouse fx;
    struct ArrowArrayStream stream;
    struct ArrowArray batch;
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", ROWS, NULL);
    fx_ingest(&fx, "b.csv", ROWS, NULL);

    FT_OK(floe_table_scan(&stream, fx.w, FX_TABLE, NULL));
    stream.release(&stream); /* never read */

    FT_OK(floe_table_scan(&stream, fx.w, FX_TABLE, NULL));
    FT_ASSERT_INT(0, stream.get_next(&stream, &batch));
    FT_ASSERT(batch.release != NULL);
    batch.release(&batch);
    stream.release(&stream); /* one file left unread */
    fx_close(&fx);
}

void test_scan__read_error_surfaces_through_get_last_error(void)
{
    fx_warehouse fx;
    struct ArrowArrayStream stream;
    struct ArrowArray batch;
    char command[400];
    int rc;
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", ROWS, NULL);

    FT_OK(floe_table_scan(&stream, fx.w, FX_TABLE, NULL)); /* planned: the data file is listed */
    snprintf(command, sizeof command, "find '%s' -name '*.parquet' -delete", fx.dir);
    FT_ASSERT_INT(0, system(command));
    rc = stream.get_next(&stream, &batch);
    FT_ASSERT(rc != 0);
    FT_ASSERT(stream.get_last_error(&stream) != NULL);
    FT_ASSERT(strlen(stream.get_last_error(&stream)) > 0);
    stream.release(&stream);
    fx_close(&fx);
}

void test_scan__ingest_bad_options_is_invalid_arg(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    floe_ingest_options opts = FLOE_INGEST_OPTIONS_INIT;
    char path[512];
    fx_open_with_table(&fx);
    fx_write_csv(&fx, "a.csv", ROWS, path, sizeof path);
    opts.mode = 7;
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_ingest_file(&json, fx.w, FX_TABLE, path, &opts));
    opts.mode = FLOE_INGEST_APPEND;
    opts.properties_json = "[1]";
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_ingest_file(&json, fx.w, FX_TABLE, path, &opts));
    FT_ASSERT_CONTAINS("properties_json", floe_last_error()->message);
    FT_ASSERT(json.data == NULL);
    FT_ASSERT_INT(0, fx_count(&fx));
    fx_close(&fx);
}

void test_scan__empty_table_streams_schema_and_no_batches(void)
{
    fx_warehouse fx;
    struct ArrowArrayStream stream;
    int64_t rows, valid;
    fx_open_with_table(&fx);
    FT_OK(floe_table_scan(&stream, fx.w, FX_TABLE, NULL));
    FT_ASSERT(scan_sum(&stream, "id", &rows, &valid) == 0);
    FT_ASSERT_INT(0, rows);
    stream.release(&stream);
    fx_close(&fx);
}

/* floe.h: an option struct whose version this library does not know gives FLOE_EINVALID_ARG (never silently read
 * as version 1), for the versions before and after the one the header defines, and nothing is written. */
void test_scan__unknown_options_version_is_invalid_arg(void)
{
    static const uint32_t versions[] = {0, 2, 99, 0xFFFFFFFFu};
    fx_warehouse fx;
    struct ArrowArrayStream stream;
    floe_scan_options scan_opts = FLOE_SCAN_OPTIONS_INIT;
    floe_ingest_options ingest_opts = FLOE_INGEST_OPTIONS_INIT;
    floe_buf out = {NULL, 0};
    char path[512];
    size_t i;
    fx_open_with_table(&fx);
    fx_write_csv(&fx, "a.csv", ROWS, path, sizeof path);

    for (i = 0; i < sizeof versions / sizeof versions[0]; i++) {
        scan_opts.version = versions[i];
        FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_table_scan(&stream, fx.w, FX_TABLE, &scan_opts));
        FT_ASSERT(stream.release == NULL);
        FT_ASSERT_CONTAINS("opts->version", floe_last_error()->message);

        ingest_opts.version = versions[i];
        FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_ingest_file(&out, fx.w, FX_TABLE, path, &ingest_opts));
        FT_ASSERT(out.data == NULL);
        FT_ASSERT_CONTAINS("opts->version", floe_last_error()->message);
    }

    /* The version the header defines still works, and the rejected ingests committed nothing. */
    FT_ASSERT_INT(0, fx_count(&fx));
    ingest_opts.version = 1;
    FT_OK(floe_ingest_file(&out, fx.w, FX_TABLE, path, &ingest_opts));
    floe_buf_free(&out);
    FT_ASSERT_INT(4, fx_count(&fx));
    fx_close(&fx);
}

void test_scan__aggregate(void)
{
    fx_warehouse fx;
    floe_buf out = {NULL, 0};
    fx_open_with_table(&fx);
    fx_ingest(&fx, "a.csv", ROWS, NULL);

    /* ids 1..4; amounts 1.5, 2.25, null, 4.0 */
    FT_OK(floe_scan_aggregate(&out, fx.w, FX_TABLE, "count(*), count(amount), sum(id), min(amount), max(amount), avg(id)", NULL));
    FT_ASSERT_CONTAINS("{\"name\":\"count(*)\",\"type\":\"long\",\"value\":4}", (const char *)out.data);
    FT_ASSERT_CONTAINS("{\"name\":\"count(amount)\",\"type\":\"long\",\"value\":3}", (const char *)out.data);
    FT_ASSERT_CONTAINS("{\"name\":\"sum(id)\",\"type\":\"long\",\"value\":10}", (const char *)out.data);
    FT_ASSERT_CONTAINS("{\"name\":\"min(amount)\",\"type\":\"double\",\"value\":1.5}", (const char *)out.data);
    FT_ASSERT_CONTAINS("{\"name\":\"max(amount)\",\"type\":\"double\",\"value\":4}", (const char *)out.data);
    FT_ASSERT_CONTAINS("{\"name\":\"avg(id)\",\"type\":\"double\",\"value\":2.5}", (const char *)out.data);
    floe_buf_free(&out);

    FT_OK(floe_scan_aggregate(&out, fx.w, FX_TABLE, "sum(id),max(amount)", "id >= 3"));
    FT_ASSERT_CONTAINS("{\"name\":\"sum(id)\",\"type\":\"long\",\"value\":7}", (const char *)out.data);
    FT_ASSERT_CONTAINS("{\"name\":\"max(amount)\",\"type\":\"double\",\"value\":4}", (const char *)out.data);
    floe_buf_free(&out);

    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_scan_aggregate(&out, fx.w, FX_TABLE, NULL, NULL));
    FT_ASSERT(out.data == NULL);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_scan_aggregate(&out, fx.w, FX_TABLE, "sum(nosuch)", NULL));
    FT_ASSERT_CONTAINS("nosuch", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_scan_aggregate(&out, fx.w, FX_TABLE, "median(id)", NULL));
    FT_ASSERT_INT(FLOE_EUNSUPPORTED, floe_scan_aggregate(&out, fx.w, FX_TABLE, "sum(name)", NULL));
    FT_ASSERT_CONTAINS("sum(name)", floe_last_error()->message);
    fx_close(&fx);
}
