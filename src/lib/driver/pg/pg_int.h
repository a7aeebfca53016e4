/*
 * pg_int.h: what the PostgreSQL driver's files share (pg.c, inspect.c).
 */
#ifndef STRATA_PG_INT_H
#define STRATA_PG_INT_H

#include <libpq-fe.h>
#include "../../model/model.h"

PGconn *strata__pg_handle(strata_conn *c);
/* The URL the connection was opened with (secret: never print it). */
const char *strata__pg_url(strata_conn *c);
/* Turn a failed result into the last error (password scrubbed); returns the code. */
int strata__pg_result_error(strata_conn *c, PGresult *r, const char *stmt);
int strata__pg_scratch_create(strata_conn *c, strata_buf *url, strata_buf *name);
int strata__pg_scratch_drop(strata_conn *c, const char *name);

#endif
