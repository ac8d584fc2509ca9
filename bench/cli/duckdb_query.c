/*
 * duckdb_query: runs one SQL query on an in-memory DuckDB and prints the first column of the first row.
 * It stands in for the DuckDB command-line shell (not installable here) in the whole-process comparison with
 * the `floe` binary: a native process that starts, loads libduckdb, runs the query and exits.
 * The few C API declarations are written here because the DuckDB.NET package ships libduckdb.so without duckdb.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void *duckdb_database;
typedef void *duckdb_connection;
/* duckdb_result is 48 bytes in DuckDB 1.x; a larger, aligned buffer keeps this safe across minor versions. */
typedef struct { _Alignas(16) unsigned char opaque[256]; } duckdb_result;

extern int duckdb_open(const char *path, duckdb_database *out);
extern int duckdb_connect(duckdb_database db, duckdb_connection *out);
extern int duckdb_query(duckdb_connection con, const char *sql, duckdb_result *out);
extern const char *duckdb_result_error(duckdb_result *result);
extern char *duckdb_value_varchar(duckdb_result *result, uint64_t col, uint64_t row);
extern void duckdb_free(void *ptr);
extern void duckdb_destroy_result(duckdb_result *result);
extern void duckdb_disconnect(duckdb_connection *con);
extern void duckdb_close(duckdb_database *db);

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: duckdb_query SQL\n");
        return 2;
    }
    duckdb_database db;
    duckdb_connection con;
    duckdb_result result;
    memset(&result, 0, sizeof result);
    if (duckdb_open(NULL, &db) != 0 || duckdb_connect(db, &con) != 0) {
        fprintf(stderr, "duckdb_query: cannot open an in-memory database\n");
        return 1;
    }
    int status = 0;
    if (duckdb_query(con, argv[1], &result) != 0) {
        fprintf(stderr, "duckdb_query: %s\n", duckdb_result_error(&result));
        status = 1;
    } else {
        char *value = duckdb_value_varchar(&result, 0, 0);
        printf("%s\n", value ? value : "NULL");
        duckdb_free(value);
    }
    duckdb_destroy_result(&result);
    duckdb_disconnect(&con);
    duckdb_close(&db);
    return status;
}
