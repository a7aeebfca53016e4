/*
 * test_schema_sqlite.c: SQLite inspect and diff, round trip on real files.
 *
 * Each case is a pair of schemas A and B (plus optional renames and rows).
 * The test builds A in one file and B in another, inspects both, diffs A to B
 * and runs the up scripts on a third file holding A (and the rows). Then:
 * inspecting it must give B byte for byte, diffing it against B must find
 * nothing, the rows must have survived, and the down scripts, run in reverse,
 * must give A byte for byte again, both as every object's key and CREATE
 * text in dependency order and as strata_schema_sql prints it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/model/model.h"

/* model/diff_sqlite.c */
int strata__sqlite_normalize(strata_buf *out, const char *sql, const char *name);

typedef struct {
    const char *name;         /* cmocka test name */
    const char *a, *b;        /* the two schemas */
    const char *renames[4];   /* opts->renames, NULL-terminated */
    const char *rows;         /* run on the copy of A before the up scripts, or NULL */
    const char *check;        /* a query on the result: its first value must be "expect" */
    const char *expect;
    unsigned flags;           /* flags that some change must carry */
    unsigned no_flags;        /* flags that no change may carry */
    const char *up_has;       /* text the up script must contain; NULL: no change at all */
} scase;

#define D STRATA_CHANGE_DESTRUCTIVE
#define R STRATA_CHANGE_RECREATE

static const scase cases[] = {
    { "schema_sqlite__add_table",
      "CREATE TABLE t (id INTEGER PRIMARY KEY);",
      "CREATE TABLE t (id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT NOT NULL, t_id INTEGER REFERENCES t(id));\n"
      "CREATE INDEX u_name ON u(name);",
      { NULL }, NULL, NULL, NULL, 0, D | R, "CREATE TABLE u" },
    { "schema_sqlite__drop_table",
      "CREATE TABLE t (id INTEGER PRIMARY KEY);\n"
      "CREATE TABLE gone (id INTEGER PRIMARY KEY, v TEXT);\nCREATE INDEX gone_v ON gone (v);",
      "CREATE TABLE t (id INTEGER PRIMARY KEY);",
      { NULL }, NULL, NULL, NULL, D, R, "DROP TABLE gone;" },
    { "schema_sqlite__rename_table",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);\nCREATE INDEX t_name ON t (name);\n"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t (id));",
      "CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT);\nCREATE INDEX t_name ON people(name);\n"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES people(id));",
      { "t=people", NULL },
      "INSERT INTO t VALUES (1, 'ann'), (2, 'bob'); INSERT INTO child VALUES (10, 2);",
      "SELECT group_concat(p.name) FROM child c JOIN people p ON p.id = c.t_id", "bob",
      0, D | R, "ALTER TABLE t RENAME TO people;" },
    { "schema_sqlite__add_columns",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b INTEGER NOT NULL DEFAULT 0, c TEXT "
      "DEFAULT 'x' CHECK (c <> ''), d REFERENCES t(id));",
      { NULL }, "INSERT INTO t VALUES (1, 'one'), (2, 'two');",
      "SELECT group_concat(id || a || b || c, ',') FROM t", "1one0x,2two0x",
      0, D | R, "ALTER TABLE t ADD COLUMN b INTEGER NOT NULL DEFAULT 0;" },
    { "schema_sqlite__drop_last_column",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);",
      { NULL }, "INSERT INTO t VALUES (1, 'one', 'uno');",
      "SELECT group_concat(id || a) FROM t", "1one", D, R, "ALTER TABLE t DROP COLUMN b;" },
    { "schema_sqlite__drop_middle_column",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT NOT NULL DEFAULT 'z');",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'z');",
      { NULL }, "INSERT INTO t VALUES (1, 'one', 'uno');",
      "SELECT group_concat(id || b) FROM t", "1uno", D, R, "ALTER TABLE t DROP COLUMN a;" },
    { "schema_sqlite__rename_column",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT CHECK (length(a) < 10));\n"
      "CREATE INDEX t_a ON t (a);\n"
      "CREATE TABLE c (id INTEGER PRIMARY KEY, ta TEXT REFERENCES t (a));",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT CHECK (length(b) < 10));\n"
      "CREATE INDEX t_a ON t (b);\n"
      "CREATE TABLE c (id INTEGER PRIMARY KEY, ta TEXT REFERENCES t (b));",
      { "t.a=b", NULL }, "INSERT INTO t VALUES (1, 'one');",
      "SELECT b FROM t", "one", 0, D | R, "ALTER TABLE t RENAME COLUMN a TO b;" },
    { "schema_sqlite__change_type_rebuilds",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, gone TEXT);\nCREATE INDEX t_a ON t (a);",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);\nCREATE INDEX t_a ON t (a);",
      { NULL }, "INSERT INTO t VALUES (1, '42', 'x'), (2, '7', 'y');",
      "SELECT group_concat(id || ':' || typeof(a) || a) FROM t", "1:integer42,2:integer7",
      R | D, 0, "INSERT INTO new_t (id, a) SELECT id, a FROM t;" },
    { "schema_sqlite__change_default_rebuilds",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT DEFAULT 'x');",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT DEFAULT 'y');",
      { NULL }, "INSERT INTO t (id) VALUES (1);",
      "SELECT a FROM t", "x", R, D, "CREATE TABLE new_t" },
    { "schema_sqlite__set_not_null_rebuilds",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n"
      "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN UPDATE t SET a = upper(a) WHERE id = new.id; END;",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL);\n"
      "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN UPDATE t SET a = upper(a) WHERE id = new.id; END;",
      { NULL }, "INSERT INTO t VALUES (1, 'one');",
      "SELECT a FROM t", "ONE", R, D, "DROP TRIGGER t_ai;" },
    { "schema_sqlite__indexes",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\n"
      "CREATE INDEX t_a ON t (a);\nCREATE INDEX t_old ON t (b);",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\n"
      "CREATE INDEX t_a ON t (a, b);\nCREATE INDEX t_b ON t (b DESC);",
      { NULL }, NULL, NULL, NULL, R, D, "CREATE INDEX t_a ON t(a, b);" },
    { "schema_sqlite__unique_and_partial_index",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT, deleted INTEGER);\n"
      "CREATE INDEX t_live ON t (email) WHERE deleted = 0;",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT, deleted INTEGER);\n"
      "CREATE UNIQUE INDEX t_email ON t (lower(email));\n"
      "CREATE INDEX t_live ON t (email) WHERE deleted IS NOT 1;",
      { NULL }, NULL, NULL, NULL, R, D, "CREATE UNIQUE INDEX t_email ON t(lower(email));" },
    { "schema_sqlite__views_follow_their_tables",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n"
      "CREATE VIEW v AS SELECT a FROM t;\nCREATE VIEW vv AS SELECT count(*) AS n FROM v;\n"
      "CREATE VIEW other AS SELECT 1 AS one;",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL);\n"
      "CREATE VIEW v AS SELECT a FROM t;\nCREATE VIEW vv AS SELECT count(*) AS n FROM v;\n"
      "CREATE VIEW other AS SELECT 2 AS one;",
      { NULL }, "INSERT INTO t VALUES (1, 'x');", "SELECT n FROM vv", "1", R, D,
      "DROP VIEW vv;" },
    { "schema_sqlite__triggers",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\nCREATE TABLE log (msg TEXT);\n"
      "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('ins'); END;\n"
      "CREATE TRIGGER t_del AFTER DELETE ON t BEGIN INSERT INTO log VALUES ('del'); END;",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\nCREATE TABLE log (msg TEXT);\n"
      "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('insert ' || new.a); END;\n"
      "CREATE TRIGGER t_upd AFTER UPDATE ON t BEGIN INSERT INTO log VALUES ('upd'); END;",
      { NULL }, NULL, NULL, NULL, R, D, "DROP TRIGGER t_del;" },
    { "schema_sqlite__foreign_keys",
      "CREATE TABLE parent (id INTEGER PRIMARY KEY, k TEXT UNIQUE);\n"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER);",
      "CREATE TABLE parent (id INTEGER PRIMARY KEY, k TEXT UNIQUE, note TEXT);\n"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id) ON DELETE CASCADE);",
      { NULL }, "INSERT INTO parent VALUES (1, 'k'); INSERT INTO child VALUES (5, 1);",
      "SELECT group_concat(c.id || p.k) FROM child c JOIN parent p ON p.id = c.p", "5k", R, D,
      "ALTER TABLE parent ADD COLUMN note TEXT;" },
    { "schema_sqlite__generated_columns",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER);",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, "
      "twice INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL);",
      { NULL }, "INSERT INTO t VALUES (1, 21);", "SELECT twice FROM t", "42", 0, D | R,
      "ADD COLUMN twice" },
    { "schema_sqlite__stored_generated_rebuilds",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, g INTEGER AS (a + 1) STORED);",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, g INTEGER AS (a + 2) STORED, "
      "h TEXT AS (a || 'x') STORED);",
      { NULL }, "INSERT INTO t (id, a) VALUES (1, 5);", "SELECT g || h FROM t", "75x", R, D,
      "INSERT INTO new_t (id, a) SELECT id, a FROM t;" },
    { "schema_sqlite__spacing_quotes_and_comments_are_no_change",
      "create table \"t\" (\n  id integer primary key, -- the key\n  a text default ( -1 )\n);\n"
      "create index [t_a] on `t` ( a );",
      "CREATE TABLE t (id integer primary key, /* key */ a text default (-1));\n"
      "CREATE INDEX t_a ON t(a);",
      { NULL }, NULL, NULL, NULL, 0, 0, NULL },
    { "schema_sqlite__column_added_before_table_constraints",
      "CREATE TABLE t (a INTEGER, b TEXT, PRIMARY KEY (a), CHECK (b <> ''));",
      "CREATE TABLE t (a INTEGER, b TEXT, c REAL DEFAULT 1.5, PRIMARY KEY (a), CHECK (b <> ''));",
      { NULL }, NULL, NULL, NULL, 0, D | R, "ALTER TABLE t ADD COLUMN c REAL DEFAULT 1.5;" },
    { "schema_sqlite__quoted_names",
      "CREATE TABLE \"My Table\" (\"the id\" INTEGER PRIMARY KEY, \"select\" TEXT);",
      "CREATE TABLE \"My Table\" (\"the id\" INTEGER PRIMARY KEY, \"select\" TEXT, \"New Col\" TEXT);\n"
      "CREATE INDEX \"my idx\" ON \"My Table\" (\"select\");",
      { NULL }, "INSERT INTO \"My Table\" VALUES (1, 's');", "SELECT \"select\" FROM \"My Table\"",
      "s", 0, D | R, "ALTER TABLE \"My Table\" ADD COLUMN \"New Col\" TEXT;" },
    { "schema_sqlite__rename_and_rebuild",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\nCREATE VIEW v AS SELECT a FROM t;",
      "CREATE TABLE u (id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT '');\n"
      "CREATE VIEW v AS SELECT a FROM u;",
      { "t=u", NULL }, "INSERT INTO t VALUES (1, 'x');", "SELECT a FROM v", "x", R, D,
      "ALTER TABLE t RENAME TO u;" },
    { "schema_sqlite__without_rowid_and_strict",
      "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID;",
      "CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID, STRICT;",
      { NULL }, "INSERT INTO t VALUES ('a', 1);", "SELECT k || v FROM t", "a1", R, D,
      "CREATE TABLE new_t" },
    { "schema_sqlite__case_and_keyword_names_are_no_change",
      "create table kv (key text primary key, value text default key, n integer not null) "
      "without rowid;\ncreate view kv_keys(key) as select key from kv where n in (1, 2);",
      "CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT DEFAULT key, n INTEGER NOT NULL) "
      "WITHOUT ROWID;\nCREATE VIEW kv_keys (key) AS SELECT KEY FROM kv WHERE n IN (1,2);",
      { NULL }, NULL, NULL, NULL, 0, 0, NULL },
    { "schema_sqlite__drop_indexed_column",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);\nCREATE INDEX t_b ON t (b);",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);",
      { NULL }, "INSERT INTO t VALUES (1, 'x', 'y');", "SELECT a FROM t", "x", D, R,
      "DROP INDEX t_b;\nALTER TABLE t DROP COLUMN b;" },
    { "schema_sqlite__rename_column_used_by_view",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\nCREATE VIEW v AS SELECT a FROM t;",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT);\nCREATE VIEW v AS SELECT title FROM t;",
      { "t.a=title", NULL }, "INSERT INTO t VALUES (1, 'x');", "SELECT title FROM v", "x", 0, D,
      "ALTER TABLE t RENAME COLUMN a TO title;" },
    { "schema_sqlite__rename_frees_name_for_new_table",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);",
      "CREATE TABLE t_old (id INTEGER PRIMARY KEY, a TEXT);\nCREATE TABLE t (id INTEGER PRIMARY KEY);",
      { "t=t_old", NULL }, "INSERT INTO t VALUES (1, 'x');", "SELECT a FROM t_old", "x", 0, D,
      "ALTER TABLE t RENAME TO t_old;\nCREATE TABLE t (" },
    { "schema_sqlite__self_reference_and_autoincrement_rebuild",
      "CREATE TABLE node (id INTEGER PRIMARY KEY AUTOINCREMENT, parent INTEGER REFERENCES node (id), "
      "name TEXT);",
      "CREATE TABLE node (id INTEGER PRIMARY KEY AUTOINCREMENT, parent INTEGER REFERENCES node (id), "
      "name TEXT NOT NULL DEFAULT 'n');",
      { NULL }, "INSERT INTO node VALUES (1, NULL, 'root'), (2, 1, 'leaf');",
      "SELECT group_concat(n.name || '<' || p.name) FROM node n JOIN node p ON p.id = n.parent",
      "leaf<root", R, D, "CREATE TABLE new_node" },
    { "schema_sqlite__not_null_without_default_rebuilds",
      "CREATE TABLE t (id INTEGER PRIMARY KEY);",
      "CREATE TABLE t (id INTEGER PRIMARY KEY, must TEXT NOT NULL);",
      { NULL }, NULL, NULL, NULL, R, D, "CREATE TABLE new_t" },
    { "schema_sqlite__virtual_table_replaced",
      "CREATE VIRTUAL TABLE docs USING fts5(title, body);\nCREATE TABLE t (id INTEGER PRIMARY KEY);",
      "CREATE VIRTUAL TABLE docs USING fts5(title, body, tags);\nCREATE TABLE t (id INTEGER PRIMARY KEY);",
      { NULL }, NULL, NULL, NULL, D | R, 0, "DROP TABLE docs;" },
    { "schema_sqlite__view_becomes_table",
      "CREATE TABLE t (id INTEGER PRIMARY KEY);\nCREATE VIEW x AS SELECT id FROM t;",
      "CREATE TABLE t (id INTEGER PRIMARY KEY);\nCREATE TABLE x (id INTEGER);",
      { NULL }, NULL, NULL, NULL, 0, 0, "DROP VIEW x;" },
};

/* ---- helpers -------------------------------------------------------------- */

static const strata_driver *drv;

/* Each test's folder and connections; teardown removes them even when an
 * assertion failed half way. */
typedef struct {
    const scase *k;          /* the round trip's case, or NULL */
    char dir[64];            /* mkdtemp() folder */
    strata_conn *conns[3];   /* open connections, closed by teardown */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    if (!fx)
        return -1;
    fx->k = *state;
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/strata-test-schema-XXXXXX");
    if (!mkdtemp(fx->dir)) {
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
    for (size_t i = 0; i < 3; i++)
        if (fx->conns[i])
            drv->close(fx->conns[i]);
    nftw(fx->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(fx);
    return 0;
}

/* Open "file" in the fixture's folder as connection number "slot". */
static strata_conn *open_db(fixture *fx, size_t slot, const char *file)
{
    char url[256];
    snprintf(url, sizeof(url), "sqlite:%s/%s", fx->dir, file);
    drv = strata_driver_for_url(url);
    assert_non_null(drv);
    assert_int_equal(drv->connect(&fx->conns[slot], url, 0), 0);
    return fx->conns[slot];
}

static void run(strata_conn *c, const char *sql, const char *label)
{
    int rc = drv->exec_script(c, sql, strlen(sql), NULL, NULL, NULL);
    if (rc != 0) {
        const strata_error *e = strata_error_last();
        print_error("%s failed: %s\n--- script:\n%s\n", label, e ? e->message : "?", sql);
    }
    assert_int_equal(rc, 0);
}

/* A script inside a transaction, as the runner applies a migration. */
static void run_tx(strata_conn *c, const char *sql, const char *label)
{
    assert_int_equal(drv->begin(c), 0);
    run(c, sql, label);
    assert_int_equal(drv->commit(c), 0);
}

static strata_schema *inspect(strata_conn *c)
{
    strata_schema *m = NULL;
    assert_int_equal(strata__sqlite_inspect(&m, c), 0);
    assert_non_null(m);
    return m;
}

/* The schema as text: each object's key and CREATE text, in dependency order. */
static char *render(const strata_schema *m)
{
    strata_buf b = STRATA_BUF_INIT;
    for (size_t i = 0; i < m->count; i++)
        strata_buf_printf(&b, "-- %s\n%s;\n", m->ordered[i]->key, m->ordered[i]->def);
    return b.ptr ? b.ptr : strdup("");
}

/* Same keys and CREATE texts, and the same strata_schema_sql bytes. */
static void assert_same_schema(const strata_schema *got, const strata_schema *want, const char *when,
                               const char *script)
{
    char *g = render(got), *w = render(want);
    strata_buf gs = STRATA_BUF_INIT, ws = STRATA_BUF_INIT;
    if (strcmp(g, w) != 0)
        print_error("%s: schema differs\n--- got:\n%s--- want:\n%s--- script:\n%s\n", when, g, w,
                    script);
    assert_string_equal(g, w);
    assert_int_equal(strata_schema_sql(&gs, got), 0);
    assert_int_equal(strata_schema_sql(&ws, want), 0);
    assert_string_equal(strata_buf_cstr(&gs), strata_buf_cstr(&ws));
    strata_buf_dispose(&gs);
    strata_buf_dispose(&ws);
    free(g);
    free(w);
}

static int first_value(void *payload, int ncols, const char *const *values)
{
    char **out = payload;
    if (ncols > 0 && !*out)
        *out = strdup(values[0] ? values[0] : "NULL");
    return 0;
}

typedef struct {
    strata_arena arena;
    sm_changes ch;
} diffres;

static void diff(diffres *d, const strata_schema *a, const strata_schema *b, const char *const *renames)
{
    strata_schema_options opts = STRATA_SCHEMA_OPTIONS_INIT;
    size_t n = 0;
    while (renames && renames[n])
        n++;
    opts.allow_destructive = 1;
    opts.renames = renames;
    opts.renames_count = n;
    memset(d, 0, sizeof(*d));
    d->ch.arena = &d->arena;
    assert_int_equal(strata__sqlite_diff(&d->ch, a, b, &opts), 0);
}

static void diff_dispose(diffres *d)
{
    free(d->ch.changes);
    strata_arena_dispose(&d->arena);
}

/* ---- the round trip ------------------------------------------------------- */

static void round_trip(void **state)
{
    fixture *fx = *state;
    const scase *k = fx->k;
    strata_conn *ca, *cb, *cw;
    strata_schema *ma, *mb, *mw;
    diffres d, again;
    strata_buf up = STRATA_BUF_INIT, down = STRATA_BUF_INIT;
    unsigned flags = 0;

    ca = open_db(fx, 0, "a.db");
    cb = open_db(fx, 1, "b.db");
    cw = open_db(fx, 2, "work.db");
    run(ca, k->a, "schema A");
    run(cb, k->b, "schema B");
    run(cw, k->a, "schema A (work copy)");
    if (k->rows)
        run(cw, k->rows, "rows");
    ma = inspect(ca);
    mb = inspect(cb);

    diff(&d, ma, mb, k->renames);
    for (size_t i = 0; i < d.ch.count; i++) {
        strata_buf_puts(&up, d.ch.changes[i].up);
        flags |= d.ch.changes[i].flags;
        assert_non_null(d.ch.changes[i].what);
    }
    for (size_t i = d.ch.count; i-- > 0;)
        strata_buf_puts(&down, d.ch.changes[i].down);
    if ((flags & k->flags) != k->flags || (flags & k->no_flags) ||
        (k->up_has && !strstr(strata_buf_cstr(&up), k->up_has)))
        print_error("flags %u (want %u, not %u); up script:\n%s\n", flags, k->flags, k->no_flags,
                    strata_buf_cstr(&up));
    assert_int_equal(flags & k->flags, k->flags);
    assert_int_equal(flags & k->no_flags, 0);
    if (k->up_has)
        assert_non_null(strstr(strata_buf_cstr(&up), k->up_has));
    if (getenv("STRATA_TEST_SHOW"))
        fprintf(stderr, "== %s\n-- up:\n%s-- down:\n%s", k->name, strata_buf_cstr(&up),
                strata_buf_cstr(&down));
    if (k->up_has)
        assert_true(d.ch.count > 0);
    else
        assert_int_equal(d.ch.count, 0);   /* no up_has: the schemas are the same */

    /* up: the copy of A becomes B, keeps its rows, and a second diff is empty */
    run_tx(cw, strata_buf_cstr(&up), "up");
    mw = inspect(cw);
    assert_same_schema(mw, mb, "after up", strata_buf_cstr(&up));
    diff(&again, mw, mb, k->renames);
    if (again.ch.count)
        print_error("second diff not empty: %s\n%s", again.ch.changes[0].what,
                    again.ch.changes[0].up);
    assert_int_equal(again.ch.count, 0);
    diff_dispose(&again);
    strata_schema_free(mw);
    if (k->check) {
        char *v = NULL;
        assert_int_equal(drv->query(cw, k->check, 0, NULL, first_value, &v), 0);
        assert_non_null(v);
        assert_string_equal(v, k->expect);
        free(v);
    }

    /* down: back to A */
    run_tx(cw, strata_buf_cstr(&down), "down");
    mw = inspect(cw);
    assert_same_schema(mw, ma, "after down", strata_buf_cstr(&down));
    strata_schema_free(mw);

    diff_dispose(&d);
    strata_buf_dispose(&up);
    strata_buf_dispose(&down);
    strata_schema_free(ma);
    strata_schema_free(mb);
}

/* ---- the model itself ----------------------------------------------------- */

static void schema_sqlite__inspect_model(void **state)
{
    strata_conn *c;
    strata_schema *m;
    const sm_object *t, *ix, *v, *tr, *child;

    c = open_db(*state, 0, "x.db");
    run(c,
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT 'x',\n"
        "    g INTEGER GENERATED ALWAYS AS (id * 2) VIRTUAL);\n"
        "CREATE INDEX t_a ON t (a);\nCREATE VIEW \"V 1\" AS SELECT a FROM t;\n"
        "CREATE TABLE child (id INTEGER PRIMARY KEY, t_id REFERENCES t (id));\n"
        "CREATE TRIGGER tr AFTER INSERT ON child BEGIN SELECT 1 FROM \"V 1\"; END;\n"
        "CREATE TABLE strata_history (x);\nCREATE TABLE auto (k TEXT UNIQUE);\n"
        "CREATE TABLE seq (id INTEGER PRIMARY KEY AUTOINCREMENT);",
        "schema");
    m = inspect(c);
    assert_string_equal(m->dialect, "sqlite");
    assert_null(strata__model_find(m, "table strata_history"));
    assert_null(strata__model_find(m, "table sqlite_sequence"));
    assert_int_equal(m->count, 7);   /* t, t_a, "V 1", child, tr, auto, seq; no autoindex */
    t = strata__model_find(m, "table t");
    assert_non_null(t);
    assert_null(t->schema);
    assert_string_equal(t->name, "t");
    assert_string_equal(t->def, "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT "
                                "'x', g INTEGER GENERATED ALWAYS AS (id * 2) VIRTUAL)");
    assert_int_equal(t->ncols, 3);
    assert_string_equal(t->cols[1].name, "a");
    assert_string_equal(t->cols[1].type, "TEXT");
    assert_string_equal(t->cols[1].default_expr, "'x'");
    assert_true(t->cols[1].not_null);
    assert_string_equal(t->cols[2].generated, "id * 2");
    ix = strata__model_find(m, "index t_a");
    assert_non_null(ix);
    assert_string_equal(ix->table, "t");
    assert_string_equal(ix->def, "CREATE INDEX t_a ON t(a)");
    assert_int_equal(ix->ndeps, 1);
    assert_ptr_equal(ix->deps[0], t);
    v = strata__model_find(m, "view \"V 1\"");
    assert_non_null(v);
    assert_string_equal(v->qname, "\"V 1\"");
    assert_int_equal(v->ndeps, 1);
    assert_ptr_equal(v->deps[0], t);
    child = strata__model_find(m, "table child");
    assert_int_equal(child->ndeps, 1);
    assert_ptr_equal(child->deps[0], t);
    tr = strata__model_find(m, "trigger tr");
    assert_non_null(tr);
    assert_string_equal(tr->table, "child");
    assert_int_equal(tr->ndeps, 2);   /* child and "V 1" */
    assert_true(tr->order > v->order && v->order > t->order && child->order > t->order);
    strata_schema_free(m);
}

/* Canonical text: spacing, case, quoting and comments do not matter, and
 * normalizing twice changes nothing. */
static void schema_sqlite__normalize(void **state)
{
    static const char *const pairs[][2] = {
        { "create table if not exists main.t(\n a integer primary key autoincrement, -- c\n"
          " b varchar ( 20 ) not null default - 1,\n key text default key, \"x y\" int,"
          " [z] text collate nocase, `select` int, check (b > 0)) without rowid;",
          "CREATE TABLE t (a INTEGER PRIMARY KEY AUTOINCREMENT, b VARCHAR(20) NOT NULL DEFAULT -1, "
          "key TEXT DEFAULT key, \"x y\" INT, z TEXT COLLATE nocase, \"select\" INT, "
          "CHECK (b > 0)) WITHOUT ROWID" },
        { "create view v(key, b) as /* c */ select a as key, replace(b,'x','y'), count(*) from t "
          "where a in (1,2) and b like 'x%' and c is not null",
          "CREATE VIEW v (key, b) AS SELECT a AS key, REPLACE (b, 'x', 'y'), count(*) FROM t WHERE "
          "a IN (1, 2) AND b LIKE 'x%' AND c IS NOT NULL" },
        { "create trigger tr after update of a on t for each row when new.a > 0 begin "
          "insert into log values (-new.a, x'00', 1 - -2, 2*-3, 1.5e-3, 'it''s'); end;",
          "CREATE TRIGGER tr AFTER UPDATE OF a ON t FOR EACH ROW WHEN new.a > 0 BEGIN INSERT INTO "
          "log VALUES (-new.a, x'00', 1 - -2, 2 * -3, 1.5e-3, 'it''s'); END" },
        { "create unique index \"I\" on \"t\"(a collate nocase desc, b) where a not null",
          "CREATE UNIQUE INDEX \"I\" ON t(a COLLATE nocase DESC, b) WHERE a NOT NULL" },
        { "CREATE TABLE t (a, b AS (a+1) stored, c default current_timestamp, \"A\"\"q\" )",
          "CREATE TABLE t (a, b AS (a + 1) STORED, c DEFAULT CURRENT_TIMESTAMP, \"A\"\"q\")" },
    };
    (void)state;
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        strata_buf once = STRATA_BUF_INIT, twice = STRATA_BUF_INIT;
        assert_int_equal(strata__sqlite_normalize(&once, pairs[i][0], NULL), 0);
        assert_string_equal(strata_buf_cstr(&once), pairs[i][1]);
        assert_int_equal(strata__sqlite_normalize(&twice, strata_buf_cstr(&once), NULL), 0);
        assert_string_equal(strata_buf_cstr(&twice), pairs[i][1]);
        strata_buf_dispose(&once);
        strata_buf_dispose(&twice);
    }
}

/* Renames that do not apply (already done, or unknown names) are ignored:
 * a second run with the same flags finds nothing to do. */
static void schema_sqlite__stale_renames_are_ignored(void **state)
{
    const char *renames[] = { "t=u", "u.a=b", "nosuch=x", "u.nosuch=y", "garbage", NULL };
    strata_conn *ca;
    strata_schema *ma;
    diffres d;

    ca = open_db(*state, 0, "a.db");
    run(ca, "CREATE TABLE u (id INTEGER PRIMARY KEY, b TEXT);", "A");
    ma = inspect(ca);
    diff(&d, ma, ma, renames);
    assert_int_equal(d.ch.count, 0);
    diff_dispose(&d);
    strata_schema_free(ma);
}

/* A column SQLite cannot drop in place (it is UNIQUE) makes a rebuild, flagged
 * destructive and naming the lost column. */
static void schema_sqlite__lost_column_in_rebuild_is_destructive(void **state)
{
    strata_conn *ca, *cb;
    strata_schema *ma, *mb;
    diffres d;

    ca = open_db(*state, 0, "a.db");
    cb = open_db(*state, 1, "b.db");
    run(ca, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT UNIQUE, b INT);", "A");
    run(cb, "CREATE TABLE t (id INTEGER PRIMARY KEY, b INT);", "B");
    ma = inspect(ca);
    mb = inspect(cb);
    diff(&d, ma, mb, NULL);
    assert_int_equal(d.ch.count, 1);
    assert_string_equal(d.ch.changes[0].what, "rebuild table t");
    assert_int_equal(d.ch.changes[0].flags, STRATA_CHANGE_DESTRUCTIVE | STRATA_CHANGE_RECREATE);
    assert_non_null(strstr(d.ch.changes[0].note, "columns lost: a"));
    diff_dispose(&d);
    strata_schema_free(ma);
    strata_schema_free(mb);
}

int main(void)
{
    enum { N = sizeof(cases) / sizeof(cases[0]) };
    static void (*const others[])(void **) = {
        schema_sqlite__inspect_model,
        schema_sqlite__lost_column_in_rebuild_is_destructive,
        schema_sqlite__normalize,
        schema_sqlite__stale_renames_are_ignored,
    };
    static const char *const other_names[] = {
        "schema_sqlite__inspect_model",
        "schema_sqlite__lost_column_in_rebuild_is_destructive",
        "schema_sqlite__normalize",
        "schema_sqlite__stale_renames_are_ignored",
    };
    enum { M = sizeof(others) / sizeof(others[0]) };
    struct CMUnitTest tests[N + M];
    memset(tests, 0, sizeof(tests));
    for (size_t i = 0; i < N + M; i++) {
        tests[i].name = i < N ? cases[i].name : other_names[i - N];
        tests[i].test_func = i < N ? round_trip : others[i - N];
        tests[i].initial_state = i < N ? (void *)&cases[i] : NULL;
        tests[i].setup_func = setup;
        tests[i].teardown_func = teardown;
    }
    return _cmocka_run_group_tests("schema_sqlite", tests, N + M, NULL, NULL);
}
