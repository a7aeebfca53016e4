/*
 * sqlite_int.h: libsqlite3's functions, opened on first connect (core/dl.c),
 * for the SQLite driver's two files. STRATA_SQLITE_SONAME comes from the Makefile.
 */
#ifndef STRATA_SQLITE_INT_H
#define STRATA_SQLITE_INT_H

#include <sqlite3.h>
#include "../../strata_int.h"

#define STRATA_SQLITE_FUNCS(X, t)       \
    X(t, sqlite3_bind_null)             \
    X(t, sqlite3_bind_text)             \
    X(t, sqlite3_busy_handler)          \
    X(t, sqlite3_close)                 \
    X(t, sqlite3_close_v2)              \
    X(t, sqlite3_column_count)          \
    X(t, sqlite3_column_int)            \
    X(t, sqlite3_column_text)           \
    X(t, sqlite3_errmsg)                \
    X(t, sqlite3_error_offset)          \
    X(t, sqlite3_errstr)                \
    X(t, sqlite3_exec)                  \
    X(t, sqlite3_extended_errcode)      \
    X(t, sqlite3_extended_result_codes) \
    X(t, sqlite3_finalize)              \
    X(t, sqlite3_free)                  \
    X(t, sqlite3_get_autocommit)        \
    X(t, sqlite3_mprintf)               \
    X(t, sqlite3_open_v2)               \
    X(t, sqlite3_prepare_v2)            \
    X(t, sqlite3_progress_handler)      \
    X(t, sqlite3_reset)                 \
    X(t, sqlite3_sql)                   \
    X(t, sqlite3_step)

typedef struct { STRATA_SQLITE_FUNCS(STRATA_DL_FIELD, _) } strata_sqlite_lib;
extern strata_sqlite_lib strata__sq;

/* Open libsqlite3 (sq_connect does it before the first call). */
int strata__sqlite_load(void);

/* driver/sqlite/sqlite.c */
sqlite3 *strata__sqlite_handle(strata_conn *c);

#endif
