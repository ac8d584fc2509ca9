/*
 * The Arrow stream the JVM shim and the Go binding build (floe_batch_stream.h), without a JVM, so that valgrind can
 * watch it (ctest valgrind_batch_stream): read back by hand as a consumer would, released half-read, ingested into a
 * real warehouse and read back by scan, refused for a schema mismatch (released all the same), and fed to
 * floe_features_compute, whose output outlives the events stream it moved.
 */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "floe_batch_stream.h"
#include "floe_fixture.h"

/* A malloc'd copy of n bytes. */
static void *dup_bytes(const void *data, size_t n)
{
    void *out = malloc(n > 0 ? n : 1);
    FT_ASSERT(out != NULL);
    memcpy(out, data, n);
    return out;
}

/*
 * A stream of `batches` batches over (id int64, amount double with every third value null, name utf8), rows ids
 * first, first + 1, ...: as the shim builds it from Java arrays.
 */
static void build_events(struct ArrowArrayStream *out, int batches, int rows, int64_t first, const char *name_column)
{
    const char *names[3] = {"id", "amount", NULL};
    const char *formats[3] = {"l", "g", "u"};
    int b, i;
    names[2] = name_column;
    FT_ASSERT_INT(0, fbs_stream_init(out, 3, names, formats));
    for (b = 0; b < batches; b++) {
        struct ArrowArray columns[3];
        int64_t ids[16];
        double amounts[16];
        uint8_t validity[2] = {0, 0};
        int32_t offsets[17];
        char text[16 * 4];
        int64_t nulls = 0;
        void *buffers[3];
        FT_ASSERT(rows <= 16);
        offsets[0] = 0;
        for (i = 0; i < rows; i++) {
            int64_t id = first + b * rows + i;
            ids[i] = id;
            amounts[i] = (double)id + 0.5;
            if (id % 3 != 0) {
                validity[i / 8] |= (uint8_t)(1u << (i % 8));
            } else {
                nulls++;
            }
            memcpy(text + offsets[i], id % 2 == 0 ? "ev" : "odd", id % 2 == 0 ? 2 : 3);
            offsets[i + 1] = offsets[i] + (id % 2 == 0 ? 2 : 3);
        }
        buffers[0] = NULL;
        buffers[1] = dup_bytes(ids, (size_t)rows * sizeof ids[0]);
        FT_ASSERT_INT(0, fbs_column_init(&columns[0], rows, 0, 2, buffers));
        buffers[0] = nulls == 0 ? NULL : dup_bytes(validity, sizeof validity);
        buffers[1] = dup_bytes(amounts, (size_t)rows * sizeof amounts[0]);
        FT_ASSERT_INT(0, fbs_column_init(&columns[1], rows, nulls, 2, buffers));
        buffers[0] = NULL;
        buffers[1] = dup_bytes(offsets, (size_t)(rows + 1) * sizeof offsets[0]);
        buffers[2] = dup_bytes(text, (size_t)offsets[rows]);
        FT_ASSERT_INT(0, fbs_column_init(&columns[2], rows, 0, 3, buffers));
        FT_ASSERT_INT(0, fbs_stream_append(out, rows, columns));
        FT_ASSERT(columns[0].release == NULL && columns[1].release == NULL && columns[2].release == NULL);
    }
}

void test_batch_stream__reads_back_as_a_consumer_would(void)
{
    struct ArrowArrayStream stream;
    struct ArrowSchema schema;
    struct ArrowArray batch, kept;
    int64_t seen = 0;
    build_events(&stream, 2, 5, 0, "name");

    FT_ASSERT_INT(0, stream.get_schema(&stream, &schema));
    FT_ASSERT_STR("+s", schema.format);
    FT_ASSERT_INT(3, schema.n_children);
    FT_ASSERT_STR("amount", schema.children[1]->name);
    FT_ASSERT_STR("u", schema.children[2]->format);
    FT_ASSERT_INT(ARROW_FLAG_NULLABLE, schema.children[0]->flags);
    schema.release(&schema);
    FT_ASSERT(schema.release == NULL);

    FT_ASSERT_INT(0, stream.get_next(&stream, &kept));
    FT_ASSERT(kept.release != NULL);
    for (;;) {
        const int64_t *ids;
        const int32_t *offsets;
        const char *text;
        FT_ASSERT_INT(0, stream.get_next(&stream, &batch));
        if (batch.release == NULL) {
            break;
        }
        FT_ASSERT_INT(5, batch.length);
        FT_ASSERT_INT(3, batch.n_children);
        ids = (const int64_t *)batch.children[0]->buffers[1];
        FT_ASSERT_INT(5, ids[0]);
        FT_ASSERT_INT(2, batch.children[1]->null_count); /* ids 6 and 9 */
        offsets = (const int32_t *)batch.children[2]->buffers[1];
        text = (const char *)batch.children[2]->buffers[2];
        FT_ASSERT(offsets[1] - offsets[0] == 3 && memcmp(text, "odd", 3) == 0);
        seen += batch.length;
        batch.release(&batch);
    }
    FT_ASSERT_INT(5, seen);
    stream.release(&stream);
    FT_ASSERT(stream.release == NULL);
    /* A batch handed out lives on after its stream, as the C Data Interface says. */
    FT_ASSERT_INT(0, ((const int64_t *)kept.children[0]->buffers[1])[4] - 4);
    /* A consumer may move a child out before releasing the parent. */
    {
        struct ArrowArray child = *kept.children[2];
        kept.children[2]->release = NULL;
        kept.release(&kept);
        child.release(&child);
    }
}

void test_batch_stream__released_unread_frees_everything(void)
{
    struct ArrowArrayStream stream;
    build_events(&stream, 3, 4, 0, "name");
    stream.release(&stream);
    FT_ASSERT(stream.release == NULL);
}

void test_batch_stream__ingested_and_scanned_back(void)
{
    fx_warehouse fx;
    struct ArrowArrayStream stream;
    floe_buf json = {NULL, 0};
    int64_t n = -1;
    fx_open_with_table(&fx);
    build_events(&stream, 3, 4, 1, "name");
    FT_OK(floe_ingest_arrow(&json, fx.w, FX_TABLE, &stream, NULL));
    FT_ASSERT(stream.release == NULL);
    FT_ASSERT_CONTAINS("\"rows\":12", (const char *)json.data);
    floe_buf_free(&json);
    FT_ASSERT_INT(12, fx_count(&fx));
    FT_OK(floe_scan_count(&n, fx.w, FX_TABLE, "amount is null"));
    FT_ASSERT_INT(4, n); /* ids 3, 6, 9, 12 */
    FT_OK(floe_scan_count(&n, fx.w, FX_TABLE, "name = 'ev' and amount = 4.5"));
    FT_ASSERT_INT(1, n);
    fx_close(&fx);
}

void test_batch_stream__schema_mismatch_still_releases(void)
{
    fx_warehouse fx;
    struct ArrowArrayStream stream;
    floe_buf json = {NULL, 0};
    fx_open_with_table(&fx);
    build_events(&stream, 2, 3, 1, "label");
    FT_ASSERT_INT(FLOE_EINVALID_DATA, floe_ingest_arrow(&json, fx.w, FX_TABLE, &stream, NULL));
    FT_ASSERT_CONTAINS("label", floe_last_error()->message);
    FT_ASSERT(stream.release == NULL && json.data == NULL);
    FT_ASSERT_INT(0, fx_count(&fx));
    fx_close(&fx);
}

void test_batch_stream__features_output_outlives_the_events(void)
{
    fx_warehouse fx;
    struct ArrowArrayStream events, out;
    const char *names[3] = {"entity_id", "event_time", "amount"};
    const char *formats[3] = {"l", "tsu:UTC", "g"};
    struct ArrowArray columns[3], batch;
    int64_t entity[3] = {1, 1, 2}, micros[3] = {1704070800000000, 1704074400000000, 1704078000000000};
    double amount[3] = {1.0, 2.0, 5.0};
    void *buffers[2];
    char definition[512];
    FILE *f;
    int64_t rows = 0;
    fx_tempdir(fx.dir, sizeof fx.dir);
    snprintf(definition, sizeof definition, "%s/def.json", fx.dir);
    f = fopen(definition, "w");
    FT_ASSERT(f != NULL);
    fputs("{\"name\": \"user_txn\", \"version\": 1, \"entity\": [\"entity_id\"], \"timestamp\": \"event_time\","
          " \"source\": {\"table\": \"demo.nowhere\"}, \"features\": [{\"name\": \"amount_sum_1d\", \"agg\": \"sum\","
          " \"column\": \"amount\", \"window\": \"1d\"}]}", f);
    FT_ASSERT_INT(0, fclose(f));
    FT_ASSERT_INT(0, fbs_stream_init(&events, 3, names, formats));
    buffers[0] = NULL;
    buffers[1] = dup_bytes(entity, sizeof entity);
    FT_ASSERT_INT(0, fbs_column_init(&columns[0], 3, 0, 2, buffers));
    buffers[1] = dup_bytes(micros, sizeof micros);
    FT_ASSERT_INT(0, fbs_column_init(&columns[1], 3, 0, 2, buffers));
    buffers[1] = dup_bytes(amount, sizeof amount);
    FT_ASSERT_INT(0, fbs_column_init(&columns[2], 3, 0, 2, buffers));
    FT_ASSERT_INT(0, fbs_stream_append(&events, 3, columns));

    FT_OK(floe_features_compute(&out, definition, &events, "2024-01-01", "2024-01-02"));
    FT_ASSERT(events.release == NULL); /* moved */
    for (;;) {
        FT_ASSERT_INT(0, out.get_next(&out, &batch));
        if (batch.release == NULL) {
            break;
        }
        rows += batch.length;
        batch.release(&batch);
    }
    FT_ASSERT_INT(3, rows);
    out.release(&out);
    fx.w = NULL;
    {
        char command[320];
        snprintf(command, sizeof command, "rm -rf '%s'", fx.dir);
        FT_ASSERT_INT(0, system(command));
    }
}

int main(void)
{
    test_batch_stream__reads_back_as_a_consumer_would();
    test_batch_stream__released_unread_frees_everything();
    test_batch_stream__ingested_and_scanned_back();
    test_batch_stream__schema_mismatch_still_releases();
    test_batch_stream__features_output_outlives_the_events();
    printf("ok batch_stream\n");
    return 0;
}
