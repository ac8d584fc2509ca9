/*
 * C tests of the features module: validate (a result, not an error, for a bad definition) and compute from an
 * Arrow stream (here a table scan) into an Arrow stream, with misuse as error codes and the input always released.
 */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "floe_fixture.h"

#define EVENTS "demo.events"

static const char DEFINITION[] =
    "{\"name\": \"user_txn\", \"version\": 1, \"entity\": [\"entity_id\"], \"timestamp\": \"event_time\",\n"
    " \"source\": {\"table\": \"demo.nowhere\"},\n"
    " \"features\": [{\"name\": \"txn_count_1d\", \"agg\": \"count\", \"window\": \"1d\"},\n"
    "              {\"name\": \"amount_sum_1d\", \"agg\": \"sum\", \"column\": \"amount\", \"window\": \"1d\"}]}\n";

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    FT_ASSERT(f != NULL);
    fputs(text, f);
    FT_ASSERT_INT(0, fclose(f));
}

/* An events table with 5 events: 3 on 2024-01-01, 1 on 01-02, 1 on 01-05; the definition file beside it. */
static void open_events(fx_warehouse *fx, char *definition, size_t size)
{
    char csv[512];
    floe_buf json = {NULL, 0};
    fx_open(fx);
    FT_OK(floe_table_create(fx->w, EVENTS, "entity_id:long not null,event_time:timestamptz not null,amount:double", NULL));
    snprintf(csv, sizeof csv, "%s/events.csv", fx->dir);
    write_text(csv, "entity_id,event_time,amount\n"
                    "1,2024-01-01T01:00:00Z,1.0\n1,2024-01-01T02:00:00Z,2.0\n2,2024-01-01T03:00:00Z,5.0\n"
                    "1,2024-01-02T01:00:00Z,4.0\n2,2024-01-05T00:00:00Z,8.0\n");
    FT_OK(floe_ingest_file(&json, fx->w, EVENTS, csv, NULL));
    floe_buf_free(&json);
    snprintf(definition, size, "%s/user_txn.json", fx->dir);
    write_text(definition, DEFINITION);
}

static void scan_events(const fx_warehouse *fx, struct ArrowArrayStream *stream)
{
    memset(stream, 0, sizeof *stream);
    FT_OK(floe_table_scan(stream, fx->w, EVENTS, NULL));
}

void test_features__validate_good_and_bad(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    char definition[512], bad[512];
    open_events(&fx, definition, sizeof definition);
    FT_OK(floe_features_validate(&json, definition));
    FT_ASSERT_STR("{\"valid\":true,\"errors\":[]}", (const char *)json.data);
    floe_buf_free(&json);

    snprintf(bad, sizeof bad, "%s/bad.json", fx.dir);
    write_text(bad, "{\"name\": \"x\", \"version\": 1, \"entity\": [\"entity_id\"], \"timestamp\": \"event_time\","
                    " \"features\": [{\"name\": \"f\", \"agg\": \"median_of_nothing\", \"window\": \"1d\"}]}");
    FT_OK(floe_features_validate(&json, bad));
    FT_ASSERT_CONTAINS("\"valid\":false", (const char *)json.data);
    floe_buf_free(&json);

    snprintf(bad, sizeof bad, "%s/missing.json", fx.dir);
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_features_validate(&json, bad));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_features_validate(&json, NULL));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_features_validate(NULL, definition));
    fx_close(&fx);
}

void test_features__compute_from_a_stream_into_a_stream(void)
{
    fx_warehouse fx;
    char definition[512];
    struct ArrowArrayStream events, out;
    struct ArrowSchema schema;
    int64_t rows = 0, batches = 0;
    int i, has_sum = 0;
    open_events(&fx, definition, sizeof definition);
    scan_events(&fx, &events);

    FT_OK(floe_features_compute(&out, definition, &events, "2024-01-01", "2024-01-03"));
    FT_ASSERT(events.release == NULL); /* moved */
    FT_ASSERT(out.release != NULL);
    FT_ASSERT_INT(0, out.get_schema(&out, &schema));
    for (i = 0; i < schema.n_children; i++) {
        if (strcmp(schema.children[i]->name, "amount_sum_1d") == 0) has_sum = 1;
    }
    schema.release(&schema);
    FT_ASSERT(has_sum);
    for (;;) {
        struct ArrowArray batch;
        FT_ASSERT_INT(0, out.get_next(&out, &batch));
        if (batch.release == NULL) break;
        rows += batch.length;
        batches++;
        batch.release(&batch);
    }
    out.release(&out);
    /* Four events fall in [01-01, 01-03), on two UTC days; the one on 01-05 is outside. */
    FT_ASSERT_INT(4, rows);
    FT_ASSERT_INT(2, batches);
    fx_close(&fx);
}

void test_features__misuse_is_an_error_code_and_releases_the_input(void)
{
    fx_warehouse fx;
    char definition[512], missing[512];
    struct ArrowArrayStream events, out;
    open_events(&fx, definition, sizeof definition);

    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_features_compute(&out, definition, NULL, "2024-01-01", "2024-01-03"));
    FT_ASSERT(out.release == NULL);

    scan_events(&fx, &events);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_features_compute(&out, definition, &events, "yesterday", "2024-01-03"));
    FT_ASSERT(events.release == NULL && out.release == NULL);

    scan_events(&fx, &events);
    snprintf(missing, sizeof missing, "%s/missing.json", fx.dir);
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_features_compute(&out, missing, &events, "2024-01-01", "2024-01-03"));
    FT_ASSERT(events.release == NULL);

    scan_events(&fx, &events);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_features_compute(NULL, definition, &events, "2024-01-01", "2024-01-03"));
    FT_ASSERT(events.release == NULL);

    /* Events without the definition's amount column: the definition does not fit. */
    {
        floe_scan_options opts = FLOE_SCAN_OPTIONS_INIT;
        memset(&events, 0, sizeof events);
        opts.columns = "entity_id,event_time";
        FT_OK(floe_table_scan(&events, fx.w, EVENTS, &opts));
        FT_ASSERT(floe_features_compute(&out, definition, &events, "2024-01-01", "2024-01-03") < 0);
        FT_ASSERT(events.release == NULL && out.release == NULL);
    }
    fx_close(&fx);
}
