/*
 * sqlite_int.h: libsqlite3's functions, opened on first connect (core/dl.c),
 * for the SQLite driver's two files. STRATA_SQLITE_SONAME comes from the Makefile.
 */
#ifndef STRATA_SQLITE_INT_H
#define STRATA_SQLITE_INT_H

#include <sqlite3.h>
#include "../../strata_int.h"

#define STRATA_SQLITE_FUNCS(X)          \
    X(sqlite3_bind_null)                \
    X(sqlite3_bind_text)                \
    X(sqlite3_busy_handler)             \
    X(sqlite3_close)                    \
    X(sqlite3_close_v2)                 \
    X(sqlite3_column_count)             \
    X(sqlite3_column_int)               \
    X(sqlite3_column_text)              \
    X(sqlite3_errmsg)                   \
    X(sqlite3_error_offset)             \
    X(sqlite3_errstr)                   \
    X(sqlite3_exec)                     \
    X(sqlite3_extended_errcode)         \
    X(sqlite3_extended_result_codes)    \
    X(sqlite3_finalize)                 \
    X(sqlite3_free)                     \
    X(sqlite3_get_autocommit)           \
    X(sqlite3_mprintf)                  \
    X(sqlite3_open_v2)                  \
    X(sqlite3_prepare_v2)               \
    X(sqlite3_progress_handler)         \
    X(sqlite3_reset)                    \
    X(sqlite3_sql)                      \
    X(sqlite3_step)

typedef struct { STRATA_SQLITE_FUNCS(STRATA_DL_FIELD) } strata_sqlite_lib;
extern strata_sqlite_lib strata__sq;

/* Open libsqlite3 (sq_connect does it before the first call). */
int strata__sqlite_load(void);

/* driver/sqlite/sqlite.c */
sqlite3 *strata__sqlite_handle(strata_conn *c);

#endif
