/*
 * runner.h: the runner's insides, shared by runner.c (connection, lock,
 * steps, reports), state.c (folding history against files) and commands.c
 * (the public strata_migrate_* entry points).
 */
#ifndef STRATA_RUNNER_H
#define STRATA_RUNNER_H

#include "../strata_int.h"
#include "../history/history.h"

/* One migration as the runner sees it: the file, what history says, the verdict. */
typedef struct {
    strata_kind kind;                /* VERSIONED, REPEATABLE or BASELINE */
    const strata_migration *mig;     /* the file, or NULL when history-only */
    const strata_hrow *applied;      /* latest row that left it applied, or NULL */
    const strata_hrow *failed;       /* the last attempt, when it failed */
    strata_state state;
    const char *reason;              /* static text: why this state */
} strata_entry;

typedef struct {
    strata_project *project;
    const strata_run_options *opts;  /* may be NULL */
    const strata_source *src;        /* borrowed from the project */
    const strata_driver *drv;
    strata_conn *conn;
    int writer;                      /* may write: connect creates, lock taken */
    int table_mode;                  /* lock row per step instead of a session lock */
    int outer_tx;                    /* --single-transaction: steps share one transaction */
    int locked;
    strata_history hist;
    strata_entry *entries;           /* versioned by version, then repeatables */
    size_t count;
    const char *baseline;            /* baseline version, or NULL */
    const char *max_applied;         /* newest applied version, or NULL */
} strata_run;

/* One script to run as a step. */
typedef struct {
    const char *rel;          /* file, relative to the migrations folder */
    const char *sql;          /* the script (NUL-terminated) */
    size_t len;
    unsigned first_line;      /* line of rel where sql starts */
    int no_tx;                /* run in autocommit */
    long timeout_ms;          /* statement timeout, 0 none */
    int after_each;           /* run callbacks/after_each.sql with it */
    int run_always;           /* repeatable that runs on every migrate */
} strata_step;

/* Settings a run takes from its options, else from strata.conf, else defaults. */
enum {
    STRATA_SETTING_STATEMENT_TIMEOUT,
    STRATA_SETTING_LOCK_TIMEOUT,
    STRATA_SETTING_LOCK_RETRIES,
    STRATA_SETTING_LOCK_WAIT,
    STRATA_SETTING_CONNECT_WAIT
};

/* strata_runner__open's "writer": 0 reads only, 1 takes the run lock at once,
 * STRATA_RUNNER_LOCK_LATER connects as a writer and leaves locking to the caller. */
#define STRATA_RUNNER_LOCK_LATER 2

/* runner.c */
int strata_runner__open(strata_run *run, strata_project *p, const strata_run_options *opts,
                        int writer);
int strata_runner__connect(strata_run *run);
int strata_runner__begin_writes(strata_run *run);
/* BEGIN, and in table mode take the lock row (polling until the lock wait). */
int strata_runner__begin_tx(strata_run *run);
/* Table mode: wait while another runner's no-transaction step is in progress
 * (a failed row whose session is alive); re-reads and re-folds history. */
int strata_runner__wait_in_progress(strata_run *run);
void strata_runner__close(strata_run *run);
long strata_runner__setting(const strata_run *run, int which);
int strata_runner__sleep(long ms);
/* An INFO event (lock waits, retries, hook failures). */
void strata_runner__say(strata_run *run, const char *msg);
/* The same, shaped for a driver's lock(): payload is the run. */
void strata_runner__say_lock(const char *msg, void *payload);
/* 0 done, 1 skipped (another runner did it meanwhile, table mode), <0 error. */
int strata_runner__step(strata_run *run, const strata_step *step, strata_hrow *hrow,
                        long *duration_ms);
int strata_runner__emit(strata_run *run, strata_event_type type, const strata_row *row,
                        size_t index, size_t total);
int strata_runner__report_init(strata_report *out, strata_run *run);
strata_row *strata_runner__report_add(strata_report *out, const strata_entry *e);
char *strata_runner__report_str(strata_report *out, const char *s);

/* hooks.c */
/* Run callbacks/<name>.sql if it exists ("in_tx": inside the caller's transaction,
 * else in one of its own). */
int strata_runner__callback(strata_run *run, const char *name, int in_tx);
/* Does callbacks/<name>.sql exist? */
int strata_runner__has_callback(strata_run *run, const char *name);
/* Run the [hooks] command "which" (STRATA_HOOK_*) with STRATA_* variables; a
 * non-zero exit is STRATA_EUSER. "row" (may be NULL) describes the step. */
int strata_runner__hook(strata_run *run, int which, const strata_row *row, const char *outcome,
                        size_t applied);

/* state.c */
int strata_state__fold(strata_run *run);
int strata_state__env_matches(const strata_migration *m, const char *env);

#endif
