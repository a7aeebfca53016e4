/*
 * diff_pg.c: two PostgreSQL models into ordered changes, each with its
 * reverse, and the SQL that creates and drops each kind of object.
 *
 * Objects pair up by key (renames the user marked map one key onto another).
 * A pair is equal, altered in place, or must be recreated (dropped and
 * created again); recreation spreads to whatever depends on a recreated
 * object, and views and policies are recreated when a column they may read
 * changes type. The changes then come in three passes:
 *
 *   1. drops, newest dependency first (reverse dependency order of "from"):
 *      removed tables and everything hanging off tables (constraints,
 *      indexes, views, triggers, policies), and every object to recreate;
 *   2. creates and in-place alters, in dependency order of "to";
 *   3. drops of removed schemas, extensions, types, functions and sequences,
 *      which the tables altered in pass 2 may have used until then.
 *
 * Every change carries its exact reverse, so the reverse script is the
 * reverses in reverse order. Sub-objects are dropped explicitly before their
 * table, never implicitly, so that each reverse can put them back.
 */
#include <stdlib.h>
#include <string.h>
#include "model.h"

enum { A_KEEP = 0, A_REMOVED, A_RECREATE };

typedef struct {
    const strata_schema *a, *b;
    const strata_schema_options *opts;
    sm_changes *out;
    unsigned char *astate;     /* by A index */
    sm_object **b_of_a;        /* counterpart in B, by A index */
    sm_object **a_of_b;        /* counterpart in A, by B index */
    unsigned char *reshaped;   /* A tables whose columns change type or are re-added */
    strata_buf up, down, key, tmp;
} dctx;

/* ---- SQL helpers ---------------------------------------------------------- */

static void literal(strata_buf *b, const char *s)
{
    strata_buf_puts(b, "'");
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            strata_buf_puts(b, "'");
        strata_buf_put(b, p, 1);
    }
    strata_buf_puts(b, "'");
}

static const char *comment_kind(const sm_object *o)
{
    switch (o->kind) {
    case SM_SCHEMA: return "SCHEMA";
    case SM_EXTENSION: return "EXTENSION";
    case SM_TYPE: return o->sub == 'd' ? "DOMAIN" : "TYPE";
    case SM_FUNCTION: return o->sub == 'p' ? "PROCEDURE" : "FUNCTION";
    case SM_SEQUENCE: return "SEQUENCE";
    case SM_TABLE: return "TABLE";
    case SM_INDEX: return "INDEX";
    case SM_VIEW: return "VIEW";
    case SM_MATVIEW: return "MATERIALIZED VIEW";
    case SM_CONSTRAINT: return "CONSTRAINT";
    case SM_TRIGGER: return "TRIGGER";
    case SM_POLICY: return "POLICY";
    default: return "";
    }
}

/* COMMENT ON <o> IS '...' (NULL text: IS NULL). */
static void comment_on(strata_buf *b, const sm_object *o, const char *text)
{
    strata_buf_printf(b, "COMMENT ON %s %s", comment_kind(o), o->qname);
    if (o->kind == SM_CONSTRAINT)
        strata_buf_printf(b, " ON %s%s", (o->flags & SM_ON_DOMAIN) ? "DOMAIN " : "", o->table);
    else if (o->kind == SM_TRIGGER || o->kind == SM_POLICY)
        strata_buf_printf(b, " ON %s", o->table);
    strata_buf_puts(b, " IS ");
    if (text)
        literal(b, text);
    else
        strata_buf_puts(b, "NULL");
    strata_buf_puts(b, ";\n");
}

static void column_comment(strata_buf *b, const sm_object *t, const sm_column *c, const char *text)
{
    strata_buf_printf(b, "COMMENT ON COLUMN %s.%s IS ", t->qname, c->name);
    if (text)
        literal(b, text);
    else
        strata_buf_puts(b, "NULL");
    strata_buf_puts(b, ";\n");
}

/* A column as CREATE TABLE / ADD COLUMN write it. */
static void column_def(strata_buf *b, const sm_column *c)
{
    strata_buf_printf(b, "%s %s", c->name, c->type);
    if (c->collation)
        strata_buf_printf(b, " COLLATE %s", c->collation);
    if (c->generated)
        strata_buf_printf(b, " GENERATED ALWAYS AS (%s) STORED", c->generated);
    if (c->identity)
        strata_buf_printf(b, " GENERATED %s AS IDENTITY", c->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
    if (c->default_expr)
        strata_buf_printf(b, " DEFAULT %s", c->default_expr);
    if (c->not_null)
        strata_buf_puts(b, " NOT NULL");
}

/* Sequences owned by a column of table t ("col": one column only, or NULL for all). */
static void owned_sequences(strata_buf *b, const sm_object *t, const char *col)
{
    size_t tl = strlen(t->qname);
    for (const sm_object *s = t->owned; s; s = s->next_owned) {
        if (col && strcmp(s->extra + tl + 1, col) != 0)
            continue;
        strata_buf_printf(b, "ALTER SEQUENCE %s OWNED BY %s;\n", s->qname, s->extra);
    }
}

/* A function's CREATE OR REPLACE. The body of a LANGUAGE sql function is checked
 * when it is created, so one that reads tables or views made later, or types
 * changed later in the same script, needs the check off (pg_dump does the same). */
static void function_sql(strata_buf *b, const sm_object *o)
{
    if (strstr(o->def, " LANGUAGE sql\n") && !strstr(o->def, "BEGIN ATOMIC"))
        strata_buf_puts(b, "SET check_function_bodies = off;\n");
    strata_buf_puts(b, o->def);
    strata_buf_puts(b, ";\n");
}

static void create_sql(strata_buf *b, const sm_object *o)
{
    switch (o->kind) {
    case SM_SCHEMA:
        strata_buf_printf(b, "CREATE SCHEMA %s;\n", o->qname);
        break;
    case SM_EXTENSION:
        strata_buf_printf(b, "CREATE EXTENSION %s WITH SCHEMA %s;\n", o->qname, o->def);
        break;
    case SM_TYPE:
        if (o->sub == 'e') {
            strata_buf_printf(b, "CREATE TYPE %s AS ENUM (", o->qname);
            for (size_t i = 0; i < o->nlabels; i++) {
                strata_buf_puts(b, i ? ", " : "");
                literal(b, o->labels[i]);
            }
            strata_buf_puts(b, ");\n");
        } else if (o->sub == 'c') {
            strata_buf_printf(b, "CREATE TYPE %s AS (", o->qname);
            for (size_t i = 0; i < o->ncols; i++) {
                strata_buf_printf(b, "%s%s %s", i ? ", " : "", o->cols[i].name, o->cols[i].type);
                if (o->cols[i].collation)
                    strata_buf_printf(b, " COLLATE %s", o->cols[i].collation);
            }
            strata_buf_puts(b, ");\n");
        } else {
            strata_buf_printf(b, "CREATE DOMAIN %s AS %s", o->qname, o->def);
            if (o->cols[0].collation)
                strata_buf_printf(b, " COLLATE %s", o->cols[0].collation);
            if (o->cols[0].default_expr)
                strata_buf_printf(b, " DEFAULT %s", o->cols[0].default_expr);
            strata_buf_puts(b, o->cols[0].not_null ? " NOT NULL;\n" : ";\n");
        }
        break;
    case SM_FUNCTION:
        function_sql(b, o);
        break;
    case SM_SEQUENCE:
        strata_buf_printf(b, "CREATE SEQUENCE %s %s;\n", o->qname, o->def);
        break;
    case SM_TABLE: {
        int first = 1;
        strata_buf_printf(b, "CREATE %sTABLE %s", (o->flags & SM_UNLOGGED) ? "UNLOGGED " : "", o->qname);
        if (o->parent) {
            strata_buf_printf(b, " PARTITION OF %s", o->parent);
            for (size_t i = 0; i < o->ncols; i++) {
                const sm_column *c = &o->cols[i];
                if (c->inherited)
                    continue;
                strata_buf_puts(b, first ? " (\n    " : ",\n    ");
                column_def(b, c);
                first = 0;
            }
            strata_buf_puts(b, first ? "" : "\n)");
            strata_buf_printf(b, " %s", o->bound);
        } else {
            strata_buf_puts(b, " (");
            for (size_t i = 0; i < o->ncols; i++) {
                strata_buf_puts(b, i ? ",\n    " : "\n    ");
                column_def(b, &o->cols[i]);
            }
            strata_buf_puts(b, o->ncols ? "\n)" : ")");
        }
        if (o->extra)
            strata_buf_printf(b, " PARTITION BY %s", o->extra);
        strata_buf_puts(b, ";\n");
        if (o->flags & SM_RLS)
            strata_buf_printf(b, "ALTER TABLE %s ENABLE ROW LEVEL SECURITY;\n", o->qname);
        if (o->flags & SM_RLS_FORCE)
            strata_buf_printf(b, "ALTER TABLE %s FORCE ROW LEVEL SECURITY;\n", o->qname);
        owned_sequences(b, o, NULL);
        for (size_t i = 0; i < o->ncols; i++)
            if (o->cols[i].comment)
                column_comment(b, o, &o->cols[i], o->cols[i].comment);
        break;
    }
    case SM_CONSTRAINT:
        strata_buf_printf(b, "ALTER %s %s ADD CONSTRAINT %s %s;\n",
                          (o->flags & SM_ON_DOMAIN) ? "DOMAIN" : "TABLE", o->table, o->name, o->def);
        break;
    case SM_INDEX:
    case SM_TRIGGER:
        strata_buf_printf(b, "%s;\n", o->def);
        break;
    case SM_VIEW:
        strata_buf_printf(b, "CREATE VIEW %s", o->qname);
        if (o->extra)
            strata_buf_printf(b, " WITH (%s)", o->extra);
        strata_buf_printf(b, " AS\n%s;\n", o->def);
        break;
    case SM_MATVIEW:
        strata_buf_printf(b, "CREATE MATERIALIZED VIEW %s", o->qname);
        if (o->extra)
            strata_buf_printf(b, " WITH (%s)", o->extra);
        strata_buf_printf(b, " AS\n%s;\n", o->def);
        break;
    case SM_POLICY:
        strata_buf_printf(b, "CREATE POLICY %s ON %s %s;\n", o->name, o->table, o->def);
        break;
    default:
        break;
    }
    if (o->comment)
        comment_on(b, o, o->comment);
    if (o->kind == SM_VIEW || o->kind == SM_MATVIEW)
        for (size_t i = 0; i < o->ncols; i++)
            if (o->cols[i].comment)
                column_comment(b, o, &o->cols[i], o->cols[i].comment);
}

static void drop_sql(strata_buf *b, const sm_object *o)
{
    switch (o->kind) {
    case SM_CONSTRAINT:
        strata_buf_printf(b, "ALTER %s %s DROP CONSTRAINT %s;\n",
                          (o->flags & SM_ON_DOMAIN) ? "DOMAIN" : "TABLE", o->table, o->name);
        break;
    case SM_TRIGGER:
    case SM_POLICY:
        strata_buf_printf(b, "DROP %s %s ON %s;\n", comment_kind(o), o->name, o->table);
        break;
    default:
        strata_buf_printf(b, "DROP %s %s;\n", comment_kind(o), o->qname);
        break;
    }
}

/* ---- pairing, with the renames the user marked --------------------------- */

typedef struct {
    const char *from_table, *to_table;   /* qualified: public.users */
    const char *column_from, *column_to; /* column renames; NULL for tables */
} rename_spec;

/* Split "public.users=customers" / "public.users.name=full_name" into a spec. */
static int parse_rename(rename_spec *r, strata_arena *ar, const char *spec)
{
    const char *eq = strchr(spec, '=');
    const char *last;
    char *left;
    int dots = 0;
    if (!eq || eq == spec || !eq[1])
        goto bad;
    left = strata_arena_strndup(ar, spec, (size_t)(eq - spec));
    for (const char *p = left; *p; p++)
        dots += *p == '.';
    memset(r, 0, sizeof(*r));
    if (dots == 0) {
        r->from_table = strata_arena_printf(ar, "public.%s", left);
        r->to_table = strata_arena_printf(ar, "public.%s", eq + 1);
    } else if (dots == 1) {
        const char *d = strchr(left, '.');
        r->from_table = left;
        r->to_table = strata_arena_printf(ar, "%.*s.%s", (int)(d - left), left, eq + 1);
    } else if (dots == 2) {
        last = strrchr(left, '.');
        r->from_table = strata_arena_strndup(ar, left, (size_t)(last - left));
        r->to_table = r->from_table;
        r->column_from = last + 1;
        r->column_to = eq + 1;
    } else {
        goto bad;
    }
    return 0;
bad:
    strata__error(STRATA_EINVALID, "diff", "rename '%s' is not SCHEMA.TABLE=NEW or SCHEMA.TABLE.COLUMN=NEW", spec);
    strata__error_hint("for example --rename public.users=customers or --rename public.users.name=full_name");
    return STRATA_EINVALID;
}

/* ---- comparing ------------------------------------------------------------- */

static int same(const char *x, const char *y)
{
    if (!x || !y)
        return x == y;
    return strcmp(x, y) == 0;
}

static const sm_column *find_col(const sm_object *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return &t->cols[i];
    return NULL;
}

/* The type's family, for deciding USING and data loss. */
enum { F_INT = 1, F_NUMERIC, F_FLOAT, F_STRING, F_TIME, F_OTHER };

static int type_family(const char *t, int *rank)
{
    static const struct { const char *prefix; int family, rank; } types[] = {
        { "smallint", F_INT, 1 }, { "integer", F_INT, 2 }, { "bigint", F_INT, 3 },
        { "numeric", F_NUMERIC, 4 }, { "real", F_FLOAT, 1 }, { "double precision", F_FLOAT, 2 },
        { "text", F_STRING, 9 }, { "character varying", F_STRING, 5 }, { "character", F_STRING, 4 },
        { "date", F_TIME, 1 }, { "timestamp", F_TIME, 2 },
    };
    if (strchr(t, '['))
        return F_OTHER;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strncmp(t, types[i].prefix, strlen(types[i].prefix)) == 0) {
            *rank = types[i].rank;
            return types[i].family;
        }
    return F_OTHER;
}

static long typmod(const char *t)
{
    const char *p = strchr(t, '(');
    return p ? strtol(p + 1, NULL, 10) : -1;
}

/* Does changing a column from "from" to "to" need USING, and can it lose data? */
static void type_change(const char *from, const char *to, int *using, int *lossy)
{
    int rf = 0, rt = 0;
    int ff = type_family(from, &rf), ft = type_family(to, &rt);
    *using = 0;
    *lossy = 0;
    if (ft == F_STRING) {
        long mf = typmod(from), mt = typmod(to);
        if (ff == F_STRING)
            *lossy = rt != 9 && (rf == 9 || mf < 0 || (mt >= 0 && mt < mf));
        else
            *lossy = mt >= 0;
        return;
    }
    if ((ff == F_INT || ff == F_NUMERIC || ff == F_FLOAT) &&
        (ft == F_INT || ft == F_NUMERIC || ft == F_FLOAT)) {
        if (ff == ft && ff == F_INT)
            *lossy = rt < rf;
        else if (ft == F_NUMERIC)
            *lossy = ff == F_FLOAT || typmod(to) >= 0;
        else if (ft == F_FLOAT)
            *lossy = rt < 2 || rf == 3 || ff == F_NUMERIC;
        else
            *lossy = 1;
        return;
    }
    if (ff == F_TIME && ft == F_TIME) {
        *lossy = rt < rf;
        return;
    }
    *using = 1;
    *lossy = 1;
}

/* Is b an in-place change of a (same kind of object), or must it be recreated?
 * Returns 1 to recreate, with why in *note. */
static int must_recreate(const sm_object *a, const sm_object *b, const char **note)
{
    switch (a->kind) {
    case SM_TYPE:
        if (a->sub != b->sub) {
            *note = "the type changed kind";
            return 1;
        }
        if (a->sub == 'd' && (!same(a->def, b->def) || !same(a->cols[0].collation, b->cols[0].collation))) {
            *note = "a domain's base type or collation cannot be altered";
            return 1;
        }
        return 0;
    case SM_FUNCTION:
        if (!same(a->def, b->def) && (!same(a->extra, b->extra) || !same(a->bound, b->bound) || a->sub != b->sub)) {
            *note = "its result type or parameters changed, which CREATE OR REPLACE cannot do";
            return 1;
        }
        return 0;
    case SM_TABLE:
        if (!same(a->extra, b->extra)) {
            *note = "its partitioning changed";
            return 1;
        }
        if (!same(a->parent, b->parent)) {
            *note = "it became a partition of another table";
            return 1;
        }
        return 0;
    case SM_VIEW:
        if (same(a->def, b->def) && same(a->extra, b->extra))
            return 0;
        if (!same(a->extra, b->extra)) {
            *note = "its options changed";
            return 1;
        }
        /* CREATE OR REPLACE VIEW keeps the old columns, in order, with their types */
        if (b->ncols < a->ncols)
            goto incompatible;
        for (size_t i = 0; i < a->ncols; i++)
            if (!same(a->cols[i].name, b->cols[i].name) || !same(a->cols[i].type, b->cols[i].type))
                goto incompatible;
        return 0;
    incompatible:
        *note = "its columns changed in a way CREATE OR REPLACE VIEW cannot do";
        return 1;
    case SM_MATVIEW:
        if (!same(a->def, b->def) || !same(a->extra, b->extra)) {
            *note = "a materialized view's query cannot be altered";
            return 1;
        }
        return 0;
    case SM_CONSTRAINT:
        if (same(a->def, b->def))
            return 0;
        /* NOT VALID -> valid is VALIDATE CONSTRAINT */
        if ((a->flags & SM_NOT_VALID) && !(b->flags & SM_NOT_VALID)) {
            size_t n = strlen(b->def);
            if (strncmp(a->def, b->def, n) == 0 && strcmp(a->def + n, " NOT VALID") == 0)
                return 0;
        }
        *note = "constraints are dropped and added again";
        return 1;
    case SM_INDEX:
        if (same(a->def, b->def))
            return 0;
        *note = "indexes are dropped and created again";
        return 1;
    case SM_TRIGGER:
    case SM_POLICY:
        if (same(a->def, b->def))
            return 0;
        *note = "its definition changed";
        return 1;
    default:
        return 0;
    }
}

static int labels_differ(const sm_object *a, const sm_object *b)
{
    if (a->nlabels != b->nlabels)
        return 1;
    for (size_t i = 0; i < a->nlabels; i++)
        if (strcmp(a->labels[i], b->labels[i]) != 0)
            return 1;
    return 0;
}

/* An enum whose labels change is swapped for a new type at least in one
 * direction (the reverse of ADD VALUE too), which retypes the columns using
 * it: the tables holding them count as reshaped, so views reading them are
 * recreated around the swap. */
static void mark_enum_tables(dctx *x, const sm_object *e)
{
    size_t tl = strlen(e->qname);
    for (size_t i = 0; i < x->a->count; i++) {
        const sm_object *t = x->a->objs[i];
        if (t->kind != SM_TABLE)
            continue;
        for (size_t c = 0; c < t->ncols; c++)
            if (strncmp(t->cols[c].type, e->qname, tl) == 0 &&
                (t->cols[c].type[tl] == '\0' || strcmp(t->cols[c].type + tl, "[]") == 0))
                x->reshaped[i] = 1;
    }
}

/* ---- emitting -------------------------------------------------------------- */

static int emit(dctx *x, const char *what, unsigned flags, const char *note)
{
    if (!x->up.size && !x->down.size)
        return 0;
    return strata__changes_add(x->out, what, strata_buf_cstr(&x->up), strata_buf_cstr(&x->down), flags, note);
}

static const char *what(dctx *x, const char *verb, const sm_object *o)
{
    strata_buf_clear(&x->tmp);
    strata_buf_printf(&x->tmp, "%s %s %s", verb, strata__kind_name(o->kind), o->qname);
    if (o->table && o->kind != SM_INDEX)
        strata_buf_printf(&x->tmp, " on %s", o->table);
    return x->tmp.ptr;
}

/* Is o a sequence owned by a table or column that goes away with it? */
static int dropped_with_owner(dctx *x, const sm_object *o)
{
    const sm_object *t;
    const sm_object *bt;
    if (o->kind != SM_SEQUENCE || !o->parent)
        return 0;
    strata_buf_clear(&x->key);
    strata_buf_printf(&x->key, "table %s", o->parent);
    t = strata__model_find(x->a, x->key.ptr);
    if (!t)
        return 0;
    if (x->astate[t->index] != A_KEEP)
        return 1;
    bt = x->b_of_a[t->index];
    return bt && !find_col(bt, o->extra + strlen(o->parent) + 1);
}

static int emit_drop(dctx *x, const sm_object *o, const char *note)
{
    unsigned flags = 0;
    strata_buf_clear(&x->up);
    strata_buf_clear(&x->down);
    if (x->astate[o->index] == A_RECREATE)
        flags |= STRATA_CHANGE_RECREATE;
    else if (o->kind == SM_TABLE || o->kind == SM_TYPE || o->kind == SM_SEQUENCE || o->kind == SM_SCHEMA)
        flags |= STRATA_CHANGE_DESTRUCTIVE;
    if (dropped_with_owner(x, o))
        strata_buf_printf(&x->up, "-- %s goes with the column that owns it\n", o->qname);
    else
        drop_sql(&x->up, o);
    create_sql(&x->down, o);
    if (!note && (flags & STRATA_CHANGE_DESTRUCTIVE))
        note = o->kind == SM_TABLE ? "drops the table and its rows" :
               o->kind == SM_SEQUENCE ? "drops the sequence and its current value" : "drops it";
    return emit(x, what(x, (flags & STRATA_CHANGE_RECREATE) ? "drop (to recreate)" : "drop", o),
                flags, note);
}

/* Is o (in "to") a sequence owned by a table or column that is new, so that
 * the reverse drops it with its owner? */
static int created_with_owner(dctx *x, const sm_object *o)
{
    const sm_object *t, *at;
    if (o->kind != SM_SEQUENCE || !o->parent)
        return 0;
    strata_buf_clear(&x->key);
    strata_buf_printf(&x->key, "table %s", o->parent);
    if (!(t = strata__model_find(x->b, x->key.ptr)))
        return 0;
    at = x->a_of_b[t->index];
    return !at || x->astate[at->index] == A_RECREATE || !find_col(at, o->extra + strlen(o->parent) + 1);
}

static int emit_create(dctx *x, const sm_object *o, int recreate, const char *note)
{
    strata_buf_clear(&x->up);
    strata_buf_clear(&x->down);
    create_sql(&x->up, o);
    if (created_with_owner(x, o))
        strata_buf_printf(&x->down, "-- %s goes with the column that owns it\n", o->qname);
    else
        drop_sql(&x->down, o);
    return emit(x, what(x, recreate ? "recreate" : "create", o), recreate ? STRATA_CHANGE_RECREATE : 0, note);
}

static void comment_change(dctx *x, const sm_object *a, const sm_object *b)
{
    if (same(a->comment, b->comment))
        return;
    comment_on(&x->up, b, b->comment);
    comment_on(&x->down, a, a->comment);
}

/* One column's in-place changes (both sides exist). */
static int alter_column(dctx *x, const sm_object *ta, const sm_object *tb, const sm_column *a,
                        const sm_column *b, unsigned *flags, strata_buf *notes)
{
    const char *t = tb->qname, *n = b->name;
    int type_differs = !same(a->type, b->type) || !same(a->collation, b->collation);

    if (!same(a->generated, b->generated)) {
        /* PostgreSQL 15 cannot change a generated expression: drop and add the column */
        strata_buf_printf(&x->up, "ALTER TABLE %s DROP COLUMN %s;\nALTER TABLE %s ADD COLUMN ", t, n, t);
        column_def(&x->up, b);
        strata_buf_puts(&x->up, ";\n");
        strata_buf_printf(&x->down, "ALTER TABLE %s DROP COLUMN %s;\nALTER TABLE %s ADD COLUMN ", ta->qname, n,
                          ta->qname);
        column_def(&x->down, a);
        strata_buf_puts(&x->down, ";\n");
        *flags |= STRATA_CHANGE_RECREATE;
        strata_buf_printf(notes, "%scolumn %s is dropped and added again (its generation changed)",
                          notes->size ? "; " : "", n);
        return 0;
    }
    if (type_differs) {
        int using, lossy, rusing, rlossy;
        type_change(a->type, b->type, &using, &lossy);
        type_change(b->type, a->type, &rusing, &rlossy);
        if (a->default_expr) {
            strata_buf_printf(&x->up, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;\n", t, n);
        }
        strata_buf_printf(&x->up, "ALTER TABLE %s ALTER COLUMN %s TYPE %s", t, n, b->type);
        if (b->collation)
            strata_buf_printf(&x->up, " COLLATE %s", b->collation);
        if (using)
            strata_buf_printf(&x->up, " USING %s::%s", n, b->type);
        strata_buf_puts(&x->up, ";\n");
        if (b->default_expr)
            strata_buf_printf(&x->up, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;\n", t, n, b->default_expr);
        /* the reverse, written in the order it runs */
        if (b->default_expr)
            strata_buf_printf(&x->down, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;\n", ta->qname, n);
        strata_buf_printf(&x->down, "ALTER TABLE %s ALTER COLUMN %s TYPE %s", ta->qname, n, a->type);
        if (a->collation)
            strata_buf_printf(&x->down, " COLLATE %s", a->collation);
        if (rusing)
            strata_buf_printf(&x->down, " USING %s::%s", n, a->type);
        strata_buf_puts(&x->down, ";\n");
        if (a->default_expr)
            strata_buf_printf(&x->down, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;\n", ta->qname, n,
                              a->default_expr);
        if (lossy) {
            *flags |= STRATA_CHANGE_DESTRUCTIVE;
            strata_buf_printf(notes, "%scolumn %s from %s to %s may lose data or fail on existing rows",
                              notes->size ? "; " : "", n, a->type, b->type);
        }
    } else if (!same(a->default_expr, b->default_expr)) {
        if (b->default_expr)
            strata_buf_printf(&x->up, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;\n", t, n, b->default_expr);
        else
            strata_buf_printf(&x->up, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;\n", t, n);
        if (a->default_expr)
            strata_buf_printf(&x->down, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;\n", ta->qname, n,
                              a->default_expr);
        else
            strata_buf_printf(&x->down, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;\n", ta->qname, n);
    }
    if (a->not_null != b->not_null) {
        strata_buf_printf(&x->up, "ALTER TABLE %s ALTER COLUMN %s %s NOT NULL;\n", t, n, b->not_null ? "SET" : "DROP");
        strata_buf_printf(&x->down, "ALTER TABLE %s ALTER COLUMN %s %s NOT NULL;\n", ta->qname, n,
                          a->not_null ? "SET" : "DROP");
    }
    if (a->identity != b->identity) {
        if (!a->identity) {
            strata_buf_printf(&x->up, "ALTER TABLE %s ALTER COLUMN %s ADD GENERATED %s AS IDENTITY;\n", t, n,
                              b->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
            strata_buf_printf(&x->down, "ALTER TABLE %s ALTER COLUMN %s DROP IDENTITY;\n", ta->qname, n);
        } else if (!b->identity) {
            strata_buf_printf(&x->up, "ALTER TABLE %s ALTER COLUMN %s DROP IDENTITY;\n", t, n);
            strata_buf_printf(&x->down, "ALTER TABLE %s ALTER COLUMN %s ADD GENERATED %s AS IDENTITY;\n",
                              ta->qname, n, a->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
        } else {
            strata_buf_printf(&x->up, "ALTER TABLE %s ALTER COLUMN %s SET GENERATED %s;\n", t, n,
                              b->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
            strata_buf_printf(&x->down, "ALTER TABLE %s ALTER COLUMN %s SET GENERATED %s;\n", ta->qname, n,
                              a->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
        }
    }
    if (!same(a->comment, b->comment)) {
        column_comment(&x->up, tb, b, b->comment);
        column_comment(&x->down, ta, a, a->comment);
    }
    return 0;
}

/* The reverse of up must run in reverse order: prepend each reverse step. */
static void prepend(strata_buf *down, const strata_buf *step)
{
    strata_buf joined = STRATA_BUF_INIT;
    strata_buf_put(&joined, strata_buf_cstr(step), step->size);
    strata_buf_put(&joined, strata_buf_cstr(down), down->size);
    strata_buf_dispose(down);
    *down = joined;
}

static int alter_table(dctx *x, const sm_object *a, const sm_object *b, const rename_spec *renames, size_t nren)
{
    unsigned flags = 0;
    strata_buf notes = STRATA_BUF_INIT, stepdown = STRATA_BUF_INIT, all_down = STRATA_BUF_INIT;
    int error = 0;

    strata_buf_clear(&x->up);
    /* renames first: a table, then its columns (counted as the user asked) */
    if (strcmp(a->qname, b->qname) != 0) {
        strata_buf_printf(&x->up, "ALTER TABLE %s RENAME TO %s;\n", a->qname, b->name);
        strata_buf_printf(&all_down, "ALTER TABLE %s RENAME TO %s;\n", b->qname, a->name);
    }
    for (size_t r = 0; r < nren; r++) {
        if (!renames[r].column_from || strcmp(renames[r].to_table, b->qname) != 0)
            continue;
        if (find_col(a, renames[r].column_from) && find_col(b, renames[r].column_to)) {
            strata_buf_printf(&x->up, "ALTER TABLE %s RENAME COLUMN %s TO %s;\n", b->qname,
                              renames[r].column_from, renames[r].column_to);
            strata_buf_clear(&stepdown);
            strata_buf_printf(&stepdown, "ALTER TABLE %s RENAME COLUMN %s TO %s;\n", b->qname,
                              renames[r].column_to, renames[r].column_from);
            prepend(&all_down, &stepdown);
        }
    }
    /* dropped columns (their indexes, constraints and views went in pass 1) */
    for (size_t i = 0; i < a->ncols; i++) {
        const sm_column *c = &a->cols[i];
        const char *bname = c->name;
        for (size_t r = 0; r < nren; r++)
            if (renames[r].column_from && strcmp(renames[r].to_table, b->qname) == 0 &&
                strcmp(renames[r].column_from, c->name) == 0)
                bname = renames[r].column_to;
        if (c->inherited || find_col(b, bname))
            continue;
        strata_buf_printf(&x->up, "ALTER TABLE %s DROP COLUMN %s;\n", b->qname, c->name);
        strata_buf_clear(&stepdown);
        strata_buf_printf(&stepdown, "ALTER TABLE %s ADD COLUMN ", b->qname);
        column_def(&stepdown, c);
        strata_buf_puts(&stepdown, ";\n");
        owned_sequences(&stepdown, a, c->name);
        if (c->comment)
            column_comment(&stepdown, b, c, c->comment);
        prepend(&all_down, &stepdown);
        flags |= STRATA_CHANGE_DESTRUCTIVE;
        strata_buf_printf(&notes, "%sdrops column %s and its data", notes.size ? "; " : "", c->name);
    }
    /* changed and added columns, in the order of "to" */
    for (size_t i = 0; i < b->ncols; i++) {
        const sm_column *c = &b->cols[i], *old;
        const char *aname = c->name;
        if (c->inherited)
            continue;
        for (size_t r = 0; r < nren; r++)
            if (renames[r].column_to && strcmp(renames[r].to_table, b->qname) == 0 &&
                strcmp(renames[r].column_to, c->name) == 0)
                aname = renames[r].column_from;
        old = find_col(a, aname);
        if (!old) {
            strata_buf_printf(&x->up, "ALTER TABLE %s ADD COLUMN ", b->qname);
            column_def(&x->up, c);
            strata_buf_puts(&x->up, ";\n");
            owned_sequences(&x->up, b, c->name);
            if (c->comment)
                column_comment(&x->up, b, c, c->comment);
            strata_buf_clear(&stepdown);
            strata_buf_printf(&stepdown, "ALTER TABLE %s DROP COLUMN %s;\n", b->qname, c->name);
            prepend(&all_down, &stepdown);
            continue;
        }
        {
            sm_column renamed = *old;
            strata_buf save = x->down;
            renamed.name = c->name;
            x->down = (strata_buf)STRATA_BUF_INIT;
            /* alter_column writes its reverse in x->down; the table's own name is b's now */
            error = alter_column(x, b, b, &renamed, c, &flags, &notes);
            strata_buf_dispose(&stepdown);
            stepdown = x->down;
            x->down = save;
            prepend(&all_down, &stepdown);
            strata_buf_dispose(&stepdown);
            stepdown = (strata_buf)STRATA_BUF_INIT;
            if (error)
                goto done;
        }
    }
    if ((a->flags & SM_UNLOGGED) != (b->flags & SM_UNLOGGED)) {
        strata_buf_printf(&x->up, "ALTER TABLE %s SET %s;\n", b->qname, (b->flags & SM_UNLOGGED) ? "UNLOGGED" : "LOGGED");
        strata_buf_clear(&stepdown);
        strata_buf_printf(&stepdown, "ALTER TABLE %s SET %s;\n", b->qname, (a->flags & SM_UNLOGGED) ? "UNLOGGED" : "LOGGED");
        prepend(&all_down, &stepdown);
    }
    if ((a->flags & SM_RLS) != (b->flags & SM_RLS)) {
        strata_buf_printf(&x->up, "ALTER TABLE %s %s ROW LEVEL SECURITY;\n", b->qname, (b->flags & SM_RLS) ? "ENABLE" : "DISABLE");
        strata_buf_clear(&stepdown);
        strata_buf_printf(&stepdown, "ALTER TABLE %s %s ROW LEVEL SECURITY;\n", b->qname, (a->flags & SM_RLS) ? "ENABLE" : "DISABLE");
        prepend(&all_down, &stepdown);
    }
    if ((a->flags & SM_RLS_FORCE) != (b->flags & SM_RLS_FORCE)) {
        strata_buf_printf(&x->up, "ALTER TABLE %s %sFORCE ROW LEVEL SECURITY;\n", b->qname, (b->flags & SM_RLS_FORCE) ? "" : "NO ");
        strata_buf_clear(&stepdown);
        strata_buf_printf(&stepdown, "ALTER TABLE %s %sFORCE ROW LEVEL SECURITY;\n", b->qname, (a->flags & SM_RLS_FORCE) ? "" : "NO ");
        prepend(&all_down, &stepdown);
    }
    if (a->parent && !same(a->bound, b->bound)) {
        strata_buf_printf(&x->up, "ALTER TABLE %s DETACH PARTITION %s;\nALTER TABLE %s ATTACH PARTITION %s %s;\n",
                          b->parent, b->qname, b->parent, b->qname, b->bound);
        strata_buf_clear(&stepdown);
        strata_buf_printf(&stepdown, "ALTER TABLE %s DETACH PARTITION %s;\nALTER TABLE %s ATTACH PARTITION %s %s;\n",
                          b->parent, b->qname, b->parent, b->qname, a->bound);
        prepend(&all_down, &stepdown);
    }
    if (!same(a->comment, b->comment)) {
        comment_on(&x->up, b, b->comment);
        strata_buf_clear(&stepdown);
        comment_on(&stepdown, b, a->comment);
        prepend(&all_down, &stepdown);
    }
    strata_buf_clear(&x->down);
    strata_buf_put(&x->down, strata_buf_cstr(&all_down), all_down.size);
    error = emit(x, what(x, "alter", b), flags, notes.size ? notes.ptr : NULL);
done:
    strata_buf_dispose(&notes);
    strata_buf_dispose(&stepdown);
    strata_buf_dispose(&all_down);
    return error;
}

/* Columns of tables that use enum type "t" (qualified), for the enum swap. */
static void enum_columns_retype(strata_buf *b, const strata_schema *m, const char *type, const char *to_type)
{
    size_t tl = strlen(type);
    for (size_t i = 0; i < m->count; i++) {
        const sm_object *t = m->objs[i];
        if (t->kind != SM_TABLE)
            continue;
        for (size_t c = 0; c < t->ncols; c++) {
            const sm_column *col = &t->cols[c];
            int array = strncmp(col->type, type, tl) == 0 && strcmp(col->type + tl, "[]") == 0;
            if (col->inherited || (strcmp(col->type, type) != 0 && !array))
                continue;
            if (col->default_expr)
                strata_buf_printf(b, "ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;\n", t->qname, col->name);
            strata_buf_printf(b, "ALTER TABLE %s ALTER COLUMN %s TYPE %s%s USING %s::text%s::%s%s;\n", t->qname,
                              col->name, to_type, array ? "[]" : "", col->name, array ? "[]" : "", to_type,
                              array ? "[]" : "");
            if (col->default_expr)
                strata_buf_printf(b, "ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;\n", t->qname, col->name,
                                  col->default_expr);
        }
    }
}

/* An enum's labels from a to b: ADD VALUE when a's labels stay in order, else a swap. */
static int alter_enum(dctx *x, const sm_object *a, const sm_object *b)
{
    size_t j = 0;
    int appendable = 1;
    strata_buf_clear(&x->up);
    strata_buf_clear(&x->down);
    for (size_t i = 0; i < b->nlabels && j <= a->nlabels; i++)
        if (j < a->nlabels && strcmp(a->labels[j], b->labels[i]) == 0)
            j++;
    appendable = j == a->nlabels;
    if (appendable) {
        for (size_t i = 0, k = 0; i < b->nlabels; i++) {
            if (k < a->nlabels && strcmp(a->labels[k], b->labels[i]) == 0) {
                k++;
                continue;
            }
            strata_buf_printf(&x->up, "ALTER TYPE %s ADD VALUE ", b->qname);
            literal(&x->up, b->labels[i]);
            if (i + 1 < b->nlabels) {
                strata_buf_puts(&x->up, " BEFORE ");
                literal(&x->up, b->labels[i + 1]);
            }
            strata_buf_puts(&x->up, ";\n");
        }
    }
    {
        /* the swap: rename the old type away, create the new one, move the
         * columns over through text, drop the old; the reverse is the same swap */
        const sm_object *sides[2][2] = { { a, b }, { b, a } };
        for (int s = appendable ? 1 : 0; s < 2; s++) {
            const sm_object *from = sides[s][0], *to = sides[s][1];
            strata_buf *out = s == 0 ? &x->up : &x->down;
            /* the swap runs while the tables are as in "from", both ways */
            const strata_schema *m = x->a;
            strata_buf_printf(out, "ALTER TYPE %s RENAME TO %s;\n", from->qname, "strata_swap_old");
            create_sql(out, to);
            {
                strata_buf old = STRATA_BUF_INIT;
                strata_buf_printf(&old, "%s.strata_swap_old", from->schema);
                enum_columns_retype(out, m, from->qname, to->qname);
                strata_buf_printf(out, "DROP TYPE %s;\n", old.ptr);
                strata_buf_dispose(&old);
            }
            (void)from;
        }
    }
    comment_change(x, a, b);
    return emit(x, what(x, "alter", b), appendable ? STRATA_CHANGE_NO_TRANSACTION : STRATA_CHANGE_DESTRUCTIVE,
                appendable ? "ALTER TYPE ... ADD VALUE: the new value cannot be used in the same transaction; "
                             "the reverse recreates the type"
                           : "values are removed or reordered: the type is swapped for a new one and "
                             "rows holding a removed value make it fail");
}

static int alter_other(dctx *x, const sm_object *a, const sm_object *b)
{
    unsigned flags = 0;
    const char *note = NULL;
    strata_buf_clear(&x->up);
    strata_buf_clear(&x->down);
    switch (b->kind) {
    case SM_EXTENSION:
        if (!same(a->def, b->def)) {
            strata_buf_printf(&x->up, "ALTER EXTENSION %s SET SCHEMA %s;\n", b->qname, b->def);
            strata_buf_printf(&x->down, "ALTER EXTENSION %s SET SCHEMA %s;\n", a->qname, a->def);
        }
        break;
    case SM_TYPE:
        if (b->sub == 'e' && labels_differ(a, b))
            return alter_enum(x, a, b);
        if (b->sub == 'c') {
            for (size_t i = 0; i < a->ncols; i++)
                if (!find_col(b, a->cols[i].name)) {
                    strata_buf_printf(&x->up, "ALTER TYPE %s DROP ATTRIBUTE %s;\n", b->qname, a->cols[i].name);
                    flags |= STRATA_CHANGE_DESTRUCTIVE;
                    note = "drops an attribute of a composite type";
                }
            for (size_t i = 0; i < b->ncols; i++) {
                const sm_column *old = find_col(a, b->cols[i].name);
                if (!old)
                    strata_buf_printf(&x->up, "ALTER TYPE %s ADD ATTRIBUTE %s %s;\n", b->qname, b->cols[i].name,
                                      b->cols[i].type);
                else if (!same(old->type, b->cols[i].type))
                    strata_buf_printf(&x->up, "ALTER TYPE %s ALTER ATTRIBUTE %s TYPE %s;\n", b->qname,
                                      b->cols[i].name, b->cols[i].type);
            }
            for (size_t i = b->ncols; i-- > 0;) {
                const sm_column *old = find_col(a, b->cols[i].name);
                if (!old)
                    strata_buf_printf(&x->down, "ALTER TYPE %s DROP ATTRIBUTE %s;\n", a->qname, b->cols[i].name);
                else if (!same(old->type, b->cols[i].type))
                    strata_buf_printf(&x->down, "ALTER TYPE %s ALTER ATTRIBUTE %s TYPE %s;\n", a->qname,
                                      old->name, old->type);
            }
            for (size_t i = 0; i < a->ncols; i++)
                if (!find_col(b, a->cols[i].name))
                    strata_buf_printf(&x->down, "ALTER TYPE %s ADD ATTRIBUTE %s %s;\n", a->qname,
                                      a->cols[i].name, a->cols[i].type);
        }
        if (b->sub == 'd') {
            const sm_column *ca = &a->cols[0], *cb = &b->cols[0];
            if (!same(ca->default_expr, cb->default_expr)) {
                if (cb->default_expr)
                    strata_buf_printf(&x->up, "ALTER DOMAIN %s SET DEFAULT %s;\n", b->qname, cb->default_expr);
                else
                    strata_buf_printf(&x->up, "ALTER DOMAIN %s DROP DEFAULT;\n", b->qname);
                if (ca->default_expr)
                    strata_buf_printf(&x->down, "ALTER DOMAIN %s SET DEFAULT %s;\n", a->qname, ca->default_expr);
                else
                    strata_buf_printf(&x->down, "ALTER DOMAIN %s DROP DEFAULT;\n", a->qname);
            }
            if (ca->not_null != cb->not_null) {
                strata_buf_printf(&x->up, "ALTER DOMAIN %s %s NOT NULL;\n", b->qname, cb->not_null ? "SET" : "DROP");
                strata_buf_printf(&x->down, "ALTER DOMAIN %s %s NOT NULL;\n", a->qname, ca->not_null ? "SET" : "DROP");
            }
        }
        break;
    case SM_SEQUENCE:
        if (!same(a->def, b->def)) {
            /* a new range may leave the current value outside it: start over where the
             * range starts (said in the note) */
            int restart = !same(strstr(a->def, " START WITH "), strstr(b->def, " START WITH ")) ||
                          !same(strstr(a->def, " MINVALUE "), strstr(b->def, " MINVALUE "));
            strata_buf_printf(&x->up, "ALTER SEQUENCE %s %s%s;\n", b->qname, b->def, restart ? " RESTART" : "");
            strata_buf_printf(&x->down, "ALTER SEQUENCE %s %s%s;\n", a->qname, a->def, restart ? " RESTART" : "");
            if (restart)
                note = "its range or start changed: the sequence restarts at its START WITH value";
        }
        if (!same(a->extra, b->extra)) {
            strata_buf_printf(&x->up, "ALTER SEQUENCE %s OWNED BY %s;\n", b->qname, b->extra ? b->extra : "NONE");
            strata_buf_printf(&x->down, "ALTER SEQUENCE %s OWNED BY %s;\n", a->qname, a->extra ? a->extra : "NONE");
        }
        break;
    case SM_FUNCTION:
        if (!same(a->def, b->def)) {
            function_sql(&x->up, b);
            function_sql(&x->down, a);
        }
        break;
    case SM_VIEW:
        if (!same(a->def, b->def)) {
            strata_buf_printf(&x->up, "CREATE OR REPLACE VIEW %s%s%s%s AS\n%s;\n", b->qname,
                              b->extra ? " WITH (" : "", b->extra ? b->extra : "", b->extra ? ")" : "", b->def);
            strata_buf_printf(&x->down, "DROP VIEW %s;\n", b->qname);
            create_sql(&x->down, a);
            flags |= STRATA_CHANGE_RECREATE;
            note = "the reverse drops and recreates the view (columns cannot be removed in place)";
            if (a->ncols == b->ncols) {
                strata_buf_clear(&x->down);
                strata_buf_printf(&x->down, "CREATE OR REPLACE VIEW %s%s%s%s AS\n%s;\n", a->qname,
                                  a->extra ? " WITH (" : "", a->extra ? a->extra : "", a->extra ? ")" : "", a->def);
                flags = 0;
                note = NULL;
            }
        }
        break;
    case SM_MATVIEW:
        break;
    case SM_CONSTRAINT:
        if (!same(a->def, b->def)) {
            strata_buf_printf(&x->up, "ALTER TABLE %s VALIDATE CONSTRAINT %s;\n", b->table, b->name);
            drop_sql(&x->down, a);
            create_sql(&x->down, a);
        }
        break;
    default:
        break;
    }
    if (b->kind != SM_TABLE) {
        strata_buf up = x->up, down = x->down;
        x->up = (strata_buf)STRATA_BUF_INIT;
        x->down = (strata_buf)STRATA_BUF_INIT;
        comment_change(x, a, b);
        if (b->kind == SM_VIEW || b->kind == SM_MATVIEW)
            for (size_t i = 0; i < b->ncols; i++) {
                const sm_column *old = find_col(a, b->cols[i].name);
                if (!same(old ? old->comment : NULL, b->cols[i].comment))
                    column_comment(&x->up, b, &b->cols[i], b->cols[i].comment);
                if (old && !same(old->comment, b->cols[i].comment))
                    column_comment(&x->down, a, old, old->comment);
            }
        strata_buf_put(&up, strata_buf_cstr(&x->up), x->up.size);
        /* the comment's reverse runs first */
        strata_buf_put(&x->down, strata_buf_cstr(&down), down.size);
        strata_buf_dispose(&x->up);
        strata_buf_dispose(&down);
        x->up = up;
    }
    return emit(x, what(x, "alter", b), flags, note);
}

/* ---- the passes ------------------------------------------------------------ */

/* The key object o would have in the other model, after renames. */
static const char *counterpart_key(dctx *x, const sm_object *o, const rename_spec *ren, size_t nren, int to_b)
{
    const char *table = o->kind == SM_TABLE ? o->qname : o->table;
    strata_buf_clear(&x->key);
    for (size_t r = 0; table && r < nren; r++) {
        const char *from = to_b ? ren[r].from_table : ren[r].to_table;
        const char *to = to_b ? ren[r].to_table : ren[r].from_table;
        if (ren[r].column_from || strcmp(from, table) != 0)
            continue;
        if (o->kind == SM_TABLE)
            strata_buf_printf(&x->key, "table %s", to);
        else if (o->kind == SM_INDEX)
            break;
        else
            strata_buf_printf(&x->key, "%.*s %s %s", (int)strcspn(o->key, " "), o->key, to, o->name);
        return x->key.ptr;
    }
    return o->key;
}

int strata__pg_diff(sm_changes *out, const strata_schema *a, const strata_schema *b,
                    const strata_schema_options *opts)
{
    dctx x = { a, b, opts, out, NULL, NULL, NULL, NULL,
               STRATA_BUF_INIT, STRATA_BUF_INIT, STRATA_BUF_INIT, STRATA_BUF_INIT };
    rename_spec *ren = NULL;
    size_t nren = opts ? opts->renames_count : 0;
    const char **note_of = NULL;
    int error = 0;

    x.astate = strata__calloc(a->count + 1, 1);
    x.reshaped = strata__calloc(a->count + 1, 1);
    x.b_of_a = strata__calloc(a->count + 1, sizeof(*x.b_of_a));
    x.a_of_b = strata__calloc(b->count + 1, sizeof(*x.a_of_b));
    note_of = strata__calloc(a->count + 1, sizeof(*note_of));
    ren = strata__calloc(nren + 1, sizeof(*ren));
    if (!x.astate || !x.reshaped || !x.b_of_a || !x.a_of_b || !note_of || !ren) {
        error = strata__error_oom();
        goto done;
    }
    for (size_t r = 0; r < nren; r++)
        if ((error = parse_rename(&ren[r], out->arena, opts->renames[r])) < 0)
            goto done;

    /* pair */
    for (size_t i = 0; i < b->count; i++) {
        const sm_object *o = b->objs[i];
        sm_object *ao = strata__model_find(a, counterpart_key(&x, o, ren, nren, 0));
        if (ao && ao->kind == o->kind) {
            x.a_of_b[i] = ao;
            x.b_of_a[ao->index] = b->objs[i];
        }
    }
    for (size_t r = 0; r < nren; r++) {
        strata_buf_clear(&x.key);
        strata_buf_printf(&x.key, "table %s", ren[r].from_table);
        if (!strata__model_find(a, x.key.ptr)) {
            error = strata__error(STRATA_EINVALID, "diff", "rename: there is no table %s to rename", ren[r].from_table);
            goto done;
        }
    }
    /* classify, then spread recreation to dependents (A's dependency order
     * visits an object's dependencies before it) */
    for (size_t i = 0; i < a->count; i++) {
        const sm_object *o = a->objs[i], *p = x.b_of_a[i];
        if (!p) {
            x.astate[i] = A_REMOVED;
            continue;
        }
        if (must_recreate(o, p, &note_of[i]))
            x.astate[i] = A_RECREATE;
        if (o->kind == SM_TABLE)
            for (size_t c = 0; c < o->ncols; c++) {
                const sm_column *bc = find_col(p, o->cols[c].name);
                if (bc && (!same(bc->type, o->cols[c].type) || !same(bc->collation, o->cols[c].collation) ||
                           !same(bc->generated, o->cols[c].generated)))
                    x.reshaped[i] = 1;
            }
        if (o->kind == SM_TYPE && o->sub == 'e' && labels_differ(o, p))
            mark_enum_tables(&x, o);
    }
    for (size_t k = 0; k < a->count; k++) {
        const sm_object *o = a->ordered[k];
        if (x.astate[o->index] != A_KEEP)
            continue;
        for (size_t d = 0; d < o->ndeps; d++) {
            const sm_object *dep = o->deps[d];
            int reads = o->kind == SM_VIEW || o->kind == SM_MATVIEW || o->kind == SM_POLICY ||
                        (o->kind == SM_FUNCTION && dep->kind != SM_FUNCTION);
            if (x.astate[dep->index] == A_RECREATE ||
                (x.astate[dep->index] == A_REMOVED && o->kind != SM_CONSTRAINT) ||
                (reads && x.reshaped[dep->index])) {
                x.astate[o->index] = A_RECREATE;
                note_of[o->index] = "it depends on an object that is recreated or changes type";
                break;
            }
        }
    }

    /* pass 1: drops of dependents and of everything to recreate */
    for (size_t k = a->count; k-- > 0;) {
        const sm_object *o = a->ordered[k];
        unsigned char s = x.astate[o->index];
        if (s == A_RECREATE || (s == A_REMOVED && o->kind >= SM_TABLE))
            if ((error = emit_drop(&x, o, s == A_RECREATE ? note_of[o->index] : NULL)) < 0)
                goto done;
    }
    /* pass 2: creates and alters in the order of "to" */
    for (size_t k = 0; k < b->count; k++) {
        const sm_object *o = b->ordered[k], *old = x.a_of_b[o->index];
        if (!old) {
            error = emit_create(&x, o, 0, NULL);
        } else if (x.astate[old->index] == A_RECREATE) {
            error = emit_create(&x, o, 1, note_of[old->index]);
        } else if (o->kind == SM_TABLE) {
            error = alter_table(&x, old, o, ren, nren);
        } else {
            error = alter_other(&x, old, o);
        }
        if (error < 0)
            goto done;
    }
    /* pass 3: drops of what the tables no longer use */
    for (size_t k = a->count; k-- > 0;) {
        const sm_object *o = a->ordered[k];
        if (x.astate[o->index] == A_REMOVED && o->kind < SM_TABLE)
            if ((error = emit_drop(&x, o, NULL)) < 0)
                goto done;
    }
done:
    free(x.astate);
    free(x.reshaped);
    free(x.b_of_a);
    free(x.a_of_b);
    free(note_of);
    free(ren);
    strata_buf_dispose(&x.up);
    strata_buf_dispose(&x.down);
    strata_buf_dispose(&x.key);
    strata_buf_dispose(&x.tmp);
    return error;
}
