/*
 * rules.c: the lint rules. Each rule has a stable id (SL1xx locking and
 * rewrites, SL2xx destructive or breaking, SL3xx house policy, SL001 syntax),
 * a default severity, and a message that says why and how to do it safely.
 * Rules read PostgreSQL parse trees (libpg_query's JSON); a table created
 * earlier in the same run is new, so the locking rules do not apply to it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "lint.h"

#define E STRATA_SEVERITY_ERROR
#define W STRATA_SEVERITY_WARNING
#define O STRATA_SEVERITY_OFF

const strata_lint_rule strata_lint__rules[R_COUNT] = {
    [R_SYNTAX] = { "SL001", "syntax-error", E, "PostgreSQL's parser rejects the statement" },
    [R_VOLATILE_DEFAULT] = { "SL101", "volatile-default", E, "new column with a volatile default rewrites the table" },
    [R_SET_NOT_NULL] = { "SL102", "set-not-null", E, "SET NOT NULL scans the table under an exclusive lock" },
    [R_FK_NOT_VALID] = { "SL103", "foreign-key-not-valid", E, "foreign key added without NOT VALID" },
    [R_CHECK_NOT_VALID] = { "SL104", "check-not-valid", E, "check constraint added without NOT VALID" },
    [R_UNIQUE_WITHOUT_INDEX] = { "SL105", "unique-without-index", E, "UNIQUE/PRIMARY KEY added by building its index under lock" },
    [R_INDEX_NOT_CONCURRENT] = { "SL106", "index-not-concurrent", E, "CREATE INDEX without CONCURRENTLY on an existing table" },
    [R_DROP_INDEX_NOT_CONCURRENT] = { "SL107", "drop-index-not-concurrent", W, "DROP INDEX without CONCURRENTLY" },
    [R_REINDEX_NOT_CONCURRENT] = { "SL108", "reindex-not-concurrent", E, "REINDEX without CONCURRENTLY" },
    [R_ALTER_COLUMN_TYPE] = { "SL109", "alter-column-type", E, "changing a column's type may rewrite the table" },
    [R_VACUUM_FULL] = { "SL110", "vacuum-full-cluster", E, "VACUUM FULL and CLUSTER rewrite the table under an exclusive lock" },
    [R_CONCURRENTLY_IN_TX] = { "SL111", "concurrently-in-transaction", E, "CONCURRENTLY cannot run in the transaction strata opens" },
    [R_TRANSACTION_CONTROL] = { "SL112", "transaction-control", E, "BEGIN/COMMIT inside a migration strata wraps in a transaction" },
    [R_NO_LOCK_TIMEOUT] = { "SL113", "lock-timeout-missing", O, "locking DDL with no lock_timeout set (opt-in)" },
    [R_NOT_NULL_WITHOUT_DEFAULT] = { "SL114", "not-null-without-default", E, "NOT NULL column added to an existing table without a default" },
    [R_DROP_TABLE] = { "SL201", "drop-table", W, "DROP TABLE loses data and breaks readers" },
    [R_DROP_COLUMN] = { "SL202", "drop-column", W, "DROP COLUMN loses data and breaks the running application" },
    [R_DROP_SCHEMA] = { "SL203", "drop-schema", W, "DROP SCHEMA" },
    [R_DROP_DATABASE] = { "SL204", "drop-database", E, "DROP DATABASE in a migration" },
    [R_DROP_TYPE] = { "SL205", "drop-type", W, "DROP TYPE" },
    [R_DROP_VIEW] = { "SL206", "drop-view", W, "DROP VIEW breaks its readers" },
    [R_DROP_FUNCTION] = { "SL207", "drop-function", W, "DROP FUNCTION/PROCEDURE breaks its callers" },
    [R_RENAME_TABLE] = { "SL208", "rename-table", W, "renaming a table breaks the running application" },
    [R_RENAME_COLUMN] = { "SL209", "rename-column", W, "renaming a column breaks the running application" },
    [R_TRUNCATE_CASCADE] = { "SL210", "truncate-cascade", E, "TRUNCATE ... CASCADE empties other tables too" },
    [R_NO_PRIMARY_KEY] = { "SL301", "primary-key-missing", W, "table without a primary key" },
    [R_NO_TIMESTAMPS] = { "SL302", "timestamps-missing", W, "table without created_at / updated_at" },
    [R_NOT_SNAKE_CASE] = { "SL303", "name-not-snake-case", W, "name is not snake_case" },
    [R_NAME_TOO_LONG] = { "SL304", "name-too-long", E, "name longer than 63 bytes (PostgreSQL truncates it)" },
    [R_VARCHAR] = { "SL305", "prefer-text", W, "VARCHAR(n): prefer TEXT" },
    [R_TIMESTAMP_WITHOUT_TZ] = { "SL306", "prefer-timestamptz", W, "TIMESTAMP without time zone: prefer TIMESTAMPTZ" },
    [R_JSON] = { "SL307", "prefer-jsonb", W, "JSON: prefer JSONB" },
    [R_JSONB_WITHOUT_GIN] = { "SL308", "jsonb-without-gin", W, "JSONB column without a GIN index" },
    [R_FK_WITHOUT_INDEX] = { "SL309", "foreign-key-without-index", W, "foreign key column without an index" },
    [R_SERIAL_PK] = { "SL310", "prefer-identity", W, "serial or int primary key: prefer bigint identity or uuid" },
    [R_INDEX_NAME] = { "SL311", "index-name", W, "index name does not follow the naming pattern" },
};

/* ---- helpers ----------------------------------------------------------------- */

static long loc(strata_jv *node)
{
    strata_jv *l = strata_jv_get(node, "location");
    return strata_jv_is(l, STRATA_JV_INTEGER) ? (long)strata_jv_int(l) : -1;
}

static int is_snake(const char *s)
{
    if (!s || !*s || !(islower((unsigned char)*s) || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

/*
 * The length of the identifier as written at "at" in the section: the parser
 * has already cut names to 63 bytes, so the tree cannot tell.
 */
static size_t written_length(lint_ctx *ctx, long at, const char *name)
{
    const char *s;
    size_t n = 0;
    if (at < 0 || ctx->in_body || ctx->chunk_base + (size_t)at >= ctx->section_len)
        return strlen(name);
    s = ctx->section + ctx->chunk_base + at;
    if (*s == '"') {
        for (s++; *s && !(s[0] == '"' && s[1] != '"'); s++, n++)
            if (s[0] == '"')
                s++;
        return n;
    }
    while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '$' || (unsigned char)s[n] >= 0x80)
        n++;
    /* the location may point at something else (a keyword before the name) */
    return n >= strlen(name) ? n : strlen(name);
}

/* Naming policy for any name the migration introduces. */
static void check_name(lint_ctx *ctx, const char *what, const char *name, long at)
{
    size_t len;
    if (!name)
        return;
    len = written_length(ctx, at, name);
    if (len > 63)
        strata_lint__report(ctx, R_NAME_TOO_LONG, at, "shorten it to 63 bytes or fewer",
                            "%s name '%.40s...' is %zu bytes; PostgreSQL keeps only the first 63",
                            what, name, len);
    if (!is_snake(name))
        strata_lint__report(ctx, R_NOT_SNAKE_CASE, at, "use lower case letters, digits and underscores",
                            "%s name '%s' is not snake_case", what, name);
}

/* Type policy of a column ("table" for messages). */
static void check_type(lint_ctx *ctx, const char *col, strata_jv *type_name, lint_table *t, long at)
{
    char ty[64];
    strata_lint__type_name(type_name, ty, sizeof(ty));
    if ((strcmp(ty, "varchar") == 0 || strcmp(ty, "bpchar") == 0) &&
        strata_jv_size(strata_jv_get(type_name, "typmods")) > 0)
        strata_lint__report(ctx, R_VARCHAR, at, "use text (with a CHECK on length() if the limit matters)",
                            "column '%s' is %s(n); changing the limit later takes a lock", col,
                            strcmp(ty, "bpchar") == 0 ? "char" : "varchar");
    if (strcmp(ty, "timestamp") == 0)
        strata_lint__report(ctx, R_TIMESTAMP_WITHOUT_TZ, at, "use timestamptz",
                            "column '%s' is timestamp without time zone; its values are ambiguous "
                            "across time zones", col);
    if (strcmp(ty, "json") == 0)
        strata_lint__report(ctx, R_JSON, at, "use jsonb: it is indexable and compares by value",
                            "column '%s' is json", col);
    if (strcmp(ty, "jsonb") == 0 && t)
        strata_lint__add(ctx, &t->jsonb, &t->njsonb, col, &t->jsonb_line,
                         (int)strata_lint__line(ctx, at >= 0 && !ctx->in_body ? ctx->chunk_base + (size_t)at
                                                                              : ctx->stmt_offset,
                                                NULL));
}

/* Is the default expression volatile (forces a rewrite when adding a column)? */
static int volatile_default(strata_jv *expr)
{
    static const char *const stable[] = { "now", "current_timestamp", "transaction_timestamp",
                                          "statement_timestamp", "current_date", "current_user",
                                          "session_user", "localtimestamp", "localtime",
                                          "current_time", "current_setting" };
    strata_jv *inner = NULL;
    const char *kind = strata_lint__node(expr, &inner);
    if (!kind)
        return 0;
    if (strcmp(kind, "FuncCall") == 0) {
        strata_jv *names = strata_jv_get(inner, "funcname"), *last, *li = NULL;
        char fn[64];
        last = strata_jv_at(names, strata_jv_size(names) - 1);
        fn[0] = '\0';
        if (strata_lint__node(last, &li) && li) {
            const char *v = strata_lint__str(li, "sval");
            snprintf(fn, sizeof(fn), "%s", v ? v : "");
        }
        for (size_t i = 0; i < sizeof(stable) / sizeof(stable[0]); i++)
            if (strcasecmp(fn, stable[i]) == 0)
                return 0;
        return 1;
    }
    if (strcmp(kind, "TypeCast") == 0)
        return volatile_default(strata_jv_get(inner, "arg"));
    return 0;
}

static int has_constraint(strata_jv *constraints, const char *contype, strata_jv **found)
{
    size_t i;
    strata_jv *c;
    STRATA_JV_ARRAY_FOREACH(constraints, i, c) {
        strata_jv *inner = NULL;
        if (strata_lint__node(c, &inner) && strcmp(strata_lint__str(inner, "contype") ?
                                                       strata_lint__str(inner, "contype") : "", contype) == 0) {
            if (found)
                *found = inner;
            return 1;
        }
    }
    return 0;
}

/* First column of a list of String nodes (fk_attrs, keys). */
static const char *first_name(strata_jv *list)
{
    strata_jv *inner = NULL;
    if (strata_jv_size(list) == 0 || !strata_lint__node(strata_jv_at(list, 0), &inner) || !inner)
        return NULL;
    return strata_lint__str(inner, "sval");
}

static int line_at(lint_ctx *ctx, long at)
{
    return (int)strata_lint__line(ctx, at >= 0 && !ctx->in_body ? ctx->chunk_base + (size_t)at
                                                                  : ctx->stmt_offset, NULL);
}

/* Record a constraint that needs or provides an index. */
static void note_constraint(lint_ctx *ctx, lint_table *t, strata_jv *con, const char *column)
{
    const char *type = strata_lint__str(con, "contype");
    if (!t || !type)
        return;
    if (strcmp(type, "CONSTR_FOREIGN") == 0) {
        const char *c = column ? column : first_name(strata_jv_get(con, "fk_attrs"));
        if (c)
            strata_lint__add(ctx, &t->fk, &t->nfk, c, &t->fk_line, line_at(ctx, loc(con)));
    } else if (strcmp(type, "CONSTR_PRIMARY") == 0 || strcmp(type, "CONSTR_UNIQUE") == 0) {
        const char *c = column ? column : first_name(strata_jv_get(con, "keys"));
        if (c)
            strata_lint__add(ctx, &t->indexed, &t->nindexed, c, NULL, 0);
    }
}

/* ---- CREATE TABLE -------------------------------------------------------------- */

static void create_table(lint_ctx *ctx, strata_jv *n)
{
    char name[256];
    strata_jv *rel = strata_jv_get(n, "relation"), *elts = strata_jv_get(n, "tableElts"), *e;
    int has_pk = 0, has_created = 0, has_updated = 0;
    size_t i;
    lint_table *t;

    strata_lint__relation(rel, name, sizeof(name));
    t = strata_lint__table(ctx, name, 1);
    check_name(ctx, "table", strata_lint__str(rel, "relname"), loc(rel));
    STRATA_JV_ARRAY_FOREACH(elts, i, e) {
        strata_jv *inner = NULL;
        const char *kind = strata_lint__node(e, &inner);
        if (!kind)
            continue;
        if (strcmp(kind, "ColumnDef") == 0) {
            const char *col = strata_lint__str(inner, "colname");
            strata_jv *cons = strata_jv_get(inner, "constraints"), *pk = NULL, *c;
            size_t j;
            check_name(ctx, "column", col, loc(inner));
            check_type(ctx, col ? col : "?", strata_jv_get(inner, "typeName"), t, loc(inner));
            if (col && strcmp(col, "created_at") == 0)
                has_created = 1;
            if (col && strcmp(col, "updated_at") == 0)
                has_updated = 1;
            if (has_constraint(cons, "CONSTR_PRIMARY", &pk)) {
                char ty[64];
                has_pk = 1;
                strata_lint__type_name(strata_jv_get(inner, "typeName"), ty, sizeof(ty));
                if (strstr(ty, "serial") || strcmp(ty, "int4") == 0 || strcmp(ty, "int2") == 0 ||
                    strcmp(ty, "integer") == 0 || strcmp(ty, "int") == 0)
                    strata_lint__report(ctx, R_SERIAL_PK, loc(inner),
                                        "use bigint GENERATED ALWAYS AS IDENTITY, or uuid",
                                        "primary key '%s' is %s: it can run out, and serial's "
                                        "sequence is not tied to the column like an identity",
                                        col ? col : "?", ty);
            }
            STRATA_JV_ARRAY_FOREACH(cons, j, c) {
                strata_jv *ci = NULL;
                if (strata_lint__node(c, &ci))
                    note_constraint(ctx, t, ci, col);
            }
        } else if (strcmp(kind, "Constraint") == 0) {
            const char *type = strata_lint__str(inner, "contype");
            if (type && strcmp(type, "CONSTR_PRIMARY") == 0)
                has_pk = 1;
            note_constraint(ctx, t, inner, NULL);
        }
    }
    if (strata_jv_get(n, "partbound") || strata_jv_get(n, "inhRelations"))
        return;  /* partitions and children take their keys from the parent */
    if (!has_pk)
        strata_lint__report(ctx, R_NO_PRIMARY_KEY, loc(rel),
                            "add a primary key: bigint identity or uuid",
                            "table '%s' has no primary key: rows cannot be addressed, and "
                            "logical replication cannot update it", name);
    if (!has_created || !has_updated)
        strata_lint__report(ctx, R_NO_TIMESTAMPS, loc(rel),
                            "add created_at and updated_at timestamptz NOT NULL DEFAULT now()",
                            "table '%s' has no %s", name,
                            !has_created && !has_updated ? "created_at / updated_at"
                            : !has_created ? "created_at" : "updated_at");
}

/* ---- ALTER TABLE ---------------------------------------------------------------- */

static void alter_table(lint_ctx *ctx, strata_jv *n)
{
    char name[256];
    strata_jv *rel = strata_jv_get(n, "relation"), *cmds = strata_jv_get(n, "cmds"), *c;
    int is_new;
    size_t i;
    lint_table *t;
    const char *objtype = strata_lint__str(n, "objtype");

    if (objtype && strcmp(objtype, "OBJECT_TABLE") != 0)
        return;
    strata_lint__relation(rel, name, sizeof(name));
    is_new = strata_lint__is_new(ctx, name);
    t = strata_lint__table(ctx, name, 0);
    if (!is_new && !ctx->lock_timeout_set)
        strata_lint__report(ctx, R_NO_LOCK_TIMEOUT, loc(rel),
                            "SET lock_timeout = '2s' first (or run strata with --lock-timeout), so it "
                            "gives way instead of queueing every query behind it",
                            "ALTER TABLE %s waits for its lock with no lock_timeout", name);
    STRATA_JV_ARRAY_FOREACH(cmds, i, c) {
        strata_jv *cmd = NULL, *def, *di = NULL;
        const char *sub, *dkind;
        if (!strata_lint__node(c, &cmd) || !(sub = strata_lint__str(cmd, "subtype")))
            continue;
        def = strata_jv_get(cmd, "def");
        dkind = def ? strata_lint__node(def, &di) : NULL;
        if (strcmp(sub, "AT_AddColumn") == 0 && dkind && strcmp(dkind, "ColumnDef") == 0) {
            const char *col = strata_lint__str(di, "colname");
            strata_jv *cons = strata_jv_get(di, "constraints"), *dflt = NULL, *x;
            size_t j;
            check_name(ctx, "column", col, loc(di));
            check_type(ctx, col ? col : "?", strata_jv_get(di, "typeName"), t, loc(di));
            has_constraint(cons, "CONSTR_DEFAULT", &dflt);
            if (!is_new && dflt && volatile_default(strata_jv_get(dflt, "raw_expr")))
                strata_lint__report(ctx, R_VOLATILE_DEFAULT, loc(dflt),
                                    "add the column without a default, set the default, then backfill "
                                    "in batches",
                                    "column '%s' gets a volatile default: PostgreSQL rewrites all of %s "
                                    "under an ACCESS EXCLUSIVE lock", col ? col : "?", name);
            if (!is_new && has_constraint(cons, "CONSTR_NOTNULL", NULL) && !dflt &&
                !strata_jv_get(di, "identity") && !has_constraint(cons, "CONSTR_IDENTITY", NULL))
                strata_lint__report(ctx, R_NOT_NULL_WITHOUT_DEFAULT, loc(di),
                                    "add it nullable (or with a DEFAULT), backfill, then add the "
                                    "NOT NULL through a CHECK ... NOT VALID",
                                    "column '%s' is NOT NULL with no default: it fails on a table "
                                    "that has rows", col ? col : "?");
            STRATA_JV_ARRAY_FOREACH(cons, j, x) {
                strata_jv *xi = NULL;
                if (strata_lint__node(x, &xi))
                    note_constraint(ctx, t, xi, col);
            }
        } else if (strcmp(sub, "AT_SetNotNull") == 0 && !is_new) {
            strata_lint__report(ctx, R_SET_NOT_NULL, loc(rel),
                                "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL "
                                "(PostgreSQL 12+ uses the check and skips the scan)",
                                "SET NOT NULL on '%s' scans all of %s under an ACCESS EXCLUSIVE lock",
                                strata_lint__str(cmd, "name") ? strata_lint__str(cmd, "name") : "?", name);
        } else if (strcmp(sub, "AT_AddConstraint") == 0 && dkind && strcmp(dkind, "Constraint") == 0) {
            const char *type = strata_lint__str(di, "contype");
            int valid = !strata_jv_is(strata_jv_get(di, "skip_validation"), STRATA_JV_TRUE);
            note_constraint(ctx, t, di, NULL);
            if (is_new || !type)
                continue;
            if (strcmp(type, "CONSTR_FOREIGN") == 0 && valid)
                strata_lint__report(ctx, R_FK_NOT_VALID, loc(di),
                                    "add it NOT VALID, then VALIDATE CONSTRAINT in a later migration",
                                    "foreign key on %s is validated under a SHARE ROW EXCLUSIVE lock on "
                                    "both tables", name);
            else if (strcmp(type, "CONSTR_CHECK") == 0 && valid)
                strata_lint__report(ctx, R_CHECK_NOT_VALID, loc(di),
                                    "add it NOT VALID, then VALIDATE CONSTRAINT in a later migration",
                                    "check constraint on %s scans the table under an ACCESS EXCLUSIVE lock",
                                    name);
            else if ((strcmp(type, "CONSTR_UNIQUE") == 0 || strcmp(type, "CONSTR_PRIMARY") == 0) &&
                     !strata_lint__str(di, "indexname"))
                strata_lint__report(ctx, R_UNIQUE_WITHOUT_INDEX, loc(di),
                                    "CREATE UNIQUE INDEX CONCURRENTLY first (no-transaction migration), "
                                    "then ADD CONSTRAINT ... USING INDEX",
                                    "%s builds its index while holding an ACCESS EXCLUSIVE lock on %s",
                                    strcmp(type, "CONSTR_UNIQUE") == 0 ? "ADD UNIQUE" : "ADD PRIMARY KEY",
                                    name);
        } else if (strcmp(sub, "AT_AlterColumnType") == 0 && !is_new) {
            char ty[64] = "";
            if (dkind && strcmp(dkind, "ColumnDef") == 0)
                strata_lint__type_name(strata_jv_get(di, "typeName"), ty, sizeof(ty));
            /* to text, or varchar without a limit, is binary-compatible from varchar */
            if (strcmp(ty, "text") != 0 &&
                !(strcmp(ty, "varchar") == 0 && strata_jv_size(strata_jv_get(strata_jv_get(di, "typeName"), "typmods")) == 0))
                strata_lint__report(ctx, R_ALTER_COLUMN_TYPE, loc(rel),
                                    "add a new column, backfill in batches, switch readers, then drop the "
                                    "old one",
                                    "changing '%s' to %s rewrites %s and its indexes under an ACCESS "
                                    "EXCLUSIVE lock (unless binary-compatible)",
                                    strata_lint__str(cmd, "name") ? strata_lint__str(cmd, "name") : "?",
                                    ty[0] ? ty : "another type", name);
        } else if (strcmp(sub, "AT_DropColumn") == 0 && !is_new) {
            strata_lint__report(ctx, R_DROP_COLUMN, loc(rel),
                                "stop reading and writing the column in the application first, then "
                                "drop it in a later release",
                                "dropping column '%s' of %s breaks code that still uses it",
                                strata_lint__str(cmd, "name") ? strata_lint__str(cmd, "name") : "?", name);
        }
    }
}

/* ---- CREATE INDEX ------------------------------------------------------------------ */

static void create_index(lint_ctx *ctx, strata_jv *n)
{
    char name[256];
    strata_jv *rel = strata_jv_get(n, "relation"), *params = strata_jv_get(n, "indexParams"), *p;
    int concurrent = strata_jv_is(strata_jv_get(n, "concurrent"), STRATA_JV_TRUE);
    const char *method = strata_lint__str(n, "accessMethod"), *idxname = strata_lint__str(n, "idxname");
    const char *first = NULL;
    size_t i;
    lint_table *t;
    strata_buf cols = STRATA_BUF_INIT, want = STRATA_BUF_INIT;

    strata_lint__relation(rel, name, sizeof(name));
    if (concurrent && ctx->wrapped)
        strata_lint__report(ctx, R_CONCURRENTLY_IN_TX, loc(rel),
                            "put '-- strata:no-transaction' at the top of the file",
                            "CREATE INDEX CONCURRENTLY cannot run inside a transaction block");
    if (!concurrent && !strata_lint__is_new(ctx, name))
        strata_lint__report(ctx, R_INDEX_NOT_CONCURRENT, loc(rel),
                            "use CREATE INDEX CONCURRENTLY in a '-- strata:no-transaction' migration",
                            "CREATE INDEX on %s blocks writes to it until the index is built", name);
    t = strata_lint__table(ctx, name, 0);
    STRATA_JV_ARRAY_FOREACH(params, i, p) {
        strata_jv *e = NULL;
        const char *col;
        if (!strata_lint__node(p, &e) || !(col = strata_lint__str(e, "name")))
            continue;
        if (!first)
            first = col;
        strata_buf_printf(&cols, "%s%s", cols.size ? "_" : "", col);
        if (t && method && strcmp(method, "gin") == 0)
            strata_lint__add(ctx, &t->gin, &t->ngin, col, NULL, 0);
    }
    if (t && first)
        strata_lint__add(ctx, &t->indexed, &t->nindexed, first, NULL, 0);
    if (!ctx->in_body) {
        /* naming policy: the pattern with {table} and {columns} filled in */
        const char *rel_name = strata_lint__str(rel, "relname");
        for (const char *q = ctx->index_pattern; *q; q++) {
            if (strncmp(q, "{table}", 7) == 0) {
                strata_buf_puts(&want, rel_name ? rel_name : "");
                q += 6;
            } else if (strncmp(q, "{columns}", 9) == 0) {
                strata_buf_puts(&want, strata_buf_cstr(&cols));
                q += 8;
            } else {
                strata_buf_put(&want, q, 1);
            }
        }
        if (!idxname)
            strata_lint__report(ctx, R_INDEX_NAME, loc(rel), "name it explicitly",
                                "index on %s has no name; expected '%s'", name, want.ptr);
        else if (cols.size && strcmp(idxname, want.ptr) != 0)
            strata_lint__report(ctx, R_INDEX_NAME, loc(rel),
                                "rename it, or set index_name in [lint] (default idx_{table}_{columns})",
                                "index '%s' does not follow the pattern: expected '%s'", idxname, want.ptr);
        if (idxname)
            check_name(ctx, "index", idxname, loc(rel));
    }
    strata_buf_dispose(&cols);
    strata_buf_dispose(&want);
}

/* ---- DROP, RENAME, TRUNCATE, maintenance ----------------------------------------- */

static const char *object_name(strata_jv *obj, char *buf, size_t n)
{
    /* a List of String names, or a single node */
    strata_jv *inner = NULL, *items, *it;
    size_t i;
    buf[0] = '\0';
    if (!strata_lint__node(obj, &inner) || !inner)
        return buf;
    items = strata_jv_get(inner, "items");
    if (!items)
        items = strata_jv_get(inner, "objname");
    STRATA_JV_ARRAY_FOREACH(items, i, it) {
        strata_jv *s = NULL;
        if (strata_lint__node(it, &s) && s && strata_lint__str(s, "sval")) {
            size_t l = strlen(buf);
            snprintf(buf + l, n - l, "%s%s", l ? "." : "", strata_lint__str(s, "sval"));
        }
    }
    if (!buf[0] && strata_lint__str(inner, "sval"))
        snprintf(buf, n, "%s", strata_lint__str(inner, "sval"));
    return buf;
}

static void drop(lint_ctx *ctx, strata_jv *n)
{
    const char *type = strata_lint__str(n, "removeType");
    strata_jv *objs = strata_jv_get(n, "objects"), *o;
    int concurrent = strata_jv_is(strata_jv_get(n, "concurrent"), STRATA_JV_TRUE);
    size_t i;

    if (!type)
        return;
    STRATA_JV_ARRAY_FOREACH(objs, i, o) {
        char name[256];
        object_name(o, name, sizeof(name));
        for (char *q = name; *q; q++)
            *q = (char)tolower((unsigned char)*q);
        if (strcmp(type, "OBJECT_TABLE") == 0 && !strata_lint__is_new(ctx, name))
            strata_lint__report(ctx, R_DROP_TABLE, -1, "make sure nothing reads it any more; keep a backup",
                                "DROP TABLE %s loses its data", name);
        else if (strcmp(type, "OBJECT_SCHEMA") == 0)
            strata_lint__report(ctx, R_DROP_SCHEMA, -1, "make sure nothing uses it any more",
                                "DROP SCHEMA %s drops everything in it", name);
        else if (strcmp(type, "OBJECT_TYPE") == 0 || strcmp(type, "OBJECT_DOMAIN") == 0)
            strata_lint__report(ctx, R_DROP_TYPE, -1, "make sure no column or function uses it",
                                "DROP TYPE %s", name);
        else if (strcmp(type, "OBJECT_VIEW") == 0 || strcmp(type, "OBJECT_MATVIEW") == 0)
            strata_lint__report(ctx, R_DROP_VIEW, -1,
                                "replace it with CREATE OR REPLACE VIEW where you can",
                                "DROP VIEW %s breaks the queries that read it", name);
        else if (strcmp(type, "OBJECT_FUNCTION") == 0 || strcmp(type, "OBJECT_PROCEDURE") == 0)
            strata_lint__report(ctx, R_DROP_FUNCTION, -1,
                                "replace it with CREATE OR REPLACE FUNCTION where you can",
                                "DROP %s %s breaks its callers",
                                strcmp(type, "OBJECT_FUNCTION") == 0 ? "FUNCTION" : "PROCEDURE", name);
        else if (strcmp(type, "OBJECT_INDEX") == 0) {
            if (concurrent && ctx->wrapped)
                strata_lint__report(ctx, R_CONCURRENTLY_IN_TX, -1,
                                    "put '-- strata:no-transaction' at the top of the file",
                                    "DROP INDEX CONCURRENTLY cannot run inside a transaction block");
            else if (!concurrent)
                strata_lint__report(ctx, R_DROP_INDEX_NOT_CONCURRENT, -1,
                                    "use DROP INDEX CONCURRENTLY in a '-- strata:no-transaction' migration",
                                    "DROP INDEX %s takes an ACCESS EXCLUSIVE lock on its table", name);
        }
    }
}

static void rename_stmt(lint_ctx *ctx, strata_jv *n)
{
    const char *type = strata_lint__str(n, "renameType");
    char name[256];
    if (!type)
        return;
    strata_lint__relation(strata_jv_get(n, "relation"), name, sizeof(name));
    if (strata_lint__is_new(ctx, name))
        return;
    if (strcmp(type, "OBJECT_TABLE") == 0)
        strata_lint__report(ctx, R_RENAME_TABLE, -1,
                            "add the new name as a view (or the reverse) while the application moves over",
                            "renaming table %s to %s breaks code that uses the old name", name,
                            strata_lint__str(n, "newname") ? strata_lint__str(n, "newname") : "?");
    else if (strcmp(type, "OBJECT_COLUMN") == 0)
        strata_lint__report(ctx, R_RENAME_COLUMN, -1,
                            "add the new column, write both, backfill, switch readers, drop the old one",
                            "renaming column %s.%s breaks code that uses the old name", name,
                            strata_lint__str(n, "subname") ? strata_lint__str(n, "subname") : "?");
}

static int has_option(strata_jv *options, const char *name)
{
    size_t i;
    strata_jv *o;
    STRATA_JV_ARRAY_FOREACH(options, i, o) {
        strata_jv *d = NULL;
        if (strata_lint__node(o, &d) && d && strata_lint__str(d, "defname") &&
            strcmp(strata_lint__str(d, "defname"), name) == 0)
            return 1;
    }
    return 0;
}

/* ---- dispatch ------------------------------------------------------------------- */

/* The source text of a function body (the "as" option), for PL/pgSQL linting. */
static const char *body_of(strata_jv *options)
{
    size_t i;
    strata_jv *o;
    STRATA_JV_ARRAY_FOREACH(options, i, o) {
        strata_jv *d = NULL, *arg, *ai = NULL;
        if (!strata_lint__node(o, &d) || !d || !strata_lint__str(d, "defname") ||
            strcmp(strata_lint__str(d, "defname"), "as") != 0)
            continue;
        arg = strata_jv_get(d, "arg");
        if (!strata_lint__node(arg, &ai) || !ai)
            return NULL;
        if (strata_lint__str(ai, "sval"))
            return strata_lint__str(ai, "sval");
        {
            strata_jv *items = strata_jv_get(ai, "items"), *s = NULL;
            if (strata_jv_size(items) && strata_lint__node(strata_jv_at(items, 0), &s) && s)
                return strata_lint__str(s, "sval");
        }
    }
    return NULL;
}

static const char *language_of(strata_jv *options)
{
    size_t i;
    strata_jv *o;
    STRATA_JV_ARRAY_FOREACH(options, i, o) {
        strata_jv *d = NULL, *ai = NULL;
        if (strata_lint__node(o, &d) && d && strata_lint__str(d, "defname") &&
            strcmp(strata_lint__str(d, "defname"), "language") == 0 &&
            strata_lint__node(strata_jv_get(d, "arg"), &ai) && ai)
            return strata_lint__str(ai, "sval");
    }
    return NULL;
}

static void lint_body(lint_ctx *ctx, const char *body)
{
    strata_buf sql = STRATA_BUF_INIT;
    if (!body)
        return;
    strata_buf_printf(&sql, "CREATE FUNCTION strata_lint_body() RETURNS void LANGUAGE plpgsql AS "
                            "$strata_body$%s$strata_body$", body);
    strata_lint__body(ctx, sql.ptr);
    strata_buf_dispose(&sql);
}

void strata_lint__statement(lint_ctx *ctx, strata_jv *stmt)
{
    strata_jv *n = NULL;
    const char *kind = strata_lint__node(stmt, &n);
    if (!kind || !n)
        return;

    if (strcmp(kind, "CreateStmt") == 0) {
        if (!ctx->in_body)
            create_table(ctx, n);
    } else if (strcmp(kind, "AlterTableStmt") == 0) {
        alter_table(ctx, n);
    } else if (strcmp(kind, "IndexStmt") == 0) {
        create_index(ctx, n);
    } else if (strcmp(kind, "DropStmt") == 0) {
        drop(ctx, n);
    } else if (strcmp(kind, "DropdbStmt") == 0) {
        strata_lint__report(ctx, R_DROP_DATABASE, -1, "drop databases by hand, never from a migration",
                            "DROP DATABASE %s", strata_lint__str(n, "dbname") ? strata_lint__str(n, "dbname") : "");
    } else if (strcmp(kind, "RenameStmt") == 0) {
        rename_stmt(ctx, n);
    } else if (strcmp(kind, "TruncateStmt") == 0) {
        const char *b = strata_lint__str(n, "behavior");
        if (b && strcmp(b, "DROP_CASCADE") == 0)
            strata_lint__report(ctx, R_TRUNCATE_CASCADE, -1,
                                "truncate the tables you mean by name, without CASCADE",
                                "TRUNCATE ... CASCADE also empties every table that references these");
    } else if (strcmp(kind, "ReindexStmt") == 0) {
        if (!has_option(strata_jv_get(n, "params"), "concurrently"))
            strata_lint__report(ctx, R_REINDEX_NOT_CONCURRENT, -1,
                                "use REINDEX ... CONCURRENTLY (PostgreSQL 12+) in a no-transaction migration",
                                "REINDEX blocks writes to the table while it runs");
        else if (ctx->wrapped)
            strata_lint__report(ctx, R_CONCURRENTLY_IN_TX, -1,
                                "put '-- strata:no-transaction' at the top of the file",
                                "REINDEX CONCURRENTLY cannot run inside a transaction block");
    } else if (strcmp(kind, "VacuumStmt") == 0) {
        if (has_option(strata_jv_get(n, "options"), "full"))
            strata_lint__report(ctx, R_VACUUM_FULL, -1, "use pg_repack, or plain VACUUM",
                                "VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock");
    } else if (strcmp(kind, "ClusterStmt") == 0) {
        strata_lint__report(ctx, R_VACUUM_FULL, -1, "use pg_repack",
                            "CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock");
    } else if (strcmp(kind, "TransactionStmt") == 0) {
        const char *k = strata_lint__str(n, "kind");
        if (ctx->wrapped && !ctx->in_body && k &&
            (strcmp(k, "TRANS_STMT_BEGIN") == 0 || strcmp(k, "TRANS_STMT_START") == 0 ||
             strcmp(k, "TRANS_STMT_COMMIT") == 0 || strcmp(k, "TRANS_STMT_ROLLBACK") == 0))
            strata_lint__report(ctx, R_TRANSACTION_CONTROL, -1,
                                "remove it: strata runs each migration in one transaction (or add "
                                "'-- strata:no-transaction')",
                                "transaction control inside a migration strata wraps in a transaction");
    } else if (strcmp(kind, "VariableSetStmt") == 0) {
        const char *name = strata_lint__str(n, "name");
        if (name && strcmp(name, "lock_timeout") == 0)
            ctx->lock_timeout_set = 1;
    } else if (strcmp(kind, "DoStmt") == 0) {
        const char *lang = language_of(strata_jv_get(n, "args"));
        if (!lang || strcmp(lang, "plpgsql") == 0)
            lint_body(ctx, body_of(strata_jv_get(n, "args")));
    } else if (strcmp(kind, "CreateFunctionStmt") == 0) {
        const char *lang = language_of(strata_jv_get(n, "options"));
        if (lang && strcmp(lang, "plpgsql") == 0)
            lint_body(ctx, body_of(strata_jv_get(n, "options")));
    }
}

void strata_lint__finish_run(lint_ctx *ctx)
{
    for (size_t i = 0; i < ctx->ntables; i++) {
        lint_table *t = &ctx->tables[i];
        for (size_t j = 0; j < t->njsonb; j++) {
            int found = 0;
            for (size_t k = 0; k < t->ngin && !found; k++)
                found = strcmp(t->gin[k], t->jsonb[j]) == 0;
            if (!found && t->is_new) {
                size_t save = ctx->count;
                strata_lint__report(ctx, R_JSONB_WITHOUT_GIN, -1,
                                    "CREATE INDEX ... USING gin (column) if you query inside it",
                                    "jsonb column %s.%s has no GIN index", t->name, t->jsonb[j]);
                if (ctx->count > save) {
                    ctx->findings[save].file = t->file;
                    ctx->findings[save].line = t->jsonb_line[j];
                    ctx->findings[save].column = 0;
                    ctx->findings[save].statement = NULL;
                    ctx->findings[save].suppressed = 0;
                }
            }
        }
        for (size_t j = 0; j < t->nfk; j++) {
            int found = 0;
            for (size_t k = 0; k < t->nindexed && !found; k++)
                found = strcmp(t->indexed[k], t->fk[j]) == 0;
            if (!found && t->is_new) {
                size_t save = ctx->count;
                strata_lint__report(ctx, R_FK_WITHOUT_INDEX, -1,
                                    "index the column: joins and ON DELETE on the parent scan this table "
                                    "without one",
                                    "foreign key column %s.%s has no index", t->name, t->fk[j]);
                if (ctx->count > save) {
                    ctx->findings[save].file = t->file;
                    ctx->findings[save].line = t->fk_line[j];
                    ctx->findings[save].column = 0;
                    ctx->findings[save].statement = NULL;
                    ctx->findings[save].suppressed = 0;
                }
            }
        }
    }
}
