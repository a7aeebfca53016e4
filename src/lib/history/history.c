/*
 * history.c: strata's bookkeeping in the database: the migration history
 * (an append-only log of what ran: versioned, repeatable, baseline, undo and
 * deleted rows) and the audit log of repair and baseline actions.
 *
 * The SQL here is the portable subset both drivers accept; the dialect's
 * DDL, table naming and timestamp rendering come from the driver.
 * Parameters are text; success is written as '1'/'0', which PostgreSQL's
 * boolean and SQLite's integer both read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../strata_int.h"
#include "history.h"

static strata_kind kind_parse(const char *s)
{
    if (strcmp(s, "repeatable") == 0) return STRATA_KIND_REPEATABLE;
    if (strcmp(s, "baseline") == 0) return STRATA_KIND_BASELINE;
    if (strcmp(s, "undo") == 0) return STRATA_KIND_UNDO;
    if (strcmp(s, "deleted") == 0) return STRATA_KIND_DELETED;
    return STRATA_KIND_VERSIONED;
}

int strata_history__open(strata_history *h, const strata_driver *drv, strata_conn *conn,
                         const char *schema)
{
    memset(h, 0, sizeof(*h));
    h->drv = drv;
    h->conn = conn;
    h->schema = schema;
    drv->table_name(&h->table, schema, "strata_history");
    drv->table_name(&h->audit, schema, "strata_audit");
    return h->table.ptr && h->audit.ptr ? 0 : strata__error_oom();
}

void strata_history__dispose(strata_history *h)
{
    strata_buf_dispose(&h->table);
    strata_buf_dispose(&h->audit);
    strata_buf_dispose(&h->queued);
    strata_arena_dispose(&h->arena);
    free(h->rows);
    memset(h, 0, sizeof(*h));
}

int strata_history__ensure(strata_history *h)
{
    strata_buf ddl = STRATA_BUF_INIT;
    int error;
    if (h->drv->history_ddl(&ddl, h->schema) < 0) {
        strata_buf_dispose(&ddl);
        return strata__error_oom();
    }
    /* in one transaction, so another runner sees all the tables or none */
    if ((error = h->drv->begin(h->conn)) == 0) {
        error = h->drv->exec_script(h->conn, ddl.ptr, ddl.size, NULL, NULL, NULL);
        if (error == 0)
            error = h->drv->commit(h->conn);
        if (error < 0)
            h->drv->rollback(h->conn);
    }
    if (error < 0)
        strata__error_prefix("cannot create strata's history tables: ");
    strata_buf_dispose(&ddl);
    return error;
}

/* A history timestamp as ISO 8601 UTC text, from the driver's text or its epoch seconds. */
static const char *applied_at(strata_history *h, const char *v)
{
    char iso[32];
    struct tm tm;
    time_t t;

    if (!v || !strata_str_isdigits(v, strlen(v)))
        return strata_arena_strdup(&h->arena, v);
    t = (time_t)strtoll(v, NULL, 10);
    if (!gmtime_r(&t, &tm) || strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return strata_arena_strdup(&h->arena, v);
    return strata_arena_strdup(&h->arena, iso);
}

static int row_cb(void *payload, int ncols, const char *const *v)
{
    strata_history *h = payload;
    strata_hrow *r;

    if (ncols < 12)
        return strata__error(STRATA_ERROR, "history", "history query returned %d columns", ncols);
    if (STRATA_ARRAY_GROW(h->rows, h->count, h->cap) < 0)
        return strata__error_oom();
    r = &h->rows[h->count++];
    memset(r, 0, sizeof(*r));
    r->rank = v[0] ? strtoll(v[0], NULL, 10) : 0;
    r->version = strata_arena_strdup(&h->arena, v[1]);
    r->name = strata_arena_strdup(&h->arena, v[2] ? v[2] : "");
    r->kind = kind_parse(v[3] ? v[3] : "");
    r->checksum = strata_arena_strdup(&h->arena, v[4]);
    r->path = strata_arena_strdup(&h->arena, v[5]);
    r->applied_at = applied_at(h, v[6]);
    r->applied_by = strata_arena_strdup(&h->arena, v[7]);
    r->duration_ms = v[8] ? strtol(v[8], NULL, 10) : 0;
    r->success = v[9] && (v[9][0] == 't' || v[9][0] == '1');
    r->env = strata_arena_strdup(&h->arena, v[10]);
    r->note = strata_arena_strdup(&h->arena, v[11]);
    if (!r->name || (v[1] && !r->version))
        return strata__error_oom();
    return 0;
}

static int rank_cmp(const void *a, const void *b)
{
    long long x = ((const strata_hrow *)a)->rank, y = ((const strata_hrow *)b)->rank;
    return (x > y) - (x < y);
}

/*
 * Rows arrive in the table's physical order, which is rank order until an
 * UPDATE (finish, repair) moves a row; sort only then. No ORDER BY in the
 * query: a backend's first index scan of the table cost a no-op run with
 * 1,000 applied about 0.6 ms of its 40 (0.983x, 100 alternating runs).
 */
static void sort_by_rank(strata_history *h)
{
    size_t i;

    for (i = 1; i < h->count; i++)
        if (h->rows[i - 1].rank > h->rows[i].rank) {
            qsort(h->rows, h->count, sizeof(*h->rows), rank_cmp);
            return;
        }
}

/* Read the rows matching "where" (SQL with $1 = "param"), or all of them, in rank order. */
static int read_where(strata_history *h, const char *where, const char *param)
{
    strata_buf sql = STRATA_BUF_INIT;
    int exists, error;

    h->count = 0;
    if ((exists = h->drv->history_exists(h->conn, h->schema)) < 0)
        return exists;
    h->exists = exists;
    if (!exists)
        return 0;
    strata_buf_puts(&sql, "SELECT rank, version, name, kind, checksum, path, ");
    h->drv->ts_column(&sql, "applied_at");
    strata_buf_printf(&sql, ", applied_by, duration_ms, success, env, note FROM %s%s%s",
                      h->table.ptr, where ? " WHERE " : "", where ? where : "");
    if ((error = h->drv->query(h->conn, sql.ptr, where ? 1 : 0, &param, row_cb, h)) == 0)
        sort_by_rank(h);
    strata_buf_dispose(&sql);
    return error;
}

int strata_history__read(strata_history *h) { return read_where(h, NULL, NULL); }

int strata_history__read_one(strata_history *h, const char *version, const char *name)
{
    return version ? read_where(h, "version = $1", version)
                   : read_where(h, "version IS NULL AND name = $1", name);
}

static int rank_cb(void *payload, int ncols, const char *const *v)
{
    if (ncols > 0 && v[0])
        *(long long *)payload = strtoll(v[0], NULL, 10);
    return 0;
}

/* The ten column values of a history row, in INSERT order ("dur" holds the duration). */
static void row_values(const char *vals[10], char dur[32], strata_history *h, const strata_hrow *r)
{
    snprintf(dur, 32, "%ld", r->duration_ms);
    vals[0] = r->version;
    vals[1] = r->name;
    vals[2] = strata_kind_name(r->kind);
    vals[3] = r->checksum;
    vals[4] = r->path;
    vals[5] = r->applied_by ? r->applied_by : h->drv->user(h->conn);
    vals[6] = dur;
    vals[7] = r->success ? "1" : "0";
    vals[8] = r->env;
    vals[9] = r->note;
}

#define HISTORY_COLUMNS "version, name, kind, checksum, path, applied_by, duration_ms, success, env, note"

int strata_history__insert_rank(strata_history *h, const strata_hrow *r, long long *rank)
{
    strata_buf sql = STRATA_BUF_INIT;
    char dur[32];
    const char *params[10];
    int error;

    row_values(params, dur, h, r);
    strata_buf_printf(&sql, "INSERT INTO %s (" HISTORY_COLUMNS ") "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING rank",
                      h->table.ptr);
    error = h->drv->query(h->conn, sql.ptr, 10, params, rank ? rank_cb : NULL, rank);
    strata_buf_dispose(&sql);
    if (error < 0)
        strata__error_prefix("cannot record the migration in %s: ", h->table.ptr);
    return error;
}

int strata_history__insert(strata_history *h, const strata_hrow *r)
{
    return strata_history__insert_rank(h, r, NULL);
}

int strata_history__finish(strata_history *h, long long rank, int success, long duration_ms,
                           const char *note)
{
    strata_buf sql = STRATA_BUF_INIT;
    char rk[32], dur[32];
    const char *params[] = { success ? "1" : "0", dur, note, rk };
    int error;
    snprintf(rk, sizeof(rk), "%lld", rank);
    snprintf(dur, sizeof(dur), "%ld", duration_ms);
    strata_buf_printf(&sql, "UPDATE %s SET success = $1, duration_ms = $2, note = $3 WHERE rank = $4",
                      h->table.ptr);
    error = h->drv->query(h->conn, sql.ptr, 4, params, NULL, NULL);
    strata_buf_dispose(&sql);
    return error;
}

int strata_history__audit(strata_history *h, const char *action, const char *detail)
{
    strata_buf sql = STRATA_BUF_INIT;
    const char *params[] = { h->drv->user(h->conn), action, detail };
    int error;
    strata_buf_printf(&sql, "INSERT INTO %s (actor, action, detail) VALUES ($1, $2, $3)",
                      h->audit.ptr);
    error = h->drv->query(h->conn, sql.ptr, 3, params, NULL, NULL);
    strata_buf_dispose(&sql);
    return error;
}

int strata_history__delete_failed(strata_history *h)
{
    strata_buf sql = STRATA_BUF_INIT;
    const char *params[] = { "0" };
    int error;
    strata_buf_printf(&sql, "DELETE FROM %s WHERE success = $1", h->table.ptr);
    error = h->drv->query(h->conn, sql.ptr, 1, params, NULL, NULL);
    strata_buf_dispose(&sql);
    return error;
}

int strata_history__set_checksum(strata_history *h, long long rank, const char *checksum)
{
    strata_buf sql = STRATA_BUF_INIT;
    char rk[32];
    const char *params[] = { checksum, rk };
    int error;
    snprintf(rk, sizeof(rk), "%lld", rank);
    strata_buf_printf(&sql, "UPDATE %s SET checksum = $1 WHERE rank = $2", h->table.ptr);
    error = h->drv->query(h->conn, sql.ptr, 2, params, NULL, NULL);
    strata_buf_dispose(&sql);
    return error;
}

int strata_history__queue(strata_history *h, const strata_hrow *r)
{
    char dur[32];
    const char *vals[10];
    int error;

    row_values(vals, dur, h, r);
    error = h->nqueued == 0
                ? strata_buf_printf(&h->queued, "INSERT INTO %s (" HISTORY_COLUMNS ") VALUES (",
                                    h->table.ptr)
                : strata_buf_puts(&h->queued, ", (");
    for (int i = 0; i < 10 && error == 0; i++) {
        if (i && strata_buf_puts(&h->queued, ", ") < 0)
            error = -1;
        else
            error = h->drv->quote_literal(h->conn, &h->queued, vals[i]);
    }
    if (error == 0)
        error = strata_buf_puts(&h->queued, ")");
    if (error < 0)
        return strata__error_oom();
    h->nqueued++;
    return 0;
}

void strata_history__drop_queued(strata_history *h)
{
    strata_buf_clear(&h->queued);
    h->nqueued = 0;
}

int strata_history__flush(strata_history *h)
{
    int error;
    if (h->nqueued == 0)
        return 0;
    if ((error = h->drv->query(h->conn, h->queued.ptr, 0, NULL, NULL, NULL)) < 0)
        strata__error_prefix("cannot record the migration%s in %s: ", h->nqueued == 1 ? "" : "s",
                             h->table.ptr);
    strata_history__drop_queued(h);
    return error;
}

int strata_history__flush_commit(strata_history *h)
{
    int error;
    if (h->nqueued == 0)
        return h->drv->commit(h->conn);
    if ((error = h->drv->commit_with(h->conn, h->queued.ptr)) < 0)
        strata__error_prefix("cannot record the migration%s in %s, or commit: ",
                             h->nqueued == 1 ? "" : "s", h->table.ptr);
    strata_history__drop_queued(h);
    return error;
}

int strata_history__insert_commit(strata_history *h, const strata_hrow *r)
{
    int error;
    if ((error = strata_history__queue(h, r)) < 0) {
        strata_history__drop_queued(h);
        return error;
    }
    return strata_history__flush_commit(h);
}
