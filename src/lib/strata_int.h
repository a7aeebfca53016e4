/*
 * strata_int.h: what the library's modules share and nothing outside sees:
 * error setters, the project internals and the module-internal APIs
 * (source, sql, history, driver). Public types come from include/.
 */
#ifndef STRATA_INT_H
#define STRATA_INT_H

#include <pthread.h>
#include <stdio.h>
#include "strata.h"
#include "strata/sys/driver.h"
#include "../util/util.h"

/* ---- errors (core/error.c) ------------------------------------------- */

/* Set the thread's last error; returns "code" so callers can `return strata__error(...)`. */
int strata__error(int code, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Add a how-to-fix hint to the last error. */
void strata__error_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Attach a file position to the last error. */
void strata__error_at(const char *file, int line, int column);
/* Attach database details to the last error (any may be NULL). */
void strata__error_db(const char *sqlstate, const char *detail, const char *statement);
/* Prefix the last error's message ("applying 0003: " + message). */
void strata__error_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Copy this thread's last error into dst (strings in arena), to hand it to
 * another thread; and raise such a copy as this thread's last error. */
void strata__error_copy(strata_error *dst, strata_arena *arena);
int strata__error_restore(const strata_error *e);
/* Out of memory. */
int strata__error_oom(void);
/* strata_interrupt() was called. */
int strata__interrupted(void);
int strata__error_interrupted(void);

#define STRATA_CHECK_ALLOC(p) do { if (!(p)) return strata__error_oom(); } while (0)

/* ---- project (core/project.c) ---------------------------------------- */

typedef struct {
    char *key;
    char *value;
} strata_setting;

struct strata_project {
    char *dir;               /* project folder */
    char *config_path;       /* strata.conf read, or NULL */
    char *url;               /* database URL (secret) */
    char *url_redacted;      /* safe to print */
    char *env;               /* env name or NULL */
    char *migrations_dir;    /* resolved */
    strata_format format;    /* AUTO unless configured */
    char *history_schema;    /* "strata" */
    char **schemas;          /* schemas to create before migrating */
    size_t schemas_count;
    size_t schemas_cap;
    strata_source *source;   /* loaded on first use */
    long statement_timeout_ms; /* [migrations] statement_timeout, 0 none */
    long lock_timeout_ms;    /* [migrations] lock_timeout, 0 none */
    int lock_retries;        /* [migrations] lock_retries */
    long lock_wait_ms;       /* [migrations] lock_wait, -1 when unset */
    long connect_wait_ms;    /* STRATA_WAIT or [migrations] wait, 0 none */
    strata_lock_mode lock_mode; /* [migrations] lock_mode */
    char *hooks[4];          /* [hooks] commands, by strata_hook */
    strata_setting *lint;    /* [lint] key = value pairs, checked by the linter */
    size_t lint_count;
};

/* [hooks] commands, in strata_project.hooks order. */
enum { STRATA_HOOK_BEFORE_MIGRATE, STRATA_HOOK_AFTER_EACH, STRATA_HOOK_AFTER_MIGRATE,
       STRATA_HOOK_ON_ERROR, STRATA_HOOK_COUNT };

/* Write a new migration with this up and down SQL (NULL: the templates), in the folder's format. */
int strata__project_new_migration(strata_buf *out, strata_project *p, const char *name,
                                  int repeatable, const char *up, const char *down);

/* ---- model (model/tabledef.c) ----------------------------------------- */

/* A JSON table definition (seed 002's shape: tableName, columns, indexes) as
 * SQL, one statement per line. STRATA_EINVALID naming "path" when it is not one. */
int strata__tabledef_sql(strata_buf *out, const char *path, const char *json);

/* ---- lint (lint/lint.c) ----------------------------------------------- */

/* Lint migrations as one run, in order ("dir": their folder, for file names). */
int strata_lint__migrations(strata_lint_report *out, strata_project *p, const char *dir,
                            const strata_migration *const *migs, size_t n);

/* ---- sql (sql/split.c) ------------------------------------------------ */

typedef struct {
    size_t offset;   /* byte offset of the statement in the script */
    size_t len;      /* its length (without the ';') */
} strata_stmt_span;

/*
 * A library opened on first use (core/dl.c): libsqlite3, libpg_query. A
 * module lists its functions once, as FUNCS(X, table) expanding X(table, fn)
 * for each; STRATA_DL_FIELD declares the table's pointers with the header's
 * own prototypes, and STRATA_DL_DEFINE the loader that fills them.
 */
typedef struct {
    const char *soname;          /* e.g. "libsqlite3.so.0" */
    const char *package;         /* the Debian package that ships it, for the hint */
    const char *const *names;    /* the functions to resolve */
    void **const *slots;         /* where each one's address goes */
    size_t count;
    pthread_mutex_t lock;
    int loaded;
} strata_dl;
#define STRATA_DL_FIELD(table, fn) __typeof__(fn) *fn;
#define STRATA_DL_NAME(table, fn) #fn,
#define STRATA_DL_SLOT(table, fn) (void **)&table.fn,
#define STRATA_DL_DEFINE(dl, table, soname, package, FUNCS)                              \
    static const char *const dl##_names[] = { FUNCS(STRATA_DL_NAME, table) };            \
    static void **const dl##_slots[] = { FUNCS(STRATA_DL_SLOT, table) };                 \
    static strata_dl dl = { soname, package, dl##_names, dl##_slots,                     \
                            sizeof(dl##_names) / sizeof(dl##_names[0]),                  \
                            PTHREAD_MUTEX_INITIALIZER, 0 }
int strata__dl_load(strata_dl *dl);

/* Open libpg_query (the functions below do it themselves). */
int strata_sql__load(void);

/*
 * Split a PostgreSQL script into statements with PostgreSQL's own parser
 * (libpg_query), falling back to its scanner when the parser rejects the text
 * (the server reports the real error then). Spans are malloc'd; free() them.
 */
int strata_sql__split_pg(strata_stmt_span **out, size_t *count, const char *sql);

/* PostgreSQL's parse tree of sql as JSON (free() it); NULL with the parser's
 * message in err and its 1-based position in *cursor. */
char *strata_sql__parse_json(const char *sql, strata_buf *err, int *cursor);
/* The PL/pgSQL body of a CREATE FUNCTION statement as JSON (free() it), or NULL. */
char *strata_sql__parse_plpgsql_json(const char *create_function);

/* Is the statement BEGIN/COMMIT/ROLLBACK/...? (ROLLBACK TO SAVEPOINT is not.) */
int strata_sql__is_txn_control(const char *stmt);

/* Refuse a transaction-control statement inside a wrapped migration (sets the error). */
int strata_sql__refuse_txn_control(const char *stmt);

#endif
