/*
 * strata/lint.h: rules over migrations, read through PostgreSQL's own parser.
 *
 * Each statement of a migration is parsed by libpg_query (never matched with
 * regular expressions) and checked by rules with stable ids: operations that
 * take heavy locks or rewrite tables, changes that break the running
 * application, and house policies (primary keys, timestamps, naming, types).
 * Statements inside DO blocks and PL/pgSQL function bodies are checked too.
 * Objects created earlier in the same run are known to be new, so indexing a
 * table created a moment ago is not a finding.
 */
#ifndef STRATA_LINT_H
#define STRATA_LINT_H

#include "common.h"
#include "project.h"

typedef enum {
    STRATA_SEVERITY_OFF = 0,   /**< the rule does not run */
    STRATA_SEVERITY_WARNING,   /**< reported; does not fail */
    STRATA_SEVERITY_ERROR      /**< reported; lint exits 1 and migrate refuses */
} strata_severity;

/** A rule, as listed by strata_lint_rules(). Static data. */
typedef struct {
    const char *id;            /**< stable id, e.g. "SL101" */
    const char *name;          /**< short kebab-case name, e.g. "index-not-concurrent" */
    strata_severity severity;  /**< default severity */
    const char *summary;       /**< one line: what it finds */
} strata_lint_rule;

/** One finding. Strings are owned by the report. */
typedef struct {
    const char *rule;          /**< rule id */
    const char *name;          /**< rule name */
    strata_severity severity;  /**< as configured */
    const char *file;          /**< file (as given), or NULL */
    int line;                  /**< 1-based line of the statement (or of the error) */
    int column;                /**< 1-based column, 0 when unknown */
    const char *message;       /**< why it is dangerous or against policy */
    const char *hint;          /**< how to do it safely */
    const char *statement;     /**< the statement, excerpt */
    int suppressed;            /**< silenced by -- strata:lint-ignore */
    const char *reason;        /**< the suppression's reason, if one was given */
} strata_finding;

typedef struct {
    const strata_finding *findings;
    size_t count;
    size_t errors;             /**< unsuppressed findings of severity error */
    size_t warnings;           /**< unsuppressed findings of severity warning */
    size_t statements;         /**< statements linted */
    void *internal;            /**< owned memory; do not touch */
} strata_lint_report;

#define STRATA_LINT_REPORT_INIT { NULL, 0, 0, 0, 0, NULL }

/** Every rule, in id order. *count receives how many. Static data. */
STRATA_EXTERN const strata_lint_rule *strata_lint_rules(size_t *count);

/**
 * Lint files: migration files (SQL in any format strata reads) and JSON table
 * definitions (seed 002's shape, *.json). Files in one call form one run:
 * tables created by an earlier file are new for the later ones. Severities
 * and naming patterns come from [lint] in the project's strata.conf.
 * Errors: STRATA_ENOTFOUND (a file is missing). Findings are not errors:
 * check report->errors.
 */
STRATA_EXTERN int strata_lint_files(strata_lint_report *out, strata_project *project,
                                    const char *const *files, size_t count);

/** Lint every migration of the project's folder, in order, as one run (the
 *  up sections as the folder's format reads them). */
STRATA_EXTERN int strata_lint_folder(strata_lint_report *out, strata_project *project);

/** Lint the migrations `migrate` would apply, in the order it would apply them
 *  (connects to read the history). */
STRATA_EXTERN int strata_lint_pending(strata_lint_report *out, strata_project *project);

/**
 * Lint one SQL text with default settings (no project): the entry point the
 * fuzzer drives. "file" names it in findings (may be NULL).
 */
STRATA_EXTERN int strata_lint_sql(strata_lint_report *out, const char *sql, const char *file);

STRATA_EXTERN void strata_lint_report_dispose(strata_lint_report *report);
STRATA_EXTERN const char *strata_severity_name(strata_severity severity);

#endif
