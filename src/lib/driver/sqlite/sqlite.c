/*
 * sqlite.c: the SQLite driver, the embedded default.
 *
 * URLs: sqlite:path, sqlite://path, sqlite3:path, sqlite::memory:. Scripts
 * run through sqlite3_prepare_v2's own tail handling, so SQLite's parser
 * finds statement boundaries. Bookkeeping lives in strata_-prefixed tables.
 *
 * The run lock is an flock() on the database file itself, polled until the
 * wait passes: processes sharing one file serialise, and the kernel drops the
 * lock when a runner dies. SQLite's own locks are POSIX fcntl locks, which
 * are independent of flock on Linux, so the two do not interfere.
 * Only this folder includes sqlite3.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>
#include "../../model/model.h"
#include "sqlite_int.h"

strata_sqlite_lib strata__sq;
STRATA_DL_DEFINE(sq_dl, strata__sq, STRATA_SQLITE_SONAME, STRATA_SQLITE_PACKAGE, STRATA_SQLITE_FUNCS);

int strata__sqlite_load(void) { return strata__dl_load(&sq_dl); }

struct strata_conn {
    sqlite3 *db;
    char *path;             /* file, or ":memory:" */
    int lock_fd;            /* flock()ed descriptor, -1 when unlocked */
    int64_t deadline;       /* statement deadline (monotonic ms), 0 for none */
    long timeout_ms;        /* per-statement limit, 0 for none */
    int timeout_local;      /* cleared at COMMIT/ROLLBACK */
    int wrapped;            /* inside a transaction strata opened (begin) */
    char user[64];          /* OS user, for applied_by */
};

/* The connection's sqlite3 handle, for the inspector (inspect.c). Borrowed. */
sqlite3 *strata__sqlite_handle(strata_conn *c)
{
    return c->db;
}

/* The path part of a sqlite URL. */
static const char *url_path(const char *url)
{
    const char *p = strchr(url, ':') + 1;
    if (strncmp(p, "//", 2) == 0)
        p += 2;
    return p;
}

/* SQLite calls this every 1000 VM steps: stop on interrupt or past the deadline. */
static int progress(void *arg)
{
    strata_conn *c = arg;
    return strata__interrupted() || (c->deadline && strata_time_ms() > c->deadline);
}

/* Another connection holds the write lock: wait up to a minute, unless interrupted. */
static int busy(void *arg, int count)
{
    (void)arg;
    if (strata__interrupted() || count >= 6000)
        return 0;
    strata_time_sleep_ms(10);
    return 1;
}

static int sq_connect(strata_conn **out, const char *url, unsigned flags)
{
    strata_conn *c;
    const char *path = url_path(url);
    const char *open_path;
    struct passwd *pw;
    int rc;

    if ((rc = strata__sqlite_load()) < 0)
        return rc;
    c = strata__calloc(1, sizeof(*c));
    STRATA_CHECK_ALLOC(c);
    c->lock_fd = -1;
    if (!*path) {
        free(c);
        strata__error(STRATA_EINVALID, "sqlite", "the SQLite URL '%s' names no file", url);
        strata__error_hint("use sqlite:path/to/file.db or sqlite::memory:");
        return STRATA_EINVALID;
    }
    if (!(c->path = strata__strdup(path))) {
        free(c);
        return strata__error_oom();
    }
    /* a reader must not leave an empty file behind a typo: a file that is not
     * there reads as an empty database */
    open_path = (flags & STRATA_CONNECT_READ_ONLY) && strcmp(path, ":memory:") != 0 &&
                        access(path, F_OK) != 0 ? ":memory:" : path;
    rc = strata__sq.sqlite3_open_v2(open_path, &c->db,
                                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        strata__error(STRATA_ECONNECT, "sqlite", "cannot open %s: %s", path,
                      c->db ? strata__sq.sqlite3_errmsg(c->db) : strata__sq.sqlite3_errstr(rc));
        strata__error_hint("check that the folder exists and is writable");
        strata__sq.sqlite3_close(c->db);
        free(c->path);
        free(c);
        return STRATA_ECONNECT;
    }
    strata__sq.sqlite3_extended_result_codes(c->db, 1);
    strata__sq.sqlite3_busy_handler(c->db, busy, c);
    strata__sq.sqlite3_progress_handler(c->db, 1000, progress, c);
    pw = getpwuid(geteuid());
    snprintf(c->user, sizeof(c->user), "%s", pw && pw->pw_name ? pw->pw_name : "unknown");
    *out = c;
    return 0;
}

static void sq_close(strata_conn *c)
{
    if (!c)
        return;
    if (c->lock_fd >= 0)
        close(c->lock_fd);
    strata__sq.sqlite3_close_v2(c->db);
    free(c->path);
    free(c);
}

static int sq_error(strata_conn *c, const char *stmt)
{
    int rc = strata__sq.sqlite3_extended_errcode(c->db);
    if ((rc & 0xff) == SQLITE_INTERRUPT && strata__interrupted()) {
        strata__error(STRATA_EINTERRUPTED, "sqlite", "interrupted: the running statement was stopped");
        strata__error_db(NULL, NULL, stmt);
        return STRATA_EINTERRUPTED;
    }
    const char *msg = (rc & 0xff) == SQLITE_INTERRUPT && c->deadline
                          ? "statement timeout: canceled after the migration's time limit"
                          : strata__sq.sqlite3_errmsg(c->db);
    strata__error(STRATA_EFAILED, "sqlite", "ERROR: %s", msg);
    strata__error_db(NULL, NULL, stmt);
    return STRATA_EFAILED;
}

/* Arm the statement deadline for what runs next. */
static void arm(strata_conn *c)
{
    c->deadline = c->timeout_ms > 0 ? strata_time_ms() + c->timeout_ms : 0;
}

static int sq_exec(strata_conn *c, const char *sql)
{
    arm(c);
    if (strata__sq.sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return sq_error(c, sql);
    return 0;
}

static int sq_exec_script(strata_conn *c, const char *sql, size_t len, strata_script_pos *pos,
                          strata_progress_cb cb, void *payload)
{
    const char *p = sql, *end = sql + len;
    size_t done = 0;
    int error = 0;

    arm(c);
    while (p < end) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        int rc;
        arm(c);  /* the timeout limits each statement, as in PostgreSQL */
        rc = strata__sq.sqlite3_prepare_v2(c->db, p, (int)(end - p), &st, &tail);
        if (rc == SQLITE_OK && st && c->wrapped && strata_sql__is_txn_control(strata__sq.sqlite3_sql(st))) {
            const char *s = p;
            while (s < end && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'))
                s++;
            error = strata_sql__refuse_txn_control(strata__sq.sqlite3_sql(st));
            if (pos) {
                pos->stmt_offset = (size_t)(s - sql);
                pos->stmt_len = (size_t)(tail - s);
                pos->error_offset = -1;
            }
            strata__sq.sqlite3_finalize(st);
            break;
        }
        if (rc == SQLITE_OK && st) {
            while ((rc = strata__sq.sqlite3_step(st)) == SQLITE_ROW)
                ;
            if (rc == SQLITE_DONE)
                rc = SQLITE_OK;
        }
        if (rc != SQLITE_OK) {
            /* the statement text, without the blanks that precede it */
            const char *s = p;
            while (s < end && (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'))
                s++;
            /* a statement that failed to prepare has no tail: show it up to its ';' */
            const char *stop = st ? tail : NULL;
            if (!stop || stop <= s) {
                stop = memchr(s, ';', (size_t)(end - s));
                stop = stop ? stop + 1 : end;
            }
            size_t slen = (size_t)(stop - s);
            char *text = strata__strndup(s, slen);
            int off = strata__sq.sqlite3_error_offset(c->db);
            error = sq_error(c, text);
            if (pos) {
                pos->stmt_offset = (size_t)(s - sql);
                pos->stmt_len = slen;
                pos->error_offset = off >= 0 ? (long)(p - sql) + off : -1;
            }
            free(text);
            strata__sq.sqlite3_finalize(st);
            break;
        }
        strata__sq.sqlite3_finalize(st);
        if (st) {
            done++;
            if (pos)
                pos->stmts_done = done;
            if (cb && cb(payload, done, (size_t)(tail - sql))) {
                error = strata__error(STRATA_EUSER, "sqlite", "stopped after statement %zu", done);
                break;
            }
        }
        if (strata__interrupted()) {
            error = strata__error_interrupted();
            break;
        }
        if (!tail || tail == p)
            break;
        p = tail;
    }
    c->deadline = 0;
    return error;
}

static int sq_query(strata_conn *c, const char *sql, int nparams, const char *const *params,
                    strata_row_cb cb, void *payload)
{
    sqlite3_stmt *st = NULL;
    const char *vals[32];
    int rc, error = 0, rows = 0, tries = 0;

again:
    if ((rc = strata__sq.sqlite3_prepare_v2(c->db, sql, -1, &st, NULL)) != SQLITE_OK) {
        if (rc == SQLITE_SCHEMA && ++tries < 100 && !strata__interrupted())
            goto again;
        return sq_error(c, sql);
    }
    for (int i = 0; i < nparams; i++) {
        rc = params[i] ? strata__sq.sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT)
                       : strata__sq.sqlite3_bind_null(st, i + 1);
        if (rc != SQLITE_OK) {
            error = sq_error(c, sql);
            goto done;
        }
    }
    while ((rc = strata__sq.sqlite3_step(st)) == SQLITE_ROW) {
        int cols = strata__sq.sqlite3_column_count(st);
        rows++;
        if (cols > 32)
            cols = 32;
        for (int j = 0; j < cols; j++)
            vals[j] = (const char *)strata__sq.sqlite3_column_text(st, j);
        if (cb && (error = cb(payload, cols, vals)) != 0)
            goto done;
    }
    /* Other runners create tables while this one reads without the run lock
     * (a no-op migrate never takes it): SQLite re-prepares a statement on a
     * schema change a number of times, then gives up with SQLITE_SCHEMA. Before
     * any row has reached the caller, reading again is safe. */
    if (rc == SQLITE_SCHEMA && rows == 0 && ++tries < 100 && !strata__interrupted()) {
        strata__sq.sqlite3_finalize(st);
        st = NULL;
        strata_time_sleep_ms(tries < 10 ? 1 : 10);
        goto again;
    }
    if (rc != SQLITE_DONE)
        error = sq_error(c, sql);
done:
    strata__sq.sqlite3_finalize(st);
    return error;
}

/* A timeout set "local" ends with the transaction, as SET LOCAL does in PostgreSQL. */
static void end_local(strata_conn *c)
{
    if (c->timeout_local) {
        c->timeout_ms = 0;
        c->timeout_local = 0;
    }
}

static int sq_begin(strata_conn *c)
{
    int error = sq_exec(c, "BEGIN IMMEDIATE");
    c->wrapped = error == 0;
    return error;
}
static int sq_commit(strata_conn *c)
{
    int error = sq_exec(c, "COMMIT");
    end_local(c);
    c->wrapped = 0;
    return error;
}
static int sq_in_transaction(strata_conn *c) { return !strata__sq.sqlite3_get_autocommit(c->db); }

static int sq_quote_literal(strata_conn *c, strata_buf *out, const char *value)
{
    char *q;
    (void)c;
    if (!value)
        return strata_buf_puts(out, "NULL");
    if (!(q = strata__sq.sqlite3_mprintf("%Q", value)))
        return strata__error_oom();
    strata_buf_puts(out, q);
    strata__sq.sqlite3_free(q);
    return 0;
}

static int sq_commit_with(strata_conn *c, const char *sql)
{
    int error = sq_exec(c, sql);
    return error < 0 ? error : sq_commit(c);
}

/* Runners share a SQLite file on one host: the session is the process. */
static long sq_session_id(strata_conn *c)
{
    (void)c;
    return (long)getpid();
}

static int sq_session_alive(strata_conn *c, long id)
{
    (void)c;
    return kill((pid_t)id, 0) == 0 || errno == EPERM;
}
static int sq_rollback(strata_conn *c)
{
    end_local(c);
    c->wrapped = 0;
    if (strata__sq.sqlite3_get_autocommit(c->db))
        return 0;  /* SQLite already rolled back (e.g. after SQLITE_FULL) */
    return sq_exec(c, "ROLLBACK");
}

static int sq_lock(strata_conn *c, const char *key, long wait_ms,
                   void (*say)(const char *msg, void *payload), void *payload)
{
    int64_t start = strata_time_ms(), last_said = start;
    long sleep_ms = 20;

    (void)key;
    if (strcmp(c->path, ":memory:") == 0 || strncmp(c->path, "file::memory:", 13) == 0)
        return 0;  /* nobody else can see it */
    if ((c->lock_fd = open(c->path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644)) < 0)
        return strata__error(STRATA_ERROR, "sqlite", "cannot open %s for locking: %s", c->path,
                             strerror(errno));
    while (flock(c->lock_fd, LOCK_EX | LOCK_NB) < 0) {
        int64_t now = strata_time_ms();
        if (errno != EWOULDBLOCK && errno != EINTR) {
            close(c->lock_fd);
            c->lock_fd = -1;
            return strata__error(STRATA_ERROR, "sqlite", "cannot lock %s: %s", c->path,
                                 strerror(errno));
        }
        if (now - start >= wait_ms) {
            close(c->lock_fd);
            c->lock_fd = -1;
            strata__error(STRATA_ELOCKED, "sqlite",
                          "another strata process holds the migration lock on %s", c->path);
            strata__error_hint("wait for it to finish, or raise --lock-wait (waited %ld ms)", wait_ms);
            return STRATA_ELOCKED;
        }
        if (strata__interrupted()) {
            close(c->lock_fd);
            c->lock_fd = -1;
            return strata__error_interrupted();
        }
        if (say && now - last_said >= 5000) {
            say("waiting for another strata process to release the migration lock", payload);
            last_said = now;
        }
        strata_time_sleep_ms(sleep_ms);
        if (sleep_ms < 200)
            sleep_ms *= 2;
    }
    return 0;
}

static int sq_unlock(strata_conn *c, const char *key)
{
    (void)key;
    if (c->lock_fd >= 0) {
        flock(c->lock_fd, LOCK_UN);
        close(c->lock_fd);
        c->lock_fd = -1;
    }
    return 0;
}

static int sq_set_timeout(strata_conn *c, long ms, int local)
{
    c->timeout_ms = ms > 0 ? ms : 0;
    c->timeout_local = local && ms > 0;
    return 0;
}

static int sq_set_lock_timeout(strata_conn *c, long ms, int local)
{
    (void)c;
    (void)ms;
    (void)local;  /* SQLite has one writer lock, taken at BEGIN IMMEDIATE */
    return 0;
}

static int sq_table_name(strata_buf *out, const char *schema, const char *table)
{
    (void)schema;  /* SQLite has no schemas: the strata_ prefix keeps tables apart */
    return strata_buf_printf(out, "\"%s\"", table);
}

static int sq_history_ddl(strata_buf *out, const char *schema)
{
    (void)schema;
    return strata_buf_puts(
        out,
        "CREATE TABLE IF NOT EXISTS \"strata_history\" (\n"
        "  rank INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "  version TEXT,\n"
        "  name TEXT NOT NULL,\n"
        "  kind TEXT NOT NULL CHECK (kind IN ('versioned', 'repeatable', 'baseline', 'undo', "
        "'deleted')),\n"
        "  checksum TEXT,\n"
        "  path TEXT,\n"
        "  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),\n"
        "  applied_by TEXT NOT NULL,\n"
        "  duration_ms INTEGER NOT NULL DEFAULT 0,\n"
        "  success INTEGER NOT NULL,\n"
        "  env TEXT,\n"
        "  note TEXT\n"
        ");\n"
        "CREATE TABLE IF NOT EXISTS \"strata_audit\" (\n"
        "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "  at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),\n"
        "  actor TEXT NOT NULL,\n"
        "  action TEXT NOT NULL,\n"
        "  detail TEXT\n"
        ");\n");
}

static int sq_ensure_schema(strata_conn *c, const char *name)
{
    (void)c;
    (void)name;  /* no schemas in SQLite */
    return 0;
}

static int count_cb(void *payload, int ncols, const char *const *values)
{
    (void)ncols;
    *(int *)payload = values[0] && strtol(values[0], NULL, 10) > 0;
    return 0;
}

static int sq_history_exists(strata_conn *c, const char *schema)
{
    int found = 0;
    (void)schema;
    int error = sq_query(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                            "AND name = 'strata_history'", 0, NULL, count_cb, &found);
    return error < 0 ? error : found;
}

static const char *sq_user(strata_conn *c) { return c->user; }

static int sq_ts_column(strata_buf *out, const char *column) { return strata_buf_puts(out, column); }

const strata_driver strata_driver_sqlite = {
    .version = STRATA_DRIVER_VERSION,
    .name = "sqlite",
    .caps = STRATA_CAP_TRANSACTIONAL_DDL,
    .connect = sq_connect,
    .close = sq_close,
    .exec = sq_exec,
    .exec_script = sq_exec_script,
    .query = sq_query,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .lock = sq_lock,
    .unlock = sq_unlock,
    .set_timeout = sq_set_timeout,
    .set_lock_timeout = sq_set_lock_timeout,
    .in_transaction = sq_in_transaction,
    .session_id = sq_session_id,
    .session_alive = sq_session_alive,
    .quote_literal = sq_quote_literal,
    .commit_with = sq_commit_with,
    .inspect = strata__sqlite_inspect_hook,
    .table_name = sq_table_name,
    .history_ddl = sq_history_ddl,
    .ensure_schema = sq_ensure_schema,
    .history_exists = sq_history_exists,
    .user = sq_user,
    .ts_column = sq_ts_column,
};
