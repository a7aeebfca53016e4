/*
 * runner.c: status, migrate, down, baseline, repair and verify.
 *
 * Every command follows one path: connect, (for writers) take the run lock
 * and create the history tables, read the history, fold it against the
 * migrations folder into one entry per migration (state.c), check that
 * history and files agree, then act step by step.
 *
 * A step's life (transactional):
 *
 *     BEGIN -> [SET LOCAL statement_timeout] -> statements -> INSERT history -> COMMIT
 *        \______________ any error: ROLLBACK, database as before the step ___/
 *
 * A no-transaction step runs its statements in autocommit and then records
 * success, or a failed row that blocks later runs until `strata repair`.
 * The lock is taken before the history is read, so what was read is what is
 * true until the lock is released.
 */
#include <stdlib.h>
#include <string.h>
#include "../strata_int.h"
#include "runner.h"

#define DEFAULT_LOCK_WAIT_MS 600000L

/* ---- reports -------------------------------------------------------------- */

typedef struct {
    strata_arena arena;
    strata_row *rows;
    size_t count;
    size_t cap;
} report_mem;

int strata_runner__report_init(strata_report *out, strata_run *run)
{
    report_mem *m = strata__calloc(1, sizeof(*m));
    STRATA_CHECK_ALLOC(m);
    memset(out, 0, sizeof(*out));
    out->internal = m;
    out->target = strata_arena_strdup(&m->arena, run->project->url_redacted);
    out->format = run->src ? strata_format_name(strata_source_format(run->src)) : NULL;
    return 0;
}

strata_row *strata_runner__report_add(strata_report *out, const strata_entry *e)
{
    report_mem *m = out->internal;
    strata_row *r;
    const strata_migration *mig = e ? e->mig : NULL;
    const strata_hrow *h = e ? (e->applied ? e->applied : e->failed) : NULL;

    if (STRATA_ARRAY_GROW(m->rows, m->count, m->cap) < 0)
        return NULL;
    r = &m->rows[m->count++];
    memset(r, 0, sizeof(*r));
    r->duration_ms = -1;
    out->rows = m->rows;
    out->count = m->count;
    if (!e)
        return r;
    r->kind = e->kind;
    r->state = e->state;
    r->version = strata_arena_strdup(&m->arena, mig ? mig->version : h ? h->version : NULL);
    r->name = strata_arena_strdup(&m->arena, mig ? mig->name : h ? h->name : NULL);
    r->path = strata_arena_strdup(&m->arena, mig ? mig->path : h ? h->path : NULL);
    r->checksum = mig ? strata_arena_strdup(&m->arena, mig->checksum) : NULL;
    r->no_transaction = mig && (mig->flags & STRATA_MIG_NO_TRANSACTION);
    if (h) {
        r->applied_checksum = strata_arena_strdup(&m->arena, h->checksum);
        r->applied_at = strata_arena_strdup(&m->arena, h->applied_at);
        r->applied_by = strata_arena_strdup(&m->arena, h->applied_by);
        r->duration_ms = h->duration_ms;
        r->env = strata_arena_strdup(&m->arena, h->env);
    }
    r->reason = strata_arena_strdup(&m->arena, e->reason);
    return r;
}

char *strata_runner__report_str(strata_report *out, const char *s)
{
    return strata_arena_strdup(&((report_mem *)out->internal)->arena, s);
}

void strata_report_dispose(strata_report *report)
{
    report_mem *m;
    if (!report || !(m = report->internal))
        return;
    strata_arena_dispose(&m->arena);
    free(m->rows);
    free(m);
    memset(report, 0, sizeof(*report));
}

/* ---- the run: connection, lock, history ------------------------------------ */

static void say_info(const char *msg, void *payload)
{
    strata_run *run = payload;
    strata_event ev = { STRATA_EVENT_INFO, NULL, 0, 0, msg };
    if (run->opts && run->opts->on_event)
        run->opts->on_event(&ev, run->opts->payload);
}

int strata_runner__open(strata_run *run, strata_project *p, const strata_run_options *opts,
                        int writer)
{
    int error;
    long wait = opts && opts->lock_wait_ms > 0 ? opts->lock_wait_ms : DEFAULT_LOCK_WAIT_MS;

    memset(run, 0, sizeof(*run));
    run->project = p;
    run->opts = opts;
    if ((error = strata_project_source(&run->src, p)) < 0)
        return error;
    if (!(run->drv = strata_driver_for_url(p->url)))
        return STRATA_EINVALID;
    if ((error = run->drv->connect(&run->conn, p->url)) < 0)
        return error;
    if ((error = strata_history__open(&run->hist, run->drv, run->conn, p->history_schema)) < 0)
        return error;
    if (writer) {
        /* the lock key names the history table, so two projects in one database
         * (different history schemas) do not block each other */
        if ((error = run->drv->lock(run->conn, run->hist.table.ptr, wait, say_info, run)) < 0)
            return error;
        run->locked = 1;
        if ((error = strata_history__ensure(&run->hist)) < 0)
            return error;
        /* schemas named in config exist before the first migration runs (seed 004) */
        for (size_t i = 0; i < p->schemas_count; i++) {
            if ((error = run->drv->ensure_schema(run->conn, p->schemas[i])) < 0) {
                strata__error_prefix("cannot create schema %s from config: ", p->schemas[i]);
                return error;
            }
        }
    }
    return strata_history__read(&run->hist);
}

void strata_runner__close(strata_run *run)
{
    if (run->conn) {
        if (run->locked)
            run->drv->unlock(run->conn, run->hist.table.ptr);
        run->drv->close(run->conn);
    }
    strata_history__dispose(&run->hist);
    free(run->entries);
    memset(run, 0, sizeof(*run));
}

/* ---- steps -------------------------------------------------------------------- */

/*
 * Put the failing statement's position into the error: the file, the line
 * in that file (the section's first line plus the line inside the section)
 * and a prefix saying what happened to the step.
 */
static void locate_failure(strata_run *run, const char *rel, const char *sql, unsigned first_line,
                           const strata_script_pos *pos, int rolled_back)
{
    strata_buf path = STRATA_BUF_INIT;
    unsigned col = 0, line;
    size_t at = pos->error_offset >= 0 ? (size_t)pos->error_offset : pos->stmt_offset;

    line = strata_str_line_of(sql, at, &col);
    strata_path_join(&path, run->project->migrations_dir, rel);
    strata__error_at(path.ptr, (int)(first_line + line - 1), pos->error_offset >= 0 ? (int)col : 0);
    strata__error_prefix(rolled_back ? "%s failed and was rolled back: "
                                     : "%s failed (no transaction: statements before the "
                                       "failing one stay applied): ",
                         rel);
    strata_buf_dispose(&path);
}

/*
 * Run one script (up or down) as a step, and record "hrow" with it.
 * "no_tx" runs it in autocommit and records a failed row on failure.
 */
int strata_runner__step(strata_run *run, const char *rel, const char *sql, size_t len,
                        unsigned first_line, int no_tx, long timeout_ms, strata_hrow *hrow,
                        long *duration_ms)
{
    const strata_driver *d = run->drv;
    strata_script_pos pos = { 0, 0, -1 };
    int64_t t0 = strata_time_ms();
    int error;

    if (!no_tx) {
        if ((error = d->begin(run->conn)) < 0)
            return error;
        if (timeout_ms > 0 && (error = d->set_timeout(run->conn, timeout_ms, 1)) < 0)
            goto rollback;
        if ((error = d->exec_script(run->conn, sql, len, &pos)) < 0) {
            locate_failure(run, rel, sql, first_line, &pos, 1);
            goto rollback;
        }
        hrow->duration_ms = (long)(strata_time_ms() - t0);
        hrow->success = 1;
        if ((error = strata_history__insert(&run->hist, hrow)) < 0)
            goto rollback;
        if ((error = d->commit(run->conn)) < 0) {
            strata__error_prefix("%s could not commit (rolled back): ", rel);
            goto rollback;
        }
        *duration_ms = hrow->duration_ms;
        return 0;
    rollback:
        {
            /* keep the step's error, not the rollback's */
            d->rollback(run->conn);
            return error;
        }
    }

    if (timeout_ms > 0 && (error = d->set_timeout(run->conn, timeout_ms, 0)) < 0)
        return error;
    error = d->exec_script(run->conn, sql, len, &pos);
    hrow->duration_ms = (long)(strata_time_ms() - t0);
    hrow->success = error == 0;
    if (timeout_ms > 0)
        d->set_timeout(run->conn, 0, 0);
    if (error < 0) {
        /* record the failure so status shows it and migrate stops until repair;
         * the step's error stays the one reported */
        strata_error saved = *strata_error_last();
        strata_buf msg = STRATA_BUF_INIT, stmt = STRATA_BUF_INIT, hint = STRATA_BUF_INIT;
        strata_buf_puts(&msg, saved.message ? saved.message : "failed");
        if (saved.statement)
            strata_buf_puts(&stmt, saved.statement);
        if (saved.hint)
            strata_buf_puts(&hint, saved.hint);
        int code = saved.code;
        char sqlstate[16] = "";
        if (saved.sqlstate)
            snprintf(sqlstate, sizeof(sqlstate), "%s", saved.sqlstate);
        strata_history__insert(&run->hist, hrow);
        strata__error(code, "runner", "%s", msg.ptr);
        strata__error_db(sqlstate[0] ? sqlstate : NULL, NULL, stmt.size ? stmt.ptr : NULL);
        locate_failure(run, rel, sql, first_line, &pos, 0);
        strata__error_hint("%s%sfix the database by hand, then run 'strata repair' to clear the "
                           "failed entry and migrate again",
                           hint.size ? hint.ptr : "", hint.size ? "; " : "");
        strata_buf_dispose(&msg);
        strata_buf_dispose(&stmt);
        strata_buf_dispose(&hint);
        return code;
    }
    if ((error = strata_history__insert(&run->hist, hrow)) < 0)
        return error;
    *duration_ms = hrow->duration_ms;
    return 0;
}

int strata_runner__emit(strata_run *run, strata_event_type type, const strata_row *row,
                        size_t index, size_t total)
{
    strata_event ev = { type, row, index, total, NULL };
    if (run->opts && run->opts->on_event && run->opts->on_event(&ev, run->opts->payload))
        return strata__error(STRATA_EUSER, "runner", "stopped by the caller after step %zu", index);
    return 0;
}
