/* C tests of the version module: the library and the header agree. */
#include "floe_test.h"

void test_version__matches_header(void)
{
    FT_ASSERT_STR(FLOE_VERSION, floe_version());
}

void test_version__abi_matches_header(void)
{
    FT_ASSERT_INT(FLOE_ABI_VERSION, floe_abi_version());
}

void test_version__string_is_static(void)
{
    /* Borrowed static storage: the same pointer every time. */
    FT_ASSERT(floe_version() == floe_version());
}
