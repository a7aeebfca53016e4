/*
 * test_source.c: reading migrations folders in every format. Each test builds
 * its fixture folder under a fresh mkdtemp() directory and removes it after,
 * so the tests need nothing checked in and leave nothing behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strata.h"

/* ---- fixture helpers ----------------------------------------------------- */

typedef struct {
    char root[64];   /* the mkdtemp() folder, the migrations folder itself */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    if (!fx)
        return -1;
    snprintf(fx->root, sizeof(fx->root), "/tmp/strata-test-source-XXXXXX");
    if (!mkdtemp(fx->root)) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    fixture *fx = *state;
    int r = nftw(fx->root, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return r;
}

/* mkdir -p for the folders above "rel" inside the fixture root. */
static void make_parents(const fixture *fx, const char *rel)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", fx->root, rel);
    for (char *p = path + strlen(fx->root) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0755) < 0 && errno != EEXIST)
                fail_msg("mkdir %s: %s", path, strerror(errno));
            *p = '/';
        }
    }
}

/* Write a file (and its folders) at "rel" inside the fixture root. */
static void put(const fixture *fx, const char *rel, const char *content)
{
    char path[512];
    FILE *f;
    make_parents(fx, rel);
    snprintf(path, sizeof(path), "%s/%s", fx->root, rel);
    f = fopen(path, "wb");
    if (!f)
        fail_msg("cannot write %s: %s", path, strerror(errno));
    assert_int_equal(fwrite(content, 1, strlen(content), f), strlen(content));
    assert_int_equal(fclose(f), 0);
}

/* Load fx->root in "format"; the load must succeed. */
static strata_source *load_ok(const fixture *fx, strata_format format)
{
    strata_source *src = NULL;
    int r = strata_source_load(&src, fx->root, format);
    if (r != 0) {
        const strata_error *e = strata_error_last();
        fail_msg("load failed (%d): %s", r, e && e->message ? e->message : "?");
    }
    assert_non_null(src);
    assert_null(strata_error_last());
    return src;
}

/* Load fx->root in "format"; the load must fail with "code". Returns the error. */
static const strata_error *load_fails(const fixture *fx, strata_format format, int code)
{
    strata_source *src = (strata_source *)1;
    int r = strata_source_load(&src, fx->root, format);
    const strata_error *e = strata_error_last();
    assert_int_equal(r, code);
    assert_null(src);
    assert_non_null(e);
    assert_int_equal(e->code, code);
    assert_non_null(e->message);
    return e;
}

static const strata_migration *mig(const strata_source *src, size_t i)
{
    const strata_migration *m = strata_source_get(src, i);
    assert_non_null(m);
    return m;
}

/* The error's file is "<root>/<rel>". */
static void assert_error_file(const fixture *fx, const strata_error *e, const char *rel)
{
    char want[512];
    snprintf(want, sizeof(want), "%s/%s", fx->root, rel);
    assert_non_null(e->file);
    assert_string_equal(e->file, want);
}

#define assert_contains(hay, needle)                                                     \
    do {                                                                                 \
        const char *hay_ = (hay);                                                        \
        assert_non_null(hay_);                                                           \
        if (!strstr(hay_, (needle)))                                                     \
            fail_msg("'%s' does not contain '%s'", hay_, (needle));                      \
    } while (0)

/* ---- native --------------------------------------------------------------- */

static void source_load__native(void **state)
{
    fixture *fx = *state;
    put(fx, "0001_a.sql",
        "-- strata:up\n"
        "CREATE TABLE a (id int);\n"
        "\n"
        "-- strata:down\n"
        "DROP TABLE a;\n");
    put(fx, "2_b.sql", "CREATE TABLE b (id int);\n");
    put(fx, "10_c.sql",
        "-- creates c\n"
        "\n"
        "-- strata:up\n"
        "CREATE TABLE c (id int);\n");
    put(fx, "repeatable/views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;\n");
    put(fx, "README.md", "not a migration\n");
    put(fx, "docs/notes.sql", "not read: other folders are not migrations\n");

    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(strata_source_format(src), STRATA_FORMAT_NATIVE);
    assert_string_equal(strata_source_dir(src), fx->root);
    assert_int_equal(strata_source_count(src), 4);
    assert_null(strata_source_get(src, 4));

    const strata_migration *m = mig(src, 0);
    assert_int_equal(m->kind, STRATA_KIND_VERSIONED);
    assert_string_equal(m->version, "1");
    assert_string_equal(m->name, "a");
    assert_string_equal(m->path, "0001_a.sql");
    assert_string_equal(m->up_sql, "CREATE TABLE a (id int);\n\n");
    assert_int_equal(m->up_len, strlen(m->up_sql));
    assert_int_equal(m->up_line, 2);
    assert_non_null(m->down_path);
    assert_string_equal(m->down_path, "0001_a.sql");
    assert_string_equal(m->down_sql, "DROP TABLE a;\n");
    assert_int_equal(m->down_len, strlen(m->down_sql));
    assert_int_equal(m->down_line, 5);
    assert_int_equal(m->flags, 0);
    assert_int_equal(m->requires_count, 0);
    assert_int_equal(m->envs_count, 0);
    assert_int_equal(m->timeout_ms, 0);
    assert_int_equal(strlen(m->checksum), 64);

    m = mig(src, 1);
    assert_string_equal(m->version, "2");
    assert_string_equal(m->name, "b");
    assert_string_equal(m->up_sql, "CREATE TABLE b (id int);\n");
    assert_int_equal(m->up_line, 1);
    assert_null(m->down_path);
    assert_null(m->down_sql);
    assert_int_equal(m->down_len, 0);

    m = mig(src, 2);
    assert_string_equal(m->version, "10");
    assert_string_equal(m->name, "c");
    assert_string_equal(m->path, "10_c.sql");
    assert_string_equal(m->up_sql, "CREATE TABLE c (id int);\n");
    assert_int_equal(m->up_line, 4);
    assert_null(m->down_sql);

    m = mig(src, 3);
    assert_int_equal(m->kind, STRATA_KIND_REPEATABLE);
    assert_null(m->version);
    assert_string_equal(m->name, "views");
    assert_string_equal(m->path, "repeatable/views.sql");
    assert_string_equal(m->up_sql, "CREATE OR REPLACE VIEW v AS SELECT 1;\n");

    /* find: canonical or as written; repeatables are not found by version */
    assert_ptr_equal(strata_source_find(src, "10"), mig(src, 2));
    assert_ptr_equal(strata_source_find(src, "0010"), mig(src, 2));
    assert_ptr_equal(strata_source_find(src, "1"), mig(src, 0));
    assert_null(strata_source_find(src, "3"));
    assert_null(strata_source_find(src, "views"));
    strata_source_free(src);
}

static void source_load__native_down_only_marker(void **state)
{
    fixture *fx = *state;
    /* no up marker: everything before the down marker is the up section */
    put(fx, "1_a.sql", "CREATE TABLE a (id int);\n-- strata:down\nDROP TABLE a;\n");
    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    const strata_migration *m = mig(src, 0);
    assert_string_equal(m->up_sql, "CREATE TABLE a (id int);\n");
    assert_int_equal(m->up_line, 1);
    assert_string_equal(m->down_sql, "DROP TABLE a;\n");
    assert_int_equal(m->down_line, 3);
    strata_source_free(src);
}

static void source_load__native_down_before_up_is_an_error(void **state)
{
    fixture *fx = *state;
    put(fx, "1_a.sql", "-- strata:down\nDROP TABLE a;\n-- strata:up\nCREATE TABLE a (id int);\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "1_a.sql");
    assert_int_equal(e->line, 3);
}

static void source_load__native_second_marker_is_an_error(void **state)
{
    fixture *fx = *state;
    put(fx, "1_a.sql", "-- strata:up\nSELECT 1;\n-- strata:down\nSELECT 2;\n-- strata:down\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "1_a.sql");
    assert_int_equal(e->line, 5);
}

static void source_load__empty_folder(void **state)
{
    fixture *fx = *state;
    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(strata_source_format(src), STRATA_FORMAT_NATIVE);
    assert_int_equal(strata_source_count(src), 0);
    assert_null(strata_source_get(src, 0));
    assert_null(strata_source_find(src, "1"));
    strata_source_free(src);
}

/* ---- seed ----------------------------------------------------------------- */

static void source_load__seed(void **state)
{
    fixture *fx = *state;
    put(fx, "persistent/001_x.sql", "CREATE TABLE x (id int);\n");
    put(fx, "persistent/010_z.sql", "CREATE TABLE z (id int);\n");
    put(fx, "persistent/002_y.sql",
        "-- strata:up\nCREATE TABLE y (id int);\n-- strata:down\nDROP TABLE y;\n");
    put(fx, "replaceable/002_v.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;\n");
    put(fx, "replaceable/001_f.sql", "CREATE OR REPLACE FUNCTION f() ...;\n");

    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(strata_source_format(src), STRATA_FORMAT_SEED);
    assert_int_equal(strata_source_count(src), 5);

    const strata_migration *m = mig(src, 0);
    assert_int_equal(m->kind, STRATA_KIND_VERSIONED);
    assert_string_equal(m->version, "1");
    assert_string_equal(m->name, "x");
    assert_string_equal(m->path, "persistent/001_x.sql");
    assert_string_equal(m->up_sql, "CREATE TABLE x (id int);\n");
    assert_null(m->down_sql);

    m = mig(src, 1);
    assert_string_equal(m->version, "2");
    assert_string_equal(m->name, "y");
    assert_string_equal(m->up_sql, "CREATE TABLE y (id int);\n");
    assert_int_equal(m->up_line, 2);
    assert_string_equal(m->down_path, "persistent/002_y.sql");
    assert_string_equal(m->down_sql, "DROP TABLE y;\n");
    assert_int_equal(m->down_line, 4);

    assert_string_equal(mig(src, 2)->version, "10");
    assert_string_equal(mig(src, 2)->name, "z");

    /* replaceables are repeatables, in their numbered order */
    m = mig(src, 3);
    assert_int_equal(m->kind, STRATA_KIND_REPEATABLE);
    assert_null(m->version);
    assert_string_equal(m->path, "replaceable/001_f.sql");
    assert_string_equal(m->name, "001_f");
    m = mig(src, 4);
    assert_int_equal(m->kind, STRATA_KIND_REPEATABLE);
    assert_string_equal(m->path, "replaceable/002_v.sql");
    assert_string_equal(m->name, "002_v");
    assert_string_equal(m->up_sql, "CREATE OR REPLACE VIEW v AS SELECT 1;\n");
    strata_source_free(src);
}

static void source_load__seed_bad_replaceable_name(void **state)
{
    fixture *fx = *state;
    put(fx, "persistent/001_x.sql", "SELECT 1;\n");
    put(fx, "replaceable/views.sql", "SELECT 1;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "replaceable/views.sql");
    assert_contains(e->hint, "replaceable/NNN_name.sql");
}

/* ---- flyway --------------------------------------------------------------- */

static void source_load__flyway(void **state)
{
    fixture *fx = *state;
    put(fx, "V1__a.sql", "CREATE TABLE a (id int);\n");
    put(fx, "V1_1__b.sql", "CREATE TABLE b (id int);\n");
    put(fx, "V1.10__c.sql", "CREATE TABLE c (id int);\n");
    put(fx, "V1.2__d.sql", "CREATE TABLE d (id int);\n");
    put(fx, "U1__a.sql", "DROP TABLE a;\n");
    put(fx, "R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;\n");
    put(fx, "V2__idx.sql", "CREATE INDEX CONCURRENTLY i ON a (id);\n");
    put(fx, "V2__idx.sql.conf", "# flyway script config\nexecuteInTransaction = false\n");

    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(strata_source_format(src), STRATA_FORMAT_FLYWAY);
    assert_int_equal(strata_source_count(src), 6);

    static const char *const versions[] = { "1", "1.1", "1.2", "1.10", "2" };
    static const char *const names[] = { "a", "b", "d", "c", "idx" };
    static const char *const paths[] = { "V1__a.sql", "V1_1__b.sql", "V1.2__d.sql",
                                         "V1.10__c.sql", "V2__idx.sql" };
    for (size_t i = 0; i < 5; i++) {
        const strata_migration *m = mig(src, i);
        assert_int_equal(m->kind, STRATA_KIND_VERSIONED);
        assert_string_equal(m->version, versions[i]);
        assert_string_equal(m->name, names[i]);
        assert_string_equal(m->path, paths[i]);
        assert_int_equal(m->up_line, 1);
    }

    /* U1 is the down of V1, from its own file */
    const strata_migration *m = mig(src, 0);
    assert_string_equal(m->up_sql, "CREATE TABLE a (id int);\n");
    assert_string_equal(m->down_path, "U1__a.sql");
    assert_string_equal(m->down_sql, "DROP TABLE a;\n");
    assert_int_equal(m->down_len, strlen("DROP TABLE a;\n"));
    assert_int_equal(m->down_line, 1);
    assert_int_equal(m->flags, 0);
    assert_null(mig(src, 1)->down_sql);

    /* the .conf sidecar: up runs outside a transaction, and only V2 */
    m = mig(src, 4);
    assert_int_equal(m->flags, STRATA_MIG_NO_TRANSACTION);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(mig(src, i)->flags & STRATA_MIG_NO_TRANSACTION, 0);

    m = mig(src, 5);
    assert_int_equal(m->kind, STRATA_KIND_REPEATABLE);
    assert_null(m->version);
    assert_string_equal(m->name, "views");
    assert_string_equal(m->path, "R__views.sql");

    assert_ptr_equal(strata_source_find(src, "1_1"), mig(src, 1));
    assert_ptr_equal(strata_source_find(src, "1.10"), mig(src, 3));
    assert_ptr_equal(strata_source_find(src, "1.0"), mig(src, 0));
    strata_source_free(src);
}

static void source_load__flyway_undo_without_versioned(void **state)
{
    fixture *fx = *state;
    put(fx, "V1__a.sql", "SELECT 1;\n");
    put(fx, "U2__b.sql", "SELECT 2;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "U2__b.sql");
    assert_contains(e->message, "U2__b.sql");
}

static void source_load__flyway_bad_name(void **state)
{
    fixture *fx = *state;
    put(fx, "V1__a.sql", "SELECT 1;\n");
    put(fx, "V1a__b.sql", "SELECT 2;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "V1a__b.sql");
    assert_contains(e->hint, "V<version>__<description>.sql");
}

static void source_load__flyway_duplicate_dotted_version(void **state)
{
    fixture *fx = *state;
    /* 1_1 and 1.1 are one version to flyway */
    put(fx, "V1_1__a.sql", "SELECT 1;\n");
    put(fx, "V1.1__b.sql", "SELECT 2;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_contains(e->message, "V1_1__a.sql");
    assert_contains(e->message, "V1.1__b.sql");
}

/* ---- golang-migrate ------------------------------------------------------- */

static void source_load__golang(void **state)
{
    fixture *fx = *state;
    put(fx, "1_a.up.sql", "CREATE TABLE a (id int);\n");
    put(fx, "1_a.down.sql", "DROP TABLE a;\n");
    put(fx, "10_b.up.sql", "CREATE TABLE b (id int);\n");
    put(fx, "2_c.up.sql", "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY i ON a (id);\n");

    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(strata_source_format(src), STRATA_FORMAT_GOLANG);
    assert_int_equal(strata_source_count(src), 3);

    const strata_migration *m = mig(src, 0);
    assert_string_equal(m->version, "1");
    assert_string_equal(m->name, "a");
    assert_string_equal(m->path, "1_a.up.sql");
    assert_string_equal(m->up_sql, "CREATE TABLE a (id int);\n");
    assert_int_equal(m->up_line, 1);
    assert_string_equal(m->down_path, "1_a.down.sql");
    assert_string_equal(m->down_sql, "DROP TABLE a;\n");
    assert_int_equal(m->down_line, 1);
    assert_int_equal(m->flags, 0);

    m = mig(src, 1);
    assert_string_equal(m->version, "2");
    assert_string_equal(m->name, "c");
    assert_true(m->flags & STRATA_MIG_NO_TRANSACTION);
    assert_null(m->down_sql);

    m = mig(src, 2);
    assert_string_equal(m->version, "10");
    assert_string_equal(m->name, "b");
    assert_string_equal(m->path, "10_b.up.sql");
    assert_null(m->down_path);
    assert_null(m->down_sql);
    strata_source_free(src);
}

static void source_load__golang_down_without_up(void **state)
{
    fixture *fx = *state;
    put(fx, "1_a.up.sql", "SELECT 1;\n");
    put(fx, "2_b.down.sql", "SELECT 2;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "2_b.down.sql");
    assert_contains(e->message, "2_b.down.sql");
    assert_contains(e->hint, "2_b.up.sql");
}

/* ---- dbmate --------------------------------------------------------------- */

static void source_load__dbmate(void **state)
{
    fixture *fx = *state;
    put(fx, "20240101000000_a.sql",
        "-- migrate:up\n"
        "CREATE TABLE a (id int);\n"
        "\n"
        "-- migrate:down transaction:false\n"
        "DROP TABLE a;\n");
    put(fx, "20240102000000_b.sql",
        "-- a comment first\n"
        "-- migrate:up transaction:false\n"
        "CREATE INDEX CONCURRENTLY i ON a (id);\n");

    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(strata_source_format(src), STRATA_FORMAT_DBMATE);
    assert_int_equal(strata_source_count(src), 2);

    const strata_migration *m = mig(src, 0);
    assert_string_equal(m->version, "20240101000000");
    assert_string_equal(m->name, "a");
    assert_string_equal(m->path, "20240101000000_a.sql");
    assert_string_equal(m->up_sql, "CREATE TABLE a (id int);\n\n");
    assert_int_equal(m->up_line, 2);
    assert_string_equal(m->down_path, "20240101000000_a.sql");
    assert_string_equal(m->down_sql, "DROP TABLE a;\n");
    assert_int_equal(m->down_line, 5);
    assert_int_equal(m->flags, STRATA_MIG_DOWN_NO_TRANSACTION);

    m = mig(src, 1);
    assert_string_equal(m->version, "20240102000000");
    assert_string_equal(m->name, "b");
    assert_string_equal(m->up_sql, "CREATE INDEX CONCURRENTLY i ON a (id);\n");
    assert_int_equal(m->up_line, 3);
    assert_null(m->down_sql);
    assert_int_equal(m->flags, STRATA_MIG_NO_TRANSACTION);
    strata_source_free(src);
}

static void source_load__dbmate_without_up_marker(void **state)
{
    fixture *fx = *state;
    put(fx, "20240101000000_a.sql", "-- migrate:up\nSELECT 1;\n");
    put(fx, "20240102000000_b.sql", "CREATE TABLE b (id int);\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "20240102000000_b.sql");
    assert_contains(e->hint, "-- migrate:up");
}

static void source_load__dbmate_down_before_up(void **state)
{
    fixture *fx = *state;
    put(fx, "20240101000000_a.sql", "-- migrate:down\nSELECT 2;\n-- migrate:up\nSELECT 1;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_DBMATE, STRATA_EINVALID);
    assert_error_file(fx, e, "20240101000000_a.sql");
    assert_int_equal(e->line, 1);
}

/* ---- diesel --------------------------------------------------------------- */

static void source_load__diesel(void **state)
{
    fixture *fx = *state;
    put(fx, "2024-01-01-000000_create/up.sql", "CREATE TABLE a (id int);\n");
    put(fx, "2024-01-01-000000_create/down.sql", "DROP TABLE a;\n");
    put(fx, "2024-01-01-000000_create/metadata.toml", "# diesel\nrun_in_transaction = false\n");
    put(fx, "2024-01-02-000000_add_b/up.sql", "CREATE TABLE b (id int);\n");
    put(fx, "2024-01-02-000000_add_b/metadata.toml", "run_in_transaction = true\n");
    put(fx, ".keep", "");

    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(strata_source_format(src), STRATA_FORMAT_DIESEL);
    assert_int_equal(strata_source_count(src), 2);

    const strata_migration *m = mig(src, 0);
    assert_string_equal(m->version, "20240101000000");
    assert_string_equal(m->name, "create");
    assert_string_equal(m->path, "2024-01-01-000000_create/up.sql");
    assert_string_equal(m->up_sql, "CREATE TABLE a (id int);\n");
    assert_int_equal(m->up_line, 1);
    assert_string_equal(m->down_path, "2024-01-01-000000_create/down.sql");
    assert_string_equal(m->down_sql, "DROP TABLE a;\n");
    assert_int_equal(m->down_line, 1);
    assert_int_equal(m->flags, STRATA_MIG_NO_TRANSACTION | STRATA_MIG_DOWN_NO_TRANSACTION);

    m = mig(src, 1);
    assert_string_equal(m->version, "20240102000000");
    assert_string_equal(m->name, "add_b");
    assert_null(m->down_path);
    assert_null(m->down_sql);
    assert_int_equal(m->flags, 0);

    assert_ptr_equal(strata_source_find(src, "2024-01-02-000000"), mig(src, 1));
    strata_source_free(src);
}

static void source_load__diesel_long_name(void **state)
{
    fixture *fx = *state;
    /* a folder name of 57..62 bytes: the name must survive the loader
     * rebuilding its path buffer (which then has to grow) */
    static const char name[] = "create_a_table_with_a_rather_long_name_x";
    char dir[128], rel[160];
    snprintf(dir, sizeof(dir), "2024-01-01-000000_%s", name);
    assert_in_range(strlen(dir), 57, 62);
    snprintf(rel, sizeof(rel), "%s/up.sql", dir);
    put(fx, rel, "SELECT 1;\n");

    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(strata_source_count(src), 1);
    assert_string_equal(mig(src, 0)->name, name);
    assert_string_equal(mig(src, 0)->path, rel);
    strata_source_free(src);
}

static void source_load__diesel_bad_folder_name(void **state)
{
    fixture *fx = *state;
    put(fx, "2024-01-01-000000_create/up.sql", "SELECT 1;\n");
    put(fx, "create_b/up.sql", "SELECT 2;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "create_b");
    assert_contains(e->hint, "VERSION_name/");
}

/* ---- forcing a format ------------------------------------------------------ */

static void source_load__forced_format(void **state)
{
    fixture *fx = *state;
    put(fx, "1_a.sql", "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
    put(fx, "2_b.sql", "-- migrate:up\nCREATE TABLE b (id int);\n");

    /* detected as dbmate from its markers */
    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(strata_source_format(src), STRATA_FORMAT_DBMATE);
    assert_string_equal(mig(src, 0)->up_sql, "CREATE TABLE a (id int);\n");
    assert_string_equal(mig(src, 0)->down_sql, "DROP TABLE a;\n");
    strata_source_free(src);

    /* forced native: the migrate: lines are plain comments, the whole file is up */
    src = load_ok(fx, STRATA_FORMAT_NATIVE);
    assert_int_equal(strata_source_format(src), STRATA_FORMAT_NATIVE);
    assert_int_equal(strata_source_count(src), 2);
    const strata_migration *m = mig(src, 0);
    assert_string_equal(m->version, "1");
    assert_string_equal(m->up_sql,
                        "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n");
    assert_int_equal(m->up_line, 1);
    assert_null(m->down_sql);
    strata_source_free(src);

    /* forced golang: these names are not NNN_name.up.sql */
    const strata_error *e = load_fails(fx, STRATA_FORMAT_GOLANG, STRATA_EINVALID);
    assert_error_file(fx, e, "1_a.sql");
    assert_contains(e->hint, ".up.sql");
}

static void source_load__forced_flyway_on_native_folder(void **state)
{
    fixture *fx = *state;
    put(fx, "V1__a.sql", "SELECT 1;\n");
    put(fx, "repeatable/r.sql", "SELECT 2;\n");
    /* AUTO sees flyway; forced native, V1__a.sql is a bad name */
    const strata_error *e = load_fails(fx, STRATA_FORMAT_NATIVE, STRATA_EINVALID);
    assert_error_file(fx, e, "V1__a.sql");
    strata_source *src = load_ok(fx, STRATA_FORMAT_FLYWAY);
    assert_int_equal(strata_source_count(src), 1);
    strata_source_free(src);
}

/* ---- directives ----------------------------------------------------------- */

static void source_directive__all(void **state)
{
    fixture *fx = *state;
    put(fx, "1_a.sql", "SELECT 1;\n");
    put(fx, "2_b.sql", "SELECT 2;\n");
    put(fx, "3_c.sql",
        "-- a comment before the directives\n"
        "-- strata:no-transaction\n"
        "-- strata:requires 1,2\n"
        "-- strata:env dev,test\n"
        "--   strata:timeout 5m\n"
        "-- strata:up\n"
        "CREATE INDEX CONCURRENTLY i ON a (id);\n");
    put(fx, "4_d.sql", "-- strata:requires 0003, 1 \n-- strata:env  prod \n-- strata:timeout 30s\nSELECT 4;\n");
    put(fx, "repeatable/r.sql", "-- strata:run-always\nSELECT now();\n");

    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(strata_source_count(src), 5);

    const strata_migration *m = mig(src, 2);
    assert_string_equal(m->version, "3");
    assert_int_equal(m->flags, STRATA_MIG_NO_TRANSACTION | STRATA_MIG_DOWN_NO_TRANSACTION);
    assert_int_equal(m->requires_count, 2);
    assert_string_equal(m->requires[0], "1");
    assert_string_equal(m->requires[1], "2");
    assert_int_equal(m->envs_count, 2);
    assert_string_equal(m->envs[0], "dev");
    assert_string_equal(m->envs[1], "test");
    assert_int_equal(m->timeout_ms, 300000);
    assert_int_equal(m->up_line, 7);
    assert_string_equal(m->up_sql, "CREATE INDEX CONCURRENTLY i ON a (id);\n");

    m = mig(src, 3);
    assert_int_equal(m->flags, 0);
    assert_int_equal(m->requires_count, 2);
    assert_string_equal(m->requires[0], "3");  /* stored canonical, as history records it */
    assert_string_equal(m->requires[1], "1");
    assert_int_equal(m->envs_count, 1);
    assert_string_equal(m->envs[0], "prod");
    assert_int_equal(m->timeout_ms, 30000);

    m = mig(src, 4);
    assert_int_equal(m->kind, STRATA_KIND_REPEATABLE);
    assert_int_equal(m->flags, STRATA_MIG_RUN_ALWAYS);

    /* no directives: nothing set */
    m = mig(src, 0);
    assert_int_equal(m->flags, 0);
    assert_int_equal(m->requires_count, 0);
    assert_int_equal(m->envs_count, 0);
    assert_int_equal(m->timeout_ms, 0);
    strata_source_free(src);
}

static void source_directive__only_in_leading_comments(void **state)
{
    fixture *fx = *state;
    /* after the first statement a "-- strata:" line is SQL text, not a directive */
    put(fx, "1_a.sql", "SELECT 1;\n-- strata:no-transaction\n-- strata:bogus\n");
    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(mig(src, 0)->flags, 0);
    strata_source_free(src);
}

static void source_directive__run_always_on_versioned(void **state)
{
    fixture *fx = *state;
    put(fx, "1_a.sql", "SELECT 1;\n");
    put(fx, "2_b.sql", "-- hello\n-- strata:run-always\nSELECT 2;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "2_b.sql");
    assert_int_equal(e->line, 2);
    assert_contains(e->message, "run-always");
}

static void source_directive__unknown(void **state)
{
    fixture *fx = *state;
    put(fx, "1_a.sql", "-- strata:no-transaction\n\n-- strata:bogus yes\nSELECT 1;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "1_a.sql");
    assert_int_equal(e->line, 3);
    assert_contains(e->message, "bogus");
    assert_contains(e->hint, "strata:timeout");
}

static void source_directive__bad_values(void **state)
{
    fixture *fx = *state;
    put(fx, "1_a.sql", "-- strata:timeout soon\nSELECT 1;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "1_a.sql");
    assert_int_equal(e->line, 1);
    assert_contains(e->message, "soon");

    /* put() overwrites: each case replaces the one file */
    put(fx, "1_a.sql", "-- strata:requires\nSELECT 1;\n");
    e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_int_equal(e->line, 1);

    put(fx, "1_a.sql", "\n-- strata:env\nSELECT 1;\n");
    e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_int_equal(e->line, 2);
}

static void source_directive__requires_unknown_version(void **state)
{
    fixture *fx = *state;
    put(fx, "1_a.sql", "SELECT 1;\n");
    put(fx, "2_b.sql", "-- strata:requires 1, 7\nSELECT 2;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "2_b.sql");
    assert_contains(e->message, "7");
}

/* ---- errors --------------------------------------------------------------- */

static void source_error__bad_file_name(void **state)
{
    fixture *fx = *state;
    put(fx, "0001_a.sql", "SELECT 1;\n");
    put(fx, "create_users.sql", "CREATE TABLE users (id int);\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_string_equal(e->module, "source");
    assert_error_file(fx, e, "create_users.sql");
    assert_contains(e->message, "create_users.sql");
    assert_contains(e->hint, "NNNN_name.sql");
}

static void source_error__name_without_description(void **state)
{
    fixture *fx = *state;
    put(fx, "1_.sql", "SELECT 1;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_error_file(fx, e, "1_.sql");
}

static void source_error__duplicate_version(void **state)
{
    fixture *fx = *state;
    put(fx, "1_a.sql", "SELECT 1;\n");
    put(fx, "001_b.sql", "SELECT 2;\n");
    const strata_error *e = load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    assert_contains(e->message, "1_a.sql");
    assert_contains(e->message, "001_b.sql");
    assert_non_null(e->file);
    assert_non_null(e->hint);
}

static void source_error__missing_folder(void **state)
{
    fixture *fx = *state;
    strata_source *src = (strata_source *)1;
    char path[128];
    snprintf(path, sizeof(path), "%s/nope", fx->root);
    assert_int_equal(strata_source_load(&src, path, STRATA_FORMAT_AUTO), STRATA_ENOTFOUND);
    assert_null(src);
    const strata_error *e = strata_error_last();
    assert_non_null(e);
    assert_int_equal(e->code, STRATA_ENOTFOUND);
    assert_contains(e->message, path);

    /* a file is not a folder either */
    put(fx, "file", "x");
    snprintf(path, sizeof(path), "%s/file", fx->root);
    assert_int_equal(strata_source_load(&src, path, STRATA_FORMAT_NATIVE), STRATA_ENOTFOUND);
}

static void source_error__cleared_by_next_load(void **state)
{
    fixture *fx = *state;
    strata_source *src = NULL;
    char path[128];
    put(fx, "x.sql", "SELECT 1;\n");
    load_fails(fx, STRATA_FORMAT_AUTO, STRATA_EINVALID);
    snprintf(path, sizeof(path), "%s/x.sql", fx->root);
    assert_int_equal(remove(path), 0);
    assert_int_equal(strata_source_load(&src, fx->root, STRATA_FORMAT_AUTO), 0);
    assert_null(strata_error_last());
    strata_source_free(src);
}

/* ---- checksums ------------------------------------------------------------ */

static void source_checksum__crlf_and_known_answer(void **state)
{
    fixture *fx = *state;
    put(fx, "1_lf.sql", "CREATE TABLE t (id int);\nSELECT 1;\n");
    put(fx, "2_crlf.sql", "CREATE TABLE t (id int);\r\nSELECT 1;\r\n");
    put(fx, "3_changed.sql", "CREATE TABLE t (id int);\nSELECT 2;\n");
    put(fx, "4_space.sql", "CREATE TABLE t (id int);\nSELECT 1; \n");

    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_int_equal(strata_source_count(src), 4);
    const strata_migration *lf = mig(src, 0), *crlf = mig(src, 1);

    /* known answer: printf 'CREATE TABLE t (id int);\nSELECT 1;\n' | sha256sum */
    assert_string_equal(lf->checksum,
                        "64f75b3f9ee0d78dd5c0c2833b920dedbff259355dd44445e68084c0f38e2795");
    assert_string_equal(crlf->checksum, lf->checksum);
    assert_string_not_equal(mig(src, 2)->checksum, lf->checksum);
    assert_string_not_equal(mig(src, 3)->checksum, lf->checksum);
    assert_string_not_equal(mig(src, 2)->checksum, mig(src, 3)->checksum);
    strata_source_free(src);
}

static void source_checksum__whole_file(void **state)
{
    fixture *fx = *state;
    /* the checksum covers the down section too: editing it is a change */
    put(fx, "1_a.sql", "-- strata:up\nSELECT 1;\n-- strata:down\nSELECT 2;\n");
    put(fx, "2_a.sql", "-- strata:up\nSELECT 1;\n-- strata:down\nSELECT 3;\n");
    strata_source *src = load_ok(fx, STRATA_FORMAT_AUTO);
    assert_string_equal(mig(src, 0)->up_sql, mig(src, 1)->up_sql);
    assert_string_not_equal(mig(src, 0)->checksum, mig(src, 1)->checksum);
    strata_source_free(src);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(source_load__native),
        T(source_load__native_down_only_marker),
        T(source_load__native_down_before_up_is_an_error),
        T(source_load__native_second_marker_is_an_error),
        T(source_load__empty_folder),
        T(source_load__seed),
        T(source_load__seed_bad_replaceable_name),
        T(source_load__flyway),
        T(source_load__flyway_undo_without_versioned),
        T(source_load__flyway_bad_name),
        T(source_load__flyway_duplicate_dotted_version),
        T(source_load__golang),
        T(source_load__golang_down_without_up),
        T(source_load__dbmate),
        T(source_load__dbmate_without_up_marker),
        T(source_load__dbmate_down_before_up),
        T(source_load__diesel),
        T(source_load__diesel_long_name),
        T(source_load__diesel_bad_folder_name),
        T(source_load__forced_format),
        T(source_load__forced_flyway_on_native_folder),
        T(source_directive__all),
        T(source_directive__only_in_leading_comments),
        T(source_directive__run_always_on_versioned),
        T(source_directive__unknown),
        T(source_directive__bad_values),
        T(source_directive__requires_unknown_version),
        T(source_error__bad_file_name),
        T(source_error__name_without_description),
        T(source_error__duplicate_version),
        T(source_error__missing_folder),
        T(source_error__cleared_by_next_load),
        T(source_checksum__crlf_and_known_answer),
        T(source_checksum__whole_file),
    };
    return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
