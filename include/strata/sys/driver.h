/*
 * strata/sys/driver.h: the database driver vtable, for extenders.
 *
 * A driver is a static strata_driver registered by URL scheme in
 * src/lib/driver/driver.c. It reads its configuration only from the URL and
 * never from the environment, and does not correct what the user asked for.
 * The struct starts with a version and only ever grows at the end.
 * No ABI promise yet.
 */
#ifndef STRATA_SYS_DRIVER_H
#define STRATA_SYS_DRIVER_H

#include "../common.h"
#include "../buf.h"

#define STRATA_DRIVER_VERSION 1

/* Capability bits (curl's SSLSUPP_* idea). */
#define STRATA_CAP_TRANSACTIONAL_DDL (1u << 0) /**< DDL rolls back with the transaction */
#define STRATA_CAP_ADVISORY_LOCK     (1u << 1) /**< session-level lock outside tables */
#define STRATA_CAP_SCHEMAS           (1u << 2) /**< CREATE SCHEMA exists */
#define STRATA_CAP_CONCURRENT_INDEX  (1u << 3) /**< CREATE INDEX CONCURRENTLY exists */
#define STRATA_CAP_CANCEL            (1u << 4) /**< a running statement can be cancelled */

typedef struct strata_conn strata_conn;
struct strata_schema;

/* connect() flags */
#define STRATA_CONNECT_READ_ONLY (1u << 0) /**< the caller only reads: create nothing
                                                (a SQLite file that is not there reads as empty) */
#define STRATA_CONNECT_ASYNC     (1u << 1) /**< start connecting and return; connect_finish
                                                completes it (drivers may connect at once) */

/** Where a script failed: byte offsets into the script given to exec_script. */
typedef struct {
    size_t stmt_offset;  /**< start of the failing statement */
    size_t stmt_len;     /**< its length */
    long error_offset;   /**< offset of the error inside the script, -1 when unknown */
    size_t stmts_done;   /**< statements that completed before the failure */
} strata_script_pos;

/** Called after each statement of a script: how many are done, and the byte
 *  offset where the last one ended. Non-zero stops the script (STRATA_EUSER). */
typedef int (*strata_progress_cb)(void *payload, size_t done, size_t end_offset);

/** Row callback for query(): ncols values, NULL for SQL NULL. Non-zero stops. */
typedef int (*strata_row_cb)(void *payload, int ncols, const char *const *values);

typedef struct strata_driver {
    unsigned version;         /**< STRATA_DRIVER_VERSION */
    const char *name;         /**< "postgres", "sqlite" */
    unsigned caps;            /**< STRATA_CAP_* */

    /** Open a connection. "url" is the full URL as given; "flags" are
     *  STRATA_CONNECT_*. STRATA_ECONNECT on failure; the error message must not
     *  contain the password. */
    int (*connect)(strata_conn **out, const char *url, unsigned flags);
    void (*close)(strata_conn *conn);
    /** Complete a connection started with STRATA_CONNECT_ASYNC (NULL: connect is
     *  always synchronous). STRATA_ECONNECT on failure. */
    int (*connect_finish)(strata_conn *conn);

    /** Run one statement with no result rows expected. */
    int (*exec)(strata_conn *conn, const char *sql);
    /** Run every statement of a script (NUL-terminated, len bytes) in order.
     *  On failure returns STRATA_EFAILED (STRATA_EINTERRUPTED after
     *  strata_interrupt()), sets the error (message, sqlstate, detail) and fills
     *  "pos". "progress" (may be NULL) is called after each statement. */
    int (*exec_script)(strata_conn *conn, const char *sql, size_t len, strata_script_pos *pos,
                       strata_progress_cb progress, void *payload);
    /** Run a query with text parameters ($1, $2, ... in order of appearance). */
    int (*query)(strata_conn *conn, const char *sql, int nparams, const char *const *params,
                 strata_row_cb cb, void *payload);

    int (*begin)(strata_conn *conn);
    int (*commit)(strata_conn *conn);
    int (*rollback)(strata_conn *conn);

    /** Take the run lock for "key", polling until wait_ms has passed (STRATA_ELOCKED).
     *  "say" is called every few seconds with who holds it. */
    int (*lock)(strata_conn *conn, const char *key, long wait_ms,
                void (*say)(const char *msg, void *payload), void *payload);
    int (*unlock)(strata_conn *conn, const char *key);

    /** Statement timeout for what follows; "local" limits it to the current transaction.
     *  0 clears. The driver also cancels from the client a statement that overruns it
     *  (a server that stopped answering). */
    int (*set_timeout)(strata_conn *conn, long ms, int local);
    /** How long DDL may wait for a table lock before giving way (PostgreSQL
     *  lock_timeout); 0 clears. No-op where locks do not queue. */
    int (*set_lock_timeout)(strata_conn *conn, long ms, int local);

    /** The qualified name of bookkeeping table "table" ("strata"."strata_history" or
     *  "strata_history"). */
    int (*table_name)(strata_buf *out, const char *schema, const char *table);
    /** Create the bookkeeping schema and tables if missing (idempotent). */
    int (*history_ddl)(strata_buf *out, const char *schema);
    /** Create schema "name" if missing (no-op where schemas do not exist). */
    int (*ensure_schema)(strata_conn *conn, const char *name);
    /** Does the bookkeeping history table exist? 1 yes, 0 no, <0 error. */
    int (*history_exists)(strata_conn *conn, const char *schema);
    /** Who runs this: the database user (postgres) or OS user (sqlite). Borrowed. */
    const char *(*user)(strata_conn *conn);
    /** An SQL expression rendering timestamp "column" as ISO 8601 UTC text, or as
     *  whole seconds since 1970-01-01 UTC (digits only), which the caller renders. */
    int (*ts_column)(strata_buf *out, const char *column);
    /** Is a transaction open on the connection (strata's or the script's own)? */
    int (*in_transaction)(strata_conn *conn);
    /** Undo session changes a migration made (SET, SET ROLE), keeping the run lock.
     *  May be NULL. */
    int (*reset_session)(strata_conn *conn);
    /** Lock-table mode (for transaction-mode poolers): lock strata's lock row inside
     *  the current transaction without queueing; STRATA_ELOCKED when another runner
     *  holds it (the transaction is then aborted). NULL where unsupported. */
    int (*lock_row)(strata_conn *conn, const char *schema);
    /** An id for this session that others can check (backend pid, process id). */
    long (*session_id)(strata_conn *conn);
    /** Is session "id" (from session_id) still alive? 1 yes, 0 no, <0 error. */
    int (*session_alive)(strata_conn *conn, long id);
    /** Append "value" as an SQL string literal (NULL: the keyword NULL). */
    int (*quote_literal)(strata_conn *conn, strata_buf *out, const char *value);
    /** Run "sql" and COMMIT in one round trip where the protocol allows; on
     *  failure the transaction is left for rollback(). */
    int (*commit_with)(strata_conn *conn, const char *sql);
    /** Read the schema into a model (see strata/schema.h): only "schemas" when
     *  nschemas > 0, never "skip_schema" (strata's own bookkeeping). */
    int (*inspect)(struct strata_schema **out, strata_conn *conn, const char *const *schemas,
                   size_t nschemas, const char *skip_schema);
    /** Create an empty scratch database on the same server and return its URL
     *  in "url" (NULL where the driver has no such thing). */
    int (*scratch_create)(strata_conn *conn, strata_buf *url, strata_buf *name);
    /** Drop a scratch database made by scratch_create. */
    int (*scratch_drop)(strata_conn *conn, const char *name);
} strata_driver;

/** The driver for a URL's scheme, or NULL (STRATA_EINVALID set). */
STRATA_EXTERN const strata_driver *strata_driver_for_url(const char *url);

#endif
