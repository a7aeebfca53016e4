/*
 * model.h: the schema model inside the library, shared by the inspectors
 * (driver/pg/inspect.c, driver/sqlite/inspect.c), the differs (model/diff_pg.c,
 * model/diff_sqlite.c) and the renderers.
 *
 * A model is a flat list of objects, each found by a key that is the same in
 * any database holding the same schema ("table public.users", "index
 * public.users_email_idx", "constraint public.users users_pkey", "function
 * public.f(integer,text)"). Sub-objects (constraints, indexes, triggers,
 * policies) name their table; columns live inside their table. Every string is
 * in the model's arena and already in SQL form: identifiers quoted where SQL
 * needs it, types and expressions as the database prints them.
 *
 * Dependencies ("deps") say what must exist before an object can be created;
 * strata__model_finish() sorts the objects by key and computes a dependency
 * order (a topological order, ties broken by kind rank then key), which both
 * rendering and diff follow.
 *
 * TimescaleDB objects plug in as kinds of their own after SM_POLICY
 * (hypertable settings, compression, policies, continuous aggregates), and
 * grants as SM_GRANT; nothing else in the layout needs to change.
 */
#ifndef STRATA_MODEL_H
#define STRATA_MODEL_H

#include "../strata_int.h"

typedef enum {
    SM_SCHEMA = 0,
    SM_EXTENSION,
    SM_TYPE,        /* sub: 'e' enum, 'c' composite, 'd' domain */
    SM_FUNCTION,    /* sub: prokind 'f' function, 'p' procedure, 'a' aggregate, 'w' window */
    SM_SEQUENCE,
    SM_TABLE,       /* sub: 'r' table, 'p' partitioned */
    SM_CONSTRAINT,  /* sub: contype 'p','u','f','c','x'; on a table, or on a domain (SM_ON_DOMAIN) */
    SM_INDEX,
    SM_VIEW,
    SM_MATVIEW,
    SM_TRIGGER,
    SM_POLICY,
    SM_KIND_COUNT
} sm_kind;

/* object flags */
#define SM_UNLOGGED   (1u << 0)  /* table: UNLOGGED */
#define SM_RLS        (1u << 1)  /* table: ROW LEVEL SECURITY enabled */
#define SM_RLS_FORCE  (1u << 2)  /* table: FORCE ROW LEVEL SECURITY */
#define SM_ON_DOMAIN  (1u << 3)  /* constraint: belongs to a domain, "table" is the domain */
#define SM_NOT_VALID  (1u << 4)  /* constraint: NOT VALID */
#define SM_ATTACHED   (1u << 5)  /* index: a partition's, attached to its parent table's index:
                                    made and dropped with that one, never on its own */

typedef struct {
    const char *name;        /* quoted identifier */
    const char *type;        /* "character varying(20)", "public.mood", "integer[]" */
    const char *collation;   /* quoted, only when not the type's default; or NULL */
    const char *default_expr;/* or NULL */
    const char *generated;   /* GENERATED ALWAYS AS (expr) STORED: the expr; or NULL */
    const char *identity_opts; /* identity sequence options other than the defaults, or NULL */
    const char *identity_set;  /* all of them as ALTER COLUMN's "SET ..." clauses, or NULL */
    const char *comment;
    char identity;           /* 0, 'a' ALWAYS, 'd' BY DEFAULT */
    char not_null;
    char inherited;          /* from a parent (partitions, INHERITS): not rendered */
    char storage;            /* SET STORAGE when not the type's: 'p', 'e', 'm', 'x'; else 0 */
    char type_storage;       /* the type's own storage, to go back to */
    char compression;        /* COMPRESSION 'p' pglz, 'l' lz4; 0 for the default */
    int stattarget;          /* SET STATISTICS; -1 for the default */
    int attnum;              /* position in the database (comments refer to it) */
    unsigned typid, collid;  /* PostgreSQL: type and collation oids, while loading */
    unsigned opc_typid;      /* PostgreSQL: text for varchar, anyarray for an array, else 0 (indexes) */
} sm_column;

typedef struct sm_object sm_object;

struct sm_object {
    sm_kind kind;
    char sub;                /* kind-specific, see sm_kind; trigger: tgenabled 'O', 'D', 'R', 'A' */
    unsigned flags;          /* SM_* */
    const char *key;         /* unique in the model; how diff pairs objects */
    const char *schema;      /* quoted schema, NULL for schemas and extensions */
    const char *name;        /* quoted name (functions: name only) */
    const char *qname;       /* how SQL names it: schema.name, or schema.f(args) for functions */
    const char *table;       /* owner's qname: constraints, indexes, triggers, policies */
    const char *def;         /* kind-specific definition, compared as text:
                                extension: its schema; domain: base type; sequence: options;
                                function/view/matview: the CREATE text or query; constraint:
                                pg_get_constraintdef; index/trigger: CREATE text; policy:
                                "AS ... FOR ... TO ... USING ... WITH CHECK ..." ;
                                SQLite: the CREATE text for every object */
    const char *extra;       /* table: PARTITION BY key; function: result type;
                                sequence: owning column "tbl.col" */
    const char *parent;      /* partition: parent table qname; index: parent index (skip) */
    const char *bound;       /* partition: FOR VALUES ...; DEFAULT */
    const char *options;     /* table, view, materialized view: WITH (...) storage options */
    const char *inherits;    /* table: INHERITS (...) parents, comma-separated; NULL for none */
    const char *comment;
    sm_column *cols;         /* table, composite type, view (name + type), domain (cols[0]) */
    size_t ncols;
    const char **labels;     /* enum labels, in order */
    size_t nlabels;
    sm_object *owned;        /* table: first sequence owned by one of its columns */
    sm_object *next_owned;   /* sequence: the next one owned by the same table */
    sm_object **deps;        /* must exist before this one (resolved) */
    size_t ndeps, capdeps;
    /* filled while loading */
    unsigned classid, oid;   /* PostgreSQL catalog identity, for deps and comments */
    unsigned owner_oid;      /* sequence: the owning table's oid while loading */
    size_t order;            /* position in dependency order */
    size_t index;            /* position in key order (the model's array) */
};

struct strata_schema {
    strata_arena arena;
    const char *dialect;     /* "postgres", "sqlite" */
    sm_object **objs;        /* sorted by key after finish */
    size_t count, cap;
    int sorted;              /* objs are in key order (no object added since) */
    sm_object **ordered;     /* dependency order */
    /* (classid, oid) -> object while loading */
    sm_object **byoid;
    size_t byoid_cap;
    /* unresolved deps while loading: pairs of (classid, oid) */
    struct sm_pending_dep { sm_object *from; unsigned classid, oid; } *pending;
    size_t npending, cappending;
};

/* ---- building (model/model.c) ------------------------------------------- */

strata_schema *strata__model_new(const char *dialect);
/* A new zeroed object of "kind" with its key set (printf-style); NULL on OOM. */
sm_object *strata__model_add(strata_schema *m, sm_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with the key made of the kind's key word, "a" and, unless sep is 0,
 * sep and "b" (no printf: inspecting 10,000 tables adds 100,000 objects). */
sm_object *strata__model_add_key(strata_schema *m, sm_kind kind, const char *a, char sep, const char *b);
/* a, sep, b joined in the model's arena (sep 0: a copy of a). */
char *strata__model_join(strata_schema *m, const char *a, char sep, const char *b);
char *strata__model_strdup(strata_schema *m, const char *s);
char *strata__model_printf(strata_schema *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int strata__model_cols(strata_schema *m, sm_object *o, size_t n);   /* allocate o->cols[n] */
int strata__model_dep(strata_schema *m, sm_object *from, sm_object *to);
/* Remember (classid, oid) for o, and a dep to be resolved by catalog identity. */
int strata__model_set_oid(strata_schema *m, sm_object *o, unsigned classid, unsigned oid);
sm_object *strata__model_by_oid(strata_schema *m, unsigned classid, unsigned oid);
int strata__model_dep_oid(strata_schema *m, sm_object *from, unsigned classid, unsigned oid);
/* Resolve pending deps and sort by key (strata__model_find works after it). */
int strata__model_sort(strata_schema *m);
/* strata__model_sort, then compute the dependency order. */
int strata__model_finish(strata_schema *m);
sm_object *strata__model_find(const strata_schema *m, const char *key);
const char *strata__kind_name(sm_kind kind);

/* ---- inspecting (driver/<name>/inspect.c) ------------------------------- */

int strata__pg_inspect(strata_schema **out, strata_conn *conn, const char *const *schemas,
                       size_t nschemas, const char *skip_schema);
int strata__sqlite_inspect(strata_schema **out, strata_conn *conn);
/* The driver vtable's shape (SQLite has no schemas to filter). */
int strata__sqlite_inspect_hook(strata_schema **out, strata_conn *conn, const char *const *schemas,
                                size_t nschemas, const char *skip_schema);

/* ---- diff and render (model/diff_<dialect>.c) --------------------------- */

/* The change list under construction; strings live in "arena". */
typedef struct {
    strata_arena *arena;
    strata_change *changes;
    size_t count, cap;
} sm_changes;

int strata__changes_add(sm_changes *c, const char *what, const char *up, const char *down,
                        unsigned flags, const char *note);

int strata__pg_diff(sm_changes *out, const strata_schema *from, const strata_schema *to,
                    const strata_schema_options *opts);
/* SQLite text rules shared by its inspector and differ (model/diff_sqlite.c):
 * an identifier quoted where SQLite needs it; a CREATE statement in one
 * canonical spelling; a generated column's expression; each identifier in sql. */
int strata__sqlite_quote(strata_buf *out, const char *raw);
int strata__sqlite_normalize(strata_buf *out, const char *sql, const char *name);
int strata__sqlite_generated(strata_buf *out, const char *def, const char *col);
int strata__sqlite_idents(const char *sql, int (*cb)(const char *raw, void *payload), void *payload);

int strata__sqlite_diff(sm_changes *out, const strata_schema *from, const strata_schema *to,
                        const strata_schema_options *opts);

#endif
