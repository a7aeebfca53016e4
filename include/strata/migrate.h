/*
 * strata/migrate.h: status, migrate, down, plan, baseline, repair and verify.
 *
 * Each call connects to the project's database, reads the history, compares
 * it with the migrations folder and either reports or acts. Results come back
 * as a strata_report: one row per migration (or per step taken), with every
 * string owned by the report.
 */
#ifndef STRATA_MIGRATE_H
#define STRATA_MIGRATE_H

#include "common.h"
#include "source.h"
#include "project.h"

typedef enum {
    STRATA_STATE_PENDING = 0,   /**< not applied yet; will run */
    STRATA_STATE_APPLIED,       /**< applied, file unchanged */
    STRATA_STATE_FAILED,        /**< the last attempt failed (no-transaction step); needs repair */
    STRATA_STATE_CHANGED,       /**< applied, but the file changed since */
    STRATA_STATE_MISSING,       /**< applied, but the file is gone */
    STRATA_STATE_OUT_OF_ORDER,  /**< pending, older than the newest applied version */
    STRATA_STATE_BELOW_BASELINE,/**< at or below the baseline: treated as applied */
    STRATA_STATE_BASELINE,      /**< the baseline row itself */
    STRATA_STATE_IGNORED,       /**< not for this env (-- strata:env) */
    STRATA_STATE_OUTDATED       /**< repeatable applied before, its file changed: will re-run */
} strata_state;

typedef enum {
    STRATA_ACTION_NONE = 0,
    STRATA_ACTION_APPLY,        /**< run the up SQL */
    STRATA_ACTION_REVERT,       /**< run the down SQL */
    STRATA_ACTION_FORGET,       /**< repair: drop a failed row / forget a missing file */
    STRATA_ACTION_REALIGN       /**< repair: store the file's new checksum */
} strata_action;

/** One row of a report. Strings are owned by the report; any may be NULL. */
typedef struct {
    strata_kind kind;
    strata_state state;
    strata_action action;      /**< what this run did (or, dry-run, would do) */
    const char *version;
    const char *name;
    const char *path;          /**< file, relative to the migrations folder */
    const char *checksum;      /**< of the file now */
    const char *applied_checksum; /**< as recorded */
    const char *applied_at;    /**< ISO 8601, UTC */
    const char *applied_by;
    long duration_ms;          /**< recorded or measured; -1 when unknown */
    const char *env;           /**< env recorded, or NULL */
    const char *reason;        /**< why it runs / why it is in this state */
    const char *sql;           /**< plan: the exact SQL that runs */
    int no_transaction;        /**< runs outside a transaction */
    int done;                  /**< the action completed */
    const char *note;          /**< the history row's note: why it failed, how far it got */
} strata_row;

typedef struct {
    const strata_row *rows;
    size_t count;
    const char *target;        /**< URL, redacted */
    const char *format;        /**< migrations format name */
    void *internal;            /**< owned memory; do not touch */
} strata_report;

#define STRATA_REPORT_INIT { NULL, 0, NULL, NULL, NULL }
/** Free what the report holds. Accepts an empty report. */
STRATA_EXTERN void strata_report_dispose(strata_report *report);

typedef enum {
    STRATA_EVENT_STEP_START = 0, /**< a migration begins (row filled) */
    STRATA_EVENT_STEP_DONE,      /**< it committed (row->duration_ms set) */
    STRATA_EVENT_STEP_FAILED,    /**< it failed; strata_error_last() has why */
    STRATA_EVENT_INFO            /**< a message worth showing (lock wait, schema created) */
} strata_event_type;

typedef struct {
    strata_event_type type;
    const strata_row *row;     /**< the step, or NULL for INFO */
    size_t index;              /**< 1-based step number in this run */
    size_t total;              /**< steps in this run */
    const char *message;       /**< INFO text */
} strata_event;

/** Return non-zero to stop the run after the current step (STRATA_EUSER). */
typedef int (*strata_event_cb)(const strata_event *event, void *payload);

#define STRATA_RUN_OPTIONS_VERSION 1

typedef enum {
    STRATA_LOCK_DEFAULT = 0,   /**< [migrations] lock_mode, else SESSION */
    STRATA_LOCK_SESSION,       /**< PostgreSQL advisory lock held for the whole run; SQLite flock */
    STRATA_LOCK_TABLE          /**< a row lock in strata_lock, taken inside each step's transaction:
                                    works behind transaction-mode poolers (PgBouncer) */
} strata_lock_mode;

/*
 * Options of a run. Durations are milliseconds; 0 takes the value from
 * strata.conf ([migrations]) or the default. Initialize with
 * STRATA_RUN_OPTIONS_INIT.
 */
typedef struct {
    unsigned version;          /**< STRATA_RUN_OPTIONS_VERSION */
    const char *to;            /**< migrate: stop after this version; down: revert down to (not incl.) it */
    int steps;                 /**< down: how many to revert (default 1) */
    int dry_run;               /**< plan only: nothing is written */
    int allow_changed;         /**< go on although an applied file changed */
    int allow_missing;         /**< go on although an applied file is gone */
    int allow_out_of_order;    /**< apply pending versions older than the newest applied */
    long lock_wait_ms;         /**< how long to wait for another runner; -1: from config (default
                                    10 min); 0: do not wait */
    strata_event_cb on_event;  /**< progress callback, or NULL */
    void *payload;             /**< passed to on_event */
    long statement_timeout_ms; /**< per-statement limit; -- strata:timeout overrides it per file */
    long lock_timeout_ms;      /**< how long DDL may queue for a table lock before giving way */
    int lock_retries;          /**< retries after giving way (-1: from config, default 0) */
    long connect_wait_ms;      /**< keep retrying the connection this long (--wait) */
    int no_hooks;              /**< do not run [hooks] commands and callbacks/ SQL */
    strata_lock_mode lock_mode;/**< how runners exclude each other (default: from config, session) */
    int no_lint;               /**< do not lint pending migrations first (recorded in history) */
    int single_transaction;    /**< migrate: all pending steps in one transaction, all or nothing */
} strata_run_options;

#define STRATA_RUN_OPTIONS_INIT \
    { .version = STRATA_RUN_OPTIONS_VERSION, .lock_wait_ms = -1, .lock_retries = -1 }

/** One row per migration and per history-only entry; reads only, creates nothing. */
STRATA_EXTERN int strata_migrate_status(strata_report *out, strata_project *project);

/**
 * Apply pending migrations (versioned in order, then repeatables). Each step
 * and its history row commit together; on a failing step the database is as
 * before that step and STRATA_EFAILED is returned with file:line in the error.
 * Refuses (STRATA_ECHECKSUM / STRATA_EREFUSED) when history and files disagree,
 * before anything runs. "out" lists the steps (with SQL when dry_run).
 */
STRATA_EXTERN int strata_migrate_apply(strata_report *out, strata_project *project,
                                       const strata_run_options *opts);

/** Undo applied versions newest first with their down SQL (steps / to / dry_run). */
STRATA_EXTERN int strata_migrate_down(strata_report *out, strata_project *project,
                                      const strata_run_options *opts);

/** Mark an existing database as being at "version": the history starts there. */
STRATA_EXTERN int strata_migrate_baseline(strata_project *project, const char *version,
                                          const char *description);

/** Realign history after a manual fix: drop failed rows, store changed checksums,
 *  forget applied files that are gone. Each action is written to the audit log. */
STRATA_EXTERN int strata_migrate_repair(strata_report *out, strata_project *project, int dry_run);

/** Checksums of applied migrations against the files. STRATA_EDRIFT on any
 *  difference; "out" holds the differing rows. */
STRATA_EXTERN int strata_migrate_verify(strata_report *out, strata_project *project);

/**
 * Wait until the database answers and, with "for_version", until the schema
 * has reached that version (an application container waiting for its
 * migrations). Waits opts->connect_wait_ms at most (default 60 s).
 * Errors: STRATA_ECONNECT (never answered), STRATA_ELOCKED (answered, but the
 * version was not reached in time).
 */
STRATA_EXTERN int strata_migrate_wait(strata_project *project, const char *for_version,
                                      const strata_run_options *opts);

STRATA_EXTERN const char *strata_state_name(strata_state state);
STRATA_EXTERN const char *strata_action_name(strata_action action);

#endif
