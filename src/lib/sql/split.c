/*
 * split.c: cutting a PostgreSQL script into statements. PostgreSQL's own
 * parser (libpg_query) finds the boundaries, so dollar quotes, nested
 * comments, E'' strings and BEGIN ATOMIC bodies are handled as the server
 * handles them. When the parser rejects the text (a syntax error, or syntax
 * newer than the library's parser) we fall back to its scanner and let the
 * server report the real error with its position. This is the only file
 * that includes libpg_query.
 */
#include <pg_query.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "../strata_int.h"

/* libpg_query, opened on first use (core/dl.c); its SONAME and package come from the Makefile */
#define PGQ_FUNCS(X, t)                     \
    X(t, pg_query_split_with_parser)        \
    X(t, pg_query_split_with_scanner)       \
    X(t, pg_query_free_split_result)        \
    X(t, pg_query_parse)                    \
    X(t, pg_query_free_parse_result)        \
    X(t, pg_query_parse_plpgsql)            \
    X(t, pg_query_free_plpgsql_parse_result)

static struct { PGQ_FUNCS(STRATA_DL_FIELD, _) } pgq;
STRATA_DL_DEFINE(pgq_dl, pgq, STRATA_PG_QUERY_SONAME, STRATA_PG_QUERY_PACKAGE, PGQ_FUNCS);

int strata_sql__load(void) { return strata__dl_load(&pgq_dl); }

/* Skip blanks and comments: the statement's first real character. */
static size_t skip_noise(const char *s, size_t i, size_t end)
{
    for (;;) {
        while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
                           s[i] == '\f'))
            i++;
        if (i + 1 < end && s[i] == '-' && s[i + 1] == '-') {
            while (i < end && s[i] != '\n')
                i++;
        } else if (i + 1 < end && s[i] == '/' && s[i + 1] == '*') {
            int depth = 0;
            do {
                if (i + 1 < end && s[i] == '/' && s[i + 1] == '*') {
                    depth++;
                    i += 2;
                } else if (i + 1 < end && s[i] == '*' && s[i + 1] == '/') {
                    depth--;
                    i += 2;
                } else {
                    i++;
                }
            } while (i < end && depth > 0);
        } else {
            return i;
        }
    }
}

int strata_sql__split_pg(strata_stmt_span **out, size_t *count, const char *sql)
{
    PgQuerySplitResult r;
    strata_stmt_span *v = NULL;
    size_t n = 0, total = strlen(sql);
    int error;

    if ((error = strata_sql__load()) < 0)
        return error;
    r = pgq.pg_query_split_with_parser(sql);

    if (r.error) {
        pgq.pg_query_free_split_result(r);
        r = pgq.pg_query_split_with_scanner(sql);
        if (r.error) {
            /* unterminated quote or comment: send the text whole, the server reports it */
            pgq.pg_query_free_split_result(r);
            memset(&r, 0, sizeof(r));
            if (skip_noise(sql, 0, total) < total) {
                v = strata__calloc(1, sizeof(*v));
                if (!v)
                    return strata__error_oom();
                v->offset = skip_noise(sql, 0, total);
                v->len = total - v->offset;
                *out = v;
                *count = 1;
                return 0;
            }
        }
    }
    if (r.n_stmts > 0 && !(v = strata__calloc((size_t)r.n_stmts, sizeof(*v)))) {
        error = strata__error_oom();
        goto done;
    }
    for (int i = 0; i < r.n_stmts; i++) {
        size_t start = (size_t)r.stmts[i]->stmt_location;
        size_t len = r.stmts[i]->stmt_len ? (size_t)r.stmts[i]->stmt_len : total - start;
        size_t end = start + len > total ? total : start + len;
        size_t s = skip_noise(sql, start, end);
        if (s >= end)
            continue;  /* only comments */
        v[n].offset = s;
        v[n].len = end - s;
        n++;
    }
done:
    pgq.pg_query_free_split_result(r);
    if (error < 0) {
        free(v);
        return error;
    }
    *out = v;
    *count = n;
    return 0;
}

/*
 * Is this statement transaction control (BEGIN, START TRANSACTION, COMMIT,
 * END, ROLLBACK, ABORT; not ROLLBACK TO SAVEPOINT)? Such a statement inside a
 * migration that strata wraps in a transaction would commit half of it.
 */
int strata_sql__is_txn_control(const char *stmt)
{
    static const char *const words[] = { "begin", "start", "commit", "end", "rollback", "abort" };
    char w[16];
    size_t n = 0;

    stmt += skip_noise(stmt, 0, strlen(stmt));
    while (n < sizeof(w) - 1 && ((stmt[n] >= 'a' && stmt[n] <= 'z') || (stmt[n] >= 'A' && stmt[n] <= 'Z'))) {
        w[n] = (char)(stmt[n] | 0x20);
        n++;
    }
    w[n] = '\0';
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (strcmp(w, words[i]) == 0) {
            if (i == 4) {  /* ROLLBACK TO [SAVEPOINT] x stays inside the transaction */
                const char *rest = stmt + n + skip_noise(stmt + n, 0, strlen(stmt + n));
                if (strncasecmp(rest, "to", 2) == 0 && !((rest[2] | 0x20) >= 'a' && (rest[2] | 0x20) <= 'z'))
                    return 0;
            }
            return 1;
        }
    }
    return 0;
}

int strata_sql__refuse_txn_control(const char *stmt)
{
    strata__error(STRATA_EINVALID, "runner",
                  "transaction control (BEGIN/COMMIT/ROLLBACK) inside a migration that strata "
                  "runs in a transaction");
    strata__error_db(NULL, NULL, stmt);
    strata__error_hint("remove BEGIN/COMMIT from the file (strata wraps each migration in one "
                       "transaction), or add '-- strata:no-transaction' if it manages its own");
    return STRATA_EINVALID;
}

/*
 * Parse with PostgreSQL's parser: the parse tree as JSON (malloc'd, free()
 * it), or NULL with the parser's message and 1-based cursor position.
 */
char *strata_sql__parse_json(const char *sql, strata_buf *err, int *cursor)
{
    PgQueryParseResult r;
    char *json = NULL;
    if (strata_sql__load() < 0) {
        strata_buf_puts(err, strata_error_last()->message);
        *cursor = 0;
        return NULL;
    }
    r = pgq.pg_query_parse(sql);
    if (r.error) {
        strata_buf_puts(err, r.error->message ? r.error->message : "syntax error");
        *cursor = r.error->cursorpos;
    } else {
        json = strata__strdup(r.parse_tree);
    }
    pgq.pg_query_free_parse_result(r);
    return json;
}

/* The PL/pgSQL of a CREATE FUNCTION statement as JSON (free() it), or NULL. */
char *strata_sql__parse_plpgsql_json(const char *create_function)
{
    PgQueryPlpgsqlParseResult r;
    char *json;
    if (strata_sql__load() < 0)
        return NULL;
    r = pgq.pg_query_parse_plpgsql(create_function);
    json = r.error ? NULL : strata__strdup(r.plpgsql_funcs);
    pgq.pg_query_free_plpgsql_parse_result(r);
    return json;
}
