/* The C baseline of the binding bench: the cost of a trivial ABI call (floe_abi_version) and of an error round trip
   (a failing call plus floe_last_error) with no binding in between. Usage: abi_calls WAREHOUSE */
#include <stdio.h>
#include <time.h>
#include "floe.h"

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char** argv) {
    if (argc != 2) { fprintf(stderr, "usage: abi_calls WAREHOUSE\n"); return 2; }
    floe_warehouse* wh = NULL;
    if (floe_warehouse_open(&wh, argv[1]) != FLOE_OK) { fprintf(stderr, "%s\n", floe_last_error()->message); return 1; }
    const int n = 10000000;
    volatile int sink = 0;
    double t0 = now_ns();
    for (int i = 0; i < n; i++) sink += floe_abi_version();
    double trivial = (now_ns() - t0) / n;
    const int m = 100000;
    t0 = now_ns();
    for (int i = 0; i < m; i++) {
        floe_buf out = {0};
        if (floe_table_describe(&out, wh, ".bad") == FLOE_OK) { fprintf(stderr, "describe succeeded\n"); return 1; }
        sink += floe_last_error()->code;
    }
    double error = (now_ns() - t0) / m;
    floe_warehouse_close(wh);
    printf("{\"driver\": \"c\", \"trivial_call_ns\": %.1f, \"error_round_trip_ns\": %.1f}\n", trivial, error);
    return 0;
}
