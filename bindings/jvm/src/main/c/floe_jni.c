/*
 * floe_jni.c: the JNI shim of the JVM binding. One Java_dev_floe_FloeNative_* function per floe_* function of
 * native-abi/include/floe.h (1:1, as DuckDB's Java bindings do), plus helpers that allocate, read and release
 * Arrow C streams for hosts that have no Arrow Java library.
 *
 * Conventions: strings cross as byte[] holding UTF-8 (Java's modified UTF-8 is not UTF-8), NUL-terminated on
 * the way in; handles and Arrow struct addresses cross as long. A failed floe_* call throws the
 * dev.floe.FloeException subclass for its code, built from floe_last_error() on this same thread.
 */
#include <jni.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "floe.h"
#include "floe_batch_stream.h"

static jclass g_exception;          /* dev.floe.FloeException */
static jmethodID g_exception_create; /* static FloeException create(int, byte[], byte[]) */
static jclass g_long, g_integer, g_double, g_float, g_boolean, g_object, g_string;
static jmethodID g_long_of, g_integer_of, g_double_of, g_float_of, g_boolean_of;
static jclass g_bytes, g_ints, g_longs, g_floats, g_doubles; /* byte[], int[], long[], float[], double[] */

static jclass global_class(JNIEnv *env, const char *name)
{
    jclass local = (*env)->FindClass(env, name);
    jclass global;
    if (local == NULL) {
        return NULL;
    }
    global = (jclass)(*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    return global;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    JNIEnv *env;
    (void)reserved;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    if ((g_exception = global_class(env, "dev/floe/FloeException")) == NULL ||
        (g_long = global_class(env, "java/lang/Long")) == NULL ||
        (g_integer = global_class(env, "java/lang/Integer")) == NULL ||
        (g_double = global_class(env, "java/lang/Double")) == NULL ||
        (g_float = global_class(env, "java/lang/Float")) == NULL ||
        (g_boolean = global_class(env, "java/lang/Boolean")) == NULL ||
        (g_object = global_class(env, "java/lang/Object")) == NULL ||
        (g_string = global_class(env, "java/lang/String")) == NULL ||
        (g_bytes = global_class(env, "[B")) == NULL || (g_ints = global_class(env, "[I")) == NULL ||
        (g_longs = global_class(env, "[J")) == NULL || (g_floats = global_class(env, "[F")) == NULL ||
        (g_doubles = global_class(env, "[D")) == NULL) {
        return JNI_ERR;
    }
    g_exception_create = (*env)->GetStaticMethodID(env, g_exception, "create", "(I[B[B)Ldev/floe/FloeException;");
    g_long_of = (*env)->GetStaticMethodID(env, g_long, "valueOf", "(J)Ljava/lang/Long;");
    g_integer_of = (*env)->GetStaticMethodID(env, g_integer, "valueOf", "(I)Ljava/lang/Integer;");
    g_double_of = (*env)->GetStaticMethodID(env, g_double, "valueOf", "(D)Ljava/lang/Double;");
    g_float_of = (*env)->GetStaticMethodID(env, g_float, "valueOf", "(F)Ljava/lang/Float;");
    g_boolean_of = (*env)->GetStaticMethodID(env, g_boolean, "valueOf", "(Z)Ljava/lang/Boolean;");
    if (g_exception_create == NULL || g_long_of == NULL || g_integer_of == NULL || g_double_of == NULL ||
        g_float_of == NULL || g_boolean_of == NULL) {
        return JNI_ERR;
    }
    return JNI_VERSION_1_8;
}

/* ------------------------------------------------------------------------------------------ conversions */

static jbyteArray to_bytes(JNIEnv *env, const void *data, size_t len)
{
    jbyteArray out = (*env)->NewByteArray(env, (jsize)len);
    if (out != NULL && len > 0) {
        (*env)->SetByteArrayRegion(env, out, 0, (jsize)len, (const jbyte *)data);
    }
    return out;
}

static jbyteArray cstr_bytes(JNIEnv *env, const char *text)
{
    return to_bytes(env, text, text == NULL ? 0 : strlen(text));
}

/* Throws the FloeException subclass for code with a message of our own (not from floe_last_error). */
static void throw_code(JNIEnv *env, int code, const char *category, const char *message)
{
    jbyteArray c = cstr_bytes(env, category);
    jbyteArray m = cstr_bytes(env, message);
    jobject exception;
    if (c == NULL || m == NULL) {
        return; /* OutOfMemoryError is pending */
    }
    exception = (*env)->CallStaticObjectMethod(env, g_exception, g_exception_create, (jint)code, c, m);
    if ((*env)->ExceptionCheck(env)) {
        return; /* create itself threw (OutOfMemoryError): that one is pending */
    }
    if (exception != NULL) {
        (*env)->Throw(env, (jthrowable)exception);
    }
}

/* Turns a failed floe_* return code into a pending Java exception; returns 1 when it threw. */
static int check(JNIEnv *env, int rc)
{
    const floe_error *e;
    if (rc == FLOE_OK) {
        return 0;
    }
    e = floe_last_error();
    if (e->code == rc) {
        throw_code(env, rc, e->category, e->message);
    } else {
        throw_code(env, rc, "unknown", "the call failed, and the thread's last error describes another failure");
    }
    return 1;
}

/* A NUL-terminated UTF-8 copy of a byte[] (which Java already NUL-terminated), or NULL for null. */
typedef struct arg {
    char *text;
    int failed;
} arg;

static arg take_arg(JNIEnv *env, jbyteArray bytes)
{
    arg out = {NULL, 0};
    jsize len;
    if (bytes == NULL) {
        return out;
    }
    len = (*env)->GetArrayLength(env, bytes);
    out.text = (char *)malloc((size_t)len + 1);
    if (out.text == NULL) {
        throw_code(env, FLOE_EINTERNAL, "internal", "out of memory");
        out.failed = 1;
        return out;
    }
    (*env)->GetByteArrayRegion(env, bytes, 0, len, (jbyte *)out.text);
    out.text[len] = '\0';
    return out;
}

static jbyteArray take_buf(JNIEnv *env, floe_buf *buf)
{
    jbyteArray out = to_bytes(env, buf->data, buf->len);
    floe_buf_free(buf);
    return out;
}

static floe_warehouse *W(jlong handle) { return (floe_warehouse *)(intptr_t)handle; }
static struct ArrowArrayStream *S(jlong address) { return (struct ArrowArrayStream *)(intptr_t)address; }

/* ------------------------------------------------------------------------------------------ one call */

/*
 * The frame every entry point around a floe_* call shares. begin() copies the call's byte[] arguments into s[] as
 * NUL-terminated UTF-8 (NULL for null), in order, stopping at the first copy that fails; ok is 0 once a Java
 * exception is pending, and then the floe_* call must not be made. end() frees the copies and turns the call's
 * return code into an exception; end_buf() also hands back the floe_buf the call filled as a byte[]. So a body is
 *     call c = begin(env, 2, table, name);
 *     return end_buf(&c, c.ok ? floe_x(&c.buf, W(w), c.s[0], c.s[1]) : FLOE_OK);
 */
#define MAX_TEXTS 5 /* the most byte[] arguments an entry point takes (scan) */

typedef struct call {
    JNIEnv *env;
    int ok;
    floe_buf buf;
    char *s[MAX_TEXTS];
} call;

static call begin(JNIEnv *env, int count, ...)
{
    call c;
    va_list arrays;
    int i;
    c.env = env;
    c.ok = 1;
    c.buf.data = NULL;
    c.buf.len = 0;
    for (i = 0; i < MAX_TEXTS; i++) {
        c.s[i] = NULL;
    }
    va_start(arrays, count);
    for (i = 0; i < count && c.ok; i++) {
        arg text = take_arg(env, va_arg(arrays, jbyteArray));
        c.s[i] = text.text;
        c.ok = !text.failed;
    }
    va_end(arrays);
    return c;
}

/* Frees the argument copies; 1 when the call was made and succeeded, else 0 with a Java exception pending. */
static int end(call *c, int rc)
{
    int i;
    for (i = 0; i < MAX_TEXTS; i++) {
        free(c->s[i]);
        c->s[i] = NULL;
    }
    return c->ok && !check(c->env, rc);
}

/* As end(), returning the filled buffer as a byte[] (and freeing it), or NULL with an exception pending. */
static jbyteArray end_buf(call *c, int rc)
{
    return end(c, rc) ? take_buf(c->env, &c->buf) : NULL;
}

static floe_ingest_options ingest_options(jint mode, const char *branch, const char *properties_json)
{
    floe_ingest_options opts = FLOE_INGEST_OPTIONS_INIT;
    opts.mode = (int)mode;
    opts.branch = branch;
    opts.properties_json = properties_json;
    return opts;
}

/* ------------------------------------------------------------------------------------------ floe.h */

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_version(JNIEnv *env, jclass cls)
{
    (void)cls;
    return cstr_bytes(env, floe_version());
}

JNIEXPORT jint JNICALL Java_dev_floe_FloeNative_abiVersion(JNIEnv *env, jclass cls)
{
    (void)env;
    (void)cls;
    return floe_abi_version();
}

JNIEXPORT jlong JNICALL Java_dev_floe_FloeNative_warehouseOpen(JNIEnv *env, jclass cls, jbyteArray path)
{
    floe_warehouse *out = NULL;
    call c = begin(env, 1, path);
    (void)cls;
    end(&c, c.ok ? floe_warehouse_open(&out, c.s[0]) : FLOE_OK);
    return (jlong)(intptr_t)out;
}

JNIEXPORT jlong JNICALL Java_dev_floe_FloeNative_warehouseOpenCatalog(JNIEnv *env, jclass cls, jbyteArray path,
                                                                      jbyteArray catalog, jbyteArray token)
{
    floe_warehouse *out = NULL;
    call c = begin(env, 3, path, catalog, token);
    (void)cls;
    end(&c, c.ok ? floe_warehouse_open_catalog(&out, c.s[0], c.s[1], c.s[2]) : FLOE_OK);
    return (jlong)(intptr_t)out;
}

JNIEXPORT void JNICALL Java_dev_floe_FloeNative_warehouseClose(JNIEnv *env, jclass cls, jlong w)
{
    (void)env;
    (void)cls;
    floe_warehouse_close(W(w));
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_warehousePath(JNIEnv *env, jclass cls, jlong w)
{
    call c = begin(env, 0);
    (void)cls;
    return end_buf(&c, floe_warehouse_path(&c.buf, W(w)));
}

JNIEXPORT void JNICALL Java_dev_floe_FloeNative_tableCreate(JNIEnv *env, jclass cls, jlong w, jbyteArray name,
                                                            jbyteArray schema, jbyteArray partition)
{
    call c = begin(env, 3, name, schema, partition);
    (void)cls;
    end(&c, c.ok ? floe_table_create(W(w), c.s[0], c.s[1], c.s[2]) : FLOE_OK);
}

JNIEXPORT void JNICALL Java_dev_floe_FloeNative_tableCreateWithProperties(JNIEnv *env, jclass cls, jlong w,
                                                                          jbyteArray name, jbyteArray schema,
                                                                          jbyteArray partition,
                                                                          jbyteArray propertiesJson)
{
    call c = begin(env, 4, name, schema, partition, propertiesJson);
    (void)cls;
    end(&c, c.ok ? floe_table_create_with_properties(W(w), c.s[0], c.s[1], c.s[2], c.s[3]) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_tableUpgrade(JNIEnv *env, jclass cls, jlong w, jbyteArray name,
                                                                   jint formatVersion)
{
    call c = begin(env, 1, name);
    (void)cls;
    return end_buf(&c, c.ok ? floe_table_upgrade(&c.buf, W(w), c.s[0], (int)formatVersion) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_tableDescribe(JNIEnv *env, jclass cls, jlong w, jbyteArray name)
{
    call c = begin(env, 1, name);
    (void)cls;
    return end_buf(&c, c.ok ? floe_table_describe(&c.buf, W(w), c.s[0]) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_tableList(JNIEnv *env, jclass cls, jlong w)
{
    call c = begin(env, 0);
    (void)cls;
    return end_buf(&c, floe_table_list(&c.buf, W(w)));
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_snapshots(JNIEnv *env, jclass cls, jlong w, jbyteArray table)
{
    call c = begin(env, 1, table);
    (void)cls;
    return end_buf(&c, c.ok ? floe_table_snapshots(&c.buf, W(w), c.s[0]) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_ingestFile(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                 jbyteArray path, jint mode, jbyteArray branch,
                                                                 jbyteArray propertiesJson)
{
    call c = begin(env, 4, table, path, branch, propertiesJson);
    floe_ingest_options opts = ingest_options(mode, c.s[2], c.s[3]);
    (void)cls;
    return end_buf(&c, c.ok ? floe_ingest_file(&c.buf, W(w), c.s[0], c.s[1], &opts) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_ingestArrow(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                  jlong stream, jint mode, jbyteArray branch,
                                                                  jbyteArray propertiesJson)
{
    call c = begin(env, 3, table, branch, propertiesJson);
    floe_ingest_options opts = ingest_options(mode, c.s[1], c.s[2]);
    (void)cls;
    return end_buf(&c, c.ok ? floe_ingest_arrow(&c.buf, W(w), c.s[0], S(stream), &opts) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_featuresValidate(JNIEnv *env, jclass cls, jbyteArray definitionPath)
{
    call c = begin(env, 1, definitionPath);
    (void)cls;
    return end_buf(&c, c.ok ? floe_features_validate(&c.buf, c.s[0]) : FLOE_OK);
}

JNIEXPORT void JNICALL Java_dev_floe_FloeNative_featuresCompute(JNIEnv *env, jclass cls, jlong out, jbyteArray definitionPath,
                                                                jlong events, jbyteArray from, jbyteArray to)
{
    call c;
    (void)cls;
    if (out == 0) {
        throw_code(env, FLOE_EINVALID_ARG, "invalid_argument", "floe_features_compute: the output stream address is 0");
        return;
    }
    c = begin(env, 3, definitionPath, from, to);
    end(&c, c.ok ? floe_features_compute(S(out), c.s[0], S(events), c.s[1], c.s[2]) : FLOE_OK);
}

JNIEXPORT jlong JNICALL Java_dev_floe_FloeNative_scanCount(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                           jbyteArray filter)
{
    int64_t count = 0;
    call c = begin(env, 2, table, filter);
    (void)cls;
    end(&c, c.ok ? floe_scan_count(&count, W(w), c.s[0], c.s[1]) : FLOE_OK);
    return (jlong)count;
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_scanAggregate(JNIEnv *env, jclass cls, jlong w,
                                                                    jbyteArray table, jbyteArray aggregates,
                                                                    jbyteArray filter)
{
    call c = begin(env, 3, table, aggregates, filter);
    (void)cls;
    return end_buf(&c, c.ok ? floe_scan_aggregate(&c.buf, W(w), c.s[0], c.s[1], c.s[2]) : FLOE_OK);
}

JNIEXPORT void JNICALL Java_dev_floe_FloeNative_scan(JNIEnv *env, jclass cls, jlong stream, jlong w, jbyteArray table,
                                                     jlong snapshotId, jbyteArray ref, jbyteArray asOf,
                                                     jbyteArray columns, jbyteArray filter)
{
    floe_scan_options opts = FLOE_SCAN_OPTIONS_INIT;
    call c;
    (void)cls;
    if (stream == 0) {
        throw_code(env, FLOE_EINVALID_ARG, "invalid_argument", "floe_table_scan: the stream address is 0");
        return;
    }
    c = begin(env, 5, table, ref, asOf, columns, filter);
    opts.snapshot_id = (int64_t)snapshotId;
    opts.ref = c.s[1];
    opts.as_of = c.s[2];
    opts.columns = c.s[3];
    opts.filter = c.s[4];
    end(&c, c.ok ? floe_table_scan(S(stream), W(w), c.s[0], &opts) : FLOE_OK);
}

JNIEXPORT void JNICALL Java_dev_floe_FloeNative_branchCreate(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                             jbyteArray name, jbyteArray from)
{
    call c = begin(env, 3, table, name, from);
    (void)cls;
    end(&c, c.ok ? floe_branch_create(W(w), c.s[0], c.s[1], c.s[2]) : FLOE_OK);
}

JNIEXPORT void JNICALL Java_dev_floe_FloeNative_branchFastForward(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                  jbyteArray branch, jbyteArray to)
{
    call c = begin(env, 3, table, branch, to);
    (void)cls;
    end(&c, c.ok ? floe_branch_fast_forward(W(w), c.s[0], c.s[1], c.s[2]) : FLOE_OK);
}

/* ------------------------------------------------------------------------------------------ Arrow C streams */

JNIEXPORT jlong JNICALL Java_dev_floe_FloeNative_arrowStreamAllocate(JNIEnv *env, jclass cls)
{
    void *stream = calloc(1, sizeof(struct ArrowArrayStream));
    (void)cls;
    if (stream == NULL) {
        throw_code(env, FLOE_EINTERNAL, "internal", "out of memory");
    }
    return (jlong)(intptr_t)stream;
}

JNIEXPORT void JNICALL Java_dev_floe_FloeNative_arrowStreamRelease(JNIEnv *env, jclass cls, jlong stream)
{
    struct ArrowArrayStream *s = S(stream);
    (void)env;
    (void)cls;
    if (s != NULL && s->release != NULL) {
        s->release(s);
    }
}

JNIEXPORT void JNICALL Java_dev_floe_FloeNative_arrowStreamFree(JNIEnv *env, jclass cls, jlong stream)
{
    Java_dev_floe_FloeNative_arrowStreamRelease(env, cls, stream);
    free(S(stream));
}

/*
 * A malloc'd copy of a Java primitive array (byte[], int[], long[], float[], double[]), at least one byte long so
 * that an empty buffer is still a valid pointer; NULL for null with *failed 0. On failure an exception is pending.
 */
static void *copy_buffer(JNIEnv *env, jobject array, int *failed)
{
    jsize n;
    size_t width, size;
    void *out;
    *failed = 0;
    if (array == NULL) {
        return NULL;
    }
    n = (*env)->GetArrayLength(env, (jarray)array);
    if ((*env)->IsInstanceOf(env, array, g_bytes)) {
        width = 1;
    } else if ((*env)->IsInstanceOf(env, array, g_ints) || (*env)->IsInstanceOf(env, array, g_floats)) {
        width = 4;
    } else if ((*env)->IsInstanceOf(env, array, g_longs) || (*env)->IsInstanceOf(env, array, g_doubles)) {
        width = 8;
    } else {
        throw_code(env, FLOE_EINVALID_ARG, "invalid_argument", "an Arrow buffer must be a byte[], int[], long[], float[] or double[]");
        *failed = 1;
        return NULL;
    }
    size = (size_t)n * width;
    out = malloc(size > 0 ? size : 1);
    if (out == NULL) {
        throw_code(env, FLOE_EINTERNAL, "internal", "out of memory");
        *failed = 1;
        return NULL;
    }
    /* The region copies read the array in its own element type; the bytes land in native order, as Arrow wants. */
    if (width == 1) {
        (*env)->GetByteArrayRegion(env, (jbyteArray)array, 0, n, (jbyte *)out);
    } else if ((*env)->IsInstanceOf(env, array, g_ints)) {
        (*env)->GetIntArrayRegion(env, (jintArray)array, 0, n, (jint *)out);
    } else if ((*env)->IsInstanceOf(env, array, g_floats)) {
        (*env)->GetFloatArrayRegion(env, (jfloatArray)array, 0, n, (jfloat *)out);
    } else if ((*env)->IsInstanceOf(env, array, g_longs)) {
        (*env)->GetLongArrayRegion(env, (jlongArray)array, 0, n, (jlong *)out);
    } else {
        (*env)->GetDoubleArrayRegion(env, (jdoubleArray)array, 0, n, (jdouble *)out);
    }
    return out;
}

/* A NUL-terminated copy of element i of a byte[][] (already NUL-terminated by Java), or NULL with an exception. */
static char *element_text(JNIEnv *env, jobjectArray array, jsize i)
{
    jbyteArray bytes = (jbyteArray)(*env)->GetObjectArrayElement(env, array, i);
    arg text;
    if (bytes == NULL) {
        if (!(*env)->ExceptionCheck(env)) {
            throw_code(env, FLOE_EINVALID_ARG, "invalid_argument", "an Arrow column name or format is null");
        }
        return NULL;
    }
    text = take_arg(env, bytes);
    (*env)->DeleteLocalRef(env, bytes);
    return text.text;
}

/* Builds one batch's columns into the stream; 0, or non-zero with an exception pending (the stream stays whole). */
static int append_batch(JNIEnv *env, struct ArrowArrayStream *stream, char **formats, jsize columns, jsize b,
                        jlong length, const jlong *null_counts, jobjectArray buffers)
{
    struct ArrowArray *built = (struct ArrowArray *)calloc((size_t)(columns > 0 ? columns : 1), sizeof(struct ArrowArray));
    jsize c, k;
    int failed = 0;
    if (built == NULL) {
        throw_code(env, FLOE_EINTERNAL, "internal", "out of memory");
        return 1;
    }
    for (c = 0; c < columns && !failed; c++) {
        void *owned[3] = {NULL, NULL, NULL};
        int n_buffers = strcmp(formats[c], "u") == 0 || strcmp(formats[c], "z") == 0 ? 3 : 2;
        for (k = 0; k < n_buffers && !failed; k++) {
            jobject array = (*env)->GetObjectArrayElement(env, buffers, ((b * columns) + c) * 3 + k);
            owned[k] = copy_buffer(env, array, &failed);
            if (array != NULL) {
                (*env)->DeleteLocalRef(env, array);
            }
            if (!failed && k > 0 && owned[k] == NULL) {
                throw_code(env, FLOE_EINVALID_ARG, "invalid_argument", "an Arrow column lacks its values buffer");
                failed = 1;
            }
        }
        if (failed) {
            for (k = 0; k < 3; k++) {
                free(owned[k]);
            }
        } else if (fbs_column_init(&built[c], (int64_t)length, (int64_t)null_counts[b * columns + c], n_buffers,
                                   owned) != 0) {
            throw_code(env, FLOE_EINTERNAL, "internal", "out of memory");
            failed = 1;
        }
    }
    if (failed) {
        for (c = 0; c < columns; c++) {
            fbs_array_release(&built[c]);
        }
    } else if (fbs_stream_append(stream, (int64_t)length, built) != 0) {
        throw_code(env, FLOE_EINTERNAL, "internal", "out of memory");
        failed = 1;
    }
    free(built);
    return failed;
}

JNIEXPORT jlong JNICALL Java_dev_floe_FloeNative_arrowStreamFromBatches(JNIEnv *env, jclass cls, jobjectArray names,
                                                                        jobjectArray formats, jlongArray lengths,
                                                                        jlongArray nullCounts, jobjectArray buffers)
{
    struct ArrowArrayStream *stream;
    jsize columns = (*env)->GetArrayLength(env, names);
    jsize batches = (*env)->GetArrayLength(env, lengths);
    char **name_texts = (char **)calloc((size_t)(columns > 0 ? columns : 1), sizeof(char *));
    char **format_texts = (char **)calloc((size_t)(columns > 0 ? columns : 1), sizeof(char *));
    jlong *row_counts = NULL, *null_counts = NULL;
    jsize c, b;
    int failed = 0;
    (void)cls;
    stream = (struct ArrowArrayStream *)calloc(1, sizeof(struct ArrowArrayStream));
    if (stream == NULL || name_texts == NULL || format_texts == NULL) {
        throw_code(env, FLOE_EINTERNAL, "internal", "out of memory");
        failed = 1;
    }
    for (c = 0; c < columns && !failed; c++) {
        name_texts[c] = element_text(env, names, c);
        format_texts[c] = name_texts[c] == NULL ? NULL : element_text(env, formats, c);
        failed = format_texts[c] == NULL;
    }
    if (!failed && fbs_stream_init(stream, columns, (const char *const *)name_texts, (const char *const *)format_texts) != 0) {
        throw_code(env, FLOE_EINTERNAL, "internal", "out of memory");
        failed = 1;
    }
    if (!failed) {
        row_counts = (*env)->GetLongArrayElements(env, lengths, NULL);
        null_counts = (*env)->GetLongArrayElements(env, nullCounts, NULL);
        failed = row_counts == NULL || null_counts == NULL;
    }
    for (b = 0; b < batches && !failed; b++) {
        failed = append_batch(env, stream, format_texts, columns, b, row_counts[b], null_counts, buffers);
    }
    if (row_counts != NULL) {
        (*env)->ReleaseLongArrayElements(env, lengths, row_counts, JNI_ABORT);
    }
    if (null_counts != NULL) {
        (*env)->ReleaseLongArrayElements(env, nullCounts, null_counts, JNI_ABORT);
    }
    for (c = 0; c < columns; c++) {
        if (name_texts != NULL) {
            free(name_texts[c]);
        }
        if (format_texts != NULL) {
            free(format_texts[c]);
        }
    }
    free(name_texts);
    free(format_texts);
    if (failed) {
        if (stream != NULL) {
            fbs_stream_release(stream);
            free(stream);
        }
        return 0;
    }
    return (jlong)(intptr_t)stream;
}

static void throw_stream(JNIEnv *env, struct ArrowArrayStream *s, const char *what)
{
    const char *message = s->get_last_error(s);
    throw_code(env, FLOE_EIO, "io", message != NULL ? message : what);
}

static int live(JNIEnv *env, struct ArrowArrayStream *s)
{
    if (s == NULL || s->release == NULL) {
        throw_code(env, FLOE_EINVALID_ARG, "invalid_argument", "the Arrow stream is null or released");
        return 0;
    }
    return 1;
}

/* The stream's columns: {byte[][] names, byte[][] formats}. */
JNIEXPORT jobjectArray JNICALL Java_dev_floe_FloeNative_arrowStreamSchema(JNIEnv *env, jclass cls, jlong stream)
{
    struct ArrowArrayStream *s = S(stream);
    struct ArrowSchema schema;
    jobjectArray out = NULL, names = NULL, formats = NULL;
    jclass bytes_class;
    int64_t i;
    (void)cls;
    if (!live(env, s)) {
        return NULL;
    }
    memset(&schema, 0, sizeof schema);
    if (s->get_schema(s, &schema) != 0) {
        throw_stream(env, s, "get_schema failed");
        return NULL;
    }
    bytes_class = (*env)->FindClass(env, "[B");
    if (bytes_class != NULL) {
        names = (*env)->NewObjectArray(env, (jsize)schema.n_children, bytes_class, NULL);
        formats = (*env)->NewObjectArray(env, (jsize)schema.n_children, bytes_class, NULL);
    }
    for (i = 0; names != NULL && formats != NULL && i < schema.n_children; i++) {
        jbyteArray name = cstr_bytes(env, schema.children[i]->name);
        jbyteArray format = cstr_bytes(env, schema.children[i]->format);
        if (name == NULL || format == NULL) {
            break;
        }
        (*env)->SetObjectArrayElement(env, names, (jsize)i, name);
        (*env)->SetObjectArrayElement(env, formats, (jsize)i, format);
        (*env)->DeleteLocalRef(env, name);
        (*env)->DeleteLocalRef(env, format);
    }
    if (!(*env)->ExceptionCheck(env)) {
        out = (*env)->NewObjectArray(env, 2, g_object, NULL);
        if (out != NULL) {
            (*env)->SetObjectArrayElement(env, out, 0, names);
            (*env)->SetObjectArrayElement(env, out, 1, formats);
        }
    }
    schema.release(&schema);
    return out;
}

static int is_valid(const struct ArrowArray *a, int64_t i)
{
    const uint8_t *validity = (const uint8_t *)a->buffers[0];
    return validity == NULL || ((validity[i / 8] >> (i % 8)) & 1);
}

/* One boxed value (or byte[]) of a column; NULL with no exception pending means a null value. */
static jobject box(JNIEnv *env, const char *format, const struct ArrowArray *a, int64_t i)
{
    const void *data = a->buffers[1];
    char kind = format[0];
    if (!is_valid(a, i)) {
        return NULL;
    }
    if (strcmp(format, "l") == 0 || strcmp(format, "ttu") == 0 || strncmp(format, "ts", 2) == 0) {
        return (*env)->CallStaticObjectMethod(env, g_long, g_long_of, (jlong)((const int64_t *)data)[i]);
    }
    if (strcmp(format, "i") == 0 || strcmp(format, "tdD") == 0) {
        return (*env)->CallStaticObjectMethod(env, g_integer, g_integer_of, (jint)((const int32_t *)data)[i]);
    }
    if (strcmp(format, "g") == 0) {
        return (*env)->CallStaticObjectMethod(env, g_double, g_double_of, (jdouble)((const double *)data)[i]);
    }
    if (strcmp(format, "f") == 0) {
        return (*env)->CallStaticObjectMethod(env, g_float, g_float_of, (jfloat)((const float *)data)[i]);
    }
    if (strcmp(format, "b") == 0) {
        const uint8_t *bits = (const uint8_t *)data;
        return (*env)->CallStaticObjectMethod(env, g_boolean, g_boolean_of, (jboolean)((bits[i / 8] >> (i % 8)) & 1));
    }
    if (strcmp(format, "u") == 0 || strcmp(format, "z") == 0) {
        const int32_t *offsets = (const int32_t *)data;
        const uint8_t *bytes = (const uint8_t *)a->buffers[2];
        return to_bytes(env, bytes + offsets[i], (size_t)(offsets[i + 1] - offsets[i]));
    }
    if (kind == 'w' && format[1] == ':') {
        long width = strtol(format + 2, NULL, 10);
        return to_bytes(env, (const uint8_t *)data + i * width, (size_t)width);
    }
    if (kind == 'd' && format[1] == ':') {
        return to_bytes(env, (const uint8_t *)data + i * 16, 16);
    }
    return NULL;
}

static int supported(const char *f)
{
    return strcmp(f, "l") == 0 || strcmp(f, "ttu") == 0 || strncmp(f, "tsu:", 4) == 0 ||
           strncmp(f, "tsn:", 4) == 0 || strcmp(f, "i") == 0 || strcmp(f, "tdD") == 0 || strcmp(f, "g") == 0 ||
           strcmp(f, "f") == 0 || strcmp(f, "b") == 0 || strcmp(f, "u") == 0 || strcmp(f, "z") == 0 ||
           strncmp(f, "w:", 2) == 0 || strncmp(f, "d:", 2) == 0;
}

/*
 * The next batch as Object[] columns, each an Object[] of boxed values: Long (l, timestamps, ttu),
 * Integer (i, tdD), Double, Float, Boolean, byte[] (u as UTF-8, z, w:N, d:P,S as 16 little-endian bytes),
 * null for null. Returns null at the end of the stream.
 */
JNIEXPORT jobjectArray JNICALL Java_dev_floe_FloeNative_arrowStreamNext(JNIEnv *env, jclass cls, jlong stream,
                                                                       jobjectArray formats)
{
    struct ArrowArrayStream *s = S(stream);
    struct ArrowArray batch;
    jobjectArray out = NULL;
    int64_t c, r;
    (void)cls;
    if (!live(env, s)) {
        return NULL;
    }
    memset(&batch, 0, sizeof batch);
    if (s->get_next(s, &batch) != 0) {
        throw_stream(env, s, "get_next failed");
        return NULL;
    }
    if (batch.release == NULL) {
        return NULL;
    }
    if (formats == NULL || (*env)->GetArrayLength(env, formats) != batch.n_children) {
        throw_code(env, FLOE_EINVALID_DATA, "invalid_data", "the batch's columns do not match the stream's schema");
        batch.release(&batch);
        return NULL;
    }
    out = (*env)->NewObjectArray(env, (jsize)batch.n_children, g_object, NULL);
    for (c = 0; out != NULL && c < batch.n_children && !(*env)->ExceptionCheck(env); c++) {
        const struct ArrowArray *child = batch.children[c];
        jstring jformat = (jstring)(*env)->GetObjectArrayElement(env, formats, (jsize)c);
        const char *format = jformat == NULL ? NULL : (*env)->GetStringUTFChars(env, jformat, NULL);
        jobjectArray values = NULL;
        if (format == NULL) {
            break;
        }
        if (!supported(format)) {
            char message[160];
            strcpy(message, "the row fallback does not decode Arrow format ");
            strncat(message, format, sizeof message - strlen(message) - 1);
            throw_code(env, FLOE_EUNSUPPORTED, "unsupported", message);
        } else {
            values = (*env)->NewObjectArray(env, (jsize)batch.length, g_object, NULL);
        }
        for (r = 0; values != NULL && r < batch.length && !(*env)->ExceptionCheck(env); r++) {
            jobject value = box(env, format, child, child->offset + batch.offset + r);
            if ((*env)->ExceptionCheck(env)) {
                break;
            }
            if (value != NULL) {
                (*env)->SetObjectArrayElement(env, values, (jsize)r, value);
                (*env)->DeleteLocalRef(env, value);
            }
        }
        (*env)->ReleaseStringUTFChars(env, jformat, format);
        if (values != NULL) {
            (*env)->SetObjectArrayElement(env, out, (jsize)c, values);
            (*env)->DeleteLocalRef(env, values);
        }
        (*env)->DeleteLocalRef(env, jformat);
    }
    batch.release(&batch);
    return (*env)->ExceptionCheck(env) ? NULL : out;
}

/* ------------------------------------------------------------------------------------------ main job */

/* The Java BackfillProgress of a running floe_backfill_run; the library calls back on this same thread. */
typedef struct progress_payload {
    JNIEnv *env;
    jobject progress;
    jmethodID on_progress;
} progress_payload;

static int on_progress(int64_t days_done, int64_t days_total, int64_t rows, void *payload)
{
    progress_payload *p = (progress_payload *)payload;
    jboolean stop;
    if ((*p->env)->ExceptionCheck(p->env)) {
        return 1;
    }
    stop = (*p->env)->CallBooleanMethod(p->env, p->progress, p->on_progress, (jlong)days_done, (jlong)days_total,
                                        (jlong)rows);
    /* An exception thrown by the callback cancels the run; it stays pending and is what Java sees. */
    return (*p->env)->ExceptionCheck(p->env) || stop ? 1 : 0;
}
JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_backfillRun(JNIEnv *env, jclass cls, jlong w,
                                                                  jbyteArray requestJson, jobject progress)
{
    progress_payload payload;
    call c;
    int rc = FLOE_OK;
    (void)cls;
    payload.env = env;
    payload.progress = progress;
    payload.on_progress = NULL;
    if (progress != NULL) {
        jclass type = (*env)->GetObjectClass(env, progress);
        payload.on_progress = (*env)->GetMethodID(env, type, "onProgress", "(JJJ)Z");
        (*env)->DeleteLocalRef(env, type);
        if (payload.on_progress == NULL) {
            return NULL; /* NoSuchMethodError is pending */
        }
    }
    c = begin(env, 1, requestJson);
    if (c.ok) {
        rc = floe_backfill_run(&c.buf, W(w), c.s[0], progress == NULL ? NULL : on_progress,
                               progress == NULL ? NULL : &payload);
        if ((*env)->ExceptionCheck(env)) {
            floe_buf_free(&c.buf); /* the callback's exception wins over the library's result */
            c.ok = 0;
        }
    }
    return end_buf(&c, rc);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_lineageDescribe(JNIEnv *env, jclass cls, jlong w,
                                                                      jbyteArray table, jbyteArray selectorJson)
{
    call c = begin(env, 2, table, selectorJson);
    (void)cls;
    return end_buf(&c, c.ok ? floe_lineage_describe(&c.buf, W(w), c.s[0], c.s[1]) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_auditRun(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                               jbyteArray branch, jbyteArray optionsJson)
{
    call c = begin(env, 3, table, branch, optionsJson);
    (void)cls;
    return end_buf(&c, c.ok ? floe_audit_run(&c.buf, W(w), c.s[0], c.s[1], c.s[2]) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_publishRun(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                 jbyteArray branch)
{
    call c = begin(env, 2, table, branch);
    (void)cls;
    return end_buf(&c, c.ok ? floe_publish_run(&c.buf, W(w), c.s[0], c.s[1]) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_trainingSetBuild(JNIEnv *env, jclass cls, jlong w,
                                                                       jbyteArray requestJson)
{
    call c = begin(env, 1, requestJson);
    (void)cls;
    return end_buf(&c, c.ok ? floe_training_set_build(&c.buf, W(w), c.s[0]) : FLOE_OK);
}

/* ------------------------------------------------------------------------------------------ distributed backfill */

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_backfillPlan(JNIEnv *env, jclass cls, jlong w, jbyteArray requestJson)
{
    call c = begin(env, 1, requestJson);
    (void)cls;
    return end_buf(&c, c.ok ? floe_backfill_plan(&c.buf, W(w), c.s[0]) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_taskExecute(JNIEnv *env, jclass cls, jlong w, jbyteArray taskJson)
{
    call c = begin(env, 1, taskJson);
    (void)cls;
    return end_buf(&c, c.ok ? floe_task_execute(&c.buf, W(w), c.s[0]) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_tasksCommit(JNIEnv *env, jclass cls, jlong w, jbyteArray planJson,
                                                                  jbyteArray resultsJson)
{
    call c = begin(env, 2, planJson, resultsJson);
    (void)cls;
    return end_buf(&c, c.ok ? floe_tasks_commit(&c.buf, W(w), c.s[0], c.s[1]) : FLOE_OK);
}

/* ---- table lifecycle, maintenance and refs (delete, forget, check, register, drop, compact, expire, orphans, tags, ref replace/drop, cherry-pick) */

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_tableDelete(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                  jbyteArray filter, jbyteArray branch)
{
    call c = begin(env, 3, table, filter, branch);
    (void)cls;
    return end_buf(&c, c.ok ? floe_table_delete(&c.buf, W(w), c.s[0], c.s[1], c.s[2]) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_tableForget(JNIEnv *env, jclass cls, jlong w, jbyteArray key,
                                                                  jbyteArray value, jbyteArray tables,
                                                                  jboolean dryRun, jbyteArray reason)
{
    call c = begin(env, 4, key, value, tables, reason);
    (void)cls;
    return end_buf(&c, c.ok ? floe_table_forget(&c.buf, W(w), c.s[0], c.s[1], c.s[2], dryRun ? 1 : 0, c.s[3]) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_tableCheck(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                 jboolean allSnapshots)
{
    call c = begin(env, 1, table);
    (void)cls;
    return end_buf(&c, c.ok ? floe_table_check(&c.buf, W(w), c.s[0], allSnapshots ? 1 : 0) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_tableRegister(JNIEnv *env, jclass cls, jlong w, jbyteArray name,
                                                                    jbyteArray metadataFile, jbyteArray locationMapJson)
{
    call c = begin(env, 3, name, metadataFile, locationMapJson);
    (void)cls;
    return end_buf(&c, c.ok ? floe_table_register(&c.buf, W(w), c.s[0], c.s[1], c.s[2]) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_compact(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                              jbyteArray filter, jlong targetFileSizeBytes,
                                                              jlong minFileSizeBytes, jint minInputFiles)
{
    call c = begin(env, 2, table, filter);
    (void)cls;
    return end_buf(&c, c.ok ? floe_maintenance_compact(&c.buf, W(w), c.s[0], c.s[1], (int64_t)targetFileSizeBytes,
                                                       (int64_t)minFileSizeBytes, (int32_t)minInputFiles)
                            : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_removeOrphans(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                    jbyteArray olderThan, jboolean dryRun,
                                                                    jboolean deleteRegisteredFiles)
{
    call c = begin(env, 2, table, olderThan);
    (void)cls;
    return end_buf(&c, c.ok ? floe_maintenance_remove_orphans(&c.buf, W(w), c.s[0], c.s[1], dryRun ? 1 : 0,
                                                              deleteRegisteredFiles ? 1 : 0)
                            : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_refReplace(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                 jbyteArray name, jbyteArray to, jboolean tag)
{
    call c = begin(env, 3, table, name, to);
    (void)cls;
    return end_buf(&c, c.ok ? (tag ? floe_tag_replace : floe_branch_replace)(&c.buf, W(w), c.s[0], c.s[1], c.s[2])
                            : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_tableDrop(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                jboolean purge, jboolean deleteRegisteredFiles)
{
    call c = begin(env, 1, table);
    (void)cls;
    return end_buf(&c, c.ok ? floe_table_drop(&c.buf, W(w), c.s[0], purge ? 1 : 0, deleteRegisteredFiles ? 1 : 0)
                            : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_expireSnapshots(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                      jbyteArray olderThan, jint retainLast,
                                                                      jboolean dryRun)
{
    call c = begin(env, 2, table, olderThan);
    (void)cls;
    return end_buf(&c, c.ok ? floe_maintenance_expire_snapshots(&c.buf, W(w), c.s[0], c.s[1], (int32_t)retainLast,
                                                                dryRun ? 1 : 0, 0)
                            : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_tagCreate(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                jbyteArray name, jbyteArray from)
{
    call c = begin(env, 3, table, name, from);
    (void)cls;
    return end_buf(&c, c.ok ? floe_tag_create(&c.buf, W(w), c.s[0], c.s[1], c.s[2]) : FLOE_OK);
}

JNIEXPORT void JNICALL Java_dev_floe_FloeNative_refDrop(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                        jbyteArray name, jboolean tag)
{
    call c = begin(env, 2, table, name);
    (void)cls;
    end(&c, c.ok ? floe_ref_drop(W(w), c.s[0], c.s[1], tag ? FLOE_REF_TAG : FLOE_REF_BRANCH) : FLOE_OK);
}

JNIEXPORT jbyteArray JNICALL Java_dev_floe_FloeNative_cherryPick(JNIEnv *env, jclass cls, jlong w, jbyteArray table,
                                                                 jlong snapshotId, jbyteArray branch)
{
    call c = begin(env, 2, table, branch);
    (void)cls;
    return end_buf(&c, c.ok ? floe_branch_cherry_pick(&c.buf, W(w), c.s[0], (int64_t)snapshotId, c.s[1]) : FLOE_OK);
}
