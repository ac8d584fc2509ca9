/* C tests of the error module: floe_last_error() is never NULL, thread-local and typed. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "floe_fixture.h"

static void *read_fresh_thread_error(void *arg)
{
    *(const floe_error **)arg = floe_last_error();
    return NULL;
}

void test_error__never_null_before_any_failure(void)
{
    /* A new thread has seen no failure, whatever this process did before. */
    const floe_error *e = NULL;
    pthread_t thread;
    FT_ASSERT_INT(0, pthread_create(&thread, NULL, read_fresh_thread_error, &e));
    FT_ASSERT_INT(0, pthread_join(thread, NULL));
    FT_ASSERT(e != NULL);
    FT_ASSERT_INT(FLOE_OK, e->code);
    FT_ASSERT_STR("ok", e->category);
    FT_ASSERT_STR("no error", e->message);
}

void test_error__reports_code_category_and_message(void)
{
    floe_warehouse *w = NULL;
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_warehouse_open(&w, NULL));
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_last_error()->code);
    FT_ASSERT_STR("invalid_argument", floe_last_error()->category);
    FT_ASSERT_STR("floe_warehouse_open: path must not be NULL", floe_last_error()->message);
}

void test_error__category_follows_code(void)
{
    floe_buf buf = {NULL, 0};
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_warehouse_path(&buf, NULL));
    FT_ASSERT_STR("invalid_handle", floe_last_error()->category);
    FT_ASSERT_CONTAINS("floe_warehouse handle", floe_last_error()->message);
}

void test_error__not_reset_by_success(void)
{
    floe_warehouse *w = NULL;
    char dir[512];
    fx_tempdir(dir, sizeof dir);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_warehouse_open(&w, ""));
    FT_OK(floe_warehouse_open(&w, dir));
    /* It reports, it does not detect: callers test return codes first. */
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_last_error()->code);
    floe_warehouse_close(w);
}

struct thread_result {
    int before_code;
    int own_code;
};

static void *fail_on_other_thread(void *arg)
{
    struct thread_result *result = (struct thread_result *)arg;
    floe_buf buf = {NULL, 0};
    result->before_code = floe_last_error()->code;
    floe_warehouse_path(&buf, NULL);
    result->own_code = floe_last_error()->code;
    return NULL;
}

void test_error__is_thread_local(void)
{
    floe_warehouse *w = NULL;
    pthread_t thread;
    struct thread_result result = {1, 1};

    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_warehouse_open(&w, NULL));
    FT_ASSERT_INT(0, pthread_create(&thread, NULL, fail_on_other_thread, &result));
    FT_ASSERT_INT(0, pthread_join(thread, NULL));

    FT_ASSERT_INT(FLOE_OK, result.before_code);           /* the main thread's error did not leak */
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, result.own_code);  /* the thread saw its own */
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_last_error()->code); /* and did not overwrite ours */
}
