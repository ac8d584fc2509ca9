/*
 * C tests of floe_ingest_arrow: a host-built Arrow C stream (id int64, amount double, name utf8) appended and
 * overwriting partitions, the stream always released (moved), and misuse as error codes.
 */
#define _POSIX_C_SOURCE 200809L
#include <unistd.h>

#include "floe_fixture.h"

/* One batch of n rows: id = first + i, amount = i + 0.5, name = the same text on every row. */
typedef struct host_batch {
    int64_t ids[8];
    double amounts[8];
    int32_t offsets[9];
    char names[64];
    const void *id_buffers[2], *amount_buffers[2], *name_buffers[3];
    struct ArrowArray columns[3];
    struct ArrowArray *column_ptrs[3];
    const void *struct_buffers[1];
} host_batch;

typedef struct host_stream {
    int64_t first;
    int rows;
    const char *name;
    const char *column_names[3];
    int batches_left;
    int fail;
    int *released;
} host_stream;

static void release_child_array(struct ArrowArray *array)
{
    array->release = NULL;
}

static void release_batch(struct ArrowArray *array)
{
    int i;
    for (i = 0; i < 3; i++) {
        if (array->children[i]->release) array->children[i]->release(array->children[i]);
    }
    free(array->private_data);
    array->release = NULL;
}

static void release_schema(struct ArrowSchema *schema)
{
    int64_t i;
    for (i = 0; i < schema->n_children; i++) {
        schema->children[i]->release = NULL;
    }
    free(schema->private_data);
    schema->release = NULL;
}

static void release_child_schema(struct ArrowSchema *schema)
{
    schema->release = NULL;
}

typedef struct host_schema {
    struct ArrowSchema fields[3];
    struct ArrowSchema *field_ptrs[3];
} host_schema;

static int get_schema(struct ArrowArrayStream *stream, struct ArrowSchema *out)
{
    host_stream *state = (host_stream *)stream->private_data;
    static const char *const formats[3] = {"l", "g", "u"};
    host_schema *held = calloc(1, sizeof *held);
    int i;
    if (held == NULL) return 12;
    for (i = 0; i < 3; i++) {
        held->fields[i].format = formats[i];
        held->fields[i].name = state->column_names[i];
        held->fields[i].flags = i == 0 ? 0 : ARROW_FLAG_NULLABLE;
        held->fields[i].release = release_child_schema;
        held->field_ptrs[i] = &held->fields[i];
    }
    memset(out, 0, sizeof *out);
    out->format = "+s";
    out->name = "";
    out->n_children = 3;
    out->children = held->field_ptrs;
    out->release = release_schema;
    out->private_data = held;
    return 0;
}

static int get_next(struct ArrowArrayStream *stream, struct ArrowArray *out)
{
    host_stream *state = (host_stream *)stream->private_data;
    host_batch *b;
    int i, length;
    memset(out, 0, sizeof *out);
    if (state->fail) return 5; /* EIO: the host's source broke */
    if (state->batches_left-- <= 0) return 0; /* end of stream: out->release stays NULL */
    b = calloc(1, sizeof *b);
    if (b == NULL) return 12;
    length = (int)strlen(state->name);
    for (i = 0; i < state->rows; i++) {
        b->ids[i] = state->first + i;
        b->amounts[i] = i + 0.5;
        b->offsets[i] = i * length;
        memcpy(b->names + i * length, state->name, (size_t)length);
    }
    b->offsets[state->rows] = state->rows * length;
    state->first += state->rows;
    b->id_buffers[1] = b->ids;
    b->amount_buffers[1] = b->amounts;
    b->name_buffers[1] = b->offsets;
    b->name_buffers[2] = b->names;
    for (i = 0; i < 3; i++) {
        b->columns[i].length = state->rows;
        b->columns[i].n_buffers = i == 2 ? 3 : 2;
        b->columns[i].release = release_child_array;
        b->column_ptrs[i] = &b->columns[i];
    }
    b->columns[0].buffers = b->id_buffers;
    b->columns[1].buffers = b->amount_buffers;
    b->columns[2].buffers = b->name_buffers;
    out->length = state->rows;
    out->n_buffers = 1;
    out->buffers = b->struct_buffers;
    out->n_children = 3;
    out->children = b->column_ptrs;
    out->release = release_batch;
    out->private_data = b;
    return 0;
}

static const char *get_last_error(struct ArrowArrayStream *stream)
{
    host_stream *state = (host_stream *)stream->private_data;
    return state->fail ? "the host source failed" : NULL;
}

static void release_stream(struct ArrowArrayStream *stream)
{
    host_stream *state = (host_stream *)stream->private_data;
    (*state->released)++;
    free(state);
    stream->release = NULL;
}

/* A stream of `batches` batches of `rows` rows (at most 8) named "id,amount,name". */
static void make_stream(struct ArrowArrayStream *stream, int64_t first, int rows, int batches, const char *name,
                        int *released)
{
    host_stream *state = calloc(1, sizeof *state);
    FT_ASSERT(state != NULL && rows <= 8 && (int)strlen(name) * rows < 64);
    state->first = first;
    state->rows = rows;
    state->batches_left = batches;
    state->name = name;
    state->column_names[0] = "id";
    state->column_names[1] = "amount";
    state->column_names[2] = "name";
    state->released = released;
    stream->get_schema = get_schema;
    stream->get_next = get_next;
    stream->get_last_error = get_last_error;
    stream->release = release_stream;
    stream->private_data = state;
}

void test_ingest_arrow__append_batches_then_count_and_scan(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    struct ArrowArrayStream stream;
    int released = 0;
    int64_t n = -1;
    fx_open_with_table(&fx);

    make_stream(&stream, 1, 3, 2, "x", &released);
    FT_OK(floe_ingest_arrow(&json, fx.w, FX_TABLE, &stream, NULL));
    FT_ASSERT(stream.release == NULL);
    FT_ASSERT_INT(1, released);
    FT_ASSERT_CONTAINS("\"rows\":6", (const char *)json.data);
    FT_ASSERT_CONTAINS("\"operation\":\"append\"", (const char *)json.data);
    floe_buf_free(&json);
    FT_ASSERT_INT(6, fx_count(&fx));
    FT_OK(floe_scan_count(&n, fx.w, FX_TABLE, "id >= 4 and name = 'x'"));
    FT_ASSERT_INT(3, n);

    make_stream(&stream, 100, 2, 1, "y", &released);
    FT_OK(floe_ingest_arrow(&json, fx.w, FX_TABLE, &stream, NULL));
    floe_buf_free(&json);
    FT_ASSERT_INT(8, fx_count(&fx));
    FT_OK(floe_scan_count(&n, fx.w, FX_TABLE, "amount = 1.5 and id = 101"));
    FT_ASSERT_INT(1, n);
    fx_close(&fx);
}

void test_ingest_arrow__overwrite_replaces_only_the_touched_partition(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    floe_ingest_options opts = FLOE_INGEST_OPTIONS_INIT;
    struct ArrowArrayStream stream;
    int released = 0;
    int64_t n = -1;
    fx_open(&fx);
    FT_OK(floe_table_create(fx.w, FX_TABLE, FX_SCHEMA, "name"));
    make_stream(&stream, 1, 4, 1, "a", &released);
    FT_OK(floe_ingest_arrow(&json, fx.w, FX_TABLE, &stream, NULL));
    floe_buf_free(&json);
    make_stream(&stream, 10, 3, 1, "b", &released);
    FT_OK(floe_ingest_arrow(&json, fx.w, FX_TABLE, &stream, NULL));
    floe_buf_free(&json);
    FT_ASSERT_INT(7, fx_count(&fx));

    opts.mode = FLOE_INGEST_OVERWRITE_PARTITIONS;
    make_stream(&stream, 50, 2, 1, "a", &released);
    FT_OK(floe_ingest_arrow(&json, fx.w, FX_TABLE, &stream, &opts));
    FT_ASSERT_CONTAINS("\"operation\":\"overwrite\"", (const char *)json.data);
    floe_buf_free(&json);
    FT_ASSERT_INT(3, released);
    FT_ASSERT_INT(5, fx_count(&fx));
    FT_OK(floe_scan_count(&n, fx.w, FX_TABLE, "name = 'a'"));
    FT_ASSERT_INT(2, n);
    FT_OK(floe_scan_count(&n, fx.w, FX_TABLE, "name = 'a' and id >= 50"));
    FT_ASSERT_INT(2, n);
    FT_OK(floe_scan_count(&n, fx.w, FX_TABLE, "name = 'b'"));
    FT_ASSERT_INT(3, n);
    fx_close(&fx);
}

void test_ingest_arrow__mismatch_and_stream_error_commit_nothing(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    struct ArrowArrayStream stream;
    int released = 0;
    fx_open_with_table(&fx);

    make_stream(&stream, 1, 2, 1, "x", &released);
    ((host_stream *)stream.private_data)->column_names[1] = "price";
    FT_ASSERT_INT(FLOE_EINVALID_DATA, floe_ingest_arrow(&json, fx.w, FX_TABLE, &stream, NULL));
    FT_ASSERT_CONTAINS("price", floe_last_error()->message);
    FT_ASSERT(stream.release == NULL && json.data == NULL);

    make_stream(&stream, 1, 2, 1, "x", &released);
    ((host_stream *)stream.private_data)->fail = 1;
    FT_ASSERT_INT(FLOE_EINVALID_DATA, floe_ingest_arrow(&json, fx.w, FX_TABLE, &stream, NULL));
    FT_ASSERT(stream.release == NULL);
    FT_ASSERT_INT(2, released);

    FT_ASSERT_INT(0, fx_count(&fx));
    FT_OK(floe_table_snapshots(&json, fx.w, FX_TABLE));
    FT_ASSERT_STR("[]", (const char *)json.data);
    floe_buf_free(&json);
    fx_close(&fx);
}

void test_ingest_arrow__misuse_is_an_error_code_and_still_releases(void)
{
    fx_warehouse fx;
    floe_buf json = {NULL, 0};
    floe_ingest_options bad = FLOE_INGEST_OPTIONS_INIT;
    struct ArrowArrayStream stream;
    int released = 0;
    fx_open_with_table(&fx);

    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_ingest_arrow(&json, fx.w, FX_TABLE, NULL, NULL));
    memset(&stream, 0, sizeof stream);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_ingest_arrow(&json, fx.w, FX_TABLE, &stream, NULL));

    make_stream(&stream, 1, 2, 1, "x", &released);
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_ingest_arrow(&json, (const floe_warehouse *)(uintptr_t)0x99, FX_TABLE, &stream, NULL));
    FT_ASSERT(stream.release == NULL);
    make_stream(&stream, 1, 2, 1, "x", &released);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_ingest_arrow(NULL, fx.w, FX_TABLE, &stream, NULL));
    make_stream(&stream, 1, 2, 1, "x", &released);
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_ingest_arrow(&json, fx.w, "db.nope", &stream, NULL));
    make_stream(&stream, 1, 2, 1, "x", &released);
    bad.mode = 9;
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_ingest_arrow(&json, fx.w, FX_TABLE, &stream, &bad));
    FT_ASSERT_INT(4, released);
    FT_ASSERT_INT(0, fx_count(&fx));
    fx_close(&fx);
}
