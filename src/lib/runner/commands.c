/*
 * commands.c: the public strata_migrate_* entry points. Each opens a run
 * (runner.c), folds history against the files (state.c), refuses when they
 * disagree, and then reports or acts. Refusals happen before anything runs
 * and name every file concerned.
 */
#include <stdlib.h>
#include <string.h>
#include "runner.h"

/* Is the SQL only blanks and comments? (an empty down section means "no down") */
static int is_blank_sql(const char *s)
{
    while (s && *s) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f') {
            s++;
        } else if (s[0] == '-' && s[1] == '-') {
            while (*s && *s != '\n')
                s++;
        } else if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            s = e ? e + 2 : s + strlen(s);
        } else {
            return 0;
        }
    }
    return 1;
}

static const char *entry_path(const strata_entry *e)
{
    const strata_hrow *h = e->applied ? e->applied : e->failed;
    if (e->mig)
        return e->mig->path;
    if (h && h->path)
        return h->path;
    return h && h->version ? h->version : h ? h->name : "?";
}

static const char *entry_version(const strata_entry *e)
{
    const strata_hrow *h = e->applied ? e->applied : e->failed;
    return e->mig ? e->mig->version : h ? h->version : NULL;
}

/* An error names this many files, then counts the rest. */
#define NAMES_SHOWN 10

static void names_more(strata_buf *list, size_t n)
{
    if (n > NAMES_SHOWN)
        strata_buf_printf(list, ", and %zu more ('strata status' lists them all)", n - NAMES_SHOWN);
}

/*
 * Refuse when history and files disagree: failed steps always; changed or
 * missing files and out-of-order versions unless the options allow them.
 */
static int check_agreement(strata_run *run, const strata_run_options *o, int check_order)
{
    strata_buf failed = STRATA_BUF_INIT, drift = STRATA_BUF_INIT, order = STRATA_BUF_INIT;
    size_t nfailed = 0, ndrift = 0, norder = 0;
    int error = 0;

    for (size_t i = 0; i < run->count; i++) {
        const strata_entry *e = &run->entries[i];
        if (e->state == STRATA_STATE_FAILED) {
            if (nfailed++ < NAMES_SHOWN)
                strata_buf_printf(&failed, "%s%s", nfailed > 1 ? ", " : "", entry_path(e));
        } else if ((e->state == STRATA_STATE_CHANGED && !(o && o->allow_changed)) ||
                   (e->state == STRATA_STATE_MISSING && e->kind == STRATA_KIND_VERSIONED &&
                    !(o && o->allow_missing))) {
            if (ndrift++ < NAMES_SHOWN)
                strata_buf_printf(&drift, "%s%s (%s)", ndrift > 1 ? ", " : "", entry_path(e),
                                  e->state == STRATA_STATE_CHANGED ? "changed" : "file missing");
        } else if (check_order && e->state == STRATA_STATE_OUT_OF_ORDER &&
                   !(o && o->allow_out_of_order)) {
            if (norder++ < NAMES_SHOWN)
                strata_buf_printf(&order, "%s%s", norder > 1 ? ", " : "", entry_path(e));
        }
    }
    names_more(&failed, nfailed);
    names_more(&drift, ndrift);
    names_more(&order, norder);
    if (nfailed) {
        error = strata__error(STRATA_EREFUSED, "runner",
                              "%zu migration%s failed earlier and may be half-applied: %s", nfailed,
                              nfailed > 1 ? "s" : "", failed.ptr);
        strata__error_hint("undo by hand what it did (status shows how far it got), run "
                           "'strata repair' to clear the failed entry, then migrate again: it "
                           "re-runs the whole file");
    } else if (ndrift) {
        error = strata__error(STRATA_ECHECKSUM, "runner",
                              "%zu applied migration%s no longer match%s the files: %s", ndrift,
                              ndrift > 1 ? "s" : "", ndrift > 1 ? "" : "es", drift.ptr);
        strata__error_hint("restore the files as they were applied; or, if the change is "
                           "intended, run 'strata repair' to accept it; or pass "
                           "--allow-changed / --allow-missing for this run");
    } else if (norder) {
        error = strata__error(STRATA_EREFUSED, "runner",
                              "%zu pending migration%s older than the newest applied version %s: %s",
                              norder, norder > 1 ? "s are" : " is", run->max_applied, order.ptr);
        strata__error_hint("renumber them after %s, or pass --allow-out-of-order to apply them",
                           run->max_applied);
    }
    strata_buf_dispose(&failed);
    strata_buf_dispose(&drift);
    strata_buf_dispose(&order);
    return error;
}

int strata_migrate_status(strata_report *out, strata_project *p)
{
    strata_run run;
    int error;

    strata_error_clear();
    memset(out, 0, sizeof(*out));
    if ((error = strata_runner__open(&run, p, NULL, 0)) < 0 ||
        (error = strata_state__fold(&run)) < 0 ||
        (error = strata_runner__report_init(out, &run)) < 0)
        goto done;
    for (size_t i = 0; i < run.count; i++)
        if (!strata_runner__report_add(out, &run.entries[i])) {
            error = strata__error_oom();
            goto done;
        }
done:
    strata_runner__close(&run);
    return error;
}

/* The report's rows for the steps of a run (with their SQL when "dry_run"). */
static int add_step_rows(strata_report *out, strata_entry **steps, size_t n, strata_action action,
                         int dry_run)
{
    for (size_t i = 0; i < n; i++) {
        const strata_migration *m = steps[i]->mig;
        strata_row *row = strata_runner__report_add(out, steps[i]);
        STRATA_CHECK_ALLOC(row);
        row->action = action;
        if (action == STRATA_ACTION_REVERT)
            row->no_transaction = (m->flags & STRATA_MIG_DOWN_NO_TRANSACTION) != 0;
        if (dry_run)
            row->sql = strata_runner__report_str(out, action == STRATA_ACTION_REVERT ? m->down_sql
                                                                                     : m->up_sql);
    }
    return 0;
}

/* Is "v" applied, adopted by the baseline, or scheduled among steps [0, upto)? */
static int requirement_met(strata_run *run, const char *v, strata_entry **steps, size_t upto)
{
    strata_format f = strata_source_format(run->src);
    for (size_t i = 0; i < run->count; i++) {
        const strata_entry *e = &run->entries[i];
        const char *ev = entry_version(e);
        if (e->kind == STRATA_KIND_VERSIONED && ev && strata_version_compare(f, ev, v) == 0 &&
            (e->applied || e->state == STRATA_STATE_BELOW_BASELINE))
            return 1;
    }
    for (size_t i = 0; i < upto; i++)
        if (steps[i]->kind == STRATA_KIND_VERSIONED &&
            strata_version_compare(f, steps[i]->mig->version, v) == 0)
            return 1;
    return 0;
}

/*
 * Run the steps listed in the report's rows [0, n), in order, with the
 * after_each callback and hook. *applied counts the steps that committed.
 */
static int run_steps(strata_run *run, strata_report *out, strata_entry **steps, size_t n,
                     int revert, size_t *applied)
{
    strata_row *rows = (strata_row *)out->rows;
    long default_timeout = strata_runner__setting(run, STRATA_SETTING_STATEMENT_TIMEOUT);
    int after_each = !revert && strata_runner__has_callback(run, "after_each");
    int error = 0;

    for (size_t i = 0; i < n; i++) {
        const strata_migration *m = steps[i]->mig;
        strata_hrow h;
        strata_step step;
        long ms = 0;

        memset(&h, 0, sizeof(h));
        h.kind = revert ? STRATA_KIND_UNDO : m->kind;
        h.version = m->version;
        h.name = m->name;
        h.checksum = m->checksum;
        h.path = revert ? m->down_path : m->path;
        h.env = run->project->env;
        if (!revert && run->opts && run->opts->no_lint && (run->drv->caps & STRATA_CAP_SCHEMAS) &&
            !run->opts->dry_run)
            h.note = "applied with --no-lint";
        step.rel = revert ? m->down_path : m->path;
        step.sql = revert ? m->down_sql : m->up_sql;
        step.len = revert ? m->down_len : m->up_len;
        step.first_line = revert ? m->down_line : m->up_line;
        step.no_tx = (m->flags & (revert ? STRATA_MIG_DOWN_NO_TRANSACTION : STRATA_MIG_NO_TRANSACTION)) != 0;
        step.timeout_ms = m->timeout_ms > 0 ? m->timeout_ms : default_timeout;
        step.after_each = after_each;
        if ((error = strata_runner__emit(run, STRATA_EVENT_STEP_START, &rows[i], i + 1, n)) < 0)
            break;
        step.run_always = (m->flags & STRATA_MIG_RUN_ALWAYS) != 0;
        if ((error = strata_runner__step(run, &step, &h, &ms)) < 0) {
            /* the event must not clobber the step's error */
            strata_event ev = { STRATA_EVENT_STEP_FAILED, &rows[i], i + 1, n, NULL };
            if (run->opts && run->opts->on_event)
                run->opts->on_event(&ev, run->opts->payload);
            break;
        }
        if (error == 1) {
            /* table mode: another runner applied it between our read and our step */
            error = 0;
            rows[i].reason = "done by another runner meanwhile";
            if ((error = strata_runner__emit(run, STRATA_EVENT_STEP_DONE, &rows[i], i + 1, n)) < 0)
                break;
            continue;
        }
        rows[i].done = 1;
        rows[i].duration_ms = ms;
        (*applied)++;
        if ((error = strata_runner__emit(run, STRATA_EVENT_STEP_DONE, &rows[i], i + 1, n)) < 0)
            break;
        if (!revert && (error = strata_runner__hook(run, STRATA_HOOK_AFTER_EACH, &rows[i], "success",
                                                    *applied)) < 0)
            break;
    }
    return error;
}

/*
 * --single-transaction: every step, its history row and the callbacks in one
 * transaction (like psql -1): all of it commits, or none of it. Steps that
 * must run outside a transaction cannot join, and are refused up front.
 */
static int single_transaction(strata_run *run, strata_report *out, strata_entry **steps, size_t n)
{
    size_t applied = 0;
    int error;

    for (size_t i = 0; i < n; i++) {
        if (steps[i]->mig->flags & STRATA_MIG_NO_TRANSACTION) {
            error = strata__error(STRATA_EREFUSED, "runner",
                                  "%s runs outside a transaction and cannot join --single-transaction",
                                  steps[i]->mig->path);
            strata__error_hint("migrate without --single-transaction, or up to the version before it "
                               "with --to");
            return error;
        }
    }
    if (run->table_mode)
        return strata__error(STRATA_EREFUSED, "runner", "--single-transaction needs --lock-mode session");
    if ((error = strata_runner__begin_writes(run)) < 0 || (error = strata_runner__begin_tx(run)) < 0)
        return error;
    run->outer_tx = 1;
    if ((error = strata_runner__callback(run, "before_migrate", 1)) < 0 ||
        (error = run_steps(run, out, steps, n, 0, &applied)) < 0 ||
        (error = strata_runner__callback(run, "after_migrate", 1)) < 0 ||
        (error = strata_history__flush_commit(&run->hist)) < 0) {
        run->outer_tx = 0;
        strata_history__drop_queued(&run->hist);
        run->drv->rollback(run->conn);
        for (size_t i = 0; i < out->count; i++)
            ((strata_row *)out->rows)[i].done = 0;
        strata__error_prefix("nothing was applied (single transaction rolled back): ");
        strata_runner__hook(run, STRATA_HOOK_ON_ERROR, NULL, "failed", 0);
        return error;
    }
    run->outer_tx = 0;
    return strata_runner__hook(run, STRATA_HOOK_AFTER_MIGRATE, NULL, "success", applied);
}

/*
 * The migrate sequence, under the lock: before_migrate hook (nothing has
 * changed yet when it fails), bookkeeping tables, before_migrate.sql, the
 * steps, after_migrate.sql, after_migrate hook; on_error on any failure.
 */
static int migrate_steps(strata_run *run, strata_report *out, strata_entry **steps, size_t n)
{
    size_t applied = 0;
    int error;

    if ((error = strata_runner__hook(run, STRATA_HOOK_BEFORE_MIGRATE, NULL, "pending", 0)) < 0)
        return error;  /* the run stops before anything changes */
    if (n == 0)
        return strata_runner__hook(run, STRATA_HOOK_AFTER_MIGRATE, NULL, "success", 0);
    if (run->opts && run->opts->single_transaction) {
        return single_transaction(run, out, steps, n);
    }
    if ((error = strata_runner__begin_writes(run)) < 0 ||
        (error = strata_runner__callback(run, "before_migrate", 0)) < 0 ||
        (error = run_steps(run, out, steps, n, 0, &applied)) < 0 ||
        (error = strata_runner__callback(run, "after_migrate", 0)) < 0) {
        const strata_row *failed = NULL;
        for (size_t i = 0; i < out->count; i++)
            if (!out->rows[i].done) {
                failed = &out->rows[i];
                break;
            }
        strata_runner__hook(run, STRATA_HOOK_ON_ERROR, failed,
                            error == STRATA_EINTERRUPTED ? "interrupted" : "failed", applied);
        return error;
    }
    return strata_runner__hook(run, STRATA_HOOK_AFTER_MIGRATE, NULL, "success", applied);
}

/*
 * Lint what is about to run (PostgreSQL): error findings refuse the run
 * before anything changes, naming the first few; --no-lint skips this and is
 * recorded in the history.
 */
static int lint_gate(strata_run *run, strata_entry **steps, size_t n)
{
    strata_lint_report lr = STRATA_LINT_REPORT_INIT;
    const strata_migration **migs = strata__calloc(n + 1, sizeof(*migs));
    strata_buf list = STRATA_BUF_INIT;
    size_t shown = 0;
    int error;

    STRATA_CHECK_ALLOC(migs);
    for (size_t i = 0; i < n; i++)
        migs[i] = steps[i]->mig;
    size_t blocking = 0;
    if ((error = strata_lint__migrations(&lr, run->project, run->project->migrations_dir, migs, n)) < 0)
        goto done;
    /* the server is the judge of syntax: its parser may be newer than ours */
    for (size_t i = 0; i < lr.count; i++)
        if (!lr.findings[i].suppressed && lr.findings[i].severity == STRATA_SEVERITY_ERROR &&
            strcmp(lr.findings[i].rule, "SL001") != 0)
            blocking++;
    if (blocking > 0) {
        for (size_t i = 0; i < lr.count && shown < 3; i++) {
            const strata_finding *f = &lr.findings[i];
            if (f->suppressed || f->severity != STRATA_SEVERITY_ERROR || strcmp(f->rule, "SL001") == 0)
                continue;
            strata_buf_printf(&list, "%s%s:%d [%s] %s", shown++ ? "; " : "", f->file ? f->file : "?",
                              f->line, f->rule, f->message);
        }
        error = strata__error(STRATA_EREFUSED, "lint", "%zu lint error%s in the pending migrations: %s%s",
                              blocking, blocking == 1 ? "" : "s", list.ptr, blocking > shown ? "; ..." : "");
        strata__error_hint("see 'strata lint --pending'; fix them, silence one with "
                           "'-- strata:lint-ignore RULE reason', or pass --no-lint (recorded in history)");
    }
done:
    strata_buf_dispose(&list);
    strata_lint_report_dispose(&lr);
    free(migs);
    return error;
}

int strata_migrate_apply(strata_report *out, strata_project *p, const strata_run_options *o)
{
    strata_run run;
    strata_entry **steps = NULL;
    size_t n = 0;
    char to[128] = "";
    strata_format f;
    int error;

    strata_error_clear();
    memset(out, 0, sizeof(*out));
    /* a writer reads first without the lock: a no-op run (the common case in
     * an entrypoint) then costs no lock round trips; anything to do, or any
     * refusal, is decided again under the lock */
    if ((error = strata_runner__open(&run, p, o, o && o->dry_run ? 0 : STRATA_RUNNER_LOCK_LATER)) < 0 ||
        (error = strata_state__fold(&run)) < 0 ||
        (error = strata_runner__report_init(out, &run)) < 0)
        goto done;
again:
    f = strata_source_format(run.src);
    if (o && o->to) {
        const strata_migration *t = strata_source_find(run.src, o->to);
        if (!t) {
            error = strata__error(STRATA_ENOTFOUND, "runner", "--to %s: no migration has that version",
                                  o->to);
            strata__error_hint("run 'strata status' to see the versions");
            goto done;
        }
        snprintf(to, sizeof(to), "%s", t->version);
    }
    if (run.table_mode && (error = strata_runner__wait_in_progress(&run)) < 0)
        goto done;
    if ((error = check_agreement(&run, o, 1)) < 0)
        goto unlocked;

    if (!(steps = strata__calloc(run.count + 1, sizeof(*steps)))) {
        error = strata__error_oom();
        goto done;
    }
    for (size_t i = 0; i < run.count; i++) {
        strata_entry *e = &run.entries[i];
        if (e->kind == STRATA_KIND_VERSIONED &&
            (e->state == STRATA_STATE_PENDING || e->state == STRATA_STATE_OUT_OF_ORDER) &&
            (!to[0] || strata_version_compare(f, e->mig->version, to) <= 0))
            steps[n++] = e;
    }
    /* repeatables (views, functions) are written against the newest schema: with
     * --to short of the head they wait until migrate reaches it */
    int short_of_head = 0;
    for (size_t i = 0; to[0] && i < run.count; i++) {
        strata_entry *e = &run.entries[i];
        if (e->kind == STRATA_KIND_VERSIONED && e->state == STRATA_STATE_PENDING &&
            strata_version_compare(f, e->mig->version, to) > 0)
            short_of_head = 1;
    }
    for (size_t i = 0; !short_of_head && i < run.count; i++) {
        strata_entry *e = &run.entries[i];
        if (e->kind == STRATA_KIND_REPEATABLE && e->mig &&
            (e->state == STRATA_STATE_PENDING || e->state == STRATA_STATE_OUTDATED))
            steps[n++] = e;
    }
    for (size_t i = 0; i < n; i++) {
        const strata_migration *m = steps[i]->mig;
        for (size_t r = 0; r < m->requires_count; r++) {
            if (!requirement_met(&run, m->requires[r], steps, i)) {
                error = strata__error(STRATA_EREFUSED, "runner",
                                      "%s requires %s, which is neither applied nor applied "
                                      "before it in this run", m->path, m->requires[r]);
                strata__error_hint("apply %s first (it may be limited to another env or beyond --to)",
                                   m->requires[r]);
                goto unlocked;
            }
        }
    }
    if (n > 0 && run.writer == STRATA_RUNNER_LOCK_LATER && !run.locked && !run.table_mode) {
        error = 0;
        goto lock_and_again;
    }
    if ((error = add_step_rows(out, steps, n, STRATA_ACTION_APPLY, o && o->dry_run)) < 0)
        goto done;
    if (!(o && o->dry_run) && n > 0 && (run.drv->caps & STRATA_CAP_SCHEMAS) && !(o && o->no_lint) &&
        (error = lint_gate(&run, steps, n)) < 0)
        goto done;
    if (!(o && o->dry_run))
        error = migrate_steps(&run, out, steps, n);
    goto done;

unlocked:
    /* a refusal read without the lock may be another runner's step in flight */
    if (run.writer != STRATA_RUNNER_LOCK_LATER || run.locked || run.table_mode)
        goto done;
lock_and_again:
    if ((error = run.drv->lock(run.conn, run.hist.table.ptr,
                               strata_runner__setting(&run, STRATA_SETTING_LOCK_WAIT),
                               strata_runner__say_lock, &run)) < 0)
        goto done;
    run.locked = 1;
    free(steps);
    steps = NULL;
    n = 0;
    strata_error_clear();
    if ((error = strata_history__read(&run.hist)) < 0 || (error = strata_state__fold(&run)) < 0)
        goto done;
    goto again;
done:
    free(steps);
    strata_runner__close(&run);
    return error;
}

/* Newest application first. */
static int cmp_rank_desc(const void *a, const void *b)
{
    long long x = (*(strata_entry *const *)a)->applied->rank;
    long long y = (*(strata_entry *const *)b)->applied->rank;
    return x < y ? 1 : x > y ? -1 : 0;
}

int strata_migrate_down(strata_report *out, strata_project *p, const strata_run_options *o)
{
    strata_run run;
    strata_entry **steps = NULL;
    size_t n = 0, ncand = 0;
    int want = o && o->steps > 0 ? o->steps : 1;
    strata_buf nodown = STRATA_BUF_INIT;
    char to[128] = "";
    strata_format f;
    int error;

    strata_error_clear();
    memset(out, 0, sizeof(*out));
    if ((error = strata_runner__open(&run, p, o, !(o && o->dry_run))) < 0 ||
        (error = strata_state__fold(&run)) < 0 ||
        (error = strata_runner__report_init(out, &run)) < 0)
        goto done;
    f = strata_source_format(run.src);
    if (o && o->to && strata_version_canonical(to, sizeof(to), f, o->to) < 0) {
        error = strata__error(STRATA_EINVALID, "runner", "--to %s is not a %s version", o->to,
                              strata_format_name(f));
        goto done;
    }
    if ((error = check_agreement(&run, &(strata_run_options){ .allow_changed = 1, .allow_missing = 1 },
                                 0)) < 0)
        goto done;
    if (!(steps = strata__calloc(run.count + 1, sizeof(*steps)))) {
        error = strata__error_oom();
        goto done;
    }
    /* candidates: applied versions, newest application first (out-of-order
     * applications are undone in the reverse of the order they ran) */
    for (size_t i = 0; i < run.count; i++) {
        strata_entry *e = &run.entries[i];
        if (e->kind == STRATA_KIND_VERSIONED && e->applied)
            steps[ncand++] = e;
    }
    qsort(steps, ncand, sizeof(*steps), cmp_rank_desc);
    for (size_t i = 0; i < ncand; i++) {
        strata_entry *e = steps[i];
        if (to[0] ? strata_version_compare(f, entry_version(e), to) <= 0 : (int)n >= want)
            continue;
        steps[n++] = e;
        if (!e->mig)
            strata_buf_printf(&nodown, "%s%s (file missing)", nodown.size ? ", " : "",
                              entry_path(e));
        else if (!e->mig->down_sql || is_blank_sql(e->mig->down_sql))
            strata_buf_printf(&nodown, "%s%s", nodown.size ? ", " : "", entry_path(e));
    }
    if (!to[0] && n > 0 && (int)n < want) {
        error = strata__error(STRATA_EREFUSED, "runner",
                              "%d step%s asked, but only %zu applied migration%s can be undone%s; "
                              "nothing was undone", want, want == 1 ? "" : "s", n, n == 1 ? "" : "s",
                              run.baseline ? " (versions at or below the baseline cannot)" : "");
        strata__error_hint("ask for --steps %zu or fewer", n);
        goto done;
    }
    if (nodown.size) {
        error = strata__error(STRATA_EREFUSED, "runner", "no down script for %s; nothing was undone",
                              nodown.ptr);
        strata__error_hint("write the down section (-- strata:down, a .down.sql or U file), or "
                           "undo by hand and use 'strata repair'");
        goto done;
    }
    if ((error = add_step_rows(out, steps, n, STRATA_ACTION_REVERT, o && o->dry_run)) < 0)
        goto done;
    if (!(o && o->dry_run) && n > 0) {
        size_t undone = 0;
        if ((error = strata_runner__begin_writes(&run)) == 0)
            error = run_steps(&run, out, steps, n, 1, &undone);
    }
done:
    strata_buf_dispose(&nodown);
    free(steps);
    strata_runner__close(&run);
    return error;
}

int strata_migrate_baseline(strata_project *p, const char *version, const char *description)
{
    strata_run run;
    strata_hrow h;
    char v[128];
    size_t applied = 0;
    int error;

    strata_error_clear();
    if ((error = strata_runner__open(&run, p, NULL, 1)) < 0 ||
        (error = strata_state__fold(&run)) < 0)
        goto done;
    if (!version || strata_version_canonical(v, sizeof(v), strata_source_format(run.src), version) < 0) {
        error = strata__error(STRATA_EINVALID, "runner", "'%s' is not a %s version",
                              version ? version : "", strata_format_name(strata_source_format(run.src)));
        goto done;
    }
    for (size_t i = 0; i < run.count; i++)
        if (run.entries[i].applied || run.entries[i].failed)
            applied++;
    if (applied) {
        error = strata__error(STRATA_EEXISTS, "runner",
                              "the database already has a migration history (%zu entries)", applied);
        strata__error_hint("baseline adopts a database strata has never migrated; see 'strata status'");
        goto done;
    }
    memset(&h, 0, sizeof(h));
    h.kind = STRATA_KIND_BASELINE;
    h.version = v;
    h.name = description && *description ? description : "baseline";
    h.env = p->env;
    if ((error = strata_runner__begin_writes(&run)) < 0 || (error = strata_runner__begin_tx(&run)) < 0)
        goto done;
    {
        char detail[256];
        snprintf(detail, sizeof(detail), "baseline at version %s", v);
        h.success = 1;
        if ((error = strata_history__insert(&run.hist, &h)) < 0 ||
            (error = strata_history__audit(&run.hist, "baseline", detail)) < 0 ||
            (error = run.drv->commit(run.conn)) < 0)
            run.drv->rollback(run.conn);
    }
done:
    strata_runner__close(&run);
    return error;
}

int strata_migrate_repair(strata_report *out, strata_project *p, int dry_run)
{
    strata_run run;
    int error, any_failed = 0;

    strata_error_clear();
    memset(out, 0, sizeof(*out));
    if ((error = strata_runner__open(&run, p, NULL, !dry_run)) < 0 ||
        (error = strata_state__fold(&run)) < 0 ||
        (error = strata_runner__report_init(out, &run)) < 0)
        goto done;
    for (size_t i = 0; i < run.count; i++) {
        strata_entry *e = &run.entries[i];
        strata_action a = STRATA_ACTION_NONE;
        const char *why = NULL;
        if (e->state == STRATA_STATE_FAILED) {
            a = STRATA_ACTION_FORGET;
            why = "drop the failed attempt from history";
            any_failed = 1;
        } else if (e->state == STRATA_STATE_CHANGED) {
            a = STRATA_ACTION_REALIGN;
            why = "store the file's new checksum";
        } else if (e->state == STRATA_STATE_MISSING) {
            a = STRATA_ACTION_FORGET;
            why = "forget the applied migration whose file is gone";
        }
        if (a == STRATA_ACTION_NONE)
            continue;
        strata_row *row = strata_runner__report_add(out, e);
        if (!row) {
            error = strata__error_oom();
            goto done;
        }
        row->action = a;
        row->reason = strata_runner__report_str(out, why);
    }
    if (dry_run || out->count == 0)
        goto done;

    if ((error = strata_runner__begin_writes(&run)) < 0 || (error = strata_runner__begin_tx(&run)) < 0)
        goto done;
    if (any_failed && (error = strata_history__delete_failed(&run.hist)) < 0)
        goto rollback;
    for (size_t i = 0, r = 0; i < run.count; i++) {
        strata_entry *e = &run.entries[i];
        char detail[512];
        if (e->state == STRATA_STATE_CHANGED) {
            snprintf(detail, sizeof(detail), "%s: checksum %s -> %s", e->mig->path,
                     e->applied->checksum ? e->applied->checksum : "(none)", e->mig->checksum);
            if ((error = strata_history__set_checksum(&run.hist, e->applied->rank,
                                                      e->mig->checksum)) < 0 ||
                (error = strata_history__audit(&run.hist, "repair: realign", detail)) < 0)
                goto rollback;
        } else if (e->state == STRATA_STATE_MISSING) {
            strata_hrow h = *e->applied;
            h.kind = STRATA_KIND_DELETED;
            h.applied_by = NULL;
            h.duration_ms = 0;
            h.success = 1;
            h.env = p->env;
            snprintf(detail, sizeof(detail), "%s: forgotten, file missing", entry_path(e));
            if ((error = strata_history__insert(&run.hist, &h)) < 0 ||
                (error = strata_history__audit(&run.hist, "repair: forget", detail)) < 0)
                goto rollback;
        } else if (e->state == STRATA_STATE_FAILED) {
            snprintf(detail, sizeof(detail), "%s: failed attempt removed", entry_path(e));
            if ((error = strata_history__audit(&run.hist, "repair: failed", detail)) < 0)
                goto rollback;
        } else {
            continue;
        }
        ((strata_row *)out->rows)[r++].done = 1;
    }
    if ((error = run.drv->commit(run.conn)) < 0)
        goto rollback;
    goto done;
rollback:
    run.drv->rollback(run.conn);
done:
    strata_runner__close(&run);
    return error;
}

int strata_migrate_verify(strata_report *out, strata_project *p)
{
    strata_run run;
    size_t bad = 0;
    int error;

    strata_error_clear();
    memset(out, 0, sizeof(*out));
    if ((error = strata_runner__open(&run, p, NULL, 0)) < 0 ||
        (error = strata_state__fold(&run)) < 0 ||
        (error = strata_runner__report_init(out, &run)) < 0)
        goto done;
    for (size_t i = 0; i < run.count; i++) {
        strata_entry *e = &run.entries[i];
        /* versioned files must match what ran; a changed repeatable simply runs
         * again, so only a failed or missing one counts */
        int checked = e->applied && e->kind == STRATA_KIND_VERSIONED;
        if (!checked && e->state != STRATA_STATE_FAILED && e->state != STRATA_STATE_MISSING)
            continue;
        if (e->state == STRATA_STATE_CHANGED || e->state == STRATA_STATE_MISSING ||
            e->state == STRATA_STATE_FAILED)
            bad++;
        if (!strata_runner__report_add(out, e)) {
            error = strata__error_oom();
            goto done;
        }
    }
    if (bad) {
        error = strata__error(STRATA_EDRIFT, "verify",
                              "%zu applied migration%s differ%s from the files", bad,
                              bad > 1 ? "s" : "", bad > 1 ? "" : "s");
        strata__error_hint("see the rows marked changed, missing or failed; 'strata repair' "
                           "accepts the files as they are now");
    }
done:
    strata_runner__close(&run);
    return error;
}

/*
 * The newest version the history says is applied (baseline included), or
 * NULL. Walks the log newest row first: a version's newest successful undo or
 * deleted row outranks its older apply. Downs are rare, so the list of
 * undone versions stays short.
 */
static const char *newest_applied(const strata_history *h, strata_format f)
{
    const char *best = NULL, **undone = NULL;
    size_t nundone = 0, cap = 0;

    for (size_t i = h->count; i-- > 0;) {
        const strata_hrow *r = &h->rows[i];
        int gone = 0;
        if (!r->success || !r->version)
            continue;
        for (size_t k = 0; k < nundone && !gone; k++)
            gone = strata_version_compare(f, undone[k], r->version) == 0;
        if (gone)
            continue;
        if (r->kind == STRATA_KIND_UNDO || r->kind == STRATA_KIND_DELETED) {
            if (STRATA_ARRAY_GROW(undone, nundone, cap) == 0)
                undone[nundone++] = r->version;
        } else if (!best || strata_version_compare(f, r->version, best) > 0) {
            best = r->version;
        }
    }
    free(undone);
    return best;
}

int strata_migrate_wait(strata_project *p, const char *for_version, const strata_run_options *o)
{
    strata_run run;
    strata_run_options opts = STRATA_RUN_OPTIONS_INIT;
    strata_format f = STRATA_FORMAT_FLYWAY;  /* dotted numbers also order plain integers */
    const strata_source *src = NULL;
    char want[128];
    int64_t deadline;
    long wait;
    int error;

    strata_error_clear();
    if (o)
        opts = *o;
    memset(&run, 0, sizeof(run));
    run.project = p;
    run.opts = &opts;
    wait = strata_runner__setting(&run, STRATA_SETTING_CONNECT_WAIT);
    if (wait <= 0)
        wait = 60000;
    opts.connect_wait_ms = wait;
    deadline = strata_time_ms() + wait;
    /* the folder tells the version order when it is there; an application
     * container usually has no migrations folder, and needs none */
    if (strata_fs_isdir(p->migrations_dir) && strata_project_source(&src, p) == 0)
        f = strata_source_format(src);
    strata_error_clear();
    if (for_version && strata_version_canonical(want, sizeof(want), f, for_version) < 0) {
        error = strata__error(STRATA_EINVALID, "wait", "'%s' is not a %s version", for_version,
                              strata_format_name(f));
        goto done;
    }
    if (!(run.drv = strata_driver_for_url(p->url))) {
        error = STRATA_EINVALID;
        goto done;
    }
    if ((error = strata_runner__connect(&run)) < 0 || !for_version)
        goto done;
    if ((error = strata_history__open(&run.hist, run.drv, run.conn, p->history_schema)) < 0)
        goto done;
    for (;;) {
        const char *have;
        if ((error = strata_history__read(&run.hist)) < 0)
            goto done;
        have = newest_applied(&run.hist, f);
        if (have && strata_version_compare(f, have, want) >= 0)
            goto done;
        if (strata_time_ms() >= deadline) {
            error = strata__error(STRATA_ELOCKED, "wait", "the schema is at version %s, not %s, after %ld ms",
                                  have ? have : "(none)", want, wait);
            strata__error_hint("run 'strata migrate', or wait longer with --wait");
            goto done;
        }
        if ((error = strata_runner__sleep(500)) < 0)
            goto done;
    }
done:
    strata_runner__close(&run);
    return error;
}

/*
 * The migrations `migrate` would run, in order (versioned pending up to the
 * head, then repeatables), for the linter. Reads only.
 */
int strata_lint_pending(strata_lint_report *out, strata_project *p)
{
    strata_report plan = STRATA_REPORT_INIT;
    strata_run_options o = STRATA_RUN_OPTIONS_INIT;
    const strata_source *src = NULL;
    const strata_migration **migs = NULL;
    size_t n = 0;
    int error;

    strata_error_clear();
    memset(out, 0, sizeof(*out));
    o.dry_run = 1;
    o.allow_changed = o.allow_missing = o.allow_out_of_order = 1;
    o.no_lint = 1;
    if ((error = strata_migrate_apply(&plan, p, &o)) < 0 || (error = strata_project_source(&src, p)) < 0)
        goto done;
    if (!(migs = strata__calloc(plan.count + 1, sizeof(*migs)))) {
        error = strata__error_oom();
        goto done;
    }
    for (size_t i = 0; i < plan.count; i++)
        for (size_t j = 0; j < strata_source_count(src); j++)
            if (strcmp(strata_source_get(src, j)->path, plan.rows[i].path) == 0)
                migs[n++] = strata_source_get(src, j);
    error = strata_lint__migrations(out, p, p->migrations_dir, migs, n);
done:
    free(migs);
    strata_report_dispose(&plan);
    return error;
}
