/*
 * hooks.c: what runs around migrations besides them (seed 001's callbacks).
 *
 *  - SQL callbacks: migrations/callbacks/before_migrate.sql, after_each.sql
 *    and after_migrate.sql, run under the migration lock. after_each.sql runs
 *    inside each migration's transaction, so its failure undoes that step.
 *  - Commands: [hooks] before_migrate, after_each, after_migrate, on_error in
 *    strata.conf, run with /bin/sh -c and STRATA_* variables describing the
 *    step (version, name, path, duration, outcome, the database URL without
 *    its password). A failing before_migrate stops the run before anything
 *    changes.
 */
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "runner.h"

extern char **environ;

static int callback_path(strata_buf *out, strata_run *run, const char *name)
{
    strata_buf_clear(out);
    return strata_buf_printf(out, "%s/callbacks/%s.sql", run->project->migrations_dir, name);
}

int strata_runner__has_callback(strata_run *run, const char *name)
{
    strata_buf path = STRATA_BUF_INIT;
    int r;
    if (run->opts && run->opts->no_hooks)
        return 0;
    r = callback_path(&path, run, name) == 0 && strata_fs_isfile(path.ptr);
    strata_buf_dispose(&path);
    return r;
}

int strata_runner__callback(strata_run *run, const char *name, int in_tx)
{
    strata_buf path = STRATA_BUF_INIT, sql = STRATA_BUF_INIT;
    strata_script_pos pos = { 0, 0, -1, 0 };
    int error = 0;

    if (run->opts && run->opts->no_hooks)
        goto done;  /* --no-hooks: neither [hooks] commands nor callbacks/ SQL */
    callback_path(&path, run, name);
    if (!strata_fs_isfile(path.ptr))
        goto done;
    if (strata_fs_read(&sql, path.ptr) < 0) {
        error = strata__error(STRATA_ERROR, "hooks", "cannot read %s: %s", path.ptr, strerror(errno));
        goto done;
    }
    if (!in_tx && (error = run->drv->begin(run->conn)) < 0)
        goto done;
    /* the callback sees the history rows of the steps before it */
    if (in_tx && (error = strata_history__flush(&run->hist)) < 0)
        goto done;
    error = run->drv->exec_script(run->conn, sql.ptr, sql.size, &pos, NULL, NULL);
    if (error < 0) {
        unsigned col = 0;
        unsigned line = strata_str_line_of(sql.ptr, pos.error_offset >= 0 ? (size_t)pos.error_offset
                                                                           : pos.stmt_offset, &col);
        strata__error_at(path.ptr, (int)line, pos.error_offset >= 0 ? (int)col : 0);
        strata__error_prefix("callback %s.sql failed: ", name);
        if (!in_tx)
            run->drv->rollback(run->conn);
        goto done;
    }
    if (!in_tx && (error = run->drv->commit(run->conn)) < 0)
        run->drv->rollback(run->conn);
done:
    strata_buf_dispose(&path);
    strata_buf_dispose(&sql);
    return error;
}

static const char *const hook_names[STRATA_HOOK_COUNT] = {
    [STRATA_HOOK_BEFORE_MIGRATE] = "before_migrate",
    [STRATA_HOOK_AFTER_EACH] = "after_each",
    [STRATA_HOOK_AFTER_MIGRATE] = "after_migrate",
    [STRATA_HOOK_ON_ERROR] = "on_error",
};

/* Append "NAME=value" to the environment being built (value may be NULL: skipped). */
static int env_add(char ***env, size_t *n, size_t *cap, const char *name, const char *value)
{
    char *kv;
    if (!value)
        return 0;
    if (STRATA_ARRAY_GROW(*env, *n, *cap) < 0 || asprintf(&kv, "%s=%s", name, value) < 0)
        return strata__error_oom();
    (*env)[(*n)++] = kv;
    return 0;
}

int strata_runner__hook(strata_run *run, int which, const strata_row *row, const char *outcome,
                        size_t applied)
{
    const char *cmd = run->project->hooks[which];
    const strata_error *last = strata_error_last();
    char **env = NULL, dur[32], count[32];
    size_t n = 0, cap = 0;
    char *argv[] = { "sh", "-c", NULL, NULL };
    pid_t pid;
    int status = 0, error = 0, rc;
    char *saved_msg = NULL;

    if (!cmd || (run->opts && run->opts->no_hooks))
        return 0;
    /* on_error runs while the step's error is the last one: keep its text */
    if (last && last->message)
        saved_msg = strata__strdup(last->message);
    for (char **e = environ; e && *e; e++) {
        if (strncmp(*e, "STRATA_", 7) == 0 || strncmp(*e, "DATABASE_URL=", 13) == 0)
            continue;  /* never hand the secret URL to a hook; ours are set below */
        if (STRATA_ARRAY_GROW(env, n, cap) < 0 || !(env[n] = strata__strdup(*e))) {
            error = strata__error_oom();
            goto done;
        }
        n++;
    }
    snprintf(dur, sizeof(dur), "%ld", row && row->duration_ms >= 0 ? row->duration_ms : 0);
    snprintf(count, sizeof(count), "%zu", applied);
    if ((error = env_add(&env, &n, &cap, "STRATA_HOOK", hook_names[which])) < 0 ||
        (error = env_add(&env, &n, &cap, "STRATA_DATABASE_URL", run->project->url_redacted)) < 0 ||
        (error = env_add(&env, &n, &cap, "STRATA_ENV", run->project->env)) < 0 ||
        (error = env_add(&env, &n, &cap, "STRATA_OUTCOME", outcome)) < 0 ||
        (error = env_add(&env, &n, &cap, "STRATA_APPLIED", count)) < 0 ||
        (error = env_add(&env, &n, &cap, "STRATA_ERROR", which == STRATA_HOOK_ON_ERROR ? saved_msg : NULL)) < 0)
        goto done;
    if (row && ((error = env_add(&env, &n, &cap, "STRATA_VERSION", row->version)) < 0 ||
                (error = env_add(&env, &n, &cap, "STRATA_NAME", row->name)) < 0 ||
                (error = env_add(&env, &n, &cap, "STRATA_PATH", row->path)) < 0 ||
                (error = env_add(&env, &n, &cap, "STRATA_KIND", strata_kind_name(row->kind))) < 0 ||
                (error = env_add(&env, &n, &cap, "STRATA_DURATION_MS", dur)) < 0))
        goto done;
    if (STRATA_ARRAY_GROW(env, n, cap) < 0) {
        error = strata__error_oom();
        goto done;
    }
    env[n] = NULL;
    argv[2] = (char *)cmd;
    fflush(NULL);
    if ((rc = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, env)) != 0) {
        error = strata__error(STRATA_ERROR, "hooks", "cannot start the %s hook: %s", hook_names[which],
                              strerror(rc));
        goto done;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (which == STRATA_HOOK_ON_ERROR) {
            /* the run's own error is what the caller reports; just say it */
            strata_buf msg = STRATA_BUF_INIT;
            strata_buf_printf(&msg, "the on_error hook failed too (%s %d)",
                              WIFEXITED(status) ? "exit" : "signal",
                              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
            strata_runner__say(run, msg.ptr);
            strata_buf_dispose(&msg);
            goto done;
        }
        error = strata__error(STRATA_EUSER, "hooks", "the %s hook failed (%s %d): %s",
                              hook_names[which], WIFEXITED(status) ? "exit" : "signal",
                              WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), cmd);
        strata__error_hint("fix the command in [hooks] %s of strata.conf, or pass --no-hooks",
                           hook_names[which]);
    }
done:
    for (size_t i = 0; i < n; i++)
        free(env[i]);
    free(env);
    free(saved_msg);
    return error;
}
