/*
 * floe_batch_stream.h: an Arrow C stream (struct ArrowArrayStream) over record batches whose buffers the host built
 * in malloc'd memory, for bindings whose language has no Arrow library: the JVM shim and the Go binding copy their
 * arrays into malloc'd buffers and hand them over here. Plain C99, header-only (static functions), beside floe.h so
 * that both bindings include this one copy; ctest valgrind_batch_stream runs it under valgrind.
 *
 * Ownership follows the C Data Interface: every batch get_next hands out is moved to the consumer and frees its own
 * buffers in its release callback, independent of the stream; get_schema builds a fresh schema each call; the
 * stream's release frees the batches nobody took. Each batch is a struct array ("+s") with one child per column.
 */
#ifndef FLOE_BATCH_STREAM_H
#define FLOE_BATCH_STREAM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "floe.h"

typedef struct fbs_private {
    int64_t n_columns;
    char **names;   /* owned copies */
    char **formats; /* owned copies */
    int64_t n_batches;
    int64_t capacity;
    int64_t next;
    struct ArrowArray *batches; /* moved out by get_next (release set to NULL here) */
} fbs_private;

/* Frees memory this file allocated that the C Data Interface declares const. */
static void fbs_free_const(const void *p)
{
    free((void *)(uintptr_t)p);
}

static char *fbs_strdup(const char *text)
{
    size_t len = strlen(text);
    char *copy = (char *)malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, text, len + 1);
    }
    return copy;
}

/* ------------------------------------------------------------------------------------------ schema */

static void fbs_schema_release(struct ArrowSchema *schema)
{
    int64_t i;
    if (schema == NULL || schema->release == NULL) {
        return;
    }
    for (i = 0; schema->children != NULL && i < schema->n_children; i++) {
        struct ArrowSchema *child = schema->children[i];
        if (child != NULL) {
            if (child->release != NULL) {
                child->release(child);
            }
            free(child);
        }
    }
    free(schema->children);
    fbs_free_const(schema->format);
    fbs_free_const(schema->name);
    schema->release = NULL;
}

/* Fills out with a fresh schema; 0, or ENOMEM with out released. */
static int fbs_schema_fill(struct ArrowSchema *out, const char *format, const char *name, int64_t flags,
                           int64_t n_children)
{
    memset(out, 0, sizeof *out);
    out->release = fbs_schema_release;
    out->flags = flags;
    out->format = fbs_strdup(format);
    out->name = name == NULL ? NULL : fbs_strdup(name);
    if (n_children > 0) {
        out->children = (struct ArrowSchema **)calloc((size_t)n_children, sizeof(struct ArrowSchema *));
        out->n_children = out->children == NULL ? 0 : n_children;
    }
    if (out->format == NULL || (name != NULL && out->name == NULL) || (n_children > 0 && out->children == NULL)) {
        fbs_schema_release(out);
        return 12; /* ENOMEM */
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ arrays */

static void fbs_array_release(struct ArrowArray *array)
{
    int64_t i;
    if (array == NULL || array->release == NULL) {
        return;
    }
    for (i = 0; array->children != NULL && i < array->n_children; i++) {
        struct ArrowArray *child = array->children[i];
        if (child != NULL) {
            if (child->release != NULL) { /* a consumer may have moved a child out */
                child->release(child);
            }
            free(child);
        }
    }
    free(array->children);
    for (i = 0; array->buffers != NULL && i < array->n_buffers; i++) {
        fbs_free_const(array->buffers[i]);
    }
    free((void *)array->buffers);
    array->release = NULL;
}

/*
 * A column of a batch being built: length rows, null_count nulls, n_buffers (2 or 3) buffers. buffers[i] are
 * malloc'd and owned by the column from fbs_column_init on (freed on every path); buffers[0] (validity) may be NULL
 * when null_count is 0.
 */
static int fbs_column_init(struct ArrowArray *out, int64_t length, int64_t null_count, int64_t n_buffers,
                           void **buffers)
{
    int64_t i;
    memset(out, 0, sizeof *out);
    out->release = fbs_array_release;
    out->length = length;
    out->null_count = null_count;
    out->buffers = (const void **)calloc((size_t)n_buffers, sizeof(void *));
    if (out->buffers == NULL) {
        for (i = 0; i < n_buffers; i++) {
            free(buffers[i]);
        }
        out->release = NULL;
        return 12;
    }
    out->n_buffers = n_buffers;
    for (i = 0; i < n_buffers; i++) {
        out->buffers[i] = buffers[i];
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ stream */

static fbs_private *fbs_private_of(struct ArrowArrayStream *stream)
{
    return (fbs_private *)stream->private_data;
}

static int fbs_get_schema(struct ArrowArrayStream *stream, struct ArrowSchema *out)
{
    fbs_private *p = fbs_private_of(stream);
    int64_t i;
    if (fbs_schema_fill(out, "+s", "", 0, p->n_columns) != 0) {
        return 12;
    }
    for (i = 0; i < p->n_columns; i++) {
        struct ArrowSchema *child = (struct ArrowSchema *)malloc(sizeof(struct ArrowSchema));
        if (child == NULL || fbs_schema_fill(child, p->formats[i], p->names[i], ARROW_FLAG_NULLABLE, 0) != 0) {
            free(child);
            fbs_schema_release(out);
            return 12;
        }
        out->children[i] = child;
    }
    return 0;
}

static int fbs_get_next(struct ArrowArrayStream *stream, struct ArrowArray *out)
{
    fbs_private *p = fbs_private_of(stream);
    if (p->next >= p->n_batches) {
        memset(out, 0, sizeof *out); /* the end: release == NULL */
        return 0;
    }
    *out = p->batches[p->next];
    p->batches[p->next].release = NULL; /* moved */
    p->next++;
    return 0;
}

static const char *fbs_get_last_error(struct ArrowArrayStream *stream)
{
    (void)stream;
    return "out of memory";
}

static void fbs_stream_release(struct ArrowArrayStream *stream)
{
    fbs_private *p;
    int64_t i;
    if (stream == NULL || stream->release == NULL) {
        return;
    }
    p = fbs_private_of(stream);
    for (i = 0; i < p->n_batches; i++) {
        if (p->batches[i].release != NULL) {
            p->batches[i].release(&p->batches[i]);
        }
    }
    for (i = 0; i < p->n_columns; i++) {
        free(p->names[i]);
        free(p->formats[i]);
    }
    free(p->names);
    free(p->formats);
    free(p->batches);
    free(p);
    stream->private_data = NULL;
    stream->release = NULL;
}

/* Makes out a live stream of no batches yet over these columns (names and formats are copied); 0 or ENOMEM. */
static int fbs_stream_init(struct ArrowArrayStream *out, int64_t n_columns, const char *const *names,
                           const char *const *formats)
{
    fbs_private *p = (fbs_private *)calloc(1, sizeof(fbs_private));
    int64_t i;
    memset(out, 0, sizeof *out);
    if (p == NULL) {
        return 12;
    }
    out->get_schema = fbs_get_schema;
    out->get_next = fbs_get_next;
    out->get_last_error = fbs_get_last_error;
    out->release = fbs_stream_release;
    out->private_data = p;
    p->names = (char **)calloc((size_t)(n_columns > 0 ? n_columns : 1), sizeof(char *));
    p->formats = (char **)calloc((size_t)(n_columns > 0 ? n_columns : 1), sizeof(char *));
    if (p->names == NULL || p->formats == NULL) {
        fbs_stream_release(out);
        return 12;
    }
    p->n_columns = n_columns;
    for (i = 0; i < n_columns; i++) {
        p->names[i] = fbs_strdup(names[i]);
        p->formats[i] = fbs_strdup(formats[i]);
        if (p->names[i] == NULL || p->formats[i] == NULL) {
            fbs_stream_release(out);
            return 12;
        }
    }
    return 0;
}

/*
 * Appends a batch of length rows whose columns (n_columns of them, as fbs_stream_init said) are moved in: on every
 * path, success or not, the stream owns them afterwards (columns[i].release is NULL). 0 or ENOMEM.
 */
static int fbs_stream_append(struct ArrowArrayStream *stream, int64_t length, struct ArrowArray *columns)
{
    fbs_private *p = fbs_private_of(stream);
    struct ArrowArray batch;
    void *none = NULL;
    int64_t i;
    int rc = 0;
    memset(&batch, 0, sizeof batch);
    if (p->n_batches == p->capacity) {
        int64_t capacity = p->capacity == 0 ? 4 : p->capacity * 2;
        struct ArrowArray *grown =
            (struct ArrowArray *)realloc(p->batches, (size_t)capacity * sizeof(struct ArrowArray));
        if (grown == NULL) {
            rc = 12;
        } else {
            p->batches = grown;
            p->capacity = capacity;
        }
    }
    if (rc == 0 && fbs_column_init(&batch, length, 0, 1, &none) != 0) {
        rc = 12;
    }
    if (rc == 0) {
        batch.children = (struct ArrowArray **)calloc((size_t)(p->n_columns > 0 ? p->n_columns : 1),
                                                      sizeof(struct ArrowArray *));
        if (batch.children == NULL) {
            batch.release(&batch);
            rc = 12;
        } else {
            batch.n_children = p->n_columns;
        }
    }
    for (i = 0; i < p->n_columns; i++) {
        struct ArrowArray *child = rc == 0 ? (struct ArrowArray *)malloc(sizeof(struct ArrowArray)) : NULL;
        if (child == NULL) {
            if (columns[i].release != NULL) {
                columns[i].release(&columns[i]);
            }
            rc = 12;
            continue;
        }
        *child = columns[i];
        columns[i].release = NULL;
        batch.children[i] = child;
    }
    if (rc != 0) {
        if (batch.release != NULL) {
            batch.release(&batch);
        }
        return rc;
    }
    p->batches[p->n_batches++] = batch;
    return 0;
}

#endif /* FLOE_BATCH_STREAM_H */
