/*
 * Shared setup for the C tests that use real tables: a fresh warehouse in a
 * temporary folder with a table "db.events" (id long, amount double, name
 * string) and a small CSV written by the test. Functions are static inline so
 * a test file may use any subset of them.
 */
#ifndef FLOE_FIXTURE_H
#define FLOE_FIXTURE_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "floe_test.h"

#define FX_TABLE "db.events"
#define FX_SCHEMA "id:long not null,amount:double,name:string"

typedef struct fx_warehouse {
    char dir[256];
    floe_warehouse *w;
} fx_warehouse;

/*
 * Creates a fresh folder under $FLOE_TEST_TMP (CMake points it into the build tree, so the tests leave nothing in
 * /tmp), else under /tmp, and writes its path to `dir`.
 */
static inline void fx_tempdir(char *dir, size_t size)
{
    const char *base = getenv("FLOE_TEST_TMP");
    char *made;
    if (base == NULL || base[0] == '\0') {
        base = "/tmp";
    }
    (void)mkdir(base, 0700);
    snprintf(dir, size, "%s/floe-ctest-XXXXXX", base);
    made = mkdtemp(dir);
    FT_ASSERT(made != NULL);
}

/* Creates a temporary folder and opens a warehouse in it. */
static inline void fx_open(fx_warehouse *fx)
{
    fx_tempdir(fx->dir, sizeof fx->dir);
    fx->w = NULL;
    FT_OK(floe_warehouse_open(&fx->w, fx->dir));
}

/* Opens a warehouse and creates the events table in it. */
static inline void fx_open_with_table(fx_warehouse *fx)
{
    fx_open(fx);
    FT_OK(floe_table_create(fx->w, FX_TABLE, FX_SCHEMA, NULL));
}

/* Writes `rows` ("id,amount,name\n" is prepended) to <dir>/<file> and returns the path in `path`. */
static inline void fx_write_csv(const fx_warehouse *fx, const char *file, const char *rows, char *path, size_t size)
{
    FILE *f;
    snprintf(path, size, "%s/%s", fx->dir, file);
    f = fopen(path, "w");
    FT_ASSERT(f != NULL);
    fputs("id,amount,name\n", f);
    fputs(rows, f);
    FT_ASSERT_INT(0, fclose(f));
}

/* Ingests CSV rows into the events table with `opts` (NULL = append to main). */
static inline void fx_ingest(const fx_warehouse *fx, const char *file, const char *rows, const floe_ingest_options *opts)
{
    char path[512];
    floe_buf json = {NULL, 0};
    fx_write_csv(fx, file, rows, path, sizeof path);
    FT_OK(floe_ingest_file(&json, fx->w, FX_TABLE, path, opts));
    FT_ASSERT(json.data != NULL);
    FT_ASSERT_CONTAINS("\"snapshot_id\":", (const char *)json.data);
    floe_buf_free(&json);
}

/* Counts the rows of the events table on main. */
static inline int64_t fx_count(const fx_warehouse *fx)
{
    int64_t n = -1;
    FT_OK(floe_scan_count(&n, fx->w, FX_TABLE, NULL));
    return n;
}

/* Closes the warehouse and removes its folder. */
static inline void fx_close(fx_warehouse *fx)
{
    char command[320];
    floe_warehouse_close(fx->w);
    fx->w = NULL;
    snprintf(command, sizeof command, "rm -rf '%s'", fx->dir);
    FT_ASSERT_INT(0, system(command));
}

#endif /* FLOE_FIXTURE_H */
