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
    int locked;
    strata_history hist;
    strata_entry *entries;           /* versioned by version, then repeatables */
    size_t count;
    const char *baseline;            /* baseline version, or NULL */
    const char *max_applied;         /* newest applied version, or NULL */
} strata_run;

/* runner.c */
int strata_runner__open(strata_run *run, strata_project *p, const strata_run_options *opts,
                        int writer);
void strata_runner__close(strata_run *run);
int strata_runner__step(strata_run *run, const char *rel, const char *sql, size_t len,
                        unsigned first_line, int no_tx, long timeout_ms, strata_hrow *hrow,
                        long *duration_ms);
int strata_runner__emit(strata_run *run, strata_event_type type, const strata_row *row,
                        size_t index, size_t total);
int strata_runner__report_init(strata_report *out, strata_run *run);
strata_row *strata_runner__report_add(strata_report *out, const strata_entry *e);
char *strata_runner__report_str(strata_report *out, const char *s);

/* state.c */
int strata_state__fold(strata_run *run);
int strata_state__env_matches(const strata_migration *m, const char *env);

#endif
