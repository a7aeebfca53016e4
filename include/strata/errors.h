/*
 * strata/errors.h: return codes and the last-error record.
 *
 * Every public function that can fail returns 0 or one of the negative codes
 * below. The detail of the most recent failure on the calling thread is kept in
 * a thread-local strata_error, read with strata_error_last(). Public entry points
 * clear it on entry; errors travel upward unchanged.
 */
#ifndef STRATA_ERRORS_H
#define STRATA_ERRORS_H

#include "common.h"

typedef enum {
    STRATA_OK = 0,
    STRATA_ERROR = -1,        /**< anything unexpected (out of memory, I/O) */
    STRATA_ENOTFOUND = -3,    /**< a named thing (file, version, env) does not exist */
    STRATA_EEXISTS = -4,      /**< it already exists */
    STRATA_EINVALID = -5,     /**< bad input: a file name, a directive, config, an argument */
    STRATA_ECONNECT = -6,     /**< the database could not be reached */
    STRATA_ELOCKED = -7,      /**< another runner holds the lock past the wait */
    STRATA_ECHECKSUM = -8,    /**< an applied migration's file changed or is missing */
    STRATA_EFAILED = -9,      /**< a migration statement failed; that step was undone */
    STRATA_EDRIFT = -10,      /**< a finding: drift, a verify mismatch */
    STRATA_EUSER = -11,       /**< a callback asked to stop */
    STRATA_EREFUSED = -12,    /**< history and files disagree (failed step, out of order, no down) */
    STRATA_EINTERRUPTED = -13 /**< strata_interrupt() was called (SIGINT/SIGTERM); the step was undone */
} strata_error_code;

typedef struct {
    int code;               /**< one of strata_error_code */
    const char *module;     /**< "source", "config", "driver", "runner", ... */
    const char *message;    /**< one line, no trailing period */
    const char *hint;       /**< how to fix it, or NULL */
    const char *file;       /**< file the error is about, or NULL */
    int line;               /**< 1-based line in file, 0 when unknown */
    int column;             /**< 1-based column, 0 when unknown */
    const char *sqlstate;   /**< database SQLSTATE, or NULL */
    const char *detail;     /**< database DETAIL, or NULL */
    const char *statement;  /**< the failing statement (excerpt), or NULL */
} strata_error;

/** The last error on this thread, or NULL. Borrowed: valid until the next call. */
STRATA_EXTERN const strata_error *strata_error_last(void);

/** Forget the last error on this thread. */
STRATA_EXTERN void strata_error_clear(void);

/**
 * Ask the running command to stop: the running statement is cancelled, the
 * current step rolled back, the lock released, and the call returns
 * STRATA_EINTERRUPTED. Async-signal-safe: call it from a SIGINT handler.
 */
STRATA_EXTERN void strata_interrupt(void);

#endif
