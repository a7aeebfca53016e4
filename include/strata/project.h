/*
 * strata/project.h: a project is a configuration (strata.conf, the
 * environment, explicit options), a migrations folder and a database URL.
 *
 * Precedence for every setting: options given here (the CLI's flags) >
 * environment variables (DATABASE_URL, STRATA_ENV, ...) > strata.conf
 * ([env "NAME"] over [database]/[migrations]) > defaults. The default
 * database is a SQLite file, strata.db, beside strata.conf.
 */
#ifndef STRATA_PROJECT_H
#define STRATA_PROJECT_H

#include "common.h"
#include "buf.h"
#include "source.h"

#define STRATA_OPTIONS_VERSION 1

typedef struct {
    unsigned version;            /**< STRATA_OPTIONS_VERSION */
    const char *config_path;     /**< strata.conf to read; NULL: <dir>/strata.conf if present */
    const char *dir;             /**< project folder; NULL: the config's folder, else "." */
    const char *url;             /**< database URL; overrides everything */
    const char *env;             /**< environment name selecting [env "NAME"] */
    const char *migrations_dir;  /**< migrations folder (relative to the project) */
    const char *format;          /**< folder format name; NULL or "auto" detects */
    const char *history_schema;  /**< PostgreSQL schema for bookkeeping (default "strata") */
    int no_env;                  /**< ignore environment variables (tests) */
    long connect_wait_ms;        /**< keep retrying the connection this long (--wait); 0: STRATA_WAIT
                                      or [migrations] wait */
} strata_options;

#define STRATA_OPTIONS_INIT { .version = STRATA_OPTIONS_VERSION }

typedef struct strata_project strata_project;

/**
 * Resolve the configuration. Nothing is connected or read from the migrations
 * folder yet. *out is owned by the caller (strata_project_free).
 * Errors: STRATA_EINVALID (bad config: names the file, line and key),
 * STRATA_ENOTFOUND (an explicit config file or an --env with no section).
 */
STRATA_EXTERN int strata_project_open(strata_project **out, const strata_options *opts);
STRATA_EXTERN void strata_project_free(strata_project *project);

/** The database URL with any password replaced by "****". Borrowed. */
STRATA_EXTERN const char *strata_project_url_redacted(const strata_project *project);
/** The migrations folder, resolved against the project folder. Borrowed. */
STRATA_EXTERN const char *strata_project_migrations_dir(const strata_project *project);
/** The environment name, or NULL. Borrowed. */
STRATA_EXTERN const char *strata_project_env(const strata_project *project);
/** The project folder. Borrowed. */
STRATA_EXTERN const char *strata_project_dir(const strata_project *project);

/**
 * The migrations folder, read on first use and kept. Borrowed from the project.
 * Errors as strata_source_load().
 */
STRATA_EXTERN int strata_project_source(const strata_source **out, strata_project *project);

/**
 * Scaffold a project in "dir": strata.conf and migrations/ (with repeatable/).
 * Existing files are left alone; "out" receives one line per thing created.
 */
STRATA_EXTERN int strata_project_init(strata_buf *out, const char *dir);

/**
 * Create the next migration file named "name" in the folder's format; the path
 * (or paths, one per line) created is written to "out".
 * Errors: STRATA_EINVALID (a name with no letters or digits).
 */
STRATA_EXTERN int strata_project_new_migration(strata_buf *out, strata_project *project,
                                               const char *name, int repeatable);

#endif
