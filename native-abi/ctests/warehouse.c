/* C tests of the warehouse module: open/close/path, argument checks and handle validation. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdint.h>
#include <unistd.h>

#include "floe_fixture.h"

/* Reads a warehouse's path into `text`; asserts success and the trailing NUL. */
static void read_path(floe_warehouse *w, char *text, size_t size)
{
    floe_buf buf = {NULL, 0};
    FT_OK(floe_warehouse_path(&buf, w));
    FT_ASSERT(buf.data != NULL);
    FT_ASSERT(buf.len < size);
    FT_ASSERT_INT(0, buf.data[buf.len]);
    FT_ASSERT_INT(buf.len, strlen((const char *)buf.data));
    memcpy(text, buf.data, buf.len + 1);
    floe_buf_free(&buf);
}

void test_warehouse__open_returns_handle_and_path(void)
{
    floe_warehouse *w = NULL;
    char dir[512], path[4096];
    fx_tempdir(dir, sizeof dir);
    FT_OK(floe_warehouse_open(&w, dir));
    FT_ASSERT(w != NULL);
    read_path(w, path, sizeof path);
    FT_ASSERT_STR(dir, path);
    floe_warehouse_close(w);
}

void test_warehouse__relative_path_becomes_absolute(void)
{
    floe_warehouse *w = NULL;
    char cwd[2048], expected[4096], path[4096];
    FT_ASSERT(getcwd(cwd, sizeof cwd) != NULL);
    snprintf(expected, sizeof expected, "%s/some/warehouse", cwd);

    FT_OK(floe_warehouse_open(&w, "some/./warehouse"));
    read_path(w, path, sizeof path);
    FT_ASSERT_STR(expected, path);
    floe_warehouse_close(w);
}

void test_warehouse__utf8_path_round_trips(void)
{
    char dir[512], folder[1024];
    floe_warehouse *w = NULL;
    char path[4096];
    fx_tempdir(dir, sizeof dir);
    snprintf(folder, sizeof folder, "%s/donn\xc3\xa9" "es/\xe5\x80\x89\xe5\xba\xab", dir); /* ".../données/倉庫" */
    FT_OK(floe_warehouse_open(&w, folder));
    read_path(w, path, sizeof path);
    FT_ASSERT_STR(folder, path);
    floe_warehouse_close(w);
}

void test_warehouse__open_null_path_is_invalid_arg(void)
{
    floe_warehouse *w = (floe_warehouse *)(uintptr_t)0xdeadbeef;
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_warehouse_open(&w, NULL));
    FT_ASSERT(w == NULL); /* out is zeroed on failure */
    FT_ASSERT_CONTAINS("path must not be NULL", floe_last_error()->message);
}

void test_warehouse__open_empty_path_is_invalid_arg(void)
{
    floe_warehouse *w = NULL;
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_warehouse_open(&w, ""));
    FT_ASSERT(w == NULL);
    FT_ASSERT_CONTAINS("path must not be empty", floe_last_error()->message);
}

void test_warehouse__open_invalid_utf8_is_invalid_arg(void)
{
    floe_warehouse *w = NULL;
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_warehouse_open(&w, "/tmp/ab\xff\xfe"));
    FT_ASSERT(w == NULL);
    FT_ASSERT_CONTAINS("path is not valid UTF-8 (byte 7)", floe_last_error()->message);
}

void test_warehouse__open_null_out_is_invalid_arg(void)
{
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_warehouse_open(NULL, "/tmp"));
    FT_ASSERT_CONTAINS("out must not be NULL", floe_last_error()->message);
}

void test_warehouse__path_null_out_is_invalid_arg(void)
{
    floe_warehouse *w = NULL;
    char dir[512];
    fx_tempdir(dir, sizeof dir);
    FT_OK(floe_warehouse_open(&w, dir));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_warehouse_path(NULL, w));
    floe_warehouse_close(w);
}

void test_warehouse__null_handle_is_invalid_handle(void)
{
    floe_buf buf = {NULL, 0};
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_warehouse_path(&buf, NULL));
    FT_ASSERT(buf.data == NULL);
}

void test_warehouse__forged_handle_is_invalid_handle(void)
{
    static int not_a_handle;
    floe_buf buf = {NULL, 0};
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_warehouse_path(&buf, (floe_warehouse *)(uintptr_t)0x1234));
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_warehouse_path(&buf, (floe_warehouse *)(void *)&not_a_handle));
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE,
                  floe_warehouse_path(&buf, (floe_warehouse *)(uintptr_t)UINT64_C(0xffffffffffffffff)));
    FT_ASSERT(buf.data == NULL);
    FT_ASSERT_INT(0, buf.len);
    FT_ASSERT_STR("invalid_handle", floe_last_error()->category);
}

void test_warehouse__closed_handle_is_invalid_handle(void)
{
    floe_warehouse *old = NULL, *reused = NULL;
    floe_buf buf = {NULL, 0};
    char a[512], b[512];
    fx_tempdir(a, sizeof a);
    fx_tempdir(b, sizeof b);
    FT_OK(floe_warehouse_open(&old, a));
    floe_warehouse_close(old);
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_warehouse_path(&buf, old));

    /* The freed slot is reused, but its generation moved on: the old handle stays dead. */
    FT_OK(floe_warehouse_open(&reused, b));
    FT_ASSERT(reused != old);
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_warehouse_path(&buf, old));
    FT_OK(floe_warehouse_path(&buf, reused));
    floe_buf_free(&buf);
    floe_warehouse_close(reused);
}

/* Makes the thread's last error a known EINVALID_ARG, so later checks can tell whether a call replaced it. */
static void mark_last_error(void)
{
    floe_warehouse *w = NULL;
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_warehouse_open(&w, ""));
}

void test_warehouse__close_null_is_noop(void)
{
    mark_last_error();
    floe_warehouse_close(NULL);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_last_error()->code);
}

void test_warehouse__close_twice_reports_invalid_handle(void)
{
    floe_warehouse *w = NULL;
    char dir[512];
    fx_tempdir(dir, sizeof dir);
    FT_OK(floe_warehouse_open(&w, dir));
    mark_last_error();
    floe_warehouse_close(w);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_last_error()->code);
    floe_warehouse_close(w);
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_last_error()->code);
}

void test_warehouse__many_handles_stay_distinct(void)
{
    /* Each open creates a real catalog.db (an fsync apiece), so the count is kept modest and valgrind-friendly:
       150 handles still grow the library's handle table four times (16 -> 256 slots). */
    enum { count = 150 };
    static floe_warehouse *handles[count];
    char base[512], folder[640], path[4096], command[700];
    int i;
    fx_tempdir(base, sizeof base);
    for (i = 0; i < count; i++) {
        snprintf(folder, sizeof folder, "%s/w%d", base, i);
        FT_OK(floe_warehouse_open(&handles[i], folder));
    }
    for (i = 0; i < count; i += 37) {
        snprintf(folder, sizeof folder, "%s/w%d", base, i);
        read_path(handles[i], path, sizeof path);
        FT_ASSERT_STR(folder, path);
    }
    mark_last_error();
    for (i = 0; i < count; i++) {
        floe_warehouse_close(handles[i]);
    }
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_last_error()->code); /* no close failed */
    snprintf(command, sizeof command, "rm -rf '%s'", base);
    FT_ASSERT_INT(0, system(command));
}

static void *open_read_close(void *arg)
{
    const char *dir = (const char *)arg;
    int i;
    long failures = 0;
    for (i = 0; i < 100; i++) { /* each open opens the real catalog.db */
        floe_warehouse *w = NULL;
        floe_buf buf = {NULL, 0};
        if (floe_warehouse_open(&w, dir) != FLOE_OK) failures++;
        if (floe_warehouse_path(&buf, w) != FLOE_OK) failures++;
        if (buf.data == NULL || strcmp((const char *)buf.data, dir) != 0) failures++;
        floe_buf_free(&buf);
        floe_warehouse_close(w);
        if (floe_warehouse_path(&buf, w) != FLOE_EINVALID_HANDLE) failures++;
    }
    return (void *)(intptr_t)failures;
}

void test_warehouse__handles_are_thread_safe(void)
{
    enum { threads = 4 };
    pthread_t ids[threads];
    char dir[512];
    int i;
    fx_tempdir(dir, sizeof dir);
    for (i = 0; i < threads; i++) {
        FT_ASSERT_INT(0, pthread_create(&ids[i], NULL, open_read_close, dir));
    }
    for (i = 0; i < threads; i++) {
        void *failures = NULL;
        FT_ASSERT_INT(0, pthread_join(ids[i], &failures));
        FT_ASSERT_INT(0, (intptr_t)failures);
    }
}

void test_warehouse__open_catalog_null_is_the_folders_catalog(void)
{
    floe_warehouse *w = NULL;
    char dir[512], path[4096];
    fx_tempdir(dir, sizeof dir);
    FT_OK(floe_warehouse_open_catalog(&w, dir, NULL, NULL));
    FT_ASSERT(w != NULL);
    read_path(w, path, sizeof path);
    FT_ASSERT_STR(dir, path);
    floe_warehouse_close(w);
}

void test_warehouse__open_catalog_sqlite_uri_and_bad_scheme(void)
{
    floe_warehouse *w = NULL;
    char dir[512], uri[1024];
    fx_tempdir(dir, sizeof dir);
    snprintf(uri, sizeof uri, "sqlite:%s/other.db", dir);
    FT_OK(floe_warehouse_open_catalog(&w, dir, uri, NULL));
    FT_ASSERT(w != NULL);
    FT_OK(floe_table_create(w, "db.t", "id:long", NULL));
    floe_warehouse_close(w);
    w = NULL;
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_warehouse_open_catalog(&w, dir, "nosuch://x", NULL));
    FT_ASSERT(w == NULL);
    FT_ASSERT(strstr(floe_last_error()->message, "nosuch") != NULL);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_warehouse_open_catalog(NULL, dir, NULL, NULL));
}
