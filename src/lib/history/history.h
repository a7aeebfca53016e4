/*
 * history.h: the history tables, inside the library (see history.c).
 */
#ifndef STRATA_HISTORY_H
#define STRATA_HISTORY_H

#include "../strata_int.h"

/* One row of strata_history. Strings live in the history's arena. */
typedef struct {
    long long rank;          /* order of application */
    const char *version;     /* NULL for repeatables */
    const char *name;
    strata_kind kind;
    const char *checksum;
    const char *path;        /* file, relative to the migrations folder */
    const char *applied_at;  /* ISO 8601 UTC */
    const char *applied_by;
    long duration_ms;
    int success;
    const char *env;
    const char *note;        /* why it failed, how far a no-transaction step got */
} strata_hrow;

typedef struct {
    const strata_driver *drv;
    strata_conn *conn;
    const char *schema;      /* borrowed */
    strata_buf table;        /* qualified strata_history */
    strata_buf audit;        /* qualified strata_audit */
    int exists;              /* the table existed when read */
    strata_hrow *rows;       /* in rank order */
    size_t count;
    size_t cap;
    strata_arena arena;
    strata_buf queued;       /* one INSERT of the rows queued in a long transaction */
    size_t nqueued;
} strata_history;

int strata_history__open(strata_history *h, const strata_driver *drv, strata_conn *conn,
                         const char *schema);
void strata_history__dispose(strata_history *h);
/* Create the schema and tables if missing. */
int strata_history__ensure(strata_history *h);
/* (Re)read every row; an absent table reads as empty. */
int strata_history__read(strata_history *h);
/* Read only the rows of one migration: its version, or (repeatable) its name. */
int strata_history__read_one(strata_history *h, const char *version, const char *name);
int strata_history__insert(strata_history *h, const strata_hrow *row);
/* Insert the row and COMMIT the current transaction, in one round trip. */
int strata_history__insert_commit(strata_history *h, const strata_hrow *row);
/*
 * Rows of one long transaction: queue them, and they are written as one
 * multi-row INSERT by the next flush or commit (one round trip for all).
 */
int strata_history__queue(strata_history *h, const strata_hrow *row);
int strata_history__flush(strata_history *h);
/* Write the queued rows and COMMIT, in one round trip. */
int strata_history__flush_commit(strata_history *h);
/* Forget the queued rows (their transaction rolled back). */
void strata_history__drop_queued(strata_history *h);
/* Insert and return the new row's rank in *rank (a no-transaction step's marker). */
int strata_history__insert_rank(strata_history *h, const strata_hrow *row, long long *rank);
/* Update the outcome of row "rank": success, duration and note. */
int strata_history__finish(strata_history *h, long long rank, int success, long duration_ms,
                           const char *note);
int strata_history__audit(strata_history *h, const char *action, const char *detail);
int strata_history__delete_failed(strata_history *h);
int strata_history__set_checksum(strata_history *h, long long rank, const char *checksum);

#endif
