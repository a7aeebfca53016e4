/*
 * error.c: the thread-local last-error record (libgit2's git_error_last).
 * Strings live in a per-thread arena that is emptied whenever a new error
 * is set, so the record is always self-contained and never leaks.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "../strata_int.h"

static _Thread_local strata_error tl_error;
static _Thread_local strata_arena tl_arena;
static _Thread_local int tl_set;

const strata_error *strata_error_last(void) { return tl_set ? &tl_error : NULL; }

void strata_error_clear(void)
{
    strata_arena_dispose(&tl_arena);
    memset(&tl_error, 0, sizeof(tl_error));
    tl_set = 0;
}

static const char *vfmt(const char *fmt, va_list ap)
{
    char small[1024];
    va_list cp;
    int n;
    char *d;

    va_copy(cp, ap);
    n = vsnprintf(small, sizeof(small), fmt, cp);
    va_end(cp);
    if (n < 0)
        return "error";
    if ((size_t)n < sizeof(small))
        return strata_arena_strdup(&tl_arena, small);
    if (!(d = strata_arena_alloc(&tl_arena, (size_t)n + 1)))
        return "out of memory";
    vsnprintf(d, (size_t)n + 1, fmt, ap);
    return d;
}

int strata__error(int code, const char *module, const char *fmt, ...)
{
    va_list ap;
    strata_error_clear();
    tl_error.code = code;
    tl_error.module = module;
    va_start(ap, fmt);
    tl_error.message = vfmt(fmt, ap);
    va_end(ap);
    tl_set = 1;
    return code;
}

void strata__error_hint(const char *fmt, ...)
{
    va_list ap;
    if (!tl_set)
        return;
    va_start(ap, fmt);
    tl_error.hint = vfmt(fmt, ap);
    va_end(ap);
}

void strata__error_at(const char *file, int line, int column)
{
    if (!tl_set)
        return;
    tl_error.file = strata_arena_strdup(&tl_arena, file);
    tl_error.line = line;
    tl_error.column = column;
}

void strata__error_db(const char *sqlstate, const char *detail, const char *statement)
{
    if (!tl_set)
        return;
    tl_error.sqlstate = strata_arena_strdup(&tl_arena, sqlstate);
    tl_error.detail = strata_arena_strdup(&tl_arena, detail);
    tl_error.statement = strata_arena_strdup(&tl_arena, statement);
}

void strata__error_prefix(const char *fmt, ...)
{
    va_list ap;
    const char *pre;
    if (!tl_set)
        return;
    va_start(ap, fmt);
    pre = vfmt(fmt, ap);
    va_end(ap);
    tl_error.message = strata_arena_printf(&tl_arena, "%s%s", pre, tl_error.message);
}

void strata__error_copy(strata_error *dst, strata_arena *arena)
{
    memset(dst, 0, sizeof(*dst));
    if (!tl_set)
        return;
    *dst = tl_error;
    dst->message = strata_arena_strdup(arena, tl_error.message);
    dst->hint = strata_arena_strdup(arena, tl_error.hint);
    dst->file = strata_arena_strdup(arena, tl_error.file);
    dst->sqlstate = strata_arena_strdup(arena, tl_error.sqlstate);
    dst->detail = strata_arena_strdup(arena, tl_error.detail);
    dst->statement = strata_arena_strdup(arena, tl_error.statement);
}

int strata__error_restore(const strata_error *e)
{
    strata__error(e->code, e->module, "%s", e->message ? e->message : "error");
    if (e->hint)
        strata__error_hint("%s", e->hint);
    if (e->file)
        strata__error_at(e->file, e->line, e->column);
    if (e->sqlstate || e->detail || e->statement)
        strata__error_db(e->sqlstate, e->detail, e->statement);
    return e->code;
}

int strata__error_oom(void)
{
    strata_error_clear();
    tl_error.code = STRATA_ERROR;
    tl_error.module = "alloc";
    tl_error.message = "out of memory";
    tl_set = 1;
    return STRATA_ERROR;
}

const char *strata_version(void) { return STRATA_VERSION; }

/* ---- interruption ------------------------------------------------------- */

/* Set from a signal handler; read by the drivers' wait loops. */
static volatile sig_atomic_t interrupted;

void strata_interrupt(void) { interrupted = 1; }
int strata__interrupted(void) { return interrupted != 0; }

int strata__error_interrupted(void)
{
    return strata__error(STRATA_EINTERRUPTED, "runner", "interrupted");
}
