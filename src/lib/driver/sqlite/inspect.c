/*
 * inspect.c: a SQLite database's schema as a model (model/model.h).
 *
 * Reads sqlite_master (tables, indexes, views, triggers with their CREATE
 * text), PRAGMA table_xinfo for each table's columns and PRAGMA
 * foreign_key_list for what its foreign keys reference. SQLite's own tables
 * (sqlite_%), strata's bookkeeping (strata_%), the shadow tables of virtual
 * tables and automatic indexes (no SQL) are left out.
 *
 * Every object is "<kind> NAME" with NAME quoted by the model's rule (bare
 * when it matches [a-z_][a-z0-9_]* and is not a keyword), and its def is the
 * CREATE text in canonical form (strata__sqlite_normalize), so the same schema
 * gives the same model however it was written or altered. Dependencies: an
 * index or trigger needs its table, a view or trigger every table or view
 * whose name appears in its text, a table the tables its foreign keys name.
 * This file reads only; it changes nothing in the database.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "../../model/model.h"
#include "sqlite_int.h"

typedef struct {
    sm_object *o;         /* the object */
    const char *raw;      /* its name as stored (arena) */
    const char *tbl;      /* its table's name as stored (arena) */
} sq_item;

typedef struct {
    strata_schema *m;     /* the model being built */
    sq_item *items;       /* every object, in sqlite_master order (malloc'd) */
    size_t n, cap;
    sq_item **named;      /* tables and views, sorted by name without case */
    size_t nnamed;
    sm_object *from;      /* ident_dep: the object whose text is scanned */
    int error;            /* ident_dep: first failure */
} sq_ctx;

static int fail(sqlite3 *db, const char *what)
{
    strata__error(STRATA_ERROR, "sqlite", "cannot inspect the schema (%s): %s", what,
                  strata__sq.sqlite3_errmsg(db));
    return STRATA_ERROR;
}

static char *quoted(strata_schema *m, const char *raw)
{
    strata_buf b = STRATA_BUF_INIT;
    char *s = NULL;
    if (strata__sqlite_quote(&b, raw) == 0)
        s = strata__model_strdup(m, strata_buf_cstr(&b));
    strata_buf_dispose(&b);
    return s;
}

static char *normalized(strata_schema *m, const char *sql, const char *name)
{
    strata_buf b = STRATA_BUF_INIT;
    char *s = NULL;
    if (strata__sqlite_normalize(&b, sql, name) == 0)
        s = strata__model_strdup(m, strata_buf_cstr(&b));
    strata_buf_dispose(&b);
    return s;
}

static int named_cmp(const void *a, const void *b)
{
    return strcasecmp((*(sq_item *const *)a)->raw, (*(sq_item *const *)b)->raw);
}

static sm_object *lookup(const sq_ctx *x, const char *raw)
{
    sq_item key = { .raw = raw }, *kp = &key, **hit;
    if (!x->nnamed)
        return NULL;
    hit = bsearch(&kp, x->named, x->nnamed, sizeof(*x->named), named_cmp);
    return hit ? (*hit)->o : NULL;
}

static int ident_dep(const char *raw, void *payload)
{
    sq_ctx *x = payload;
    sm_object *to = lookup(x, raw);
    if (to && strata__model_dep(x->m, x->from, to) < 0)
        return x->error = STRATA_ERROR;
    return 0;
}

/* The columns of table "it" from PRAGMA table_xinfo (none when SQLite cannot
 * read them, as for a virtual table whose module is missing). */
static int load_columns(sq_ctx *x, sqlite3 *db, sq_item *it)
{
    static const char q[] = "SELECT name, type, \"notnull\", dflt_value, hidden, cid "
                            "FROM pragma_table_xinfo(?1) WHERE hidden <> 1 ORDER BY cid";
    sqlite3_stmt *st = NULL;
    size_t n = 0, i = 0;
    int rc, error = 0;

    if (strata__sq.sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        return fail(db, "table_xinfo");
    strata__sq.sqlite3_bind_text(st, 1, it->raw, -1, SQLITE_STATIC);
    while ((rc = strata__sq.sqlite3_step(st)) == SQLITE_ROW)
        n++;
    if (rc != SQLITE_DONE || n == 0)
        goto done;   /* unreadable: the columns stay in def */
    if ((error = strata__model_cols(x->m, it->o, n)) < 0)
        goto done;
    strata__sq.sqlite3_reset(st);
    while (i < n && strata__sq.sqlite3_step(st) == SQLITE_ROW) {
        sm_column *c = &it->o->cols[i++];
        const char *name = (const char *)strata__sq.sqlite3_column_text(st, 0);
        const char *type = (const char *)strata__sq.sqlite3_column_text(st, 1);
        const char *dflt = (const char *)strata__sq.sqlite3_column_text(st, 3);
        int hidden = strata__sq.sqlite3_column_int(st, 4);
        c->name = quoted(x->m, name ? name : "");
        c->type = strata__model_strdup(x->m, type ? type : "");
        c->not_null = (char)(strata__sq.sqlite3_column_int(st, 2) != 0);
        c->attnum = strata__sq.sqlite3_column_int(st, 5) + 1;
        c->default_expr = dflt ? normalized(x->m, dflt, NULL) : NULL;
        if (!c->name || !c->type || (dflt && !c->default_expr)) {
            error = strata__error_oom();
            goto done;
        }
        if (hidden == 2 || hidden == 3) {
            strata_buf g = STRATA_BUF_INIT;
            error = strata__sqlite_generated(&g, it->o->def, name ? name : "");
            c->generated = error < 0 ? NULL : strata__model_strdup(x->m, strata_buf_cstr(&g));
            strata_buf_dispose(&g);
            if (!c->generated) {
                error = strata__error_oom();
                goto done;
            }
        }
    }
    it->o->ncols = i;
done:
    strata__sq.sqlite3_finalize(st);
    return error;
}

/* Deps on the tables the foreign keys of table "it" reference. */
static int load_fks(sq_ctx *x, sqlite3 *db, sq_item *it)
{
    static const char q[] = "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)";
    sqlite3_stmt *st = NULL;
    int error = 0;

    if (strata__sq.sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        return fail(db, "foreign_key_list");
    strata__sq.sqlite3_bind_text(st, 1, it->raw, -1, SQLITE_STATIC);
    while (strata__sq.sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)strata__sq.sqlite3_column_text(st, 0);
        if (t && (error = strata__model_dep(x->m, it->o, lookup(x, t))) < 0)
            break;
    }
    strata__sq.sqlite3_finalize(st);
    return error;
}

/* sqlite_master rows, shadow tables of virtual tables left out where SQLite can tell. */
static const char objects_sql[] =
    "SELECT type, name, tbl_name, sql FROM main.sqlite_master "
    "WHERE sql IS NOT NULL AND type IN ('table', 'index', 'view', 'trigger') "
    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE 'strata\\_%' ESCAPE '\\' "
    "AND tbl_name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tbl_name NOT LIKE 'strata\\_%' ESCAPE '\\' ";
static const char shadow_sql[] =
    "AND tbl_name NOT IN (SELECT name FROM pragma_table_list WHERE schema = 'main' "
    "AND type = 'shadow') ";

static int load_objects(sq_ctx *x, sqlite3 *db)
{
    strata_buf q = STRATA_BUF_INIT;
    sqlite3_stmt *st = NULL;
    int rc, error = 0;

    /* pragma_table_list is SQLite 3.37 and later: without it, keep shadow tables */
    if (strata_buf_printf(&q, "%s%sORDER BY name", objects_sql, shadow_sql) < 0) {
        error = strata__error_oom();
        goto done;
    }
    if (strata__sq.sqlite3_prepare_v2(db, q.ptr, -1, &st, NULL) != SQLITE_OK) {
        strata_buf_clear(&q);
        if (strata_buf_printf(&q, "%sORDER BY name", objects_sql) < 0) {
            error = strata__error_oom();
            goto done;
        }
        if (strata__sq.sqlite3_prepare_v2(db, q.ptr, -1, &st, NULL) != SQLITE_OK) {
            error = fail(db, "sqlite_master");
            goto done;
        }
    }
    while ((rc = strata__sq.sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)strata__sq.sqlite3_column_text(st, 0);
        const char *name = (const char *)strata__sq.sqlite3_column_text(st, 1);
        const char *tbl = (const char *)strata__sq.sqlite3_column_text(st, 2);
        const char *sql = (const char *)strata__sq.sqlite3_column_text(st, 3);
        sm_kind kind = strcmp(type, "table") == 0   ? SM_TABLE
                       : strcmp(type, "index") == 0 ? SM_INDEX
                       : strcmp(type, "view") == 0  ? SM_VIEW
                                                    : SM_TRIGGER;
        sq_item *it;
        char *qn;

        if (!name || !tbl || !sql)
            continue;
        if (STRATA_ARRAY_GROW(x->items, x->n, x->cap) < 0 || !(qn = quoted(x->m, name))) {
            error = strata__error_oom();
            goto done;
        }
        it = &x->items[x->n++];
        it->raw = strata__model_strdup(x->m, name);
        it->tbl = strata__model_strdup(x->m, tbl);
        it->o = strata__model_add(x->m, kind, "%s %s", strata__kind_name(kind), qn);
        if (!it->raw || !it->tbl || !it->o) {
            error = strata__error_oom();
            goto done;
        }
        it->o->name = it->o->qname = qn;
        it->o->def = normalized(x->m, sql, qn);
        if (kind == SM_TABLE)
            it->o->sub = strncasecmp(it->o->def ? it->o->def : "", "CREATE VIRTUAL", 14) == 0 ? 'v' : 'r';
        if (kind == SM_INDEX || kind == SM_TRIGGER)
            it->o->table = quoted(x->m, tbl);
        if (!it->o->def || ((kind == SM_INDEX || kind == SM_TRIGGER) && !it->o->table)) {
            error = strata__error_oom();
            goto done;
        }
    }
    if (rc != SQLITE_DONE)
        error = fail(db, "sqlite_master");
done:
    strata__sq.sqlite3_finalize(st);
    strata_buf_dispose(&q);
    return error;
}

/*
 * Inspect the SQLite database on "conn" into a new model in "out" (the caller
 * frees it with strata_schema_free). STRATA_ERROR when SQLite cannot read its
 * schema.
 */
int strata__sqlite_inspect(strata_schema **out, strata_conn *conn)
{
    sqlite3 *db = strata__sqlite_handle(conn);
    sq_ctx x = { 0 };
    int error = 0;

    *out = NULL;
    if (!(x.m = strata__model_new("sqlite")))
        return strata__error_oom();
    if ((error = load_objects(&x, db)) < 0)
        goto done;
    x.named = strata__calloc(x.n + 1, sizeof(*x.named));
    if (!x.named) {
        error = strata__error_oom();
        goto done;
    }
    for (size_t i = 0; i < x.n; i++)
        if (x.items[i].o->kind == SM_TABLE || x.items[i].o->kind == SM_VIEW)
            x.named[x.nnamed++] = &x.items[i];
    qsort(x.named, x.nnamed, sizeof(*x.named), named_cmp);
    for (size_t i = 0; i < x.n; i++) {
        sq_item *it = &x.items[i];
        switch (it->o->kind) {
        case SM_TABLE:
            if ((error = load_columns(&x, db, it)) < 0 || (error = load_fks(&x, db, it)) < 0)
                goto done;
            break;
        case SM_INDEX:
            if ((error = strata__model_dep(x.m, it->o, lookup(&x, it->tbl))) < 0)
                goto done;
            break;
        default: /* views and triggers: what their text names */
            if (it->o->kind == SM_TRIGGER &&
                (error = strata__model_dep(x.m, it->o, lookup(&x, it->tbl))) < 0)
                goto done;
            x.from = it->o;
            if ((error = strata__sqlite_idents(it->o->def, ident_dep, &x)) < 0 || x.error < 0) {
                error = error < 0 ? error : x.error;
                goto done;
            }
            break;
        }
    }
    if ((error = strata__model_finish(x.m)) < 0)
        goto done;
    *out = x.m;
    x.m = NULL;
done:
    strata_schema_free(x.m);
    free(x.items);
    free(x.named);
    return error;
}

/*
 * The driver's inspect hook (strata_driver.inspect): SQLite has no schemas,
 * so "schemas" and "skip_schema" do not apply; strata's own tables are always
 * left out by their strata_ prefix.
 */
int strata__sqlite_inspect_hook(strata_schema **out, strata_conn *conn, const char *const *schemas,
                                size_t nschemas, const char *skip_schema)
{
    (void)schemas;
    (void)nschemas;
    (void)skip_schema;
    return strata__sqlite_inspect(out, conn);
}
