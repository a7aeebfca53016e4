/*
 * test_version.c: how each format orders versions, the canonical form strata
 * records in its history, and the format names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "strata.h"

/* Sign of a comparison, so a test states -1/0/1 and not "some negative". */
static int cmp(strata_format f, const char *a, const char *b)
{
    int c = strata_version_compare(f, a, b);
    return c < 0 ? -1 : c > 0;
}

/* a < b, and the reverse holds too: the order is antisymmetric. */
static void assert_less(strata_format f, const char *a, const char *b)
{
    assert_int_equal(cmp(f, a, b), -1);
    assert_int_equal(cmp(f, b, a), 1);
}

static void assert_same(strata_format f, const char *a, const char *b)
{
    assert_int_equal(cmp(f, a, b), 0);
    assert_int_equal(cmp(f, b, a), 0);
}

/* ---- compare ------------------------------------------------------------ */

static void source_version__integer_formats(void **state)
{
    static const strata_format fs[] = { STRATA_FORMAT_NATIVE, STRATA_FORMAT_SEED,
                                        STRATA_FORMAT_GOLANG };
    (void)state;
    for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
        assert_less(fs[i], "2", "10");
        assert_less(fs[i], "9", "10");
        assert_less(fs[i], "1", "2");
        assert_same(fs[i], "0002", "2");
        assert_same(fs[i], "0", "000");
        assert_same(fs[i], "7", "7");
        assert_less(fs[i], "0009", "10");
    }
}

static void source_version__integer_longer_than_64_bits(void **state)
{
    (void)state;
    /* more digits than fit in a uint64_t: must compare as numbers, not wrap */
    assert_less(STRATA_FORMAT_NATIVE, "3", "20240101120000123456789");
    assert_less(STRATA_FORMAT_GOLANG, "20240101120000123456789", "20240101120000123456790");
    assert_less(STRATA_FORMAT_SEED, "99999999999999999999999", "100000000000000000000000");
    assert_same(STRATA_FORMAT_NATIVE, "00020240101120000123456789", "20240101120000123456789");
}

static void source_version__flyway_dotted(void **state)
{
    (void)state;
    assert_less(STRATA_FORMAT_FLYWAY, "1.2", "1.10");
    assert_less(STRATA_FORMAT_FLYWAY, "1.1", "1.2");
    assert_less(STRATA_FORMAT_FLYWAY, "1", "1.1");
    assert_less(STRATA_FORMAT_FLYWAY, "1.10", "2");
    assert_less(STRATA_FORMAT_FLYWAY, "2", "10");
    assert_less(STRATA_FORMAT_FLYWAY, "1.2", "1.2.3");
    assert_less(STRATA_FORMAT_FLYWAY, "1.2.3", "1.3");
    assert_same(STRATA_FORMAT_FLYWAY, "1", "1.0");
    assert_same(STRATA_FORMAT_FLYWAY, "1", "1.0.0");
    assert_same(STRATA_FORMAT_FLYWAY, "1.02", "1.2");
    assert_same(STRATA_FORMAT_FLYWAY, "1.2", "1.2");
    assert_less(STRATA_FORMAT_FLYWAY, "3", "20240101120000123456789.1");
    /* as written in file names: '_' separates parts like '.' */
    assert_same(STRATA_FORMAT_FLYWAY, "1_2", "1.2");
    assert_less(STRATA_FORMAT_FLYWAY, "1_2", "1_10");
    assert_same(STRATA_FORMAT_FLYWAY, "1_0", "1");
}

static void source_version__text_formats(void **state)
{
    (void)state;
    /* dbmate and diesel compare the version string byte by byte */
    assert_less(STRATA_FORMAT_DBMATE, "20240101000000", "20240102000000");
    assert_same(STRATA_FORMAT_DBMATE, "20240101000000", "20240101000000");
    assert_less(STRATA_FORMAT_DBMATE, "10", "9");      /* as text, not numbers */
    assert_less(STRATA_FORMAT_DBMATE, "0002", "2");    /* leading zeros count */
    assert_less(STRATA_FORMAT_DIESEL, "20240101120000", "20240101120001");
    assert_less(STRATA_FORMAT_DIESEL, "10", "9");
    assert_int_not_equal(cmp(STRATA_FORMAT_DIESEL, "0002", "2"), 0);
}

/* ---- canonical ---------------------------------------------------------- */

static void canon_ok(strata_format f, const char *in, const char *want)
{
    char out[128];
    memset(out, 'x', sizeof(out));
    assert_int_equal(strata_version_canonical(out, sizeof(out), f, in), 0);
    assert_string_equal(out, want);
}

static void canon_bad(strata_format f, const char *in)
{
    char out[128];
    assert_int_equal(strata_version_canonical(out, sizeof(out), f, in), STRATA_EINVALID);
}

static void source_version__canonical_native(void **state)
{
    (void)state;
    canon_ok(STRATA_FORMAT_NATIVE, "0012", "12");
    canon_ok(STRATA_FORMAT_NATIVE, "12", "12");
    canon_ok(STRATA_FORMAT_NATIVE, "0000", "0");
    canon_ok(STRATA_FORMAT_NATIVE, "0", "0");
    canon_ok(STRATA_FORMAT_SEED, "001", "1");
    canon_ok(STRATA_FORMAT_GOLANG, "000010", "10");
    canon_ok(STRATA_FORMAT_NATIVE, "20240101120000123456789", "20240101120000123456789");
    canon_bad(STRATA_FORMAT_NATIVE, "1a");
    canon_bad(STRATA_FORMAT_NATIVE, "");
    canon_bad(STRATA_FORMAT_NATIVE, "1.2");
    canon_bad(STRATA_FORMAT_NATIVE, "-1");
    canon_bad(STRATA_FORMAT_NATIVE, " 1");
    canon_bad(STRATA_FORMAT_GOLANG, "a");
    canon_bad(STRATA_FORMAT_SEED, "1_2");
}

static void source_version__canonical_flyway(void **state)
{
    (void)state;
    canon_ok(STRATA_FORMAT_FLYWAY, "1_2", "1.2");
    canon_ok(STRATA_FORMAT_FLYWAY, "1.2", "1.2");
    canon_ok(STRATA_FORMAT_FLYWAY, "1.0", "1");
    canon_ok(STRATA_FORMAT_FLYWAY, "1.0.0", "1");
    canon_ok(STRATA_FORMAT_FLYWAY, "1_0", "1");
    canon_ok(STRATA_FORMAT_FLYWAY, "01.002", "1.2");
    canon_ok(STRATA_FORMAT_FLYWAY, "1.10", "1.10");
    canon_ok(STRATA_FORMAT_FLYWAY, "10", "10");
    canon_ok(STRATA_FORMAT_FLYWAY, "10.0", "10");
    canon_ok(STRATA_FORMAT_FLYWAY, "1.0.1", "1.0.1");
    canon_ok(STRATA_FORMAT_FLYWAY, "2.20", "2.20");
    canon_ok(STRATA_FORMAT_FLYWAY, "0", "0");
    canon_ok(STRATA_FORMAT_FLYWAY, "1_2_3", "1.2.3");
    canon_bad(STRATA_FORMAT_FLYWAY, "");
    canon_bad(STRATA_FORMAT_FLYWAY, "1.");
    canon_bad(STRATA_FORMAT_FLYWAY, "1_");
    canon_bad(STRATA_FORMAT_FLYWAY, ".1");
    canon_bad(STRATA_FORMAT_FLYWAY, "1..2");
    canon_bad(STRATA_FORMAT_FLYWAY, "1a");
    canon_bad(STRATA_FORMAT_FLYWAY, "1.a");
    canon_bad(STRATA_FORMAT_FLYWAY, "v1");
}

static void source_version__canonical_dbmate_diesel(void **state)
{
    (void)state;
    /* dbmate keeps the text as is: its tool compares strings */
    canon_ok(STRATA_FORMAT_DBMATE, "20240101000000", "20240101000000");
    canon_ok(STRATA_FORMAT_DBMATE, "0002", "0002");
    canon_bad(STRATA_FORMAT_DBMATE, "2024-01-01");
    canon_bad(STRATA_FORMAT_DBMATE, "1a");
    canon_bad(STRATA_FORMAT_DBMATE, "");
    canon_ok(STRATA_FORMAT_DIESEL, "2024-01-01-120000", "20240101120000");
    canon_ok(STRATA_FORMAT_DIESEL, "20240101120000", "20240101120000");
    canon_ok(STRATA_FORMAT_DIESEL, "00000000000000", "00000000000000");
    canon_bad(STRATA_FORMAT_DIESEL, "---");
    canon_bad(STRATA_FORMAT_DIESEL, "2024-01-01x");
    canon_bad(STRATA_FORMAT_DIESEL, "");
}

static void source_version__canonical_small_buffer(void **state)
{
    char out[4];
    (void)state;
    /* never writes past outsz; a version that does not fit is refused */
    assert_int_equal(strata_version_canonical(out, sizeof(out), STRATA_FORMAT_NATIVE, "123"), 0);
    assert_string_equal(out, "123");
    assert_int_equal(strata_version_canonical(out, sizeof(out), STRATA_FORMAT_NATIVE, "1234"),
                     STRATA_EINVALID);
    assert_int_equal(strata_version_canonical(out, sizeof(out), STRATA_FORMAT_FLYWAY, "1.2.3"),
                     STRATA_EINVALID);
}

/* ---- format names --------------------------------------------------------- */

static void source_version__format_round_trip(void **state)
{
    static const strata_format all[] = {
        STRATA_FORMAT_AUTO, STRATA_FORMAT_NATIVE, STRATA_FORMAT_SEED, STRATA_FORMAT_FLYWAY,
        STRATA_FORMAT_GOLANG, STRATA_FORMAT_DBMATE, STRATA_FORMAT_DIESEL,
    };
    (void)state;
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        strata_format f = (strata_format)-1;
        const char *name = strata_format_name(all[i]);
        assert_non_null(name);
        assert_string_not_equal(name, "unknown");
        assert_int_equal(strata_format_parse(&f, name), 0);
        assert_int_equal(f, all[i]);
    }
    assert_string_equal(strata_format_name(STRATA_FORMAT_NATIVE), "native");
    assert_string_equal(strata_format_name(STRATA_FORMAT_SEED), "seed");
    assert_string_equal(strata_format_name(STRATA_FORMAT_FLYWAY), "flyway");
    assert_string_equal(strata_format_name(STRATA_FORMAT_GOLANG), "golang-migrate");
    assert_string_equal(strata_format_name(STRATA_FORMAT_DBMATE), "dbmate");
    assert_string_equal(strata_format_name(STRATA_FORMAT_DIESEL), "diesel");
    assert_string_equal(strata_format_name(STRATA_FORMAT_AUTO), "auto");
    assert_string_equal(strata_format_name((strata_format)99), "unknown");
}

static void source_version__format_parse_aliases_and_errors(void **state)
{
    strata_format f = STRATA_FORMAT_AUTO;
    (void)state;
    assert_int_equal(strata_format_parse(&f, "golang"), 0);
    assert_int_equal(f, STRATA_FORMAT_GOLANG);

    f = STRATA_FORMAT_DIESEL;
    assert_int_equal(strata_format_parse(&f, "liquibase"), STRATA_EINVALID);
    assert_int_equal(f, STRATA_FORMAT_DIESEL);  /* untouched on error */
    const strata_error *e = strata_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, STRATA_EINVALID);
    assert_non_null(strstr(e->message, "liquibase"));
    assert_non_null(e->hint);
    assert_non_null(strstr(e->hint, "flyway"));

    assert_int_equal(strata_format_parse(&f, ""), STRATA_EINVALID);
    assert_int_equal(strata_format_parse(&f, "Native"), STRATA_EINVALID);
}

static void source_version__kind_names(void **state)
{
    (void)state;
    assert_string_equal(strata_kind_name(STRATA_KIND_VERSIONED), "versioned");
    assert_string_equal(strata_kind_name(STRATA_KIND_REPEATABLE), "repeatable");
    assert_string_equal(strata_kind_name(STRATA_KIND_BASELINE), "baseline");
    assert_string_equal(strata_kind_name(STRATA_KIND_UNDO), "undo");
    assert_string_equal(strata_kind_name(STRATA_KIND_DELETED), "deleted");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(source_version__integer_formats),
        cmocka_unit_test(source_version__integer_longer_than_64_bits),
        cmocka_unit_test(source_version__flyway_dotted),
        cmocka_unit_test(source_version__text_formats),
        cmocka_unit_test(source_version__canonical_native),
        cmocka_unit_test(source_version__canonical_flyway),
        cmocka_unit_test(source_version__canonical_dbmate_diesel),
        cmocka_unit_test(source_version__canonical_small_buffer),
        cmocka_unit_test(source_version__format_round_trip),
        cmocka_unit_test(source_version__format_parse_aliases_and_errors),
        cmocka_unit_test(source_version__kind_names),
    };
    return cmocka_run_group_tests_name("version", tests, NULL, NULL);
}
