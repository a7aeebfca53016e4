/*
 * inspect.c: a PostgreSQL database into a schema model (model/model.h).
 *
 * One round trip, whatever the schema's size: a read-only REPEATABLE READ
 * transaction holding thirteen catalog queries (schemas, extensions, types,
 * composite attributes, sequences, relations, columns, constraints, indexes,
 * functions, triggers, policies, dependencies), sent together and read back
 * in order. search_path is emptied first, as pg_dump does, so every name the
 * server prints (types, expressions, view queries) is schema-qualified and the
 * text does not depend on the caller's settings.
 *
 * Skipped: system schemas, strata's own schema, TimescaleDB's internal
 * schemas, and anything an extension owns (pg_depend deptype 'e'); the
 * public schema is taken as always there. Objects that PostgreSQL derives
 * (constraint indexes, identity sequences, partition clones of indexes,
 * constraints and triggers, inherited columns) are left out or marked so that
 * only what a user writes gets rendered.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pg_int.h"

/* Catalog OIDs are fixed across PostgreSQL versions. */
#define PG_CLASS      1259u
#define PG_TYPE       1247u
#define PG_PROC       1255u
#define PG_CONSTRAINT 2606u
#define PG_NAMESPACE  2615u
#define PG_EXTENSION  3079u
#define PG_TRIGGER    2620u
#define PG_POLICY     3256u

enum { Q_SCHEMAS, Q_EXTENSIONS, Q_TYPES, Q_ATTRS, Q_SEQUENCES, Q_RELATIONS, Q_COLUMNS,
       Q_CONSTRAINTS, Q_OPCLASSES, Q_INDEXES, Q_FUNCTIONS, Q_TRIGGERS, Q_POLICIES, Q_DEPENDS, Q_COUNT };

/* "not an extension member" for an object of catalog "cls" with oid "col" */
#define NOT_EXT(cls, col) " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = " \
    cls " AND x.objid = " col " AND x.deptype = 'e')"

static int nsp_filter(strata_buf *f, PGconn *pg, const char *const *schemas, size_t n,
                      const char *skip)
{
    strata_buf_puts(f, "n.nspname NOT IN ('pg_catalog', 'information_schema', 'timescaledb_information', "
                       "'timescaledb_experimental') AND n.nspname !~ '^(pg_toast|pg_temp_|_timescaledb)'"
                       NOT_EXT("2615", "n.oid"));
    if (skip) {
        char *lit = PQescapeLiteral(pg, skip, strlen(skip));
        if (!lit)
            return strata__error_oom();
        strata_buf_printf(f, " AND n.nspname <> %s", lit);
        PQfreemem(lit);
    }
    if (n) {
        strata_buf_puts(f, " AND n.nspname IN (");
        for (size_t i = 0; i < n; i++) {
            char *lit = PQescapeLiteral(pg, schemas[i], strlen(schemas[i]));
            if (!lit)
                return strata__error_oom();
            strata_buf_printf(f, "%s%s", i ? ", " : "", lit);
            PQfreemem(lit);
        }
        strata_buf_puts(f, ")");
    }
    return 0;
}

static int build_queries(strata_buf *q, PGconn *pg, const char *const *schemas, size_t n,
                         const char *skip)
{
    strata_buf f = STRATA_BUF_INIT;
    int v13 = PQserverVersion(pg) >= 130000, v14 = PQserverVersion(pg) >= 140000,
        v15 = PQserverVersion(pg) >= 150000;
    int error;

    if ((error = nsp_filter(&f, pg, schemas, n, skip)) < 0)
        goto done;
    strata_buf_puts(q, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
                       "SELECT pg_catalog.set_config('search_path', '', true);");
    /* Q_SCHEMAS */
    strata_buf_printf(q, "SELECT n.oid, quote_ident(n.nspname), (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = n.oid AND ds.classoid = 'pg_namespace'::pg_catalog.regclass AND ds.objsubid = 0) "
                         "FROM pg_catalog.pg_namespace n WHERE %s AND n.nspname <> 'public';", f.ptr);
    /* Q_EXTENSIONS */
    strata_buf_printf(q, "SELECT e.oid, quote_ident(e.extname), quote_ident(n.nspname), "
                         "(SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = e.oid AND ds.classoid = 'pg_extension'::pg_catalog.regclass AND ds.objsubid = 0) FROM pg_catalog.pg_extension e "
                         "JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace "
                         "WHERE e.extname NOT IN ('plpgsql', 'timescaledb') AND (%s OR n.nspname = 'public');",
                      n ? f.ptr : "true");
    /* Q_TYPES: enums (labels joined by chr(1)), composites, domains */
    strata_buf_printf(q, "SELECT t.oid, t.typtype, quote_ident(n.nspname), quote_ident(t.typname), "
                         "(SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = t.oid AND ds.classoid = 'pg_type'::pg_catalog.regclass AND ds.objsubid = 0), "
                         "CASE t.typtype WHEN 'e' THEN (SELECT string_agg(e.enumlabel, chr(1) ORDER BY e.enumsortorder) "
                         "  FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) "
                         "  WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod) END, "
                         "t.typnotnull, t.typdefault, "
                         "CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN "
                         "  (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_catalog.pg_collation co "
                         "   JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END "
                         "FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
                         "LEFT JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype "
                         "WHERE %s AND (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND "
                         "  (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c'))"
                         NOT_EXT("1247", "t.oid") ";", f.ptr);
    /* Q_ATTRS: composite type attributes */
    strata_buf_printf(q, "SELECT c.reltype, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), "
                         "CASE WHEN a.attcollation <> at.typcollation THEN (SELECT quote_ident(cn.nspname) || '.' "
                         "  || quote_ident(co.collname) FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn "
                         "  ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END, "
                         "(SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = c.oid AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND ds.objsubid = a.attnum) "
                         "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                         "JOIN pg_catalog.pg_type at ON at.oid = a.atttypid "
                         "WHERE c.relkind = 'c' AND a.attnum > 0 AND NOT a.attisdropped AND %s "
                         "ORDER BY c.reltype, a.attnum;", f.ptr);
    /* Q_SEQUENCES: with the owning column (deptype 'a') or identity ('i') */
    strata_buf_printf(q, "SELECT c.oid, quote_ident(n.nspname), quote_ident(c.relname), "
                         "format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart, "
                         "s.seqcache, s.seqcycle, (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = c.oid AND ds.classoid = 'pg_class'::pg_catalog.regclass AND ds.objsubid = 0), d.refobjid, "
                         "quote_ident(a.attname), d.deptype, d.refobjsubid "
                         "FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid "
                         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                         "LEFT JOIN pg_catalog.pg_depend d ON d.classid = 1259 AND d.objid = c.oid "
                         "  AND d.refclassid = 1259 AND d.deptype IN ('a', 'i') "
                         "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid "
                         "WHERE %s" NOT_EXT("1259", "c.oid") ";", f.ptr);
    /* Q_RELATIONS: tables, partitioned tables, views, materialized views */
    strata_buf_printf(q, "SELECT c.oid, c.relkind, quote_ident(n.nspname), quote_ident(c.relname), "
                         "c.relpersistence, c.relrowsecurity, c.relforcerowsecurity, (SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = c.oid AND ds.classoid = 'pg_class'::pg_catalog.regclass AND ds.objsubid = 0), "
                         "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
                         "CASE WHEN c.relispartition THEN (SELECT i.inhparent::pg_catalog.regclass::text "
                         "  FROM pg_catalog.pg_inherits i WHERE i.inhrelid = c.oid) END, "
                         "CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, "
                         "CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END, "
                         "array_to_string(c.reloptions, ', '), "
                         "CASE WHEN NOT c.relispartition AND c.relhassubclass IS NOT NULL THEN (SELECT string_agg("
                         "  i.inhparent::pg_catalog.regclass::text, ', ' ORDER BY i.inhseqno) FROM pg_catalog.pg_inherits i "
                         "  WHERE i.inhrelid = c.oid) END "
                         "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND %s" NOT_EXT("1259", "c.oid") ";", f.ptr);
    /* Q_COLUMNS of those relations, in attnum order. A default can read no
     * column, so it is deparsed without its table: given the table,
     * pg_get_expr opens it for its column names, and building 10,000 relcache
     * entries in the fresh backend was a third of this query's time. */
    strata_buf_printf(q, "SELECT a.attrelid, a.attnum, quote_ident(a.attname), format_type(a.atttypid, a.atttypmod), "
                         "a.attnotnull, CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0) END, "
                         "CASE WHEN a.attgenerated = 's' THEN pg_get_expr(ad.adbin, ad.adrelid) END, a.attidentity, "
                         "CASE WHEN a.attcollation <> t.typcollation THEN (SELECT quote_ident(cn.nspname) || '.' || "
                         "  quote_ident(co.collname) FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn "
                         "  ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END, "
                         "ds.description, a.attislocal, "
                         "CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END, a.attstattarget, %s, "
                         /* an identity's options come with its sequence (read_identities) */
                         "NULL, t.typstorage, a.atttypid, "
                         "a.attcollation, "
                         /* the other input type a default operator class may be
                          * declared on for this column (build_index): anyarray
                          * (2277) for an array, text (25) for varchar (1043) */
                         "CASE WHEN t.typtype = 'b' AND t.typcategory = 'A' AND t.typelem <> 0 THEN 2277 "
                         "  WHEN a.atttypid = 1043 THEN 25 ELSE 0 END "
                         "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                         "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
                         "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
                         "LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = a.attrelid AND ds.classoid = 1259 "
                         "  AND ds.objsubid = a.attnum "
                         "WHERE c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped AND %s "
                         "ORDER BY a.attrelid, a.attnum;", v14 ? "NULLIF(a.attcompression, '')" : "NULL", f.ptr);
    /* Q_CONSTRAINTS on tables and domains, the ones a user wrote (not partition
     * clones). Primary keys, unique constraints and foreign keys come as catalog
     * columns and are spelled by build_constraint() as pg_get_constraintdef()
     * spells them: deparsing each one on the server costs tens of microseconds,
     * which is most of an inspect at 10,000 tables. Check and exclusion
     * constraints, and anything unusual, are deparsed by the server. */
    strata_buf_printf(q, "SELECT s.*, CASE WHEN NOT s.simple THEN pg_get_constraintdef(s.oid) END FROM ("
                         "SELECT co.oid, co.contype, quote_ident(co.conname), co.conrelid, co.contypid, "
                         "co.convalidated, ds.description, co.confrelid, r.oid AS refcon, co.conindid, "
                         "co.conkey::text, co.confkey::text, co.confmatchtype, co.confupdtype, co.confdeltype, "
                         "co.condeferrable, co.condeferred, "
                         "COALESCE((co.contype IN ('p', 'u') AND ci.indnatts = ci.indnkeyatts AND cic.reloptions IS NULL "
                         "  AND cic.reltablespace = 0 AND NOT %s) OR (co.contype = 'f' AND %s), false) AS simple "
                         "FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_namespace n ON n.oid = co.connamespace "
                         "LEFT JOIN pg_catalog.pg_constraint r ON co.contype = 'f' AND r.conindid = co.conindid "
                         "  AND r.conrelid = co.confrelid AND r.contype IN ('p', 'u', 'x') "
                         "LEFT JOIN pg_catalog.pg_index ci ON co.contype IN ('p', 'u') AND ci.indexrelid = co.conindid "
                         "LEFT JOIN pg_catalog.pg_class cic ON cic.oid = ci.indexrelid "
                         "LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = co.oid AND ds.classoid = 2606 AND ds.objsubid = 0 "
                         "WHERE co.contype IN ('p', 'u', 'f', 'c', 'x') AND (co.conrelid = 0 OR co.conislocal) "
                         "AND co.conparentid = 0 AND %s) s;",
                      v15 ? "ci.indnullsnotdistinct" : "false", v15 ? "co.confdelsetcols IS NULL" : "true", f.ptr);
    /* Q_OPCLASSES: which operator class is the default for which type and
     * index method (a few hundred rows; looked up by build_index()) */
    strata_buf_puts(q, "SELECT oid, opcintype, opcmethod FROM pg_catalog.pg_opclass WHERE opcdefault ORDER BY oid;");
    /* Q_INDEXES that are not a constraint's own, with their catalog columns:
     * plain ones (columns with their default operator class and collation, no
     * expression, predicate, options or tablespace) are spelled by
     * build_index() as pg_get_indexdef() spells them, for the same reason. A
     * partitioned table's index is created on the whole table, partitions
     * included, so its ON ONLY goes. */
    strata_buf_printf(q, "SELECT i.indexrelid, quote_ident(n.nspname), quote_ident(ic.relname), i.indrelid, "
                         "CASE WHEN NOT (i.indexprs IS NULL AND i.indpred IS NULL AND ic.reloptions IS NULL "
                         "  AND ic.reltablespace = 0 AND ic.relkind = 'i') "
                         "  THEN replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') END, "
                         "ds.description, h.inhparent, i.indisunique, %s, quote_ident(am.amname), i.indnkeyatts, "
                         "i.indkey::text, i.indoption::text, i.indcollation::text, i.indclass::text "
                         "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid "
                         "JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace "
                         "JOIN pg_catalog.pg_am am ON am.oid = ic.relam "
                         "LEFT JOIN pg_catalog.pg_inherits h ON h.inhrelid = i.indexrelid "
                         "LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = i.indexrelid AND ds.classoid = 1259 "
                         "  AND ds.objsubid = 0 "
                         "WHERE %s AND i.indexrelid NOT IN (SELECT co.conindid FROM pg_catalog.pg_constraint co "
                         "  WHERE co.contype IN ('p', 'u', 'x'));",
                      v15 ? "i.indnullsnotdistinct" : "false", f.ptr);
    /* Q_FUNCTIONS (aggregates have no pg_get_functiondef) */
    strata_buf_printf(q, "SELECT p.oid, quote_ident(n.nspname), quote_ident(p.proname), "
                         "p.oid::pg_catalog.regprocedure::text, p.prokind, pg_get_functiondef(p.oid), "
                         "pg_get_function_result(p.oid), pg_get_function_arguments(p.oid), "
                         "(SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = p.oid AND ds.classoid = 'pg_proc'::pg_catalog.regclass AND ds.objsubid = 0) "
                         "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
                         "WHERE p.prokind IN ('f', 'p', 'w') AND %s" NOT_EXT("1255", "p.oid") ";", f.ptr);
    /* Q_TRIGGERS */
    strata_buf_printf(q, "SELECT t.oid, t.tgrelid, quote_ident(t.tgname), pg_get_triggerdef(t.oid), t.tgenabled, "
                         "(SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = t.oid AND ds.classoid = 'pg_trigger'::pg_catalog.regclass AND ds.objsubid = 0), t.tgfoid "
                         "FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid "
                         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE NOT t.tgisinternal %s AND %s;", v13 ? "AND t.tgparentid = 0" : "", f.ptr);
    /* Q_POLICIES */
    strata_buf_printf(q, "SELECT p.oid, p.polrelid, quote_ident(p.polname), p.polpermissive, p.polcmd, "
                         "CASE WHEN p.polroles = '{0}' THEN 'PUBLIC' ELSE (SELECT string_agg(quote_ident(r.rolname), "
                         "  ', ' ORDER BY r.rolname) FROM pg_catalog.pg_roles r WHERE r.oid = ANY (p.polroles)) END, "
                         "pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid), "
                         "(SELECT ds.description FROM pg_catalog.pg_description ds WHERE ds.objoid = p.oid AND ds.classoid = 'pg_policy'::pg_catalog.regclass AND ds.objsubid = 0) "
                         "FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid "
                         "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE %s;", f.ptr);
    /* Q_DEPENDS: normal dependencies between user objects, each side mapped to the
     * object the model holds (a view's rule -> the view, a default -> its table,
     * an array type -> its element, a table's row type -> the table, a
     * constraint's index -> the constraint). */
    strata_buf_puts(q, "WITH d AS (SELECT CASE WHEN d.classid IN (2618, 2604) THEN 1259 ELSE d.classid END AS classid, "
                       "  COALESCE(rw.ev_class, ad.adrelid, d.objid) AS objid, d.refclassid, d.refobjid "
                       "  FROM pg_catalog.pg_depend d "
                       "  LEFT JOIN pg_catalog.pg_rewrite rw ON d.classid = 2618 AND rw.oid = d.objid "
                       "  LEFT JOIN pg_catalog.pg_attrdef ad ON d.classid = 2604 AND ad.oid = d.objid "
                       /* the casts keep the planner off an index scan of nearly everything */
                       "  WHERE d.deptype = 'n' AND d.objid::int8 >= 16384 AND d.refobjid::int8 >= 16384) "
                       "SELECT d.classid, d.objid, "
                       "CASE WHEN d.refclassid = 1247 AND t.typcategory = 'A' THEN 1247 "
                       "  WHEN d.refclassid = 1247 AND t.typtype = 'c' AND rc.relkind <> 'c' THEN 1259 "
                       "  WHEN d.refclassid = 1259 AND co.oid IS NOT NULL THEN 2606 ELSE d.refclassid END, "
                       "CASE WHEN d.refclassid = 1247 AND t.typcategory = 'A' THEN t.typelem "
                       "  WHEN d.refclassid = 1247 AND t.typtype = 'c' AND rc.relkind <> 'c' THEN t.typrelid "
                       "  WHEN d.refclassid = 1259 AND co.oid IS NOT NULL THEN co.oid ELSE d.refobjid END "
                       "FROM d LEFT JOIN pg_catalog.pg_type t ON d.refclassid = 1247 AND t.oid = d.refobjid "
                       "LEFT JOIN pg_catalog.pg_class rc ON rc.oid = t.typrelid "
                       "LEFT JOIN pg_catalog.pg_constraint co ON d.refclassid = 1259 AND co.conindid = d.refobjid "
                       "  AND co.contype IN ('p', 'u', 'x');");
done:
    strata_buf_dispose(&f);
    return error;
}

/* ---- reading the results ------------------------------------------------ */

typedef struct {
    sm_object *o;
    unsigned oid;
} deparse_t;

typedef struct {
    strata_schema *m;
    PGresult *r;
    int row;
    deparse_t *later;        /* built client-side failed: ask pg_get_*def() after all */
    size_t nlater, caplater;
    PGresult *opc;           /* default operator classes: oid, input type, by oid */
} rd;

static int deparse_later(rd *x, sm_object *o, unsigned oid)
{
    if (STRATA_ARRAY_GROW(x->later, x->nlater, x->caplater) < 0)
        return strata__error_oom();
    x->later[x->nlater].o = o;
    x->later[x->nlater].oid = oid;
    x->nlater++;
    return 0;
}

static const char *val(rd *x, int col)
{
    return PQgetisnull(x->r, x->row, col) ? NULL : PQgetvalue(x->r, x->row, col);
}

/* an integer column; def when NULL */
static int intv(rd *x, int col, int def)
{
    const char *v = val(x, col);
    return v ? (int)strtol(v, NULL, 10) : def;
}

static char *str(rd *x, int col)
{
    const char *v = val(x, col);
    return v ? strata__model_strdup(x->m, v) : NULL;
}

static unsigned oidv(rd *x, int col)
{
    const char *v = val(x, col);
    return v ? (unsigned)strtoul(v, NULL, 10) : 0;
}

static int truev(rd *x, int col)
{
    const char *v = val(x, col);
    return v && v[0] == 't';
}

static int ok(sm_object *o)
{
    return o ? 0 : strata__error_oom();
}

static int read_schemas(rd *x)
{
    for (x->row = 0; x->row < PQntuples(x->r); x->row++) {
        sm_object *o = strata__model_add_key(x->m, SM_SCHEMA, val(x, 1), 0, NULL);
        if (ok(o) < 0)
            return STRATA_ERROR;
        o->name = o->qname = str(x, 1);
        o->comment = str(x, 2);
        if (strata__model_set_oid(x->m, o, PG_NAMESPACE, oidv(x, 0)) < 0)
            return STRATA_ERROR;
    }
    return 0;
}

static int read_extensions(rd *x)
{
    for (x->row = 0; x->row < PQntuples(x->r); x->row++) {
        sm_object *o = strata__model_add_key(x->m, SM_EXTENSION, val(x, 1), 0, NULL);
        if (ok(o) < 0)
            return STRATA_ERROR;
        o->name = o->qname = str(x, 1);
        o->def = str(x, 2);
        o->comment = str(x, 3);
        if (strata__model_set_oid(x->m, o, PG_EXTENSION, oidv(x, 0)) < 0)
            return STRATA_ERROR;
    }
    return 0;
}

/* Name an object in a schema (its dependency on the schema comes in schema_deps()). */
static int in_schema(strata_schema *m, sm_object *o, const char *schema, const char *name)
{
    o->schema = strata__model_strdup(m, schema);
    o->name = strata__model_strdup(m, name);
    o->qname = strata__model_join(m, schema, '.', name);
    if (!o->schema || !o->name || !o->qname)
        return strata__error_oom();
    return 0;
}

static int read_types(rd *x)
{
    for (x->row = 0; x->row < PQntuples(x->r); x->row++) {
        sm_object *o = strata__model_add_key(x->m, SM_TYPE, val(x, 2), '.', val(x, 3));
        if (ok(o) < 0 || in_schema(x->m, o, val(x, 2), val(x, 3)) < 0)
            return STRATA_ERROR;
        o->sub = val(x, 1)[0];
        o->comment = str(x, 4);
        if (o->sub == 'e') {
            const char *labels = val(x, 5);
            size_t n = 0;
            if (labels) {
                n = 1;
                for (const char *p = labels; *p; p++)
                    n += *p == '\1';
            }
            o->labels = n ? strata_arena_alloc(&x->m->arena, n * sizeof(char *)) : NULL;
            if (n && !o->labels)
                return strata__error_oom();
            for (const char *p = labels; n && p;) {
                const char *e = strchr(p, '\1');
                o->labels[o->nlabels++] = strata_arena_strndup(&x->m->arena, p, e ? (size_t)(e - p) : strlen(p));
                p = e ? e + 1 : NULL;
            }
        } else if (o->sub == 'd') {
            if (strata__model_cols(x->m, o, 1) < 0)
                return STRATA_ERROR;
            o->def = str(x, 5);
            o->cols[0].type = o->def;
            o->cols[0].not_null = truev(x, 6);
            o->cols[0].default_expr = str(x, 7);
            o->cols[0].collation = str(x, 8);
        }
        if (strata__model_set_oid(x->m, o, PG_TYPE, oidv(x, 0)) < 0)
            return STRATA_ERROR;
    }
    return 0;
}

/* Rows grouped by owner oid (column 0, rows sorted by it): fill each owner's cols. */
typedef void (*col_fill)(rd *x, sm_column *c);

static int read_grouped_cols(rd *x, unsigned classid, col_fill fill)
{
    int n = PQntuples(x->r);
    for (int start = 0; start < n;) {
        int end = start;
        unsigned owner;
        sm_object *o;
        x->row = start;
        owner = oidv(x, 0);
        while (end < n && (x->row = end, oidv(x, 0) == owner))
            end++;
        o = strata__model_by_oid(x->m, classid, owner);
        if (o) {
            if (strata__model_cols(x->m, o, (size_t)(end - start)) < 0)
                return STRATA_ERROR;
            for (int i = start; i < end; i++) {
                x->row = i;
                fill(x, &o->cols[i - start]);
            }
        }
        start = end;
    }
    return 0;
}

static void fill_attr(rd *x, sm_column *c)
{
    c->name = str(x, 1);
    c->type = str(x, 2);
    c->collation = str(x, 3);
    c->comment = str(x, 4);
}

static void fill_column(rd *x, sm_column *c)
{
    const char *id = val(x, 7);
    c->attnum = intv(x, 1, 0);
    c->name = str(x, 2);
    c->type = str(x, 3);
    c->not_null = (char)truev(x, 4);
    c->default_expr = str(x, 5);
    c->generated = str(x, 6);
    c->identity = id && *id ? id[0] : 0;
    c->collation = str(x, 8);
    c->comment = str(x, 9);
    c->inherited = (char)!truev(x, 10);
    c->storage = val(x, 11) ? val(x, 11)[0] : 0;
    c->type_storage = val(x, 15) ? val(x, 15)[0] : 'x';
    c->typid = oidv(x, 16);
    c->collid = oidv(x, 17);
    c->opc_typid = oidv(x, 18);
    c->stattarget = intv(x, 12, -1);
    c->compression = val(x, 13) ? val(x, 13)[0] : 0;
}

static int read_sequences(rd *x)
{
    for (x->row = 0; x->row < PQntuples(x->r); x->row++) {
        const char *deptype = val(x, 13);
        sm_object *o;
        if (deptype && deptype[0] == 'i')
            continue;   /* an identity column's: the column says it all */
        o = strata__model_add_key(x->m, SM_SEQUENCE, val(x, 1), '.', val(x, 2));
        if (ok(o) < 0 || in_schema(x->m, o, val(x, 1), val(x, 2)) < 0)
            return STRATA_ERROR;
        o->def = strata__model_printf(x->m, "AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s "
                                      "CACHE %s %sCYCLE", val(x, 3), val(x, 4), val(x, 5), val(x, 6),
                                      val(x, 7), val(x, 8), truev(x, 9) ? "" : "NO ");
        o->comment = str(x, 10);
        if (deptype && deptype[0] == 'a') {
            /* the owner's qname is filled in by link(), after the relations */
            o->owner_oid = oidv(x, 11);
            o->extra = str(x, 12);
        }
        if (strata__model_set_oid(x->m, o, PG_CLASS, oidv(x, 0)) < 0)
            return STRATA_ERROR;
    }
    return 0;
}

/* Identity columns' sequence options, from Q_SEQUENCES' identity rows once the
 * columns are read: the options that are not the defaults (for the column's
 * definition) and all of them as ALTER COLUMN's SET clauses. Spelled here, not
 * by a subquery per column, which cost a fifth of inspect at 10,000 tables. */
static int read_identities(rd *x)
{
    for (x->row = 0; x->row < PQntuples(x->r); x->row++) {
        const char *deptype = val(x, 13), *type = val(x, 3), *max;
        sm_object *t;
        sm_column *c = NULL;
        char opts[256];
        size_t n;
        int attnum = intv(x, 14, 0);
        if (!deptype || deptype[0] != 'i' || !(t = strata__model_by_oid(x->m, PG_CLASS, oidv(x, 11))))
            continue;
        for (size_t i = 0; i < t->ncols && !c; i++)
            if (t->cols[i].attnum == attnum)
                c = &t->cols[i];
        if (!c)
            continue;
        max = !strcmp(type, "smallint") ? "32767" : !strcmp(type, "integer") ? "2147483647"
                                                                            : "9223372036854775807";
        /* six int8s and their words fit, whatever the values */
        n = 0;
        if (strcmp(val(x, 4), "1") != 0)
            n += snprintf(opts + n, sizeof opts - n, " INCREMENT BY %s", val(x, 4));
        if (strcmp(val(x, 5), "1") != 0)
            n += snprintf(opts + n, sizeof opts - n, " MINVALUE %s", val(x, 5));
        if (strcmp(val(x, 6), max) != 0)
            n += snprintf(opts + n, sizeof opts - n, " MAXVALUE %s", val(x, 6));
        if (strcmp(val(x, 7), "1") != 0)
            n += snprintf(opts + n, sizeof opts - n, " START WITH %s", val(x, 7));
        if (strcmp(val(x, 8), "1") != 0)
            n += snprintf(opts + n, sizeof opts - n, " CACHE %s", val(x, 8));
        if (truev(x, 9))
            n += snprintf(opts + n, sizeof opts - n, " CYCLE");
        c->identity_opts = n ? strata__model_strdup(x->m, opts + 1) : NULL;
        c->identity_set = strata__model_printf(x->m, "SET INCREMENT BY %s SET MINVALUE %s SET MAXVALUE %s "
                                               "SET START WITH %s SET CACHE %s SET %sCYCLE", val(x, 4),
                                               val(x, 5), val(x, 6), val(x, 7), val(x, 8),
                                               truev(x, 9) ? "" : "NO ");
        if ((n && !c->identity_opts) || !c->identity_set)
            return strata__error_oom();
    }
    return 0;
}

static int read_relations(rd *x)
{
    static const struct { char relkind; sm_kind kind; } kinds[] = {
        { 'r', SM_TABLE }, { 'p', SM_TABLE }, { 'v', SM_VIEW }, { 'm', SM_MATVIEW },
    };
    for (x->row = 0; x->row < PQntuples(x->r); x->row++) {
        char relkind = val(x, 1)[0];
        size_t k = 0;
        sm_object *o;
        while (kinds[k].relkind != relkind)
            k++;
        o = strata__model_add_key(x->m, kinds[k].kind, val(x, 2), '.', val(x, 3));
        if (ok(o) < 0 || in_schema(x->m, o, val(x, 2), val(x, 3)) < 0)
            return STRATA_ERROR;
        o->sub = relkind;
        if (val(x, 4)[0] == 'u')
            o->flags |= SM_UNLOGGED;
        if (truev(x, 5))
            o->flags |= SM_RLS;
        if (truev(x, 6))
            o->flags |= SM_RLS_FORCE;
        o->comment = str(x, 7);
        o->options = val(x, 12) && *val(x, 12) ? str(x, 12) : NULL;
        if (o->kind == SM_TABLE) {
            o->extra = str(x, 8);
            o->parent = str(x, 9);
            o->bound = str(x, 10);
            o->inherits = str(x, 13);
        } else {
            /* pg_get_viewdef ends with ';' */
            char *def = str(x, 11);
            size_t n = def ? strlen(def) : 0;
            while (n && (def[n - 1] == ';' || def[n - 1] == ' ' || def[n - 1] == '\n'))
                def[--n] = '\0';
            o->def = def;
        }
        if (strata__model_set_oid(x->m, o, PG_CLASS, oidv(x, 0)) < 0)
            return STRATA_ERROR;
    }
    return 0;
}

/* Find the owning table (or domain) of a sub-object; NULL when it is not in the model. */
static sm_object *owner_of(rd *x, unsigned relid, unsigned typid)
{
    sm_object *t = relid ? strata__model_by_oid(x->m, PG_CLASS, relid)
                         : strata__model_by_oid(x->m, PG_TYPE, typid);
    return t;
}

static const sm_column *col_by_attnum(const sm_object *t, int attnum)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i].attnum == attnum)
            return &t->cols[i];
    return NULL;
}

/* "{1,2}" or "1 2" (attnums) as "a, b" of table t; 0 when a column is unknown. */
static int column_list(strata_buf *b, const sm_object *t, const char *nums, int limit)
{
    int n = 0;
    for (const char *p = nums; *p && (limit < 0 || n < limit);) {
        char *end;
        long v;
        while (*p == '{' || *p == ',' || *p == ' ')
            p++;
        if (!*p || *p == '}')
            break;
        v = strtol(p, &end, 10);
        const sm_column *c = col_by_attnum(t, (int)v);
        if (end == p || !c)
            return 0;
        strata_buf_printf(b, "%s%s", n++ ? ", " : "", c->name);
        p = end;
    }
    return 1;
}

static const char *fk_action(char a)
{
    return a == 'r' ? "RESTRICT" : a == 'c' ? "CASCADE" : a == 'n' ? "SET NULL" : a == 'd' ? "SET DEFAULT" : NULL;
}

/* A primary key, unique constraint or foreign key as pg_get_constraintdef() writes it;
 * 0 when it cannot be built here. */
static int build_constraint(rd *x, strata_buf *b, const sm_object *t, char type)
{
    const char *a;
    strata_buf_clear(b);
    if (type == 'p' || type == 'u') {
        strata_buf_puts(b, type == 'p' ? "PRIMARY KEY (" : "UNIQUE (");
        if (!column_list(b, t, val(x, 10), -1))
            return 0;
        strata_buf_puts(b, ")");
    } else {
        const sm_object *rt = strata__model_by_oid(x->m, PG_CLASS, oidv(x, 7));
        if (!rt)
            return 0;
        strata_buf_puts(b, "FOREIGN KEY (");
        if (!column_list(b, t, val(x, 10), -1))
            return 0;
        strata_buf_printf(b, ") REFERENCES %s(", rt->qname);
        if (!column_list(b, rt, val(x, 11), -1))
            return 0;
        strata_buf_puts(b, ")");
        if (val(x, 12)[0] == 'f')
            strata_buf_puts(b, " MATCH FULL");
        else if (val(x, 12)[0] == 'p')
            strata_buf_puts(b, " MATCH PARTIAL");
        if ((a = fk_action(val(x, 13)[0])))
            strata_buf_printf(b, " ON UPDATE %s", a);
        if ((a = fk_action(val(x, 14)[0])))
            strata_buf_printf(b, " ON DELETE %s", a);
    }
    if (truev(x, 15))
        strata_buf_puts(b, " DEFERRABLE");
    if (truev(x, 16))
        strata_buf_puts(b, " INITIALLY DEFERRED");
    if (type == 'f' && !truev(x, 5))
        strata_buf_puts(b, " NOT VALID");
    return 1;
}

static int read_constraints(rd *x)
{
    strata_buf def = STRATA_BUF_INIT;
    int error = 0;
    for (x->row = 0; x->row < PQntuples(x->r) && !error; x->row++) {
        sm_object *t = owner_of(x, oidv(x, 3), oidv(x, 4)), *o;
        if (!t)
            continue;
        o = strata__model_add_key(x->m, SM_CONSTRAINT, t->qname, ' ', val(x, 2));
        if ((error = ok(o)) < 0)
            break;
        o->sub = val(x, 1)[0];
        o->schema = t->schema;
        o->name = str(x, 2);
        o->qname = o->name;
        o->table = t->qname;
        if (val(x, 18))
            o->def = str(x, 18);
        else if (build_constraint(x, &def, t, o->sub))
            o->def = strata__model_strdup(x->m, def.ptr);
        else if ((error = deparse_later(x, o, oidv(x, 0))) < 0)
            break;
        o->comment = str(x, 6);
        if (t->kind == SM_TYPE)
            o->flags |= SM_ON_DOMAIN;
        if (!truev(x, 5))
            o->flags |= SM_NOT_VALID;
        if (strata__model_set_oid(x->m, o, PG_CONSTRAINT, oidv(x, 0)) < 0 ||
            strata__model_dep(x->m, o, t) < 0)
            error = STRATA_ERROR;
        else if (o->sub == 'f' &&
                 (strata__model_dep_oid(x->m, o, PG_CLASS, oidv(x, 7)) < 0 ||
                  (val(x, 8) && strata__model_dep_oid(x->m, o, PG_CONSTRAINT, oidv(x, 8)) < 0) ||
                  strata__model_dep_oid(x->m, o, PG_CLASS, oidv(x, 9)) < 0))
            error = STRATA_ERROR;
    }
    strata_buf_dispose(&def);
    return error;
}

/* The n-th (0-based) number of a space-separated vector ("1 2", oidvector text). */
static long vec_at(const char *v, int n)
{
    const char *p = v;
    for (int i = 0; i < n && p; i++) {
        p = strchr(p, ' ');
        if (p)
            p++;
    }
    return p ? strtol(p, NULL, 10) : -1;
}

static int read_opclasses(rd *x)
{
    x->opc = x->r;
    return 0;
}

/* Column "col" (0 oid, 1 input type, 2 index method) of Q_OPCLASSES row "row". */
static unsigned long opc_at(rd *x, int row, int col)
{
    return strtoul(PQgetvalue(x->opc, row, col), NULL, 10);
}

/* The row of default operator class "oid" in Q_OPCLASSES, or -1 when it is not a default one. */
static int default_opclass_row(rd *x, unsigned long oid)
{
    int lo = 0, hi = x->opc ? PQntuples(x->opc) : 0;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        unsigned long v = opc_at(x, mid, 0);
        if (v == oid)
            return mid;
        if (v < oid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/*
 * Whether operator class "oid" is the one CREATE INDEX takes for column c
 * when none is named, so that pg_get_indexdef() leaves it out: a default of
 * the index method for the column's own type or, when the method has none for
 * that type, for the binary-compatible one the server falls back to (text for
 * varchar, anyarray for an array). Anything else (domains, other coercions)
 * is left to the server to spell.
 */
static int is_default_opclass(rd *x, unsigned long oid, const sm_column *c)
{
    int row = default_opclass_row(x, oid);
    unsigned long in, am;
    if (row < 0)
        return 0;
    in = opc_at(x, row, 1);
    if (in == c->typid)
        return 1;
    if (!c->opc_typid || in != c->opc_typid)
        return 0;
    am = opc_at(x, row, 2);
    for (int i = 0; i < PQntuples(x->opc); i++)
        if (opc_at(x, i, 2) == am && opc_at(x, i, 1) == c->typid)
            return 0;  /* an exact default exists: it would be taken instead */
    return 1;
}

/* A plain index as pg_get_indexdef() writes it; 0 when it is not plain. */
static int build_index(rd *x, strata_buf *b, const sm_object *t)
{
    const char *keys = val(x, 11), *opts = val(x, 12), *colls = val(x, 13), *opcs = val(x, 14);
    int nkey = intv(x, 10, 0), n = 0;
    strata_buf_clear(b);
    if (!keys || !opts || !colls || !opcs)
        return 0;
    strata_buf_printf(b, "CREATE %sINDEX %s ON %s USING %s (", truev(x, 7) ? "UNIQUE " : "", val(x, 2), t->qname,
                      val(x, 9));
    for (const char *p = keys; *p; n++) {
        char *end;
        const sm_column *c = col_by_attnum(t, (int)strtol(p, &end, 10));
        if (end == p || !c)
            return 0;
        if (n == nkey)
            strata_buf_puts(b, ") INCLUDE (");
        else if (n)
            strata_buf_puts(b, ", ");
        strata_buf_puts(b, c->name);
        if (n < nkey) {
            long opt = vec_at(opts, n);
            /* the default operator class for the column's type, and its collation */
            if (!is_default_opclass(x, (unsigned long)vec_at(opcs, n), c) ||
                (unsigned long)vec_at(colls, n) != c->collid)
                return 0;
            if (opt & 1)
                strata_buf_puts(b, (opt & 2) ? " DESC" : " DESC NULLS LAST");
            else if (opt & 2)
                strata_buf_puts(b, " NULLS FIRST");
        }
        p = end;
        while (*p == ' ')
            p++;
    }
    strata_buf_puts(b, ")");
    if (truev(x, 8))
        strata_buf_puts(b, " NULLS NOT DISTINCT");
    return n > 0;
}

static int read_indexes(rd *x)
{
    strata_buf def = STRATA_BUF_INIT;
    int error = 0;
    for (x->row = 0; x->row < PQntuples(x->r) && !error; x->row++) {
        sm_object *t = owner_of(x, oidv(x, 3), 0), *o;
        if (!t)
            continue;
        o = strata__model_add_key(x->m, SM_INDEX, val(x, 1), '.', val(x, 2));
        if (ok(o) < 0 || in_schema(x->m, o, val(x, 1), val(x, 2)) < 0) {
            error = STRATA_ERROR;
            break;
        }
        o->table = t->qname;
        if (val(x, 4))
            o->def = str(x, 4);
        else if (build_index(x, &def, t))
            o->def = strata__model_strdup(x->m, def.ptr);
        else if ((error = deparse_later(x, o, oidv(x, 0))) < 0)
            break;
        o->comment = str(x, 5);
        if (val(x, 6))
            o->flags |= SM_ATTACHED;
        if (strata__model_set_oid(x->m, o, PG_CLASS, oidv(x, 0)) < 0 ||
            strata__model_dep(x->m, o, t) < 0 ||
            (val(x, 6) && strata__model_dep_oid(x->m, o, PG_CLASS, oidv(x, 6)) < 0))
            error = STRATA_ERROR;
    }
    strata_buf_dispose(&def);
    return error;
}

/* The objects whose text could not be built here, deparsed by the server in the
 * same snapshot; then the transaction ends. */
static int deparse_rest(rd *x, strata_conn *conn, PGconn *pg)
{
    strata_buf q = STRATA_BUF_INIT;
    PGresult *r = NULL;
    int error = 0;

    strata_buf_puts(&q, "SELECT v.oid, CASE WHEN v.idx THEN replace(pg_get_indexdef(v.oid), ' ON ONLY ', ' ON ') "
                        "ELSE pg_get_constraintdef(v.oid) END FROM (VALUES ");
    for (size_t i = 0; i < x->nlater; i++)
        strata_buf_printf(&q, "%s(%u::pg_catalog.oid, %s)", i ? ", " : "", x->later[i].oid,
                          x->later[i].o->kind == SM_INDEX ? "true" : "false");
    strata_buf_puts(&q, ") v(oid, idx) ORDER BY 1");
    if (x->nlater) {
        r = PQexec(pg, q.ptr);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            error = strata__pg_result_error(conn, r, "inspect");
        } else {
            for (int i = 0; i < PQntuples(r); i++) {
                unsigned oid = (unsigned)strtoul(PQgetvalue(r, i, 0), NULL, 10);
                for (size_t k = 0; k < x->nlater; k++)
                    if (x->later[k].oid == oid && !x->later[k].o->def)
                        x->later[k].o->def = strata__model_strdup(x->m, PQgetvalue(r, i, 1));
            }
        }
        PQclear(r);
    }
    r = PQexec(pg, "COMMIT");
    if (!error && PQresultStatus(r) != PGRES_COMMAND_OK)
        error = strata__pg_result_error(conn, r, "inspect");
    PQclear(r);
    strata_buf_dispose(&q);
    return error;
}

static int read_functions(rd *x)
{
    for (x->row = 0; x->row < PQntuples(x->r); x->row++) {
        sm_object *o = strata__model_add_key(x->m, SM_FUNCTION, val(x, 3), 0, NULL);
        if (ok(o) < 0)
            return STRATA_ERROR;
        o->schema = str(x, 1);
        o->name = str(x, 2);
        o->qname = str(x, 3);
        o->sub = val(x, 4)[0];
        {
            /* pg_get_functiondef ends with a newline */
            char *def = str(x, 5);
            size_t n = def ? strlen(def) : 0;
            while (n && (def[n - 1] == '\n' || def[n - 1] == ' '))
                def[--n] = '\0';
            o->def = def;
        }
        o->extra = str(x, 6);
        o->bound = str(x, 7);
        o->comment = str(x, 8);
        if (strata__model_set_oid(x->m, o, PG_PROC, oidv(x, 0)) < 0)
            return STRATA_ERROR;
    }
    return 0;
}

static int read_triggers(rd *x)
{
    for (x->row = 0; x->row < PQntuples(x->r); x->row++) {
        sm_object *t = owner_of(x, oidv(x, 1), 0), *o;
        if (!t)
            continue;
        o = strata__model_add_key(x->m, SM_TRIGGER, t->qname, ' ', val(x, 2));
        if (ok(o) < 0)
            return STRATA_ERROR;
        o->schema = t->schema;
        o->name = o->qname = str(x, 2);
        o->table = t->qname;
        o->def = str(x, 3);
        o->sub = val(x, 4)[0];
        o->comment = str(x, 5);
        if (strata__model_set_oid(x->m, o, PG_TRIGGER, oidv(x, 0)) < 0 ||
            strata__model_dep(x->m, o, t) < 0 || strata__model_dep_oid(x->m, o, PG_PROC, oidv(x, 6)) < 0)
            return STRATA_ERROR;
    }
    return 0;
}

static int read_policies(rd *x)
{
    static const struct { char cmd; const char *word; } cmds[] = {
        { '*', "ALL" }, { 'r', "SELECT" }, { 'a', "INSERT" }, { 'w', "UPDATE" }, { 'd', "DELETE" },
    };
    for (x->row = 0; x->row < PQntuples(x->r); x->row++) {
        sm_object *t = owner_of(x, oidv(x, 1), 0), *o;
        const char *cmd = "ALL";
        strata_buf def = STRATA_BUF_INIT;
        if (!t)
            continue;
        for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
            if (cmds[i].cmd == val(x, 4)[0])
                cmd = cmds[i].word;
        o = strata__model_add_key(x->m, SM_POLICY, t->qname, ' ', val(x, 2));
        if (ok(o) < 0)
            return STRATA_ERROR;
        o->schema = t->schema;
        o->name = o->qname = str(x, 2);
        o->table = t->qname;
        strata_buf_printf(&def, "AS %s FOR %s TO %s", truev(x, 3) ? "PERMISSIVE" : "RESTRICTIVE", cmd,
                          val(x, 5) ? val(x, 5) : "PUBLIC");
        if (val(x, 6))
            strata_buf_printf(&def, " USING (%s)", val(x, 6));
        if (val(x, 7))
            strata_buf_printf(&def, " WITH CHECK (%s)", val(x, 7));
        o->def = strata__model_strdup(x->m, def.ptr);
        strata_buf_dispose(&def);
        o->comment = str(x, 8);
        if (!o->def || strata__model_set_oid(x->m, o, PG_POLICY, oidv(x, 0)) < 0 ||
            strata__model_dep(x->m, o, t) < 0)
            return STRATA_ERROR;
    }
    return 0;
}

static int read_depends(rd *x)
{
    for (x->row = 0; x->row < PQntuples(x->r); x->row++) {
        sm_object *o = strata__model_by_oid(x->m, oidv(x, 0), oidv(x, 1));
        if (o && strata__model_dep_oid(x->m, o, oidv(x, 2), oidv(x, 3)) < 0)
            return STRATA_ERROR;
    }
    return 0;
}

/* Second pass: sequence owners, partition parents, schema dependencies. */
static int link_owners(strata_schema *m)
{
    for (size_t i = 0; i < m->count; i++) {
        sm_object *o = m->objs[i];
        if (o->kind == SM_SEQUENCE) {
            sm_object *t = o->owner_oid ? strata__model_by_oid(m, PG_CLASS, o->owner_oid) : NULL;
            if (t && o->extra) {
                o->parent = t->qname;
                o->extra = strata__model_printf(m, "%s.%s", t->qname, o->extra);
                if (!o->extra)
                    return strata__error_oom();
            } else {
                o->extra = NULL;
            }
        }
    }
    return 0;
}

static int schema_deps(strata_schema *m)
{
    /* objects depend on their schema and partitions on their parent: found by key */
    strata_buf key = STRATA_BUF_INIT;
    int error = 0;
    for (size_t i = 0; i < m->count && !error; i++) {
        sm_object *o = m->objs[i], *s;
        if (o->kind != SM_SCHEMA && o->kind != SM_EXTENSION && o->schema && strcmp(o->schema, "public")) {
            strata_buf_clear(&key);
            strata_buf_printf(&key, "schema %s", o->schema);
            if ((s = strata__model_find(m, key.ptr)))
                error = strata__model_dep(m, o, s);
        }
        if (o->kind == SM_EXTENSION && strcmp(o->def, "public")) {
            strata_buf_clear(&key);
            strata_buf_printf(&key, "schema %s", o->def);
            if ((s = strata__model_find(m, key.ptr)))
                error = strata__model_dep(m, o, s);
        }
        if (o->kind == SM_TABLE && o->parent) {
            strata_buf_clear(&key);
            strata_buf_printf(&key, "table %s", o->parent);
            if ((s = strata__model_find(m, key.ptr)))
                error = strata__model_dep(m, o, s);
        }
        for (const char *p = o->kind == SM_TABLE ? o->inherits : NULL; p && !error;) {
            const char *e = strstr(p, ", ");
            strata_buf_clear(&key);
            strata_buf_puts(&key, "table ");
            strata_buf_put(&key, p, e ? (size_t)(e - p) : strlen(p));
            if ((s = strata__model_find(m, key.ptr)))
                error = strata__model_dep(m, o, s);
            p = e ? e + 2 : NULL;
        }
    }
    strata_buf_dispose(&key);
    return error;
}

int strata__pg_inspect(strata_schema **out, strata_conn *conn, const char *const *schemas,
                       size_t nschemas, const char *skip_schema)
{
    static int (*const readers[Q_COUNT])(rd *) = {
        read_schemas, read_extensions, read_types, NULL, read_sequences, read_relations, NULL,
        read_constraints, read_opclasses, read_indexes, read_functions, read_triggers, read_policies, read_depends,
    };
    PGconn *pg = strata__pg_handle(conn);
    PGresult *results[Q_COUNT + 2] = { 0 };
    strata_buf q = STRATA_BUF_INIT;
    strata_schema *m = strata__model_new("postgres");
    int error = 0, got = 0;
    PGresult *r;
    rd x = { m, NULL, 0, NULL, 0, 0 };

    *out = NULL;
    if (!m)
        return strata__error_oom();
    if ((error = build_queries(&q, pg, schemas, nschemas, skip_schema)) < 0)
        goto done;
    if (!PQsendQuery(pg, q.ptr)) {
        error = strata__pg_result_error(conn, NULL, "inspect");
        goto done;
    }
    /* results: BEGIN, set_config, the queries. Each is read as it arrives,
     * while the server runs the ones after it; every reader needs only the
     * results before its own (types before their attributes, relations before
     * their columns, sequences and columns before identities). The rest are
     * still drained after an error. */
    while ((r = PQgetResult(pg)) != NULL) {
        ExecStatusType st = PQresultStatus(r);
        int i = got - 2;
        if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
            if (!error)
                error = strata__pg_result_error(conn, r, "inspect");
            PQclear(r);
            continue;
        }
        if (got == Q_COUNT + 2) {
            PQclear(r);
            continue;
        }
        results[got++] = r;
        if (error || i < 0)
            continue;
        x.r = r;
        x.row = 0;
        if (i == Q_ATTRS) {
            error = read_grouped_cols(&x, PG_TYPE, fill_attr);
        } else if (i == Q_COLUMNS) {
            if ((error = read_grouped_cols(&x, PG_CLASS, fill_column)) == 0) {
                x.r = results[Q_SEQUENCES + 2];
                error = read_identities(&x);
            }
        } else {
            error = readers[i](&x);
        }
    }
    if (!error && got != Q_COUNT + 2)
        error = strata__error(STRATA_ERROR, "postgres", "inspect: %d results, expected %d", got, Q_COUNT + 2);
    if (!error)
        error = deparse_rest(&x, conn, pg);
    if (!error)
        error = link_owners(m);
    if (!error) {
        /* schema_deps looks objects up by key: sort first, then order */
        error = strata__model_sort(m);
        if (!error)
            error = schema_deps(m);
        /* each table's owned sequences, in key order */
        for (size_t i = m->count; !error && i-- > 0;) {
            sm_object *o = m->objs[i], *t;
            if (o->kind == SM_SEQUENCE && o->parent &&
                (t = strata__model_by_oid(m, PG_CLASS, o->owner_oid)) != NULL) {
                o->next_owned = t->owned;
                t->owned = o;
            }
        }
        if (!error)
            error = strata__model_finish(m);
    }
done:
    for (int i = 0; i < Q_COUNT + 2; i++)
        PQclear(results[i]);
    free(x.later);
    if (error && PQtransactionStatus(pg) != PQTRANS_IDLE)
        PQclear(PQexec(pg, "ROLLBACK"));
    strata_buf_dispose(&q);
    if (error) {
        strata_schema_free(m);
        return error;
    }
    *out = m;
    return 0;
}

/* ---- scratch databases --------------------------------------------------- */

/* The same URL with another database name. */
static int url_with_db(strata_buf *out, const char *url, const char *db)
{
    const char *p = strstr(url, "://");
    if (!p) /* key=value: a later dbname wins */
        return strata_buf_printf(out, "%s dbname=%s", url, db);
    p += 3;
    {
        const char *slash = strpbrk(p, "/?");
        if (!slash)
            return strata_buf_printf(out, "%s/%s", url, db);
        strata_buf_put(out, url, (size_t)(slash - url));
        strata_buf_printf(out, "/%s", db);
        if (*slash == '/')
            slash = strchr(slash, '?');
        return slash ? strata_buf_puts(out, slash) : 0;
    }
}

int strata__pg_scratch_create(strata_conn *c, strata_buf *url, strata_buf *name)
{
    PGconn *pg = strata__pg_handle(c);
    strata_buf sql = STRATA_BUF_INIT;
    static unsigned seq;
    PGresult *r;
    int error = 0;

    strata_buf_clear(name);
    strata_buf_printf(name, "strata_scratch_%ld_%lld_%u", (long)getpid(),
                      (long long)(strata_time_ms() % 100000000), __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));
    strata_buf_printf(&sql, "CREATE DATABASE %s TEMPLATE template0", name->ptr);
    r = PQexec(pg, sql.ptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        error = strata__pg_result_error(c, r, sql.ptr);
        strata__error_hint("the scratch database is created on the target server; give the user CREATEDB "
                           "or pass --dev-url with an empty database");
    } else {
        strata_buf_clear(url);
        error = url_with_db(url, strata__pg_url(c), name->ptr);
    }
    PQclear(r);
    strata_buf_dispose(&sql);
    return error;
}

int strata__pg_scratch_drop(strata_conn *c, const char *name)
{
    PGconn *pg = strata__pg_handle(c);
    strata_buf sql = STRATA_BUF_INIT;
    PGresult *r;
    int error = 0;
    strata_buf_printf(&sql, "DROP DATABASE IF EXISTS %s%s", name,
                      PQserverVersion(pg) >= 130000 ? " WITH (FORCE)" : "");
    r = PQexec(pg, sql.ptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        error = strata__pg_result_error(c, r, sql.ptr);
    PQclear(r);
    strata_buf_dispose(&sql);
    return error;
}
