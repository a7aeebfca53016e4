/*
 * lint.h: the linter's insides, shared by lint.c (the engine: files,
 * statements, context, suppression, config) and rules.c (the rules).
 */
#ifndef STRATA_LINT_INT_H
#define STRATA_LINT_INT_H

#include "util/jv.h"
#include "../strata_int.h"
#include "strata/lint.h"

/* Rule ids, in the order of the rule table (rules.c). */
enum {
    R_SYNTAX,
    R_VOLATILE_DEFAULT, R_SET_NOT_NULL, R_FK_NOT_VALID, R_CHECK_NOT_VALID, R_UNIQUE_WITHOUT_INDEX,
    R_INDEX_NOT_CONCURRENT, R_DROP_INDEX_NOT_CONCURRENT, R_REINDEX_NOT_CONCURRENT,
    R_ALTER_COLUMN_TYPE, R_VACUUM_FULL, R_CONCURRENTLY_IN_TX, R_TRANSACTION_CONTROL,
    R_NO_LOCK_TIMEOUT, R_NOT_NULL_WITHOUT_DEFAULT,
    R_DROP_TABLE, R_DROP_COLUMN, R_DROP_SCHEMA, R_DROP_DATABASE, R_DROP_TYPE, R_DROP_VIEW,
    R_DROP_FUNCTION, R_RENAME_TABLE, R_RENAME_COLUMN, R_TRUNCATE_CASCADE,
    R_NO_PRIMARY_KEY, R_NO_TIMESTAMPS, R_NOT_SNAKE_CASE, R_NAME_TOO_LONG, R_VARCHAR,
    R_TIMESTAMP_WITHOUT_TZ, R_JSON, R_JSONB_WITHOUT_GIN, R_FK_WITHOUT_INDEX, R_SERIAL_PK,
    R_INDEX_NAME,
    R_COUNT
};

extern const strata_lint_rule strata_lint__rules[R_COUNT];

/* A table seen in this run: created here (new) or altered. */
typedef struct {
    char *name;                 /* schema-qualified when written so, lower case */
    int is_new;                 /* created in this run */
    char **jsonb;               /* jsonb columns added in this run */
    size_t njsonb;
    int *jsonb_line;            /* where each was declared */
    char **fk;                  /* first column of each foreign key declared in this run */
    size_t nfk;
    int *fk_line;
    char **indexed;             /* leading column of every index / PK / unique in this run */
    size_t nindexed;
    char **gin;                 /* columns with a GIN index */
    size_t ngin;
    const char *file;           /* file that created or first altered it */
} lint_table;

typedef struct lint_ctx {
    strata_arena *arena;        /* the report's */
    strata_finding *findings;
    size_t count, cap;
    strata_severity severity[R_COUNT];
    const char *index_pattern;  /* e.g. "idx_{table}_{columns}" */
    lint_table *tables;         /* what this run created or touched */
    size_t ntables, tables_cap;
    size_t *slots;              /* open-addressing index of tables by name: index + 1, 0 empty */
    size_t nslots;              /* a power of two, kept over twice ntables */
    size_t statements;
    /* the statement at hand */
    const char *file;           /* as given */
    const char *section;        /* the SQL being linted (what will run) */
    unsigned section_line;      /* its first line in the file */
    size_t section_len;         /* strlen(section) */
    size_t stmt_offset;         /* the statement's first token in section */
    size_t chunk_base;          /* where the parsed chunk starts in section (node locations) */
    size_t *line_starts;        /* offset of each line of section (binary-searched) */
    size_t nlines;
    const char *excerpt;        /* the statement, for findings */
    int wrapped;                /* the migration runs in a transaction strata opens */
    int lock_timeout_set;       /* SET lock_timeout earlier in this file */
    int in_body;                /* inside a DO block or function body */
    char **ignore;              /* rules silenced for this statement */
    size_t nignore;
    const char *ignore_reason;
    char **ignore_file;         /* rules silenced for the whole file */
    size_t nignore_file;
    const char *ignore_file_reason;
} lint_ctx;

/* Report a finding for "rule" on the current statement ("offset": byte offset
 * of the node in the statement text, -1 when unknown). */
void strata_lint__report(lint_ctx *ctx, int rule, long offset, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The table entry for "name" (created on first use, "is_new" if created by this statement). */
lint_table *strata_lint__table(lint_ctx *ctx, const char *name, int is_new);
int strata_lint__is_new(lint_ctx *ctx, const char *name);
/* The file line (and 1-based column) of byte "offset" of the section. */
unsigned strata_lint__line(lint_ctx *ctx, size_t offset, unsigned *column);
void strata_lint__add(lint_ctx *ctx, char ***list, size_t *n, const char *value, int **lines, int line);

/* rules.c: check one parsed statement ({"CreateStmt": {...}} etc.); "at" is
 * the statement's byte offset in ctx->text's file section. */
void strata_lint__statement(lint_ctx *ctx, strata_jv *stmt);
/* rules.c: checks that need the whole run (GIN on jsonb, indexes on FKs). */
void strata_lint__finish_run(lint_ctx *ctx);
/* lint.c: lint the statements of a PL/pgSQL body (only danger rules apply). */
void strata_lint__body(lint_ctx *ctx, const char *create_function_sql);

/* json helpers */
const char *strata_lint__str(strata_jv *o, const char *key);
/* {"Type": {...}} -> "Type", and *inner the {...}; NULL if not a wrapper */
const char *strata_lint__node(strata_jv *wrapper, strata_jv **inner);
/* The last name of a TypeName, lower case ("varchar", "timestamptz", "serial"). */
const char *strata_lint__type_name(strata_jv *type_name, char *buf, size_t n);
/* "schema.name" or "name" of a RangeVar, lower case. */
const char *strata_lint__relation(strata_jv *range_var, char *buf, size_t n);

#endif
