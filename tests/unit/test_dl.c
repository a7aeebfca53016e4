/*
 * test_dl.c: libraries opened on first use (src/lib/core/dl.c): a missing
 * library or symbol is a clear error that names the package, nothing is
 * cached on failure, and a loaded library resolves once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "lib/strata_int.h"

#define LIBM_FUNCS(X, t) X(t, cos)
static struct { LIBM_FUNCS(STRATA_DL_FIELD, _) } libm;
STRATA_DL_DEFINE(libm_dl, libm, "libm.so.6", "libc6", LIBM_FUNCS);

static void *missing_fn;
static const char *const missing_names[] = { "cos", "strata_no_such_function" };
static void **const missing_slots[] = { (void **)&libm.cos, &missing_fn };

static void dl__missing_library_names_it_and_the_package(void **state)
{
    strata_dl dl = { "libstrata-test-absent.so.9", "libstrata-test9", missing_names, missing_slots,
                     1, PTHREAD_MUTEX_INITIALIZER, 0 };
    const strata_error *e;
    (void)state;
    libm.cos = NULL;
    assert_int_equal(strata__dl_load(&dl), STRATA_ERROR);
    e = strata_error_last();
    assert_non_null(e);
    assert_non_null(strstr(e->message, "cannot load libstrata-test-absent.so.9"));
    assert_non_null(e->hint);
    assert_non_null(strstr(e->hint, "libstrata-test9"));
    /* a failure is not remembered as success, and is tried again */
    assert_int_equal(dl.loaded, 0);
    assert_int_equal(strata__dl_load(&dl), STRATA_ERROR);
    assert_null(libm.cos);
}

static void dl__missing_symbol_names_it(void **state)
{
    strata_dl dl = { "libm.so.6", "libc6", missing_names, missing_slots, 2,
                     PTHREAD_MUTEX_INITIALIZER, 0 };
    const strata_error *e;
    (void)state;
    assert_int_equal(strata__dl_load(&dl), STRATA_ERROR);
    e = strata_error_last();
    assert_non_null(strstr(e->message, "libm.so.6 has no strata_no_such_function"));
    assert_non_null(strstr(e->hint, "upgrade it, or rebuild strata"));
    assert_int_equal(dl.loaded, 0);
}

static void dl__loads_once(void **state)
{
    (void)state;
    assert_int_equal(strata__dl_load(&libm_dl), 0);
    assert_non_null(libm.cos);
    assert_true(libm.cos(0.0) == 1.0);
    /* loaded: a second call resolves nothing again */
    libm.cos = NULL;
    assert_int_equal(strata__dl_load(&libm_dl), 0);
    assert_null(libm.cos);
}

/* the SONAMEs the Makefile built in are the ones installed */
static void dl__built_in_libraries_load(void **state)
{
    (void)state;
    assert_int_equal(strata_sql__load(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dl__missing_library_names_it_and_the_package),
        cmocka_unit_test(dl__missing_symbol_names_it),
        cmocka_unit_test(dl__loads_once),
        cmocka_unit_test(dl__built_in_libraries_load),
    };
    return cmocka_run_group_tests_name("dl", tests, NULL, NULL);
}
