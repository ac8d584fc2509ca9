/* C tests of the buffer module: floe_buf_free accepts NULL, empty and freed buffers. */
#define _POSIX_C_SOURCE 200809L
#include "floe_fixture.h"

void test_buf__free_null_is_noop(void)
{
    floe_buf_free(NULL);
}

void test_buf__free_empty_is_noop(void)
{
    floe_buf buf = {NULL, 0};
    floe_buf_free(&buf);
    FT_ASSERT(buf.data == NULL);
    FT_ASSERT_INT(0, buf.len);
}

void test_buf__free_resets_and_twice_is_noop(void)
{
    floe_warehouse *w = NULL;
    floe_buf buf = {NULL, 0};
    char dir[512];
    fx_tempdir(dir, sizeof dir);
    FT_OK(floe_warehouse_open(&w, dir));
    FT_OK(floe_warehouse_path(&buf, w));
    FT_ASSERT(buf.data != NULL);

    floe_buf_free(&buf);
    FT_ASSERT(buf.data == NULL);
    FT_ASSERT_INT(0, buf.len);
    floe_buf_free(&buf);
    floe_warehouse_close(w);
}
