/*
 * state.c: folding the history log against the migrations folder into one
 * entry per migration, each with a state.
 *
 * History is a log, read in rank order: a successful versioned row applies
 * its version, an undo or deleted row un-applies it, a failed row marks the
 * last attempt failed, a baseline row adopts every version up to its own.
 * What remains is compared with the files: checksum differences, files that
 * are gone, pending versions older than the newest applied one, env-only
 * files outside their env. This file reads no database and changes nothing.
 */
#include <stdlib.h>
#include <string.h>
#include "runner.h"

int strata_state__env_matches(const strata_migration *m, const char *env)
{
    if (!m || m->envs_count == 0)
        return 1;
    for (size_t i = 0; env && i < m->envs_count; i++)
        if (strcmp(m->envs[i], env) == 0)
            return 1;
    return 0;
}

/* Binary search among the versioned entries [0, n) (sorted by version). */
static strata_entry *find_versioned(strata_run *run, size_t n, const char *version)
{
    strata_format f = strata_source_format(run->src);
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strata_version_compare(f, run->entries[mid].mig->version, version);
        if (c == 0)
            return &run->entries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static strata_entry *add_entry(strata_run *run, size_t *cap, strata_kind kind,
                               const strata_migration *mig)
{
    strata_entry *e;
    if (STRATA_ARRAY_GROW(run->entries, run->count, *cap) < 0)
        return NULL;
    e = &run->entries[run->count++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->mig = mig;
    return e;
}

/* Find or create the history-only entry for a row whose file is gone. */
static strata_entry *orphan(strata_run *run, size_t *cap, size_t from, const strata_hrow *r)
{
    for (size_t i = from; i < run->count; i++) {
        strata_entry *e = &run->entries[i];
        const strata_hrow *h = e->applied ? e->applied : e->failed;
        if (!e->mig && e->kind == r->kind && h &&
            (r->kind == STRATA_KIND_VERSIONED ? h->version && r->version &&
                                                    strcmp(h->version, r->version) == 0
                                              : strcmp(h->name, r->name) == 0))
            return e;
    }
    return add_entry(run, cap, r->kind, NULL);
}

static int cmp_versioned(const void *a, const void *b, strata_format f)
{
    const strata_entry *x = a, *y = b;
    const char *vx = x->mig ? x->mig->version : (x->applied ? x->applied : x->failed)->version;
    const char *vy = y->mig ? y->mig->version : (y->applied ? y->applied : y->failed)->version;
    if (x->kind != y->kind)
        return x->kind == STRATA_KIND_BASELINE ? -1 : y->kind == STRATA_KIND_BASELINE ? 1 :
               x->kind == STRATA_KIND_VERSIONED ? -1 : 1;
    if (x->kind == STRATA_KIND_REPEATABLE)
        return 0;
    return strata_version_compare(f, vx ? vx : "", vy ? vy : "");
}

/* Stable insertion sort: entries are nearly sorted (orphans appended at the end). */
static void sort_entries(strata_run *run)
{
    strata_format f = strata_source_format(run->src);
    for (size_t i = 1; i < run->count; i++) {
        strata_entry tmp = run->entries[i];
        size_t j = i;
        while (j > 0 && cmp_versioned(&run->entries[j - 1], &tmp, f) > 0) {
            run->entries[j] = run->entries[j - 1];
            j--;
        }
        run->entries[j] = tmp;
    }
}

int strata_state__fold(strata_run *run)
{
    const strata_source *src = run->src;
    strata_format f = strata_source_format(src);
    size_t n = strata_source_count(src), nversioned = 0, cap = 0;
    const char *env = run->project->env;
    const strata_hrow *baseline = NULL;

    free(run->entries);
    run->entries = NULL;
    run->count = 0;
    run->baseline = run->max_applied = NULL;

    for (size_t i = 0; i < n; i++) {
        const strata_migration *m = strata_source_get(src, i);
        if (!add_entry(run, &cap, m->kind, m))
            return strata__error_oom();
        if (m->kind == STRATA_KIND_VERSIONED)
            nversioned++;
    }
    for (size_t i = 0; i < run->hist.count; i++) {
        const strata_hrow *r = &run->hist.rows[i];
        strata_entry *e = NULL;

        switch (r->kind) {
        case STRATA_KIND_BASELINE:
            baseline = r;
            continue;
        case STRATA_KIND_VERSIONED:
        case STRATA_KIND_UNDO:
        case STRATA_KIND_DELETED: {
            if (!r->version) {
                /* a repeatable that repair forgot: known by name */
                if (r->kind != STRATA_KIND_DELETED)
                    continue;
                for (size_t k = nversioned; k < run->count && !e; k++) {
                    strata_entry *o = &run->entries[k];
                    const strata_hrow *h = o->applied ? o->applied : o->failed;
                    if (o->kind == STRATA_KIND_REPEATABLE &&
                        strcmp(o->mig ? o->mig->name : h ? h->name : "", r->name) == 0)
                        e = o;
                }
                if (!e)
                    continue;
                break;
            }
            e = find_versioned(run, nversioned, r->version);
            if (!e) {
                if (r->kind != STRATA_KIND_VERSIONED) {
                    /* undo/deleted of a history-only entry */
                    for (size_t k = n; k < run->count; k++) {
                        strata_entry *o = &run->entries[k];
                        const strata_hrow *h = o->applied ? o->applied : o->failed;
                        if (!o->mig && h && h->version && strcmp(h->version, r->version) == 0)
                            e = o;
                    }
                    if (!e)
                        continue;
                } else if (!(e = orphan(run, &cap, n, r))) {
                    return strata__error_oom();
                }
            }
            break;
        }
        case STRATA_KIND_REPEATABLE:
            for (size_t k = nversioned; k < n && !e; k++)
                if (strcmp(run->entries[k].mig->name, r->name) == 0)
                    e = &run->entries[k];
            if (!e && !(e = orphan(run, &cap, n, r)))
                return strata__error_oom();
            break;
        }
        if (r->kind == STRATA_KIND_UNDO && !r->success) {
            /* a down that failed outside a transaction: still applied, and half-undone */
            e->failed = r;
        } else if (r->kind == STRATA_KIND_UNDO || r->kind == STRATA_KIND_DELETED) {
            e->applied = NULL;
            e->failed = NULL;
        } else if (r->success) {
            e->applied = r;
            e->failed = NULL;
        } else {
            e->failed = r;
        }
    }
    /* history-only entries with nothing applied (undone, then file removed) are gone */
    for (size_t i = n; i < run->count;) {
        if (!run->entries[i].applied && !run->entries[i].failed) {
            run->entries[i] = run->entries[--run->count];
        } else {
            i++;
        }
    }
    if (baseline) {
        strata_entry *e = add_entry(run, &cap, STRATA_KIND_BASELINE, NULL);
        if (!e)
            return strata__error_oom();
        e->applied = baseline;
        e->state = STRATA_STATE_BASELINE;
        e->reason = "history starts here";
        run->baseline = baseline->version;
        run->max_applied = baseline->version;
    }
    sort_entries(run);

    /* the newest applied version */
    for (size_t i = 0; i < run->count; i++) {
        const strata_entry *e = &run->entries[i];
        if (e->kind == STRATA_KIND_VERSIONED && e->applied &&
            (!run->max_applied || strata_version_compare(f, e->applied->version,
                                                         run->max_applied) > 0))
            run->max_applied = e->applied->version;
    }

    for (size_t i = 0; i < run->count; i++) {
        strata_entry *e = &run->entries[i];
        const strata_migration *m = e->mig;
        if (e->kind == STRATA_KIND_BASELINE)
            continue;
        if (e->failed) {
            e->state = STRATA_STATE_FAILED;
            e->reason = "the last attempt failed; fix by hand, then strata repair";
        } else if (e->applied && !m) {
            e->state = STRATA_STATE_MISSING;
            e->reason = "applied, but its file is gone";
        } else if (e->kind == STRATA_KIND_VERSIONED) {
            if (e->applied) {
                int same = e->applied->checksum && strcmp(e->applied->checksum, m->checksum) == 0;
                e->state = same ? STRATA_STATE_APPLIED : STRATA_STATE_CHANGED;
                e->reason = same ? NULL : "the file changed after it was applied";
            } else if (run->baseline && strata_version_compare(f, m->version, run->baseline) <= 0) {
                e->state = STRATA_STATE_BELOW_BASELINE;
                e->reason = "at or below the baseline";
            } else if (!strata_state__env_matches(m, env)) {
                e->state = STRATA_STATE_IGNORED;
                e->reason = "not for this env";
            } else if (run->max_applied &&
                       strata_version_compare(f, m->version, run->max_applied) < 0) {
                e->state = STRATA_STATE_OUT_OF_ORDER;
                e->reason = "older than the newest applied version";
            } else {
                e->state = STRATA_STATE_PENDING;
                e->reason = "not applied yet";
            }
        } else {
            if (!strata_state__env_matches(m, env)) {
                e->state = STRATA_STATE_IGNORED;
                e->reason = "not for this env";
            } else if (!e->applied) {
                e->state = STRATA_STATE_PENDING;
                e->reason = "not applied yet";
            } else if (!e->applied->checksum || strcmp(e->applied->checksum, m->checksum) != 0) {
                e->state = STRATA_STATE_OUTDATED;
                e->reason = "the file changed: it runs again";
            } else if (m->flags & STRATA_MIG_RUN_ALWAYS) {
                e->state = STRATA_STATE_PENDING;
                e->reason = "run-always";
            } else {
                e->state = STRATA_STATE_APPLIED;
            }
        }
    }
    return 0;
}

const char *strata_state_name(strata_state state)
{
    switch (state) {
    case STRATA_STATE_PENDING: return "pending";
    case STRATA_STATE_APPLIED: return "applied";
    case STRATA_STATE_FAILED: return "failed";
    case STRATA_STATE_CHANGED: return "changed";
    case STRATA_STATE_MISSING: return "missing";
    case STRATA_STATE_OUT_OF_ORDER: return "out-of-order";
    case STRATA_STATE_BELOW_BASELINE: return "below-baseline";
    case STRATA_STATE_BASELINE: return "baseline";
    case STRATA_STATE_IGNORED: return "ignored";
    case STRATA_STATE_OUTDATED: return "outdated";
    }
    return "unknown";
}

const char *strata_action_name(strata_action action)
{
    switch (action) {
    case STRATA_ACTION_NONE: return "none";
    case STRATA_ACTION_APPLY: return "apply";
    case STRATA_ACTION_REVERT: return "revert";
    case STRATA_ACTION_FORGET: return "forget";
    case STRATA_ACTION_REALIGN: return "realign";
    }
    return "unknown";
}
