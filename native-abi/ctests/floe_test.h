/*
 * A minimal assertion kit for the C tests. Each case runs in its own process
 * (one ctest per case), so a failed assertion reports and exits.
 */
#ifndef FLOE_TEST_H
#define FLOE_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "floe.h"

#define FT_FAIL(...)                                                        \
    do {                                                                    \
        fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                     \
        fprintf(stderr, __VA_ARGS__);                                       \
        fprintf(stderr, "\n  last error: %d %s: %s\n", floe_last_error()->code, \
                floe_last_error()->category, floe_last_error()->message);   \
        exit(1);                                                            \
    } while (0)

#define FT_ASSERT(cond)                                                     \
    do {                                                                    \
        if (!(cond)) FT_FAIL("assertion failed: %s", #cond);                \
    } while (0)

#define FT_ASSERT_INT(expected, actual)                                     \
    do {                                                                    \
        long long ft_e_ = (long long)(expected), ft_a_ = (long long)(actual); \
        if (ft_e_ != ft_a_)                                                 \
            FT_FAIL("%s == %s: expected %lld, got %lld", #expected, #actual, ft_e_, ft_a_); \
    } while (0)

#define FT_ASSERT_STR(expected, actual)                                     \
    do {                                                                    \
        const char *ft_e_ = (expected), *ft_a_ = (actual);                  \
        if (ft_a_ == NULL || strcmp(ft_e_, ft_a_) != 0)                     \
            FT_FAIL("%s == %s: expected \"%s\", got \"%s\"", #expected, #actual, ft_e_, \
                    ft_a_ ? ft_a_ : "(null)");                              \
    } while (0)

/* Asserts that a call succeeded, printing floe_last_error() when it did not. */
#define FT_OK(call) FT_ASSERT_INT(FLOE_OK, (call))

/* Asserts that `haystack` contains `needle`. */
#define FT_ASSERT_CONTAINS(needle, haystack)                                \
    do {                                                                    \
        const char *ft_h_ = (haystack);                                     \
        if (ft_h_ == NULL || strstr(ft_h_, (needle)) == NULL)               \
            FT_FAIL("expected \"%s\" in \"%s\"", (needle), ft_h_ ? ft_h_ : "(null)"); \
    } while (0)

#endif /* FLOE_TEST_H */
