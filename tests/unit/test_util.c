/*
 * test_util.c: the utility layer: URL redaction, durations, snake_case names,
 * line numbers, buffers, the arena, SHA-256, the JSON tree and file helpers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/jv.h"
#include "util/util.h"

#define assert_contains(hay, needle)                                                     \
    do {                                                                                 \
        const char *hay_ = (hay);                                                        \
        if (!strstr(hay_, (needle)))                                                     \
            fail_msg("'%s' does not contain '%s'", hay_, (needle));                      \
    } while (0)

#define assert_not_contains(hay, needle)                                                 \
    do {                                                                                 \
        const char *hay_ = (hay);                                                        \
        if (strstr(hay_, (needle)))                                                      \
            fail_msg("'%s' contains '%s'", hay_, (needle));                              \
    } while (0)

/* Redact "in" and return a static copy of the result. */
static const char *redact(const char *in)
{
    static char out[512];
    strata_buf b = STRATA_BUF_INIT;
    assert_int_equal(strata_url_redact(&b, in), 0);
    assert_non_null(b.ptr);
    assert_int_equal(strlen(b.ptr), b.size);
    snprintf(out, sizeof(out), "%s", b.ptr);
    strata_buf_dispose(&b);
    return out;
}

/* ---- URL redaction ------------------------------------------------------- */

static void util_url__redact_userinfo(void **state)
{
    (void)state;
    const char *r = redact("postgres://u:secret@h/db");
    assert_not_contains(r, "secret");
    assert_string_equal(r, "postgres://u:****@h/db");

    /* the last '@' ends the user info: an '@' in the password is masked too */
    r = redact("postgresql://app:p@ss@db.example.com:5432/app?sslmode=require");
    assert_not_contains(r, "p@ss");
    assert_string_equal(r, "postgresql://app:****@db.example.com:5432/app?sslmode=require");
}

static void util_url__redact_query_password(void **state)
{
    (void)state;
    const char *r = redact("postgresql://u@h/db?password=secret&sslmode=require");
    assert_not_contains(r, "secret");
    assert_string_equal(r, "postgresql://u@h/db?password=****&sslmode=require");

    r = redact("postgres://h/db?sslmode=require&PASSWORD=secret");
    assert_not_contains(r, "secret");
    assert_contains(r, "****");
    assert_contains(r, "sslmode=require");

    /* both places at once */
    r = redact("postgres://u:one@h/db?password=two");
    assert_not_contains(r, "one");
    assert_not_contains(r, "two");
}

static void util_url__redact_keyvalue(void **state)
{
    (void)state;
    const char *r = redact("host=x password=secret user=u");
    assert_not_contains(r, "secret");
    assert_string_equal(r, "host=x password=**** user=u");

    r = redact("host=x password='se cret' user=u");
    assert_not_contains(r, "se cret");
    assert_not_contains(r, "cret");
    assert_string_equal(r, "host=x password=**** user=u");

    r = redact("password=secret");
    assert_string_equal(r, "password=****");

    r = redact("host=x password = secret dbname=d");
    assert_not_contains(r, "secret");
    assert_contains(r, "dbname=d");

    r = redact("host=x password='it\\'s' dbname=d");
    assert_not_contains(r, "it");
    assert_contains(r, "dbname=d");

    /* a key that only starts with "password" is not a password */
    r = redact("host=x passwordless=yes");
    assert_string_equal(r, "host=x passwordless=yes");
}

/* Passwords libpq itself accepts (checked with PQconninfoParse) in spellings
 * that are easy to get wrong: none of them may reach the output. */
static void util_url__redact_what_libpq_reads(void **state)
{
    (void)state;
    /* unencoded '?' / '#' / space in the user info: libpq's password is "pa?ss" ... */
    assert_string_equal(redact("postgres://u:pa?ss@h/db"), "postgres://u:****@h/db");
    assert_string_equal(redact("postgres://u:pa#ss@h/db"), "postgres://u:****@h/db");
    assert_string_equal(redact("postgres://u:se cret@h/db"), "postgres://u:****@h/db");
    /* '#' is part of a query value (libpq has no fragments) */
    const char *r = redact("postgres://h/db?password=a#b&sslmode=disable");
    assert_string_equal(r, "postgres://h/db?password=****&sslmode=disable");
    /* an '@' inside ?password= when the user has no password */
    r = redact("postgres://u@h?password=a@b");
    assert_not_contains(r, "a@b");
    assert_string_equal(r, "postgres://u@h?password=****");
    /* conninfo: a backslash-escaped space, blanks around '=' */
    r = redact("host=x password=se\\ cret user=u");
    assert_not_contains(r, "cret");
    assert_string_equal(r, "host=x password=**** user=u");
    r = redact("host=x password\t=\tsecret user=u");
    assert_not_contains(r, "secret");
    assert_string_equal(r, "host=x password=**** user=u");
    r = redact("host=x\npassword=secret");
    assert_not_contains(r, "secret");
    /* "://" inside a conninfo value does not make it a URI */
    r = redact("host=x options='-c a://b' password=secret");
    assert_not_contains(r, "secret");
    assert_contains(r, "options='-c a://b'");
}

static void util_url__unchanged_without_password(void **state)
{
    (void)state;
    assert_string_equal(redact("postgres://u@h:5432/db?sslmode=require"),
                        "postgres://u@h:5432/db?sslmode=require");
    assert_string_equal(redact("postgres://h/db"), "postgres://h/db");
    assert_string_equal(redact("sqlite:foo.db"), "sqlite:foo.db");
    assert_string_equal(redact("sqlite:///var/lib/app.db"), "sqlite:///var/lib/app.db");
    assert_string_equal(redact("host=x user=u"), "host=x user=u");
    assert_string_equal(redact(""), "");
}

static void util_url__replaces_previous_contents(void **state)
{
    strata_buf b = STRATA_BUF_INIT;
    (void)state;
    assert_int_equal(strata_buf_puts(&b, "old contents"), 0);
    assert_int_equal(strata_url_redact(&b, "sqlite:foo.db"), 0);
    assert_string_equal(b.ptr, "sqlite:foo.db");
    assert_int_equal(strata_url_redact(&b, "postgres://u:pw@h/db"), 0);
    assert_string_equal(b.ptr, "postgres://u:****@h/db");
    strata_buf_dispose(&b);
}

/* ---- strings ------------------------------------------------------------- */

static void util_str__duration_ms(void **state)
{
    (void)state;
    assert_int_equal(strata_str_duration_ms("30s"), 30000);
    assert_int_equal(strata_str_duration_ms("5m"), 300000);
    assert_int_equal(strata_str_duration_ms("1h"), 3600000);
    assert_int_equal(strata_str_duration_ms("250ms"), 250);
    assert_int_equal(strata_str_duration_ms("90"), 90000);
    assert_int_equal(strata_str_duration_ms("0"), 0);
    assert_int_equal(strata_str_duration_ms(" 2 s"), 2000);
    assert_int_equal(strata_str_duration_ms("1.5s"), 1500);
    assert_int_equal(strata_str_duration_ms("2min"), 120000);
    assert_int_equal(strata_str_duration_ms("5x"), -1);
    assert_int_equal(strata_str_duration_ms(""), -1);
    assert_int_equal(strata_str_duration_ms("s"), -1);
    assert_int_equal(strata_str_duration_ms("-5s"), -1);
    assert_int_equal(strata_str_duration_ms("soon"), -1);
    assert_int_equal(strata_str_duration_ms("5 m s"), -1);
}

static void snake_is(const char *in, const char *want)
{
    strata_buf b = STRATA_BUF_INIT;
    assert_int_equal(strata_str_snake(&b, in), 0);
    assert_string_equal(b.ptr, want);
    strata_buf_dispose(&b);
}

static void util_str__snake(void **state)
{
    strata_buf b = STRATA_BUF_INIT;
    (void)state;
    snake_is("Create Users!", "create_users");
    snake_is("  add  INDEX -- on users.email ", "add_index_on_users_email");
    snake_is("already_snake", "already_snake");
    snake_is("v2 Table", "v2_table");
    /* nothing usable is an error */
    assert_int_equal(strata_str_snake(&b, "!!! ---"), -1);
    assert_int_equal(strata_str_snake(&b, ""), -1);
    /* appends to what the buffer holds */
    assert_int_equal(strata_buf_puts(&b, "0001_"), 0);
    assert_int_equal(strata_str_snake(&b, "Add Email"), 0);
    assert_string_equal(b.ptr, "0001_add_email");
    strata_buf_dispose(&b);
}

static void util_str__line_of(void **state)
{
    const char *t = "ab\ncd\n\nefg";
    unsigned col = 0;
    (void)state;
    assert_int_equal(strata_str_line_of(t, 0, &col), 1);
    assert_int_equal(col, 1);
    assert_int_equal(strata_str_line_of(t, 1, &col), 1);
    assert_int_equal(col, 2);
    assert_int_equal(strata_str_line_of(t, 2, &col), 1);   /* the '\n' itself */
    assert_int_equal(col, 3);
    assert_int_equal(strata_str_line_of(t, 3, &col), 2);
    assert_int_equal(col, 1);
    assert_int_equal(strata_str_line_of(t, 6, &col), 3);
    assert_int_equal(strata_str_line_of(t, 8, &col), 4);
    assert_int_equal(col, 2);
    assert_int_equal(strata_str_line_of(t, 3, NULL), 2);
    /* an offset past the end stops at the NUL */
    assert_int_equal(strata_str_line_of(t, 1000, &col), 4);
    assert_int_equal(col, 4);
}

static void util_str__small_helpers(void **state)
{
    char s[] = " \t hello world \r\n";
    (void)state;
    assert_string_equal(strata_str_trim(s), "hello world");
    assert_true(strata_str_startswith("strata:up", "strata:"));
    assert_false(strata_str_startswith("strat", "strata:"));
    assert_true(strata_str_endswith("a.up.sql", ".up.sql"));
    assert_false(strata_str_endswith("sql", ".sql"));
    assert_true(strata_str_isdigits("0123", 4));
    assert_true(strata_str_isdigits("12a", 2));
    assert_false(strata_str_isdigits("12a", 3));
    assert_false(strata_str_isdigits("", 0));
}

/* ---- buffers ------------------------------------------------------------- */

static void util_buf__printf_growth(void **state)
{
    strata_buf b = STRATA_BUF_INIT;
    char big[100001];
    (void)state;

    assert_string_equal(strata_buf_cstr(&b), "");
    /* one printf larger than 64KB */
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(strata_buf_printf(&b, "<%s>", big), 0);
    assert_int_equal(b.size, 100002);
    assert_true(b.asize > b.size);
    assert_int_equal(b.ptr[0], '<');
    assert_int_equal(b.ptr[100000], 'x');
    assert_int_equal(b.ptr[100001], '>');
    assert_int_equal(b.ptr[100002], '\0');

    strata_buf_clear(&b);
    assert_int_equal(b.size, 0);
    assert_string_equal(b.ptr, "");
    assert_true(b.asize > 100002);  /* clear keeps the memory */

    /* many small ones past 64KB, growing from nothing */
    strata_buf_dispose(&b);
    for (int i = 0; i < 20000; i++) {
        assert_int_equal(strata_buf_printf(&b, "%05d,", i), 0);
        assert_true(b.asize > b.size);  /* room for the NUL */
    }
    assert_int_equal(b.size, 20000 * 6);
    assert_int_equal(strlen(b.ptr), b.size);
    assert_memory_equal(b.ptr, "00000,00001,", 12);
    assert_memory_equal(b.ptr + b.size - 6, "19999,", 6);

    strata_buf_dispose(&b);
    assert_null(b.ptr);
    assert_int_equal(b.size, 0);
    assert_int_equal(b.asize, 0);
    strata_buf_dispose(&b);  /* twice is fine */
}

static void util_buf__put(void **state)
{
    strata_buf b = STRATA_BUF_INIT;
    (void)state;
    assert_int_equal(strata_buf_put(&b, "", 0), 0);
    assert_non_null(b.ptr);
    assert_string_equal(b.ptr, "");
    assert_int_equal(strata_buf_put(&b, "abc\0def", 7), 0);
    assert_int_equal(b.size, 7);
    assert_memory_equal(b.ptr, "abc\0def", 8);
    assert_int_equal(strata_buf_puts(&b, "g"), 0);
    assert_memory_equal(b.ptr, "abc\0defg", 9);
    strata_buf_dispose(&b);
}

/* ---- arena --------------------------------------------------------------- */

static void util_arena__many_allocations(void **state)
{
    strata_arena a = { NULL };
    enum { N = 20000 };
    char **p = calloc(N, sizeof(*p));
    (void)state;
    assert_non_null(p);

    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 97) + 1;
        p[i] = strata_arena_alloc(&a, n);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        for (size_t k = 0; k < n; k++)
            assert_int_equal(p[i][k], 0);   /* zeroed */
        memset(p[i], (char)('a' + i % 26), n);
    }
    /* nothing overlapped: every block still holds its own byte */
    for (int i = 0; i < N; i++) {
        size_t n = (size_t)(i % 97) + 1;
        for (size_t k = 0; k < n; k++)
            assert_int_equal(p[i][k], (char)('a' + i % 26));
    }

    /* bigger than a chunk */
    char *big = strata_arena_alloc(&a, 100000);
    assert_non_null(big);
    memset(big, 'z', 100000);
    assert_int_equal(p[N - 1][0], (char)('a' + (N - 1) % 26));

    /* a size that would wrap is refused, not turned into a tiny block */
    assert_null(strata_arena_alloc(&a, SIZE_MAX));
    assert_null(strata_arena_alloc(&a, SIZE_MAX - 8));

    strata_arena_dispose(&a);
    assert_null(a.head);
    strata_arena_dispose(&a);  /* twice is fine */

    /* again on memory malloc hands back dirty: still zeroed */
    for (int i = 0; i < N; i++)
        p[i] = strata_arena_alloc(&a, 64);
    for (int i = 0; i < N; i++)
        memset(p[i], 0x5a, 64);
    strata_arena_dispose(&a);
    for (int i = 0; i < N; i++) {
        unsigned char *q = strata_arena_alloc(&a, 64);
        assert_non_null(q);
        for (size_t k = 0; k < 64; k++)
            assert_int_equal(q[k], 0);
    }
    strata_arena_dispose(&a);
    free(p);
}

static void util_arena__strings(void **state)
{
    strata_arena a = { NULL };
    char longer[1000];
    (void)state;

    assert_null(strata_arena_strdup(&a, NULL));
    assert_null(strata_arena_strndup(&a, NULL, 3));
    assert_string_equal(strata_arena_strdup(&a, "hello"), "hello");
    assert_string_equal(strata_arena_strndup(&a, "hello", 3), "hel");
    assert_string_equal(strata_arena_strdup(&a, ""), "");

    assert_string_equal(strata_arena_printf(&a, "%s-%d", "v", 42), "v-42");
    /* longer than printf's small stack buffer */
    memset(longer, 'q', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    char *s = strata_arena_printf(&a, "[%s]", longer);
    assert_non_null(s);
    assert_int_equal(strlen(s), sizeof(longer) + 1);
    assert_int_equal(s[0], '[');
    assert_int_equal(s[500], 'q');
    assert_int_equal(s[sizeof(longer)], ']');

    for (int i = 0; i < 5000; i++) {
        char *t = strata_arena_printf(&a, "item %d", i);
        char want[32];
        snprintf(want, sizeof(want), "item %d", i);
        assert_string_equal(t, want);
    }
    strata_arena_dispose(&a);
}

/* ---- hashing ------------------------------------------------------------- */

static void util_hash__sha256(void **state)
{
    char hex[65], hex2[65];
    (void)state;
    /* known answers: printf 'abc' | sha256sum, printf '' | sha256sum */
    assert_int_equal(strata_sha256_hex_lf(hex, "abc", 3), 0);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(strata_sha256_hex_lf(hex, "", 0), 0);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    /* CRLF folds to LF; a lone CR is kept (printf 'a\rb\n' | sha256sum) */
    assert_int_equal(strata_sha256_hex_lf(hex, "a\rb\r\n", 5), 0);
    assert_int_equal(strata_sha256_hex_lf(hex2, "a\rb\n", 4), 0);
    assert_string_equal(hex, hex2);
    assert_string_equal(hex, "367d1c77eadc1495a7db4200f46a8b90ea1fa926282722d308c05a65098a4112");
    assert_int_equal(strata_sha256_hex_lf(hex2, "a\r", 2), 0);
    assert_int_equal(strata_sha256_hex_lf(hex, "a", 1), 0);
    assert_string_not_equal(hex, hex2);

    /* the first 8 bytes, big-endian */
    assert_true(strata_sha256_i64("abc", 3) == (int64_t)UINT64_C(0xba7816bf8f01cfea));
}

/* ---- the JSON tree ------------------------------------------------------- */

/* Parse a copy of "json" (the parser writes over its text) into "a". */
static strata_jv *jv_parse(strata_arena *a, const char *json)
{
    return strata_jv_parse(strata_arena_strdup(a, json), a);
}

static void util_jv__shapes(void **state)
{
    strata_arena a = {0};
    strata_jv *root, *v;
    const char *k;
    size_t i, seen = 0;
    (void)state;

    root = jv_parse(&a, " {\"stmts\": [{\"stmt\": {\"A\": 1}}, {\"B\": null}], \"version\": 170004,"
                        " \"t\": true, \"f\": false, \"empty\": {}, \"none\": [], \"r\": -2.5e3 } ");
    assert_non_null(root);
    assert_true(strata_jv_is(root, STRATA_JV_OBJECT));
    assert_int_equal(strata_jv_size(root), 7);
    assert_int_equal(strata_jv_int(strata_jv_get(root, "version")), 170004);
    assert_int_equal(strata_jv_int(strata_jv_get(strata_jv_get(strata_jv_at(strata_jv_get(root, "stmts"), 0), "stmt"), "A")), 1);
    assert_true(strata_jv_is(strata_jv_get(strata_jv_at(strata_jv_get(root, "stmts"), 1), "B"), STRATA_JV_NULL));
    assert_true(strata_jv_is(strata_jv_get(root, "t"), STRATA_JV_TRUE));
    assert_true(strata_jv_is(strata_jv_get(root, "f"), STRATA_JV_FALSE));
    assert_true(strata_jv_is(strata_jv_get(root, "empty"), STRATA_JV_OBJECT));
    assert_int_equal(strata_jv_size(strata_jv_get(root, "empty")), 0);
    assert_true(strata_jv_is(strata_jv_get(root, "none"), STRATA_JV_ARRAY));
    assert_int_equal(strata_jv_size(strata_jv_get(root, "none")), 0);
    v = strata_jv_get(root, "r");
    assert_true(strata_jv_is(v, STRATA_JV_REAL));
    assert_true(v->u.d == -2500.0);

    /* members in the order they were written */
    STRATA_JV_OBJECT_FOREACH(root, i, k, v) {
        static const char *const order[] = {"stmts", "version", "t", "f", "empty", "none", "r"};
        assert_string_equal(k, order[i]);
        seen++;
    }
    assert_int_equal(seen, 7);
    seen = 0;
    STRATA_JV_ARRAY_FOREACH(strata_jv_get(root, "stmts"), i, v)
        seen++;
    assert_int_equal(seen, 2);

    /* a missing or mistyped value answers as missing, all the way down a chain */
    assert_null(strata_jv_get(root, "absent"));
    assert_null(strata_jv_get(strata_jv_get(root, "absent"), "deeper"));
    assert_null(strata_jv_at(strata_jv_get(root, "stmts"), 2));
    assert_null(strata_jv_at(root, 0));
    assert_null(strata_jv_get(strata_jv_get(root, "stmts"), "stmt"));
    assert_null(strata_jv_str(strata_jv_get(root, "version")));
    assert_int_equal(strata_jv_int(strata_jv_get(root, "r")), 0);
    assert_int_equal(strata_jv_size(NULL), 0);
    assert_int_equal(strata_jv_size(strata_jv_get(root, "version")), 0);
    strata_arena_dispose(&a);
}

static void util_jv__strings(void **state)
{
    strata_arena a = {0};
    strata_jv *root, *v;
    (void)state;

    root = jv_parse(&a, "[\"plain\", \"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\", \"\\u00e9\\u20ac\", "
                        "\"\\ud83d\\ude00\", \"nul\\u0000x\", \"\"]");
    assert_non_null(root);
    assert_string_equal(strata_jv_str(strata_jv_at(root, 0)), "plain");
    assert_int_equal(strata_jv_at(root, 0)->n, 5);
    assert_string_equal(strata_jv_str(strata_jv_at(root, 1)), "q\"b\\s/n\nt\tr\rb\bf\f");
    assert_string_equal(strata_jv_str(strata_jv_at(root, 2)), "\xc3\xa9\xe2\x82\xac");
    /* a surrogate pair is one code point, four UTF-8 bytes */
    v = strata_jv_at(root, 3);
    assert_string_equal(strata_jv_str(v), "\xf0\x9f\x98\x80");
    assert_int_equal(v->n, 4);
    /* \u0000 is kept: the length counts past it */
    v = strata_jv_at(root, 4);
    assert_int_equal(v->n, 5);
    assert_memory_equal(strata_jv_str(v), "nul\0x", 5);
    assert_string_equal(strata_jv_str(strata_jv_at(root, 5)), "");
    assert_int_equal(strata_jv_at(root, 5)->n, 0);

    /* keys are unescaped too */
    root = jv_parse(&a, "{\"a\\u0062c\": \"x\"}");
    assert_non_null(root);
    assert_string_equal(strata_jv_str(strata_jv_get(root, "abc")), "x");
    strata_arena_dispose(&a);
}

static void util_jv__numbers(void **state)
{
    strata_arena a = {0};
    strata_jv *root, *v;
    (void)state;

    root = jv_parse(&a, "[0, -0, 9223372036854775807, -9223372036854775808, 9223372036854775808, 1e2, 0.5]");
    assert_non_null(root);
    assert_true(strata_jv_is(strata_jv_at(root, 0), STRATA_JV_INTEGER));
    assert_int_equal(strata_jv_int(strata_jv_at(root, 1)), 0);
    assert_true(strata_jv_int(strata_jv_at(root, 2)) == INT64_MAX);
    assert_true(strata_jv_int(strata_jv_at(root, 3)) == INT64_MIN);
    /* past the range of an integer: a real, not a wrapped value */
    v = strata_jv_at(root, 4);
    assert_true(strata_jv_is(v, STRATA_JV_REAL));
    assert_true(v->u.d == 9223372036854775808.0);
    assert_true(strata_jv_is(strata_jv_at(root, 5), STRATA_JV_REAL));
    assert_true(strata_jv_at(root, 5)->u.d == 100.0);
    assert_true(strata_jv_at(root, 6)->u.d == 0.5);
    strata_arena_dispose(&a);
}

static void util_jv__rejects(void **state)
{
    static const char *const bad[] = {
        "", "   ", "{", "[1,", "[1 2]", "{\"a\" 1}", "{a: 1}", "{\"a\": 1,}", "[1,]",
        "\"unterminated", "\"ctl\x01\"", "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\ude00\"",
        "\"\\ud83d\\u0041\"", "tru", "nul", "-", "01", "+1", "1e999", "{} {}", "[] x", "{\"a\":}",
    };
    strata_arena a = {0};
    strata_buf deep = STRATA_BUF_INIT;
    (void)state;

    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
        if (jv_parse(&a, bad[i]) != NULL)
            fail_msg("parsed invalid JSON '%s'", bad[i]);
    assert_null(strata_jv_parse(NULL, &a));

    /* nesting: up to the limit parses, one more level is refused (no stack overflow) */
    for (int i = 0; i < STRATA_JV_MAX_DEPTH; i++)
        assert_int_equal(strata_buf_puts(&deep, "["), 0);
    for (int i = 0; i < STRATA_JV_MAX_DEPTH; i++)
        assert_int_equal(strata_buf_puts(&deep, "]"), 0);
    assert_non_null(jv_parse(&a, deep.ptr));
    strata_buf_clear(&deep);
    for (int i = 0; i <= STRATA_JV_MAX_DEPTH; i++)
        assert_int_equal(strata_buf_puts(&deep, "["), 0);
    for (int i = 0; i <= STRATA_JV_MAX_DEPTH; i++)
        assert_int_equal(strata_buf_puts(&deep, "]"), 0);
    assert_null(jv_parse(&a, deep.ptr));
    /* far past it, unclosed, objects and arrays mixed */
    strata_buf_clear(&deep);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(strata_buf_puts(&deep, "[{\"k\":"), 0);
    assert_null(jv_parse(&a, deep.ptr));
    strata_buf_dispose(&deep);
    strata_arena_dispose(&a);
}

/* ---- files --------------------------------------------------------------- */

static void util_fs__round_trip(void **state)
{
    char dir[] = "/tmp/strata-test-util-XXXXXX";
    strata_buf p = STRATA_BUF_INIT, data = STRATA_BUF_INIT;
    char **names = NULL;
    size_t count = 0;
    (void)state;

    assert_non_null(mkdtemp(dir));
    assert_true(strata_fs_isdir(dir));
    assert_false(strata_fs_isfile(dir));

    assert_int_equal(strata_path_join(&p, dir, "b.sql"), 0);
    assert_int_equal(strata_fs_write_new(p.ptr, "B\n", 2), 0);
    assert_int_equal(strata_fs_write_new(p.ptr, "again", 5), -1);   /* O_EXCL */
    assert_int_equal(errno, EEXIST);
    assert_true(strata_fs_isfile(p.ptr));
    assert_int_equal(strata_fs_read(&data, p.ptr), 0);
    assert_string_equal(data.ptr, "B\n");

    assert_int_equal(strata_path_join(&p, dir, "a.sql"), 0);
    assert_int_equal(strata_fs_write_new(p.ptr, "", 0), 0);
    assert_int_equal(strata_fs_read(&data, p.ptr), 0);
    assert_non_null(data.ptr);
    assert_int_equal(data.size, 0);
    assert_string_equal(data.ptr, "");

    assert_int_equal(strata_path_join(&p, dir, "x/y/z"), 0);
    assert_int_equal(strata_fs_mkdir_p(p.ptr), 0);
    assert_int_equal(strata_fs_mkdir_p(p.ptr), 0);   /* already there */
    assert_true(strata_fs_isdir(p.ptr));

    assert_int_equal(strata_path_join(&p, dir, ".hidden"), 0);
    assert_int_equal(strata_fs_write_new(p.ptr, "h", 1), 0);

    /* sorted, no dot entries */
    assert_int_equal(strata_fs_list(&names, &count, dir), 0);
    assert_int_equal(count, 3);
    assert_string_equal(names[0], "a.sql");
    assert_string_equal(names[1], "b.sql");
    assert_string_equal(names[2], "x");
    strata_fs_names_free(names, count);

    assert_int_equal(strata_path_join(&p, dir, "missing"), 0);
    assert_int_equal(strata_fs_read(&data, p.ptr), -1);
    assert_int_equal(errno, ENOENT);
    assert_int_equal(strata_fs_list(&names, &count, p.ptr), -1);
    assert_null(names);
    assert_int_equal(count, 0);

    /* clean up */
    static const char *const rm[] = { "a.sql", "b.sql", ".hidden" };
    for (size_t i = 0; i < 3; i++) {
        strata_path_join(&p, dir, rm[i]);
        assert_int_equal(unlink(p.ptr), 0);
    }
    static const char *const rmd[] = { "x/y/z", "x/y", "x" };
    for (size_t i = 0; i < 3; i++) {
        strata_path_join(&p, dir, rmd[i]);
        assert_int_equal(rmdir(p.ptr), 0);
    }
    assert_int_equal(rmdir(dir), 0);
    strata_buf_dispose(&p);
    strata_buf_dispose(&data);
}

static void util_fs__path_join(void **state)
{
    strata_buf p = STRATA_BUF_INIT;
    (void)state;
    assert_int_equal(strata_path_join(&p, "db/migrations", "1_a.sql"), 0);
    assert_string_equal(p.ptr, "db/migrations/1_a.sql");
    assert_int_equal(strata_path_join(&p, "db/migrations/", "1_a.sql"), 0);
    assert_string_equal(p.ptr, "db/migrations/1_a.sql");
    assert_int_equal(strata_path_join(&p, ".", "1_a.sql"), 0);
    assert_string_equal(p.ptr, "1_a.sql");
    assert_int_equal(strata_path_join(&p, "", "1_a.sql"), 0);
    assert_string_equal(p.ptr, "1_a.sql");
    assert_int_equal(strata_path_join(&p, NULL, "1_a.sql"), 0);
    assert_string_equal(p.ptr, "1_a.sql");
    assert_int_equal(strata_path_join(&p, "db", "/abs/x.sql"), 0);
    assert_string_equal(p.ptr, "/abs/x.sql");
    assert_true(strata_path_isabs("/x"));
    assert_false(strata_path_isabs("x"));
    strata_buf_dispose(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(util_url__redact_userinfo),
        cmocka_unit_test(util_url__redact_query_password),
        cmocka_unit_test(util_url__redact_keyvalue),
        cmocka_unit_test(util_url__redact_what_libpq_reads),
        cmocka_unit_test(util_url__unchanged_without_password),
        cmocka_unit_test(util_url__replaces_previous_contents),
        cmocka_unit_test(util_str__duration_ms),
        cmocka_unit_test(util_str__snake),
        cmocka_unit_test(util_str__line_of),
        cmocka_unit_test(util_str__small_helpers),
        cmocka_unit_test(util_buf__printf_growth),
        cmocka_unit_test(util_buf__put),
        cmocka_unit_test(util_arena__many_allocations),
        cmocka_unit_test(util_arena__strings),
        cmocka_unit_test(util_hash__sha256),
        cmocka_unit_test(util_jv__shapes),
        cmocka_unit_test(util_jv__strings),
        cmocka_unit_test(util_jv__numbers),
        cmocka_unit_test(util_jv__rejects),
        cmocka_unit_test(util_fs__round_trip),
        cmocka_unit_test(util_fs__path_join),
    };
    return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
