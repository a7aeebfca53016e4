/*
 * strata/schema.h: the schema as data. Inspect a database into a model, load
 * one from a migrations folder or a desired-schema folder, diff two models into
 * ordered changes (each with its reverse), find drift, generate a migration.
 *
 * A model is read-only once built. Models of one dialect diff against each
 * other; SQL sides are executed on a scratch database and inspected, so the
 * database itself is the parser.
 */
#ifndef STRATA_SCHEMA_H
#define STRATA_SCHEMA_H

#include "common.h"
#include "buf.h"
#include "project.h"

/** A schema model (opaque). Free with strata_schema_free(). */
typedef struct strata_schema strata_schema;

typedef struct {
    unsigned version;                 /**< STRATA_SCHEMA_OPTIONS_VERSION */
    const char *const *schemas;       /**< only these schemas (PostgreSQL); none: every user schema */
    size_t schemas_count;
    const char *dev_url;              /**< scratch database for SQL sides; NULL: a temporary
                                           database created and dropped on the target server
                                           (SQLite: memory) */
    int allow_destructive;            /**< let diff/generate drop tables, columns, types... */
    const char *const *renames;       /**< "public.users=customers" (table) or
                                           "public.users.name=full_name" (column) */
    size_t renames_count;
} strata_schema_options;

#define STRATA_SCHEMA_OPTIONS_VERSION 1
#define STRATA_SCHEMA_OPTIONS_INIT { STRATA_SCHEMA_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, 0 }

/**
 * Load a model from "source": a database URL, a migrations folder (applied in
 * order to a scratch database) or a desired-schema folder or file (.sql files in
 * name order, .json table definitions in seed 002's shape). The project gives
 * the target database (for its dialect and the scratch database's server).
 */
STRATA_EXTERN int strata_schema_load(strata_schema **out, strata_project *p, const char *source,
                                     const strata_schema_options *opts);

/** Load two sides at once (each as strata_schema_load), in parallel where they
 *  do not share a database: a diff's two inspections overlap. */
STRATA_EXTERN int strata_schema_load_pair(strata_schema **from, strata_schema **to, strata_project *p,
                                          const char *from_source, const char *to_source,
                                          const strata_schema_options *opts);

/** Inspect the project's database. */
STRATA_EXTERN int strata_schema_inspect(strata_schema **out, strata_project *p,
                                        const strata_schema_options *opts);

STRATA_EXTERN void strata_schema_free(strata_schema *schema);

/** Objects in the model (tables, indexes, views... each counts one). */
STRATA_EXTERN size_t strata_schema_count(const strata_schema *schema);

/** "postgres" or "sqlite". */
STRATA_EXTERN const char *strata_schema_dialect(const strata_schema *schema);

/** The model as SQL that creates it from nothing, in dependency order. Byte-identical
 *  for the same schema. */
STRATA_EXTERN int strata_schema_sql(strata_buf *out, const strata_schema *schema);

/** The model as JSON (objects in dependency order). */
STRATA_EXTERN int strata_schema_json(strata_buf *out, const strata_schema *schema);

#define STRATA_CHANGE_DESTRUCTIVE    (1u << 0) /**< loses data: a dropped table, column, type, narrowing */
#define STRATA_CHANGE_RECREATE       (1u << 1) /**< dropped and created again, not altered in place */
#define STRATA_CHANGE_NO_TRANSACTION (1u << 2) /**< cannot run inside a transaction block */

/** One change: SQL that makes it and SQL that reverses it. */
typedef struct {
    const char *what;       /**< "add column public.users.email" */
    const char *up;         /**< statements, each ending ";\n" */
    const char *down;       /**< the reverse; "" when nothing is needed */
    unsigned flags;         /**< STRATA_CHANGE_* */
    const char *note;       /**< why it is destructive or recreated, or NULL */
} strata_change;

typedef struct {
    const strata_change *changes;  /**< in the order they must run */
    size_t count;
    size_t destructive;            /**< how many carry STRATA_CHANGE_DESTRUCTIVE */
    const char *dialect;
    void *internal;                /**< owned memory; do not touch */
} strata_diff;

#define STRATA_DIFF_INIT { NULL, 0, 0, NULL, NULL }

/**
 * The changes that turn "from" into "to". With destructive changes and no
 * allow_destructive, returns STRATA_EREFUSED with the diff still filled in, so
 * the caller can say which.
 */
STRATA_EXTERN int strata_schema_diff(strata_diff *out, const strata_schema *from,
                                     const strata_schema *to, const strata_schema_options *opts);

/** The changes as one script: up in order, or (down != 0) the reverses in reverse order. */
STRATA_EXTERN int strata_diff_sql(strata_buf *out, const strata_diff *diff, int down);

/** The changes as JSON: [{what, up, down, destructive, recreate, note}]. */
STRATA_EXTERN int strata_diff_json(strata_buf *out, const strata_diff *diff);

STRATA_EXTERN void strata_diff_dispose(strata_diff *diff);

/**
 * Drift: the project's database against what its own applied migrations produce
 * on a scratch database. Fills "out" with the changes that would take the
 * expected schema to the live one (empty when identical).
 */
STRATA_EXTERN int strata_drift(strata_diff *out, strata_project *p, const strata_schema_options *opts);

/**
 * Write the next migration, named "name", taking the migrations folder's head to
 * the desired schema in "desired" (a folder or file). Fills "path" with the file
 * written and "out" with its changes. STRATA_ENOTFOUND-free no-op is refused:
 * nothing to do returns STRATA_EEXISTS ("already matches").
 */
STRATA_EXTERN int strata_generate(strata_buf *path, strata_diff *out, strata_project *p,
                                  const char *name, const char *desired,
                                  const strata_schema_options *opts);

#endif
