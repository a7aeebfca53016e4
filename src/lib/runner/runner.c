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
#include <assert.h>
#include <pthread.h>
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
        r->note = strata_arena_strdup(&m->arena, h->note);
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

void strata_runner__say(strata_run *run, const char *msg)
{
    strata_event ev = { STRATA_EVENT_INFO, NULL, 0, 0, msg };
    if (run->opts && run->opts->on_event)
        run->opts->on_event(&ev, run->opts->payload);
}

void strata_runner__say_lock(const char *msg, void *payload)
{
    strata_run *run = payload;
    strata_event ev = { STRATA_EVENT_INFO, NULL, 0, 0, msg };
    if (run->opts && run->opts->on_event)
        run->opts->on_event(&ev, run->opts->payload);
}

/* Sleep "ms", waking early when strata_interrupt() is called. */
int strata_runner__sleep(long ms)
{
    int64_t until = strata_time_ms() + ms;
    while (strata_time_ms() < until) {
        if (strata__interrupted())
            return strata__error_interrupted();
        long left = (long)(until - strata_time_ms());
        strata_time_sleep_ms(left < 100 ? (left > 0 ? left : 0) : 100);
    }
    return strata__interrupted() ? strata__error_interrupted() : 0;
}

long strata_runner__setting(const strata_run *run, int which)
{
    const strata_run_options *o = run->opts;
    const strata_project *p = run->project;
    switch (which) {
    case STRATA_SETTING_STATEMENT_TIMEOUT:
        return o && o->statement_timeout_ms > 0 ? o->statement_timeout_ms : p->statement_timeout_ms;
    case STRATA_SETTING_LOCK_TIMEOUT:
        return o && o->lock_timeout_ms > 0 ? o->lock_timeout_ms : p->lock_timeout_ms;
    case STRATA_SETTING_LOCK_RETRIES:
        return o && o->lock_retries >= 0 ? o->lock_retries : p->lock_retries;
    case STRATA_SETTING_LOCK_WAIT:
        return o && o->lock_wait_ms >= 0 ? o->lock_wait_ms
               : p->lock_wait_ms >= 0 ? p->lock_wait_ms : DEFAULT_LOCK_WAIT_MS;
    case STRATA_SETTING_CONNECT_WAIT:
        return o && o->connect_wait_ms > 0 ? o->connect_wait_ms : p->connect_wait_ms;
    }
    return 0;
}

/*
 * Connect, retrying while the database is not up yet (--wait): backoff from
 * 250 ms to 5 s, saying why each try failed, until the wait has passed.
 * Only connection failures are retried; a bad URL fails at once.
 */
int strata_runner__connect(strata_run *run)
{
    long wait = strata_runner__setting(run, STRATA_SETTING_CONNECT_WAIT);
    int64_t deadline = strata_time_ms() + wait;
    long delay = 250;
    int error;

    for (int attempt = 1;; attempt++) {
        error = run->drv->connect(&run->conn, run->project->url,
                                  run->writer ? 0 : STRATA_CONNECT_READ_ONLY);
        if (error != STRATA_ECONNECT || wait <= 0)
            return error;
        int64_t now = strata_time_ms();
        if (now >= deadline) {
            strata__error_prefix("gave up after %d tries in %ld ms: ", attempt, wait);
            return error;
        }
        {
            strata_buf msg = STRATA_BUF_INIT;
            const strata_error *e = strata_error_last();
            long left = (long)(deadline - now);
            if (delay > left)
                delay = left;
            strata_buf_printf(&msg, "database not ready (try %d, %ld ms left): %s; retrying in %ld ms",
                              attempt, left, e && e->message ? e->message : "no answer", delay);
            strata_runner__say_lock(msg.ptr, run);
            strata_buf_dispose(&msg);
        }
        if ((error = strata_runner__sleep(delay)) < 0)
            return error;
        delay = delay * 2 > 5000 ? 5000 : delay * 2;
    }
}

/* The migration files, read and hashed on a thread of their own. */
typedef struct {
    strata_project *p;
    const strata_source *src;
    int error;
    strata_error err;        /* the thread's error, copied out */
    strata_arena arena;      /* for err's strings */
    pthread_t thread;
    int running;
} source_job;

static void *source_thread(void *arg)
{
    source_job *j = arg;
    j->error = strata_project_source(&j->src, j->p);
    if (j->error)
        strata__error_copy(&j->err, &j->arena);
    strata_error_clear();  /* frees this thread's error memory */
    return NULL;
}

/* Wait for the files; a bad file is the error to report, before the database's. */
static int source_join(strata_run *run, source_job *j, int error)
{
    if (!j->running)
        return error;
    pthread_join(j->thread, NULL);
    j->running = 0;
    if (j->error)
        error = strata__error_restore(&j->err);
    else
        run->src = j->src;
    strata_arena_dispose(&j->arena);
    return error;
}

/* Connected: the history table, the migration lock (writers), the history rows. */
static int open_history(strata_run *run, source_job *job)
{
    strata_project *p = run->project;
    int error;

    if ((error = strata_history__open(&run->hist, run->drv, run->conn, p->history_schema)) < 0)
        return error;
    run->table_mode = run->writer && run->drv->lock_row &&
                      (run->opts && run->opts->lock_mode != STRATA_LOCK_DEFAULT
                           ? run->opts->lock_mode
                           : p->lock_mode) == STRATA_LOCK_TABLE;
    if (run->writer == 1 && !run->table_mode) {
        /* the lock key names the history table, so two projects in one database
         * (different history schemas) do not block each other; a runner that
         * has to wait for it first says what is wrong with its files */
        long wait = strata_runner__setting(run, STRATA_SETTING_LOCK_WAIT);
        error = run->drv->lock(run->conn, run->hist.table.ptr, 0, NULL, NULL);
        if (error == STRATA_ELOCKED && wait > 0 && (error = source_join(run, job, 0)) == 0)
            error = run->drv->lock(run->conn, run->hist.table.ptr, wait, strata_runner__say_lock, run);
        if (error < 0)
            return error;
        run->locked = 1;
    }
    return strata_history__read(&run->hist);
}

int strata_runner__open(strata_run *run, strata_project *p, const strata_run_options *opts,
                        int writer)
{
    source_job job;
    int error;

    memset(run, 0, sizeof(*run));
    memset(&job, 0, sizeof(job));
    run->project = p;
    run->opts = opts;
    run->writer = writer;
    job.p = p;
    if (!(run->drv = strata_driver_for_url(p->url)))
        return STRATA_EINVALID;
    if (run->drv->connect_finish && !p->source) {
        /* the server forks a backend, and we lock and read history, while a
         * thread reads and hashes the files */
        long wait = strata_runner__setting(run, STRATA_SETTING_CONNECT_WAIT);
        int started = run->drv->connect(&run->conn, p->url,
                                        STRATA_CONNECT_ASYNC | (writer ? 0 : STRATA_CONNECT_READ_ONLY));
        if (started < 0 && (started != STRATA_ECONNECT || wait <= 0))
            return started;  /* a bad URL, or down with no --wait */
        job.running = pthread_create(&job.thread, NULL, source_thread, &job) == 0;
        if (!job.running && (error = strata_project_source(&run->src, p)) < 0)
            return error;  /* close() ends the half-open connection */
        if (started == 0 && (error = run->drv->connect_finish(run->conn)) < 0) {
            run->drv->close(run->conn);
            run->conn = NULL;
            if (error != STRATA_ECONNECT || wait <= 0)
                goto done;
        }
    } else if ((error = strata_project_source(&run->src, p)) < 0) {
        return error;
    }
    /* waiting for the server (--wait): a bad file is reported first */
    if (!run->conn && ((error = source_join(run, &job, 0)) < 0 || (error = strata_runner__connect(run)) < 0))
        goto done;
    error = open_history(run, &job);
done:
    return source_join(run, &job, error);
}

/*
 * Under the lock, before the first write: create the history tables if
 * missing and the schemas named in config (seed 004), then re-read history.
 */
int strata_runner__begin_writes(strata_run *run)
{
    strata_project *p = run->project;
    int error;

    assert(run->locked || run->table_mode);
    /* create only what is missing: CREATE SCHEMA IF NOT EXISTS needs the CREATE
     * privilege on the database even when the schema exists */
    if (!run->hist.exists && (error = strata_history__ensure(&run->hist)) < 0) {
        /* table mode has no lock yet: two runners creating the tables at once
         * collide (duplicate key in the catalog); the other one made them */
        if (!run->table_mode)
            return error;
        strata_runner__sleep(100);
        if ((error = strata_history__ensure(&run->hist)) < 0)
            return error;
    }
    for (size_t i = 0; i < p->schemas_count; i++) {
        if ((error = run->drv->ensure_schema(run->conn, p->schemas[i])) < 0) {
            strata__error_prefix("cannot create schema %s from config: ", p->schemas[i]);
            return error;
        }
    }
    run->hist.exists = 1;
    return 0;
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

int strata_runner__begin_tx(strata_run *run)
{
    const strata_driver *d = run->drv;
    long wait = strata_runner__setting(run, STRATA_SETTING_LOCK_WAIT);
    int64_t deadline = strata_time_ms() + wait, last_said = strata_time_ms();
    long delay = 20;
    int error;

    for (;;) {
        if ((error = d->begin(run->conn)) < 0 || !run->table_mode)
            return error;
        if ((error = d->lock_row(run->conn, run->project->history_schema)) == 0)
            return 0;
        d->rollback(run->conn);
        if (error != STRATA_ELOCKED)
            return error;
        if (strata_time_ms() >= deadline) {
            strata__error(STRATA_ELOCKED, "runner", "another runner held the lock row of %s for %ld ms",
                          run->hist.table.ptr, wait);
            strata__error_hint("wait for it to finish, or raise --lock-wait");
            return STRATA_ELOCKED;
        }
        if (strata_time_ms() - last_said >= 5000) {
            strata_runner__say(run, "waiting for another runner's step to commit (lock row)");
            last_said = strata_time_ms();
        }
        if ((error = strata_runner__sleep(delay)) < 0)
            return error;
        delay = delay * 2 > 500 ? 500 : delay * 2;
    }
}

/* The session id in a "running (session N) ..." note, or 0. */
static long running_session(const char *note)
{
    long id = 0;
    if (note && sscanf(note, "running (session %ld)", &id) == 1)
        return id;
    return 0;
}

/* Is the history row a no-transaction step still running in a live session? */
static int in_progress(strata_run *run, const strata_hrow *r)
{
    long id = r && !r->success ? running_session(r->note) : 0;
    return id && run->drv->session_alive && run->drv->session_alive(run->conn, id) == 1;
}

/*
 * Table mode, holding the lock row: read this step's history rows afresh
 * (only them: a query per step must not grow with the history) and tell
 * whether the step "h" is still to do: 1 yes, 0 no (another runner did it), 2 another
 * runner is doing it right now (no-transaction step in progress), <0 error.
 */
static int still_needed(strata_run *run, const strata_hrow *h, int run_always)
{
    strata_history fresh;
    int applied = 0, busy = 0, error;
    const char *checksum = NULL;

    if ((error = strata_history__open(&fresh, run->drv, run->conn, run->project->history_schema)) < 0 ||
        (error = strata_history__read_one(&fresh, h->kind == STRATA_KIND_REPEATABLE ? NULL : h->version,
                                          h->name)) < 0) {
        strata_history__dispose(&fresh);
        return error;
    }
    for (size_t i = 0; i < fresh.count; i++) {
        const strata_hrow *r = &fresh.rows[i];
        if (h->kind == STRATA_KIND_REPEATABLE) {
            if (r->kind == STRATA_KIND_DELETED)
                checksum = NULL;
            else if (r->success)
                checksum = r->checksum;
            busy = !r->success && in_progress(run, r);
        } else {
            if (r->kind == STRATA_KIND_UNDO || r->kind == STRATA_KIND_DELETED)
                applied = r->success ? 0 : applied;
            else if (r->kind == STRATA_KIND_VERSIONED && r->success)
                applied = 1;
            busy = !r->success && in_progress(run, r);
        }
    }
    strata_history__dispose(&fresh);
    if (busy)
        return 2;
    if (h->kind == STRATA_KIND_REPEATABLE)
        return run_always || !checksum || strcmp(checksum, h->checksum) != 0;
    return h->kind == STRATA_KIND_UNDO ? applied : !applied;
}

/*
 * Table mode: take the lock row and check the step is still to do. Returns 0
 * with the transaction open and the lock row held, 1 when another runner did
 * it (transaction closed), <0 on error. Waits while another runner runs it.
 */
static int begin_step(strata_run *run, const strata_hrow *h, int run_always)
{
    long wait = strata_runner__setting(run, STRATA_SETTING_LOCK_WAIT);
    int64_t deadline = strata_time_ms() + wait;
    int error;

    for (;;) {
        if ((error = strata_runner__begin_tx(run)) < 0 || !run->table_mode)
            return error;
        if ((error = still_needed(run, h, run_always)) < 0) {
            run->drv->rollback(run->conn);
            return error;
        }
        if (error == 1)
            return 0;
        run->drv->rollback(run->conn);
        if (error == 0)
            return 1;
        if (strata_time_ms() >= deadline) {
            strata__error(STRATA_ELOCKED, "runner", "another runner is still running %s %s after %ld ms",
                          h->version ? h->version : "R", h->name, wait);
            return STRATA_ELOCKED;
        }
        if ((error = strata_runner__sleep(500)) < 0)
            return error;
    }
}

int strata_runner__wait_in_progress(strata_run *run)
{
    long wait = strata_runner__setting(run, STRATA_SETTING_LOCK_WAIT);
    int64_t deadline = strata_time_ms() + wait;
    int error;

    for (;;) {
        int busy = 0;
        for (size_t i = 0; i < run->count && !busy; i++)
            busy = run->entries[i].state == STRATA_STATE_FAILED && in_progress(run, run->entries[i].failed);
        if (!busy)
            return 0;
        if (strata_time_ms() >= deadline)
            return strata__error(STRATA_ELOCKED, "runner",
                                 "another runner's no-transaction step is still running after %ld ms", wait);
        if ((error = strata_runner__sleep(500)) < 0 || (error = strata_history__read(&run->hist)) < 0 ||
            (error = strata_state__fold(run)) < 0)
            return error;
    }
}

/* A no-transaction step's progress, written to its history row as it goes. */
typedef struct {
    strata_run *run;
    long long rank;          /* the step's history row */
    const char *sql;         /* the script */
    unsigned first_line;
    size_t base;             /* statements done before this attempt */
    long session;            /* this runner's session, named in the note */
} progress_ctx;

static int on_progress(void *payload, size_t done, size_t end_offset)
{
    progress_ctx *pc = payload;
    char note[200];
    snprintf(note, sizeof(note), "running (session %ld) or cut off: %zu statement%s done, through line %u",
             pc->session, pc->base + done, pc->base + done == 1 ? "" : "s",
             pc->first_line + strata_str_line_of(pc->sql, end_offset, NULL) - 1);
    /* best effort: a failure to note progress must not fail the migration */
    strata_history__finish(&pc->run->hist, pc->rank, 0, 0, note);
    return 0;
}

static int is_lock_timeout(void)
{
    const strata_error *e = strata_error_last();
    return e && e->sqlstate && strcmp(e->sqlstate, "55P03") == 0;
}

/* Backoff before retry "attempt" (1-based): 1 s, 2 s, 4 s ... capped at 30 s. */
static long backoff_ms(int attempt)
{
    long ms = 1000L << (attempt - 1 < 5 ? attempt - 1 : 5);
    return ms > 30000 ? 30000 : ms;
}

static void say_retry(strata_run *run, const char *rel, int attempt, int retries, long delay)
{
    strata_buf msg = STRATA_BUF_INIT;
    const strata_error *e = strata_error_last();
    const char *by = e && e->message ? strstr(e->message, "blocked by ") : NULL;
    const char *end = by ? strstr(by, "): ERROR") : NULL;
    strata_buf_printf(&msg, "%s gave way on lock_timeout", rel);
    if (by)
        strata_buf_printf(&msg, ", %.*s", end ? (int)(end - by + 1) : (int)strlen(by), by);
    strata_buf_printf(&msg, "; retry %d of %d in %ld ms", attempt, retries, delay);
    strata_runner__say_lock(msg.ptr, run);
    strata_buf_dispose(&msg);
}

/* One transactional attempt: BEGIN, timeouts, statements, callback, history row, COMMIT. */
static int step_tx(strata_run *run, const strata_step *step, strata_hrow *hrow, int64_t t0)
{
    const strata_driver *d = run->drv;
    strata_script_pos pos = { 0, 0, -1, 0 };
    long lock_timeout = strata_runner__setting(run, STRATA_SETTING_LOCK_TIMEOUT);
    int error;

    if (!run->outer_tx && (error = begin_step(run, hrow, step->run_always)) != 0)
        return error;  /* 1: another runner did it (table mode) */
    if ((step->timeout_ms > 0 && (error = d->set_timeout(run->conn, step->timeout_ms, 1)) < 0) ||
        (lock_timeout > 0 && (error = d->set_lock_timeout(run->conn, lock_timeout, 1)) < 0))
        goto rollback;
    if ((error = d->exec_script(run->conn, step->sql, step->len, &pos, NULL, NULL)) < 0) {
        locate_failure(run, step->rel, step->sql, step->first_line, &pos, 1);
        goto rollback;
    }
    if (step->after_each && (error = strata_runner__callback(run, "after_each", 1)) < 0)
        goto rollback;
    hrow->duration_ms = (long)(strata_time_ms() - t0);
    hrow->success = 1;
    if (run->outer_tx) {
        /* --single-transaction: the rows wait for the one COMMIT at the end */
        if ((error = strata_history__queue(&run->hist, hrow)) < 0)
            goto rollback;
        return 0;
    }
    /* the history row and the COMMIT travel together: one round trip */
    if ((error = strata_history__insert_commit(&run->hist, hrow)) < 0) {
        strata__error_prefix("%s was rolled back: ", step->rel);
        goto rollback;
    }
    return 0;
rollback:
    if (!run->outer_tx)
        d->rollback(run->conn);  /* keep the step's error, not the rollback's */
    return error;
}

/*
 * No transaction: mark the step as running in history first (so a kill -9
 * leaves a failed row saying how far it got), run the statements in
 * autocommit noting progress, then record the outcome. A statement that gave
 * way on lock_timeout is retried from that statement on, never re-running
 * the ones done.
 */
static int step_no_tx(strata_run *run, const strata_step *step, strata_hrow *hrow, int64_t t0)
{
    const strata_driver *d = run->drv;
    long lock_timeout = strata_runner__setting(run, STRATA_SETTING_LOCK_TIMEOUT);
    int retries = (int)strata_runner__setting(run, STRATA_SETTING_LOCK_RETRIES);
    progress_ctx pc = { run, 0, step->sql, step->first_line, 0, 0 };
    size_t offset = 0;
    int error;

    char running[96];
    const char *final_note = hrow->note;  /* what the row says once it succeeded */

    /* the marker names this session, so a runner in table mode can tell a step
     * in progress from one that was cut off */
    snprintf(running, sizeof(running), "running (session %ld) or cut off: 0 statements done",
             d->session_id ? d->session_id(run->conn) : 0L);
    hrow->success = 0;
    hrow->note = running;
    if (run->table_mode) {
        /* claim it under the lock row, then let the lock go: the statements run
         * outside any transaction */
        if ((error = begin_step(run, hrow, step->run_always)) != 0)
            return error;
        if ((error = strata_history__insert_rank(&run->hist, hrow, &pc.rank)) < 0 ||
            (error = d->commit(run->conn)) < 0) {
            d->rollback(run->conn);
            return error;
        }
    } else if ((error = strata_history__insert_rank(&run->hist, hrow, &pc.rank)) < 0) {
        return error;
    }
    pc.session = d->session_id ? d->session_id(run->conn) : 0;
    if ((step->timeout_ms > 0 && (error = d->set_timeout(run->conn, step->timeout_ms, 0)) < 0) ||
        (lock_timeout > 0 && (error = d->set_lock_timeout(run->conn, lock_timeout, 0)) < 0))
        goto failed;
    for (int attempt = 0;; attempt++) {
        strata_script_pos pos = { 0, 0, -1, 0 };
        error = d->exec_script(run->conn, step->sql + offset, step->len - offset, &pos, on_progress, &pc);
        if (error == 0 && d->in_transaction(run->conn)) {
            /* the file opened a transaction and never closed it: closing the
             * connection would silently undo it */
            d->rollback(run->conn);
            error = strata__error(STRATA_EFAILED, "runner",
                                  "the migration left its own transaction open (BEGIN without "
                                  "COMMIT); it was rolled back");
            pos.stmt_offset = pos.stmt_len = 0;
            pos.error_offset = -1;
        }
        if (error == 0)
            break;
        pos.stmt_offset += offset;
        if (pos.error_offset >= 0)
            pos.error_offset += (long)offset;
        pc.base += pos.stmts_done;
        offset = pos.stmt_offset;
        if (is_lock_timeout() && attempt < retries) {
            long delay = backoff_ms(attempt + 1);
            say_retry(run, step->rel, attempt + 1, retries, delay);
            if ((error = strata_runner__sleep(delay)) < 0)
                goto failed;
            continue;
        }
        locate_failure(run, step->rel, step->sql, step->first_line, &pos, 0);
        goto failed;
    }
    if (step->timeout_ms > 0)
        d->set_timeout(run->conn, 0, 0);
    if (lock_timeout > 0)
        d->set_lock_timeout(run->conn, 0, 0);
    hrow->duration_ms = (long)(strata_time_ms() - t0);
    if ((error = strata_history__finish(&run->hist, pc.rank, 1, hrow->duration_ms, final_note)) < 0)
        return error;
    if (step->after_each && (error = strata_runner__callback(run, "after_each", 0)) < 0)
        return error;
    return 0;

failed: {
        /* record how it ended; the step's error stays the one reported */
        strata_error saved = *strata_error_last();
        strata_buf msg = STRATA_BUF_INIT, note = STRATA_BUF_INIT, stmt = STRATA_BUF_INIT;
        strata_buf hint = STRATA_BUF_INIT, file = STRATA_BUF_INIT;
        char sqlstate[16] = "";
        int code = saved.code;

        strata_buf_puts(&msg, saved.message ? saved.message : "failed");
        if (saved.statement)
            strata_buf_puts(&stmt, saved.statement);
        if (saved.hint)
            strata_buf_puts(&hint, saved.hint);
        if (saved.file)
            strata_buf_puts(&file, saved.file);
        if (saved.sqlstate)
            snprintf(sqlstate, sizeof(sqlstate), "%s", saved.sqlstate);
        strata_buf_printf(&note, "%s after %zu statement%s: %s",
                          code == STRATA_EINTERRUPTED ? "interrupted" : "failed", pc.base,
                          pc.base == 1 ? "" : "s", msg.ptr);
        if (step->timeout_ms > 0)
            d->set_timeout(run->conn, 0, 0);
        if (lock_timeout > 0)
            d->set_lock_timeout(run->conn, 0, 0);
        strata_history__finish(&run->hist, pc.rank, 0, (long)(strata_time_ms() - t0), note.ptr);
        strata__error(code, "runner", "%s", msg.ptr);
        strata__error_db(sqlstate[0] ? sqlstate : NULL, NULL, stmt.size ? stmt.ptr : NULL);
        if (file.size)
            strata__error_at(file.ptr, saved.line, saved.column);
        strata__error_hint("%s%sundo by hand what it did, run 'strata repair' to clear the failed "
                           "entry, then migrate again (the whole file re-runs)",
                           hint.size ? hint.ptr : "", hint.size ? "; " : "");
        strata_buf_dispose(&msg);
        strata_buf_dispose(&note);
        strata_buf_dispose(&stmt);
        strata_buf_dispose(&hint);
        strata_buf_dispose(&file);
        return code;
    }
}

/* Could the script change session state (SET, set_config, SET ROLE)? A cheap,
 * generous test: a false alarm costs one RESET round trip. */
static int may_set_session(const char *sql)
{
    return strcasestr(sql, "set ") || strcasestr(sql, "set\t") || strcasestr(sql, "set\n") ||
           strcasestr(sql, "set_config");
}

/*
 * Run one step (an up or down script) and record "hrow" with it; a
 * transactional step that gives way on lock_timeout is retried whole, with
 * backoff, up to lock_retries times. *duration_ms receives how long it took.
 */
int strata_runner__step(strata_run *run, const strata_step *step, strata_hrow *hrow,
                        long *duration_ms)
{
    int retries = (int)strata_runner__setting(run, STRATA_SETTING_LOCK_RETRIES);
    int error;

    for (int attempt = 0;; attempt++) {
        int64_t t0 = strata_time_ms();
        if (strata__interrupted())
            return strata__error_interrupted();
        error = step->no_tx ? step_no_tx(run, step, hrow, t0) : step_tx(run, step, hrow, t0);
        if (error == 1)
            return 1;  /* another runner did it meanwhile */
        if (error == 0) {
            *duration_ms = hrow->duration_ms;
            /* a SET (search_path, role) in one file must not leak into the next */
            if (run->drv->reset_session && may_set_session(step->sql))
                error = run->drv->reset_session(run->conn);
            return error;
        }
        if (step->no_tx || run->outer_tx || !is_lock_timeout() || attempt >= retries)
            break;
        long delay = backoff_ms(attempt + 1);
        say_retry(run, step->rel, attempt + 1, retries, delay);
        if ((error = strata_runner__sleep(delay)) < 0)
            break;
    }
    if (is_lock_timeout() && retries > 0)
        strata__error_hint("it gave way %d time%s; raise --lock-retries or --lock-timeout, or run "
                           "it when the blocking session is done", retries + 1, retries ? "s" : "");
    return error;
}

int strata_runner__emit(strata_run *run, strata_event_type type, const strata_row *row,
                        size_t index, size_t total)
{
    strata_event ev = { type, row, index, total, NULL };
    if (run->opts && run->opts->on_event && run->opts->on_event(&ev, run->opts->payload))
        return strata__error(STRATA_EUSER, "runner", "stopped by the caller after step %zu", index);
    return 0;
}
