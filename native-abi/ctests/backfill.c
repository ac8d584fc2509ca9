/* C tests of the main job: backfill with write-audit-publish, lineage, training sets, cancellation, bad requests. */
#define _POSIX_C_SOURCE 200809L
#include <string.h>

#include "floe_fixture.h"

#define BF_EVENTS "demo.events"
#define BF_FEATURES "features.user_txn"
#define BF_SCHEMA "entity_id:long not null,event_time:timestamptz not null,amount:double,category:string"

/* A feature group over demo.events, written next to the warehouse. */
static const char *const DEFINITION =
    "{\"name\": \"user_txn\", \"version\": 1, \"entity\": [\"entity_id\"], \"timestamp\": \"event_time\",\n"
    " \"source\": {\"table\": \"demo.events\"},\n"
    " \"features\": [{\"name\": \"txn_count_1d\", \"agg\": \"count\", \"window\": \"1d\"},\n"
    "              {\"name\": \"amount_sum_1d\", \"agg\": \"sum\", \"column\": \"amount\", \"window\": \"1d\"}]}\n";

typedef struct bf_fixture {
    fx_warehouse fx;
    char definition[512];
    char events[512];
} bf_fixture;

/* Writes `text` to <dir>/<file> and the path to `path`. */
static void bf_write(const fx_warehouse *fx, const char *file, const char *text, char *path, size_t size)
{
    FILE *f;
    snprintf(path, size, "%s/%s", fx->dir, file);
    f = fopen(path, "w");
    FT_ASSERT(f != NULL);
    fputs(text, f);
    FT_ASSERT_INT(0, fclose(f));
}

/*
 * A warehouse with demo.events holding 3 days (2024-01-01..03) of 20 entities, 4 events each a day, every
 * amount positive, and the definition file. 240 events.
 */
static void bf_open(bf_fixture *bf)
{
    FILE *f;
    int day, entity, k;
    floe_buf json = {NULL, 0};
    fx_open(&bf->fx);
    FT_OK(floe_table_create(bf->fx.w, BF_EVENTS, BF_SCHEMA, "day(event_time)"));
    snprintf(bf->events, sizeof bf->events, "%s/events.csv", bf->fx.dir);
    f = fopen(bf->events, "w");
    FT_ASSERT(f != NULL);
    fputs("entity_id,event_time,amount,category\n", f);
    for (day = 1; day <= 3; day++) {
        for (entity = 0; entity < 20; entity++) {
            for (k = 0; k < 4; k++) {
                fprintf(f, "%d,2024-01-%02dT%02d:%02d:00Z,%d.5,c%d\n", entity, day, 3 + 5 * k, entity, 1 + (entity * 7 + k * 3 + day) % 50, k);
            }
        }
    }
    FT_ASSERT_INT(0, fclose(f));
    FT_OK(floe_ingest_file(&json, bf->fx.w, BF_EVENTS, bf->events, NULL));
    floe_buf_free(&json);
    bf_write(&bf->fx, "user_txn.json", DEFINITION, bf->definition, sizeof bf->definition);
}

/* The JSON request of a backfill over [2024-01-<from>, 2024-01-<to>) with extra fields ("" or ",\"wap\":true"). */
static void bf_request(const bf_fixture *bf, int from, int to, const char *extra, char *out, size_t size)
{
    snprintf(out, size, "{\"definition\":\"%s\",\"from\":\"2024-01-%02d\",\"to\":\"2024-01-%02d\",\"code_version\":\"ctest\"%s}",
             bf->definition, from, to, extra);
}

/* Reads the integer after "\"<key>\":" in a JSON text; fails when absent. */
static int64_t bf_json_int(const char *json, const char *key)
{
    char needle[64];
    const char *at;
    snprintf(needle, sizeof needle, "\"%s\":", key);
    at = strstr(json, needle);
    FT_ASSERT(at != NULL);
    return strtoll(at + strlen(needle), NULL, 10);
}

/* Counts the rows of a table at a ref (NULL = main) by scanning it. */
static int64_t bf_count(const bf_fixture *bf, const char *table, const char *ref)
{
    floe_scan_options scan = FLOE_SCAN_OPTIONS_INIT;
    struct ArrowArrayStream stream;
    struct ArrowArray batch;
    int64_t n = 0;
    scan.ref = ref;
    FT_OK(floe_table_scan(&stream, bf->fx.w, table, &scan));
    for (;;) {
        FT_ASSERT_INT(0, stream.get_next(&stream, &batch));
        if (batch.release == NULL) break;
        n += batch.length;
        batch.release(&batch);
    }
    stream.release(&stream);
    return n;
}

void test_backfill__wap_audit_publish_lineage_training_set(void)
{
    bf_fixture bf;
    char request[1024], spine[512], output[512], training[2048];
    floe_buf json = {NULL, 0};
    int64_t rows;
    bf_open(&bf);

    /* Write: the backfill goes to the staging branch wap-user_txn, never to main. */
    bf_request(&bf, 1, 4, ",\"wap\":true", request, sizeof request);
    FT_OK(floe_backfill_run(&json, bf.fx.w, request, NULL, NULL));
    FT_ASSERT_CONTAINS("\"branch\":\"wap-user_txn\"", (const char *)json.data);
    FT_ASSERT_CONTAINS("\"table\":\"features.user_txn\"", (const char *)json.data);
    FT_ASSERT_INT(3, bf_json_int((const char *)json.data, "days"));
    rows = bf_json_int((const char *)json.data, "rows");
    FT_ASSERT(rows > 0);
    floe_buf_free(&json);
    FT_ASSERT_INT(rows, bf_count(&bf, BF_FEATURES, "wap-user_txn"));

    /* Publishing before an audit is refused. */
    FT_ASSERT_INT(FLOE_EVALIDATION, floe_publish_run(&json, bf.fx.w, BF_FEATURES, "wap-user_txn"));
    FT_ASSERT(json.data == NULL);
    FT_ASSERT_CONTAINS("audit", floe_last_error()->message);

    /* Audit, then publish: main now holds the staged rows. */
    FT_OK(floe_audit_run(&json, bf.fx.w, BF_FEATURES, "wap-user_txn", "{\"key_columns\":[\"entity_id\"]}"));
    FT_ASSERT_CONTAINS("\"passed\":true", (const char *)json.data);
    floe_buf_free(&json);
    FT_OK(floe_publish_run(&json, bf.fx.w, BF_FEATURES, "wap-user_txn"));
    FT_ASSERT_CONTAINS("\"previous_main_snapshot_id\":null", (const char *)json.data);
    floe_buf_free(&json);
    FT_ASSERT_INT(rows, bf_count(&bf, BF_FEATURES, NULL));

    /* Lineage: each day partition names the definition and the code version. */
    FT_OK(floe_lineage_describe(&json, bf.fx.w, BF_FEATURES, NULL));
    FT_ASSERT_CONTAINS("\"partition\":\"2024-01-01\"", (const char *)json.data);
    FT_ASSERT_CONTAINS("\"partition\":\"2024-01-03\"", (const char *)json.data);
    FT_ASSERT_CONTAINS("ctest", (const char *)json.data);
    floe_buf_free(&json);
    FT_OK(floe_lineage_describe(&json, bf.fx.w, BF_FEATURES, "{\"ref\":\"wap-user_txn\"}"));
    FT_ASSERT_CONTAINS("\"partition\":\"2024-01-02\"", (const char *)json.data);
    floe_buf_free(&json);

    /* Training set: one spine row per entity on 2024-01-03 at noon, every one matched. */
    {
        char rows_text[4096] = "entity_id,ts,label\n";
        int entity;
        for (entity = 0; entity < 20; entity++) {
            char line[64];
            snprintf(line, sizeof line, "%d,2024-01-03T12:00:00Z,%d\n", entity, entity % 2);
            strcat(rows_text, line);
        }
        bf_write(&bf.fx, "spine.csv", rows_text, spine, sizeof spine);
    }
    snprintf(output, sizeof output, "%s/train.csv", bf.fx.dir);
    snprintf(training, sizeof training, "{\"spine\":\"%s\",\"features\":[\"%s\"],\"output\":\"%s\"}", spine, BF_FEATURES, output);
    FT_OK(floe_training_set_build(&json, bf.fx.w, training));
    FT_ASSERT_INT(20, bf_json_int((const char *)json.data, "rows"));
    FT_ASSERT_INT(20, bf_json_int((const char *)json.data, "matched"));
    floe_buf_free(&json);
    {
        FILE *f = fopen(output, "r");
        char line[512];
        int lines = 0;
        FT_ASSERT(f != NULL);
        while (fgets(line, sizeof line, f) != NULL) lines++;
        FT_ASSERT_INT(0, fclose(f));
        FT_ASSERT_INT(21, lines);
    }
    fx_close(&bf.fx);
}

typedef struct bf_progress {
    int calls;
    int stop_at;
    int64_t last_total;
} bf_progress;

static int bf_on_progress(int64_t days_done, int64_t days_total, int64_t rows, void *payload)
{
    bf_progress *p = (bf_progress *)payload;
    (void)days_done;
    (void)rows;
    p->calls++;
    p->last_total = days_total;
    return p->calls >= p->stop_at ? 1 : 0;
}

void test_backfill__progress_callback_cancels_and_main_is_untouched(void)
{
    bf_fixture bf;
    char request[1024];
    floe_buf json = {NULL, 0}, before = {NULL, 0}, after = {NULL, 0};
    bf_progress progress = {0, 1000, 0};
    int64_t rows;
    bf_open(&bf);

    /* A first run to main, with a callback that never stops it: it is called, with the range's day count. */
    bf_request(&bf, 1, 3, "", request, sizeof request);
    FT_OK(floe_backfill_run(&json, bf.fx.w, request, bf_on_progress, &progress));
    FT_ASSERT(progress.calls >= 2);
    FT_ASSERT_INT(2, progress.last_total);
    floe_buf_free(&json);
    rows = bf_count(&bf, BF_FEATURES, NULL);
    FT_ASSERT(rows > 0);
    FT_OK(floe_table_snapshots(&before, bf.fx.w, BF_FEATURES));

    /* A second run over all three days, stopped by the callback at its first report: nothing is committed. */
    progress.calls = 0;
    progress.stop_at = 1;
    bf_request(&bf, 1, 4, ",\"resume\":false", request, sizeof request);
    FT_ASSERT_INT(FLOE_ECANCELLED, floe_backfill_run(&json, bf.fx.w, request, bf_on_progress, &progress));
    FT_ASSERT(json.data == NULL);
    FT_ASSERT_INT(1, progress.calls);
    FT_ASSERT_STR("cancelled", floe_last_error()->category);
    FT_OK(floe_table_snapshots(&after, bf.fx.w, BF_FEATURES));
    FT_ASSERT_STR((const char *)before.data, (const char *)after.data);
    FT_ASSERT_INT(rows, bf_count(&bf, BF_FEATURES, NULL));
    floe_buf_free(&before);
    floe_buf_free(&after);
    fx_close(&bf.fx);
}

/* Expects FLOE_EINVALID_ARG from a backfill request, with `needle` in the message and `out` left empty. */
static void bf_expect_bad_request(const bf_fixture *bf, const char *request, const char *needle)
{
    floe_buf json = {NULL, 0};
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_backfill_run(&json, bf->fx.w, request, NULL, NULL));
    FT_ASSERT(json.data == NULL && json.len == 0);
    FT_ASSERT_CONTAINS(needle, floe_last_error()->message);
}

void test_backfill__bad_requests_are_invalid_arg_naming_the_field(void)
{
    bf_fixture bf;
    char request[1024];
    floe_buf json = {NULL, 0};
    bf_open(&bf);

    bf_expect_bad_request(&bf, "{not json", "request_json is not valid JSON");
    bf_expect_bad_request(&bf, "[1,2]", "must be a JSON object");
    bf_expect_bad_request(&bf, "{\"from\":\"2024-01-01\",\"to\":\"2024-01-02\"}", "\"definition\"");
    bf_request(&bf, 1, 2, ",\"colour\":\"blue\"", request, sizeof request);
    bf_expect_bad_request(&bf, request, "unknown field \"colour\"");
    bf_request(&bf, 1, 2, ",\"wap\":\"yes\"", request, sizeof request);
    bf_expect_bad_request(&bf, request, "\"wap\" must be true or false");
    bf_request(&bf, 1, 2, ",\"commit_every\":-1", request, sizeof request);
    bf_expect_bad_request(&bf, request, "\"commit_every\"");
    bf_request(&bf, 1, 2, ",\"commit_every\":1.5", request, sizeof request);
    bf_expect_bad_request(&bf, request, "\"commit_every\"");
    snprintf(request, sizeof request, "{\"definition\":\"%s\",\"from\":\"yesterday\",\"to\":\"2024-01-02\"}", bf.definition);
    bf_expect_bad_request(&bf, request, "\"from\"");
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_backfill_run(&json, bf.fx.w, NULL, NULL, NULL));
    FT_ASSERT_CONTAINS("request_json", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_backfill_run(NULL, bf.fx.w, "{}", NULL, NULL));
    FT_ASSERT_INT(FLOE_EINVALID_HANDLE, floe_backfill_run(&json, NULL, "{}", NULL, NULL));
    /* Nothing was created by the refused requests. */
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_table_describe(&json, bf.fx.w, BF_FEATURES));

    /* The other calls read their JSON as strictly. */
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_lineage_describe(&json, bf.fx.w, BF_EVENTS, "{\"snapshot\":1}"));
    FT_ASSERT_CONTAINS("unknown field \"snapshot\"", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_lineage_describe(&json, bf.fx.w, BF_EVENTS, "{\"snapshot_id\":\"1\"}"));
    FT_ASSERT_CONTAINS("\"snapshot_id\" must be an integer", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_audit_run(&json, bf.fx.w, BF_EVENTS, "main", "{\"key_columns\":7}"));
    FT_ASSERT_CONTAINS("\"key_columns\"", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_training_set_build(&json, bf.fx.w, "{\"spine\":\"s.csv\",\"features\":\"x\",\"output\":\"o.csv\"}"));
    FT_ASSERT_CONTAINS("\"features\"", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_training_set_build(&json, bf.fx.w, "{\"spine\":\"s.csv\",\"features\":[\"x\"]}"));
    FT_ASSERT_CONTAINS("\"output\"", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_ENOTFOUND, floe_publish_run(&json, bf.fx.w, "db.nosuch", "b"));
    FT_ASSERT(json.data == NULL);
    fx_close(&bf.fx);
}

/* Copies the n-th flat JSON object of the array after `key` in `json` into `out`; returns 0 when there is none. */
static int bf_nth_object(const char *json, const char *key, int n, char *out, size_t size)
{
    const char *at = strstr(json, key);
    int i;
    if (at == NULL) return 0;
    for (i = 0; i <= n; i++) {
        const char *open = strchr(at, '{');
        const char *close;
        if (open == NULL) return 0;
        close = strchr(open, '}');
        FT_ASSERT(close != NULL);
        if (i == n) {
            FT_ASSERT((size_t)(close - open + 2) <= size);
            memcpy(out, open, (size_t)(close - open + 1));
            out[close - open + 1] = '\0';
            return 1;
        }
        at = close + 1;
    }
    return 0;
}

void test_backfill__distributed_plan_execute_commit_equals_single_run(void)
{
    bf_fixture bf;
    char request[1024], task[2048], *results;
    floe_buf plan = {NULL, 0}, result = {NULL, 0}, json = {NULL, 0};
    size_t used;
    int n;
    int64_t single;
    bf_open(&bf);

    bf_request(&bf, 1, 4, ",\"branch\":\"dist\"", request, sizeof request);
    FT_OK(floe_backfill_plan(&plan, bf.fx.w, request));
    FT_ASSERT_CONTAINS("\"day\":\"2024-01-03\"", (const char *)plan.data);

    /* Run every task (the first one twice, as a rerun after a crash would) and gather the results. */
    results = (char *)malloc(1 << 20);
    FT_ASSERT(results != NULL);
    strcpy(results, "[");
    used = 1;
    for (n = 0; bf_nth_object((const char *)plan.data, "\"tasks\":", n, task, sizeof task); n++) {
        if (n == 0) {
            FT_OK(floe_task_execute(&result, bf.fx.w, task));
            floe_buf_free(&result);
        }
        FT_OK(floe_task_execute(&result, bf.fx.w, task));
        FT_ASSERT(used + result.len + 2 < (1 << 20));
        if (n > 0) results[used++] = ',';
        memcpy(results + used, result.data, result.len);
        used += result.len;
        results[used] = '\0';
        floe_buf_free(&result);
    }
    FT_ASSERT_INT(3, n);
    strcat(results, "]");

    /* Nothing is committed until the commit; a commit missing a day is refused. */
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_tasks_commit(&json, bf.fx.w, (const char *)plan.data, "[]"));
    FT_ASSERT_CONTAINS("no task result for 2024-01-01", floe_last_error()->message);
    FT_ASSERT_INT(FLOE_EINVALID_ARG, floe_task_execute(&json, bf.fx.w, "{\"version\":1}"));
    FT_OK(floe_tasks_commit(&json, bf.fx.w, (const char *)plan.data, results));
    FT_ASSERT_CONTAINS("\"branch\":\"dist\"", (const char *)json.data);
    FT_ASSERT_INT(3, bf_json_int((const char *)json.data, "days"));
    floe_buf_free(&json);

    /* The same backfill in one process, to main, holds the same number of rows. */
    bf_request(&bf, 1, 4, "", request, sizeof request);
    FT_OK(floe_backfill_run(&json, bf.fx.w, request, NULL, NULL));
    single = bf_json_int((const char *)json.data, "rows");
    floe_buf_free(&json);
    FT_ASSERT_INT(single, bf_count(&bf, BF_FEATURES, "dist"));
    FT_ASSERT_INT(single, bf_count(&bf, BF_FEATURES, NULL));

    free(results);
    floe_buf_free(&plan);
    fx_close(&bf.fx);
}
