/*
 * diff_sqlite.c: SQLite's half of schema diff, and the SQL text rules its
 * inspector shares (canonical CREATE text, name quoting).
 *
 * SQLite keeps every object as the CREATE statement it was given and rewrites
 * that text itself on ALTER TABLE (a renamed table or column appears as
 * "name", an added column is spliced in after the last column). So the model
 * holds each CREATE in one canonical spelling (strata__sqlite_normalize: no
 * comments, one space between tokens by fixed rules, identifiers unquoted
 * where SQL allows) and the differ predicts, by rewriting the same tokens,
 * what SQLite will store after each ALTER. When the prediction equals the
 * target, the table is changed in place (RENAME, DROP COLUMN, ADD COLUMN);
 * otherwise it is rebuilt with SQLite's 12-step procedure (create "new_x",
 * copy the common columns, drop, rename, recreate its indexes). Every change
 * carries an exact reverse, checked the same way: a reverse ALTER when it
 * restores the text byte for byte, else a rebuild back.
 *
 * Views and triggers that depend on anything renamed, rebuilt, dropped or
 * changed are dropped first and created again last, because SQLite checks the
 * whole schema on RENAME. This file never touches a connection, and it only
 * flags destructive changes; refusing them is the caller's business.
 *
 * Known limits: a double-quoted string literal that happens to look like a
 * plain identifier ("abc") is unquoted like one; foreign keys are not
 * switched off around a rebuild (SQLite cannot inside a transaction), so with
 * PRAGMA foreign_keys=ON a rebuild of a parent table can cascade.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "model.h"

#define NONE ((size_t)-1)
#define TRY(x) do { if ((error = (x)) < 0) goto done; } while (0)

/* ==== tokens ============================================================== */

/* SQLite's keywords (sqlite3_keyword_name), sorted for bsearch. */
static const char *const keywords[] = {
    "ABORT", "ACTION", "ADD", "AFTER", "ALL", "ALTER", "ALWAYS", "ANALYZE", "AND", "AS", "ASC",
    "ATTACH", "AUTOINCREMENT", "BEFORE", "BEGIN", "BETWEEN", "BY", "CASCADE", "CASE", "CAST",
    "CHECK", "COLLATE", "COLUMN", "COMMIT", "CONFLICT", "CONSTRAINT", "CREATE", "CROSS",
    "CURRENT", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "DATABASE", "DEFAULT",
    "DEFERRABLE", "DEFERRED", "DELETE", "DESC", "DETACH", "DISTINCT", "DO", "DROP", "EACH",
    "ELSE", "END", "ESCAPE", "EXCEPT", "EXCLUDE", "EXCLUSIVE", "EXISTS", "EXPLAIN", "FAIL",
    "FILTER", "FIRST", "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL", "GENERATED", "GLOB",
    "GROUP", "GROUPS", "HAVING", "IF", "IGNORE", "IMMEDIATE", "IN", "INDEX", "INDEXED",
    "INITIALLY", "INNER", "INSERT", "INSTEAD", "INTERSECT", "INTO", "IS", "ISNULL", "JOIN",
    "KEY", "LAST", "LEFT", "LIKE", "LIMIT", "MATCH", "MATERIALIZED", "NATURAL", "NO", "NOT",
    "NOTHING", "NOTNULL", "NULL", "NULLS", "OF", "OFFSET", "ON", "OR", "ORDER", "OTHERS",
    "OUTER", "OVER", "PARTITION", "PLAN", "PRAGMA", "PRECEDING", "PRIMARY", "QUERY", "RAISE",
    "RANGE", "RECURSIVE", "REFERENCES", "REGEXP", "REINDEX", "RELEASE", "RENAME", "REPLACE",
    "RESTRICT", "RETURNING", "RIGHT", "ROLLBACK", "ROW", "ROWS", "SAVEPOINT", "SELECT", "SET",
    "TABLE", "TEMP", "TEMPORARY", "THEN", "TIES", "TO", "TRANSACTION", "TRIGGER", "UNBOUNDED",
    "UNION", "UNIQUE", "UPDATE", "USING", "VACUUM", "VALUES", "VIEW", "VIRTUAL", "WHEN",
    "WHERE", "WINDOW", "WITH", "WITHOUT",
};

/* Keywords SQLite also takes as plain names (parse.y %fallback ID, JOIN_KW and
 * the window words): those keep their case where they may name something. */
static const char *const fallback[] = {
    "ABORT", "ACTION", "AFTER", "ALWAYS", "ANALYZE", "ASC", "ATTACH", "BEFORE", "BEGIN", "BY",
    "CASCADE", "CAST", "COLUMN", "CONFLICT", "CROSS", "CURRENT", "CURRENT_DATE", "CURRENT_TIME",
    "CURRENT_TIMESTAMP", "DATABASE", "DEFERRED", "DESC", "DETACH", "DO", "EACH", "END", "EXCLUDE",
    "EXCLUSIVE", "EXPLAIN", "FAIL", "FILTER", "FIRST", "FOLLOWING", "FOR", "FULL", "GENERATED",
    "GLOB", "GROUPS", "IF", "IGNORE", "IMMEDIATE", "INITIALLY", "INNER", "INSTEAD", "KEY", "LAST",
    "LEFT", "LIKE", "MATCH", "MATERIALIZED", "NATURAL", "NO", "NULLS", "OF", "OFFSET", "OTHERS",
    "OUTER", "OVER", "PARTITION", "PLAN", "PRAGMA", "PRECEDING", "QUERY", "RAISE", "RANGE",
    "RECURSIVE", "REGEXP", "REINDEX", "RELEASE", "RENAME", "REPLACE", "RESTRICT", "RIGHT",
    "ROLLBACK", "ROW", "ROWS", "SAVEPOINT", "TEMP", "TIES", "TRIGGER", "UNBOUNDED", "VACUUM",
    "VIEW", "VIRTUAL", "WINDOW", "WITH", "WITHOUT",
};

static int kw_cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

static int in_list(const char *s, size_t n, const char *const *list, size_t count)
{
    char up[24];
    if (n < 2 || n >= sizeof(up))
        return 0;
    for (size_t i = 0; i < n; i++)
        up[i] = (char)toupper((unsigned char)s[i]);
    up[n] = 0;
    return bsearch(up, list, count, sizeof(list[0]), kw_cmp) != NULL;
}

static int is_keyword(const char *s, size_t n)
{
    return in_list(s, n, keywords, sizeof(keywords) / sizeof(keywords[0]));
}

static int is_fallback(const char *s, size_t n)
{
    return in_list(s, n, fallback, sizeof(fallback) / sizeof(fallback[0]));
}

enum { T_WORD, T_QID, T_STR, T_NUM, T_BLOB, T_OP };

typedef struct {
    const char *s;     /* text as written (or as substituted) */
    size_t n;          /* its length */
    int type;          /* T_* */
    int kw;            /* T_WORD: an SQLite keyword */
    const char *raw;   /* T_WORD, T_QID: the name unquoted; else NULL */
} tok;

typedef struct {
    tok *v;                  /* the tokens (malloc'd) */
    size_t n, cap;
    size_t hname;            /* CREATE statement: index of the object's name, or NONE */
    const char *hname_text;  /* how to print that name, or NULL: quoted by the model's rule */
    int kind;                /* CREATE TABLE/INDEX/VIEW/TRIGGER: 't', 'i', 'v', 'r'; else 0 */
    int virt;                /* CREATE VIRTUAL TABLE */
    strata_arena *a;         /* raw names live here (borrowed) */
} toks;

static void toks_dispose(toks *t)
{
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}

static int word_is(const tok *k, const char *w)
{
    return k->type == T_WORD && strlen(w) == k->n && strncasecmp(k->s, w, k->n) == 0;
}

static int op_is(const tok *k, const char *op)
{
    return k->type == T_OP && strlen(op) == k->n && strncmp(k->s, op, k->n) == 0;
}

/* Plain identifier (not a keyword) or quoted one. */
static int ident_like(const tok *k)
{
    return k->type == T_QID || (k->type == T_WORD && !k->kw);
}

/* Past a quoted run starting at p (the opening quote q); a doubled quote escapes. */
static const char *skip_quoted(const char *p, char q)
{
    for (p++; *p; p++) {
        if (*p == q) {
            if (p[1] == q) {
                p++;
                continue;
            }
            return p + 1;
        }
    }
    return p;
}

/* The name inside a quoted identifier or string, unescaped, in the arena. */
static char *unquote(strata_arena *a, const char *s, size_t n)
{
    char close = s[0] == '[' ? ']' : s[0];
    size_t len = n >= 2 && s[n - 1] == close ? n - 2 : n - 1;
    char *d = strata_arena_alloc(a, len + 1), *o = d;
    if (!d)
        return NULL;
    for (size_t i = 1; i <= len; i++) {
        *o++ = s[i];
        if (close != ']' && s[i] == close && i + 1 <= len && s[i + 1] == close)
            i++;
    }
    *o = 0;
    return d;
}

static int push_tok(toks *t, const char *s, size_t n, int type)
{
    tok *k;
    if (STRATA_ARRAY_GROW(t->v, t->n, t->cap) < 0)
        return strata__error_oom();
    k = &t->v[t->n++];
    k->s = s;
    k->n = n;
    k->type = type;
    k->kw = type == T_WORD && is_keyword(s, n);
    k->raw = NULL;
    if (type == T_WORD)
        k->raw = strata_arena_strndup(t->a, s, n);
    else if (type == T_QID)
        k->raw = unquote(t->a, s, n);
    if ((type == T_WORD || type == T_QID) && !k->raw)
        return strata__error_oom();
    return 0;
}

static int is_word_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Split "sql" into tokens, dropping blanks and comments. Strings point into "sql". */
static int lex(toks *t, const char *sql)
{
    static const char *const ops3[] = { "->>" };
    static const char *const ops2[] = { "||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->" };
    const char *p = sql;
    int error = 0;

    t->hname = NONE;
    while (*p && !error) {
        const unsigned char c = (unsigned char)*p;
        const char *s = p;
        int type;
        if (isspace(c)) {
            p++;
            continue;
        }
        if (c == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (c == '/' && p[1] == '*') {
            for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
                ;
            p += *p ? 2 : 0;
            continue;
        }
        if (c == '\'') {
            p = skip_quoted(p, '\'');
            type = T_STR;
        } else if ((c == 'x' || c == 'X') && p[1] == '\'') {
            p = skip_quoted(p + 1, '\'');
            type = T_BLOB;
        } else if (c == '"' || c == '`') {
            p = skip_quoted(p, (char)c);
            type = T_QID;
        } else if (c == '[') {
            const char *e = strchr(p, ']');
            p = e ? e + 1 : p + strlen(p);
            type = T_QID;
        } else if (isdigit(c) || (c == '.' && isdigit((unsigned char)p[1]))) {
            for (p++; *p; p++) {
                if (is_word_char((unsigned char)*p) || *p == '.')
                    continue;
                if ((*p == '+' || *p == '-') && (p[-1] == 'e' || p[-1] == 'E') &&
                    !(s[0] == '0' && (s[1] == 'x' || s[1] == 'X')))
                    continue;
                break;
            }
            type = T_NUM;
        } else if (isalpha(c) || c == '_' || c >= 0x80) {
            while (is_word_char((unsigned char)*p))
                p++;
            type = T_WORD;
        } else {
            size_t n = 1;
            for (size_t i = 0; i < sizeof(ops3) / sizeof(ops3[0]) && n == 1; i++)
                if (strncmp(p, ops3[i], 3) == 0)
                    n = 3;
            for (size_t i = 0; i < sizeof(ops2) / sizeof(ops2[0]) && n == 1; i++)
                if (strncmp(p, ops2[i], 2) == 0)
                    n = 2;
            p += n;
            type = T_OP;
        }
        error = push_tok(t, s, (size_t)(p - s), type);
    }
    /* no trailing ';' */
    while (t->n && op_is(&t->v[t->n - 1], ";"))
        t->n--;
    return error;
}

static void drop_toks(toks *t, size_t at, size_t count)
{
    memmove(&t->v[at], &t->v[at + count], (t->n - at - count) * sizeof(tok));
    t->n -= count;
}

/* Uppercase keyword k in place when it is "w". */
static int upcase_if(tok *k, const char *w)
{
    if (!word_is(k, w))
        return 0;
    k->s = w;
    return 1;
}

/*
 * Find the object name of a CREATE statement: uppercase the header's keywords,
 * drop IF NOT EXISTS and a schema prefix, and remember the name's token
 * ("name" given: print that instead).
 */
static void header(toks *t, const char *name)
{
    static const char *const mods[] = { "TEMP", "TEMPORARY", "UNIQUE", "VIRTUAL" };
    static const char *const kinds[] = { "TABLE", "INDEX", "VIEW", "TRIGGER" };
    static const char kind_chars[] = "tivr";
    size_t i = 1;

    t->hname = NONE;
    t->kind = 0;
    t->virt = 0;
    if (t->n < 3 || !upcase_if(&t->v[0], "CREATE"))
        return;
    for (int more = 1; more && i < t->n;) {
        more = 0;
        for (size_t m = 0; m < sizeof(mods) / sizeof(mods[0]); m++)
            if (upcase_if(&t->v[i], mods[m])) {
                t->virt |= m == 3;
                more = 1;
                i++;
                break;
            }
    }
    for (size_t k = 0; i < t->n && k < sizeof(kinds) / sizeof(kinds[0]); k++)
        if (upcase_if(&t->v[i], kinds[k]))
            t->kind = kind_chars[k];
    if (!t->kind)
        return;
    i++;
    if (i + 3 < t->n && word_is(&t->v[i], "IF") && word_is(&t->v[i + 1], "NOT") &&
        word_is(&t->v[i + 2], "EXISTS"))
        drop_toks(t, i, 3);
    if (i + 2 < t->n && t->v[i].raw && op_is(&t->v[i + 1], ".") && t->v[i + 2].raw)
        drop_toks(t, i, 2);
    if (i < t->n && t->v[i].raw) {
        t->hname = i;
        t->hname_text = name;
    }
}

static int upcase(toks *t, tok *k)
{
    char *u = strata_arena_strndup(t->a, k->s, k->n);
    if (!u)
        return strata__error_oom();
    for (char *p = u; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    k->s = u;
    return 0;
}

/*
 * Keywords in uppercase, except where a keyword SQLite also takes as a name
 * declares one (a column, a constraint or view column name, an alias, a bare
 * DEFAULT word): there the case is part of the name. Column types in
 * uppercase too, as SQLite's own PRAGMA table_info prints the common ones.
 */
static int canon_case(toks *t)
{
    size_t lp = t->hname != NONE ? t->hname + 1 : NONE, close = NONE;
    int table = t->kind == 't' && !t->virt, depth = 0, item_start = 0, in_type = 0;

    if (lp != NONE && (lp >= t->n || !op_is(&t->v[lp], "(") || (t->kind != 't' && t->kind != 'v')))
        lp = NONE;
    for (size_t i = 0; i < t->n; i++) {
        tok *k = &t->v[i];
        const tok *p = i ? &t->v[i - 1] : NULL;
        int keep = 0;
        if (lp != NONE && i >= lp && close == NONE) {
            if (op_is(k, "(")) {
                depth++;
                item_start = depth == 1;
                in_type = 0;
                continue;
            }
            if (op_is(k, ")") && --depth == 0) {
                close = i;
                continue;
            }
            if (depth == 1 && op_is(k, ",")) {
                item_start = 1;
                in_type = 0;
                continue;
            }
        }
        if (table && close != NONE && i > close && k->type == T_WORD) {
            if (upcase(t, k) < 0)   /* WITHOUT ROWID, STRICT */
                return STRATA_ERROR;
            continue;
        }
        if (i == t->hname || k->type != T_WORD) {
            /* a quoted column name starts its type too */
            in_type = item_start && depth == 1 && close == NONE && table && i != t->hname;
            item_start = 0;
            continue;
        }
        if (item_start && depth == 1 && close == NONE) {
            /* first word of a column item, or of a view's column list */
            item_start = 0;
            in_type = table && !(word_is(k, "CONSTRAINT") || word_is(k, "PRIMARY") ||
                                 word_is(k, "UNIQUE") || word_is(k, "CHECK") ||
                                 word_is(k, "FOREIGN"));
            keep = !k->kw || is_fallback(k->s, k->n) || t->kind == 'v';
            if (in_type || keep) {
                if (!keep && upcase(t, k) < 0)
                    return STRATA_ERROR;
                continue;
            }
        } else if (in_type && depth == 1 && close == NONE && !k->kw) {
            if (upcase(t, k) < 0)   /* a type word */
                return STRATA_ERROR;
            continue;
        }
        in_type = 0;
        if (t->kind == 'v' && lp != NONE && close == NONE && depth >= 1)
            continue;   /* a view's column names */
        if (!k->kw) {
            if ((word_is(k, "STORED") || word_is(k, "ROWID") || word_is(k, "STRICT")) &&
                upcase(t, k) < 0)
                return STRATA_ERROR;
            continue;
        }
        if (p && (word_is(p, "CONSTRAINT") ||
                  ((word_is(p, "AS") || word_is(p, "DEFAULT")) && is_fallback(k->s, k->n) &&
                   !word_is(k, "WITH") && !word_is(k, "CURRENT_DATE") &&
                   !word_is(k, "CURRENT_TIME") && !word_is(k, "CURRENT_TIMESTAMP"))))
            continue;
        if (upcase(t, k) < 0)
            return STRATA_ERROR;
    }
    return 0;
}

/* ==== quoting and printing ================================================ */

/* [a-z_][a-z0-9_]* ("upper": A-Z too) and not a keyword: needs no quotes. */
static int bare_ok(const char *s, int upper)
{
    size_t n = strlen(s);
    if (!n || !(islower((unsigned char)s[0]) || s[0] == '_' || (upper && isupper((unsigned char)s[0]))))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!(islower((unsigned char)s[i]) || isdigit((unsigned char)s[i]) || s[i] == '_' ||
              (upper && isupper((unsigned char)s[i]))))
            return 0;
    return !is_keyword(s, n);
}

static int put_quoted(strata_buf *out, const char *raw, int upper)
{
    int error = 0;
    if (bare_ok(raw, upper))
        return strata_buf_puts(out, raw);
    error |= strata_buf_put(out, "\"", 1);
    for (const char *p = raw; *p; p++) {
        error |= strata_buf_put(out, p, 1);
        if (*p == '"')
            error |= strata_buf_put(out, "\"", 1);
    }
    error |= strata_buf_put(out, "\"", 1);
    return error ? strata__error_oom() : 0;
}

/*
 * A name as the model writes it: bare when it matches [a-z_][a-z0-9_]* and is
 * not a keyword, else in double quotes.
 */
int strata__sqlite_quote(strata_buf *out, const char *raw)
{
    return put_quoted(out, raw, 0);
}

static char *quote_a(strata_arena *a, const char *raw)
{
    strata_buf b = STRATA_BUF_INIT;
    char *s = NULL;
    if (put_quoted(&b, raw, 0) == 0)
        s = strata_arena_strdup(a, strata_buf_cstr(&b));
    strata_buf_dispose(&b);
    return s;
}

/* For messages: the quoted name, or the raw one when memory runs out. */
static const char *quote_or_raw(strata_arena *a, const char *raw)
{
    const char *q = quote_a(a, raw);
    return q ? q : raw;
}

/* Is the operator at i unary (a sign written tight against its operand)? */
static int unary_at(const toks *t, size_t i, size_t first)
{
    const tok *k = &t->v[i], *p;
    if (k->type != T_OP || k->n != 1 || !strchr("-+~", k->s[0]))
        return 0;
    if (k->s[0] == '~' || i == first)
        return 1;
    p = &t->v[i - 1];
    if (p->type == T_OP)
        return !op_is(p, ")");
    if (p->type == T_WORD && p->kw)
        return !(word_is(p, "NULL") || word_is(p, "END") || word_is(p, "CURRENT_DATE") ||
                 word_is(p, "CURRENT_TIME") || word_is(p, "CURRENT_TIMESTAMP"));
    return 0;
}

/*
 * Print tokens [from, to) canonically: one space between tokens, none after
 * '(' or '.', none before ')' ',' ';' '.', none between a name and its '('
 * (a function or type) or after a unary sign.
 */
static int render(strata_buf *b, const toks *t, size_t from, size_t to)
{
    int error = 0;
    for (size_t i = from; i < to && !error; i++) {
        const tok *k = &t->v[i];
        if (i > from) {
            const tok *p = &t->v[i - 1];
            int sp = 1;
            if (op_is(p, "(") || op_is(p, ".") || op_is(k, ")") || op_is(k, ",") ||
                op_is(k, ";") || op_is(k, "."))
                sp = 0;
            else if (op_is(k, "(") && ident_like(p) && i - 1 != t->hname)
                sp = 0;
            else if (unary_at(t, i - 1, from) && !(p->s[0] == '-' && k->s[0] == '-'))
                sp = 0;
            if (sp)
                error = strata_buf_put(b, " ", 1);
        }
        if (i == t->hname)
            error |= t->hname_text ? strata_buf_puts(b, t->hname_text) : put_quoted(b, k->raw, 0);
        else if (k->type == T_QID)
            error |= put_quoted(b, k->raw, 1);
        else
            error |= strata_buf_put(b, k->s, k->n);
    }
    return error ? strata__error_oom() : 0;
}

static char *render_a(const toks *t, size_t from, size_t to)
{
    strata_buf b = STRATA_BUF_INIT;
    char *s = NULL;
    if (render(&b, t, from, to) == 0)
        s = strata_arena_strdup(t->a, strata_buf_cstr(&b));
    strata_buf_dispose(&b);
    return s;
}

/* ==== CREATE TABLE as parts =============================================== */

/* column attributes, from the column definition's own tokens */
#define A_PK        (1u << 0)
#define A_UNIQUE    (1u << 1)
#define A_FK        (1u << 2)
#define A_NOTNULL   (1u << 3)
#define A_DEFAULT   (1u << 4)
#define A_DEF_NULL  (1u << 5)
#define A_DEF_EXPR  (1u << 6)   /* a default ALTER TABLE ADD COLUMN refuses */
#define A_GENERATED (1u << 7)
#define A_STORED    (1u << 8)

typedef struct {
    const char *text;    /* the item, printed canonically */
    const char *col;     /* column name (raw), or NULL for a table constraint */
    unsigned attrs;      /* A_* */
    size_t b, e;         /* its tokens in the toks it came from (parse only) */
} titem;

typedef struct {
    const char *head;    /* "CREATE TABLE" */
    const char *name;    /* printed name */
    titem *items;        /* columns and table constraints, in order (arena) */
    size_t n, cap;
    const char *tail;    /* "WITHOUT ROWID" ..., or NULL */
} tdef;

static int item_grow(strata_arena *a, tdef *d)
{
    titem *v;
    size_t cap = d->cap ? d->cap * 2 : 16;
    if (d->n < d->cap)
        return 0;
    if (!(v = strata_arena_alloc(a, cap * sizeof(*v))))
        return strata__error_oom();
    if (d->n)
        memcpy(v, d->items, d->n * sizeof(*v));
    d->items = v;
    d->cap = cap;
    return 0;
}

static int tdef_copy(strata_arena *a, tdef *dst, const tdef *src)
{
    *dst = *src;
    dst->items = NULL;
    dst->cap = 0;
    dst->n = 0;
    for (size_t i = 0; i < src->n; i++) {
        if (item_grow(a, dst) < 0)
            return STRATA_ERROR;
        dst->items[dst->n++] = src->items[i];
    }
    return 0;
}

static unsigned col_attrs(const toks *t, size_t b, size_t e)
{
    unsigned at = 0;
    int depth = 0;
    for (size_t i = b + 1; i < e; i++) {
        const tok *k = &t->v[i];
        const tok *nx = i + 1 < e ? &t->v[i + 1] : NULL;
        if (op_is(k, "(")) {
            depth++;
            continue;
        }
        if (op_is(k, ")")) {
            depth--;
            continue;
        }
        if (depth || k->type != T_WORD)
            continue;
        if (word_is(k, "PRIMARY"))
            at |= A_PK;
        else if (word_is(k, "UNIQUE"))
            at |= A_UNIQUE;
        else if (word_is(k, "REFERENCES"))
            at |= A_FK;
        else if (word_is(k, "NOT") && nx && word_is(nx, "NULL"))
            at |= A_NOTNULL;
        else if (word_is(k, "STORED"))
            at |= A_STORED;
        else if (word_is(k, "AS") && nx && op_is(nx, "("))
            at |= A_GENERATED;
        else if (word_is(k, "DEFAULT") && nx) {
            at |= A_DEFAULT;
            if (word_is(nx, "NULL"))
                at |= A_DEF_NULL;
            else if (op_is(nx, "(")) {
                /* only a lone literal in parentheses counts as constant */
                size_t j = i + 2;
                if (j < e && (op_is(&t->v[j], "-") || op_is(&t->v[j], "+")))
                    j++;
                if (!(j + 1 < e && (t->v[j].type == T_NUM || t->v[j].type == T_STR ||
                                    t->v[j].type == T_BLOB) && op_is(&t->v[j + 1], ")")))
                    at |= A_DEF_EXPR;
            } else if (word_is(nx, "CURRENT_TIME") || word_is(nx, "CURRENT_DATE") ||
                       word_is(nx, "CURRENT_TIMESTAMP"))
                at |= A_DEF_EXPR;
        }
    }
    return at;
}

/*
 * Parse a lexed CREATE TABLE (header() done) into "d". Returns 1 when it is an
 * ordinary table with a column list, 0 when not (virtual table, odd text).
 */
static int tdef_parse(tdef *d, const toks *t)
{
    size_t lp, i, start;
    int depth = 0;

    memset(d, 0, sizeof(*d));
    if (t->kind != 't' || t->virt || t->hname == NONE)
        return 0;
    lp = t->hname + 1;
    if (lp >= t->n || !op_is(&t->v[lp], "("))
        return 0;
    if (!(d->head = render_a(t, 0, t->hname)) || !(d->name = render_a(t, t->hname, t->hname + 1)))
        return strata__error_oom();
    start = lp + 1;
    for (i = lp; i < t->n; i++) {
        const tok *k = &t->v[i];
        if (op_is(k, "(")) {
            depth++;
            continue;
        }
        if (depth == 1 && (op_is(k, ",") || op_is(k, ")"))) {
            titem *it;
            const tok *f;
            if (start == i)
                return 0;
            if (item_grow(t->a, d) < 0)
                return STRATA_ERROR;
            it = &d->items[d->n++];
            memset(it, 0, sizeof(*it));
            it->b = start;
            it->e = i;
            if (!(it->text = render_a(t, start, i)))
                return strata__error_oom();
            f = &t->v[start];
            if (!(word_is(f, "CONSTRAINT") || word_is(f, "PRIMARY") || word_is(f, "UNIQUE") ||
                  word_is(f, "CHECK") || word_is(f, "FOREIGN"))) {
                it->col = f->raw ? f->raw : f->type == T_STR ? unquote(t->a, f->s, f->n) : NULL;
                if (!it->col)
                    return 0;
                it->attrs = col_attrs(t, start, i);
            }
            start = i + 1;
        }
        if (op_is(k, ")") && --depth == 0)
            break;
    }
    if (i >= t->n)
        return 0;
    if (i + 1 < t->n && !(d->tail = render_a(t, i + 1, t->n)))
        return strata__error_oom();
    return 1;
}

static int tdef_render(strata_buf *b, const tdef *d, const char *name)
{
    int error = strata_buf_printf(b, "%s %s (", d->head, name ? name : d->name);
    for (size_t i = 0; i < d->n; i++)
        error |= strata_buf_printf(b, "%s%s", i ? ", " : "", d->items[i].text);
    error |= strata_buf_put(b, ")", 1);
    if (d->tail)
        error |= strata_buf_printf(b, " %s", d->tail);
    return error ? strata__error_oom() : 0;
}

/* Is "d" printed equal to "text"? */
static int tdef_equals(const tdef *d, const char *text)
{
    strata_buf b = STRATA_BUF_INIT;
    int eq = tdef_render(&b, d, NULL) == 0 && strcmp(strata_buf_cstr(&b), text) == 0;
    strata_buf_dispose(&b);
    return eq;
}

static long find_col(const tdef *d, const char *col)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].col && strcasecmp(d->items[i].col, col) == 0)
            return (long)i;
    return -1;
}

static int ncols(const tdef *d)
{
    int n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->items[i].col != NULL;
    return n;
}

/* Insert "it" after the last column, where SQLite's ADD COLUMN splices it. */
static int add_col(strata_arena *a, tdef *d, const titem *it)
{
    size_t at = 0;
    if (item_grow(a, d) < 0)
        return STRATA_ERROR;
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].col)
            at = i + 1;
    memmove(&d->items[at + 1], &d->items[at], (d->n - at) * sizeof(titem));
    d->items[at] = *it;
    d->n++;
    return 0;
}

static void del_item(tdef *d, size_t at)
{
    memmove(&d->items[at], &d->items[at + 1], (d->n - at - 1) * sizeof(titem));
    d->n--;
}

/* Does item text "text" name "col" anywhere? */
static int mentions(strata_arena *a, const char *text, const char *col)
{
    toks t = { .a = a };
    int found = 0;
    if (lex(&t, text) < 0) {
        toks_dispose(&t);
        return 1;
    }
    for (size_t i = 0; i < t.n && !found; i++)
        found = t.v[i].raw && strcasecmp(t.v[i].raw, col) == 0;
    toks_dispose(&t);
    return found;
}

/* Can SQLite's ALTER TABLE DROP COLUMN remove column item "at" of "d"? */
static int droppable(strata_arena *a, const tdef *d, size_t at)
{
    const titem *it = &d->items[at];
    if (!it->col || (it->attrs & (A_PK | A_UNIQUE | A_FK)) || ncols(d) < 2)
        return 0;
    for (size_t i = 0; i < d->n; i++)
        if (i != at && mentions(a, d->items[i].text, it->col))
            return 0;
    return 1;
}

/* Can SQLite's ALTER TABLE ADD COLUMN add column item "it"? */
static int addable(const titem *it)
{
    unsigned at = it->attrs;
    if (!it->col || (at & (A_PK | A_UNIQUE | A_DEF_EXPR)))
        return 0;
    if ((at & A_NOTNULL) && (!(at & A_DEFAULT) || (at & A_DEF_NULL)))
        return 0;
    if ((at & A_FK) && (at & A_DEFAULT) && !(at & A_DEF_NULL))
        return 0;
    if ((at & A_GENERATED) && (at & A_STORED))
        return 0;
    return 1;
}

/* ==== shared with the inspector =========================================== */

/*
 * The canonical text of CREATE statement (or expression) "sql": comments and
 * the trailing ';' dropped, IF NOT EXISTS and a schema prefix dropped, header
 * keywords uppercased, the object's name printed as "name" (when given),
 * tokens spaced by fixed rules, quoted identifiers unquoted where plain ones
 * do. The same schema written with other spacing or quoting gives the same
 * text, and so does the text SQLite stores after ALTER TABLE.
 */
int strata__sqlite_normalize(strata_buf *out, const char *sql, const char *name)
{
    strata_arena a = { 0 };
    toks t = { .a = &a };
    tdef d;
    int error, r;

    if ((error = lex(&t, sql)) < 0)
        goto done;
    header(&t, name);
    if ((error = canon_case(&t)) < 0)
        goto done;
    if ((r = tdef_parse(&d, &t)) < 0) {
        error = r;
        goto done;
    }
    error = r ? tdef_render(out, &d, NULL) : render(out, &t, 0, t.n);
done:
    toks_dispose(&t);
    strata_arena_dispose(&a);
    return error;
}

/* The expression of generated column "col" in CREATE TABLE "def" ("" if none). */
int strata__sqlite_generated(strata_buf *out, const char *def, const char *col)
{
    strata_arena a = { 0 };
    toks t = { .a = &a };
    tdef d;
    int error;

    if ((error = lex(&t, def)) < 0)
        goto done;
    header(&t, NULL);
    if ((error = tdef_parse(&d, &t)) <= 0)
        goto done;
    error = 0;
    for (size_t i = 0; i < d.n; i++) {
        const titem *it = &d.items[i];
        if (!it->col || strcasecmp(it->col, col) != 0 || !(it->attrs & A_GENERATED))
            continue;
        int depth = 0;
        for (size_t j = it->b + 1; j + 1 < it->e; j++) {
            if (op_is(&t.v[j], "("))
                depth++;
            else if (op_is(&t.v[j], ")"))
                depth--;
            else if (!depth && word_is(&t.v[j], "AS") && op_is(&t.v[j + 1], "(")) {
                size_t k = j + 1;
                int dd = 0;
                for (; k < it->e; k++) {
                    dd += op_is(&t.v[k], "(") - op_is(&t.v[k], ")");
                    if (dd == 0)
                        break;
                }
                error = render(out, &t, j + 2, k);
                goto done;
            }
        }
    }
done:
    toks_dispose(&t);
    strata_arena_dispose(&a);
    return error;
}

/* Call "cb" with every identifier (unquoted) in "sql"; stops when it returns non-zero. */
int strata__sqlite_idents(const char *sql, int (*cb)(const char *raw, void *payload), void *payload)
{
    strata_arena a = { 0 };
    toks t = { .a = &a };
    int error = lex(&t, sql);
    for (size_t i = 0; i < t.n && !error; i++)
        if (ident_like(&t.v[i]))
            error = cb(t.v[i].raw, payload);
    toks_dispose(&t);
    strata_arena_dispose(&a);
    return error;
}

/* ==== the differ ========================================================== */

typedef struct {
    const char *old, *new;   /* raw names */
} rename_pair;

enum { ST_NONE, ST_ALTER, ST_REBUILD, ST_DROP, ST_CREATE, ST_REPLACE };

typedef struct {
    const sm_object *from, *to;   /* the table on each side (either may be NULL) */
    const char *fraw, *traw;      /* raw names */
    int renamed;                  /* ALTER TABLE RENAME TO */
    rename_pair *cren;            /* column renames (arena) */
    size_t ncren, capcren;
    int state;                    /* ST_* */
    int affected;                 /* views and triggers on it must be dropped first */
    int parsed;                   /* sim and want hold the column lists */
    tdef sim;                     /* "from" as SQLite will hold it after the renames */
    tdef want;                    /* "to" */
} tinfo;

typedef struct {
    sm_changes *out;
    const strata_schema *from, *to;
    strata_arena a;               /* scratch */
    tinfo *t;                     /* tables (malloc'd) */
    size_t nt;
    tinfo **by_from, **by_to;     /* table objects -> their tinfo, by object index */
    char *xdrop, *idrop, *aff;    /* from objects: dropped explicitly, with their table, affected */
    char *xcreate, *icreate;      /* to objects: created explicitly, with their table */
    const char **isim;            /* from indexes: their text after the renames */
    tinfo **ofrom, **oto;         /* indexes and triggers -> their table's tinfo */
} dctx;

static const char *raw_of(strata_arena *a, const char *qname)
{
    if (qname[0] == '"')
        return unquote(a, qname, strlen(qname));
    return qname;
}

static tinfo *by_fraw(dctx *x, const char *raw)
{
    for (size_t i = 0; i < x->nt; i++)
        if (x->t[i].from && strcasecmp(x->t[i].fraw, raw) == 0)
            return &x->t[i];
    return NULL;
}

static tinfo *by_traw(dctx *x, const char *raw)
{
    for (size_t i = 0; i < x->nt; i++)
        if (x->t[i].to && strcasecmp(x->t[i].traw, raw) == 0)
            return &x->t[i];
    return NULL;
}

static const char *cren_of(const tinfo *ti, const char *raw)
{
    for (size_t i = 0; ti && i < ti->ncren; i++)
        if (strcasecmp(ti->cren[i].old, raw) == 0)
            return ti->cren[i].new;
    return NULL;
}

/* The table of an index or trigger, as a tinfo (from side or to side). */
static tinfo *owner(dctx *x, const sm_object *o, int to_side)
{
    return to_side ? x->oto[o->index] : x->ofrom[o->index];
}

/* Fill x->ofrom / x->oto: each sub-object's table. */
static int find_owners(dctx *x, const strata_schema *m, tinfo **own, tinfo **by)
{
    for (size_t i = 0; i < m->count; i++) {
        const sm_object *o = m->objs[i];
        sm_object *tbl;
        char *key;
        if (!o->table)
            continue;
        if (!(key = strata_arena_printf(&x->a, "table %s", o->table)))
            return strata__error_oom();
        if ((tbl = strata__model_find(m, key)) != NULL)
            own[i] = by[tbl->index];
    }
    return 0;
}

static int set_ident(toks *t, tok *k, const char *raw)
{
    k->type = T_QID;
    k->kw = 0;
    k->raw = raw;
    k->s = quote_a(t->a, raw);
    k->n = k->s ? strlen(k->s) : 0;
    return k->s ? 0 : strata__error_oom();
}

/*
 * Rewrite lexed definition "t" as SQLite does on the renames: REFERENCES
 * targets and their column lists, an index's ON table, and the names of
 * "own"'s columns everywhere else.
 */
static int subst(dctx *x, toks *t, const tinfo *own, int is_index)
{
    int seen_on = 0, error = 0;
    for (size_t i = 0; i < t->n; i++) {
        tok *k = &t->v[i];
        const char *nw;
        if (i == t->hname)
            continue;
        if (word_is(k, "REFERENCES") && i + 1 < t->n && t->v[i + 1].raw) {
            const tinfo *tg = by_fraw(x, t->v[i + 1].raw);
            i++;
            if (tg && tg->renamed)
                TRY(set_ident(t, &t->v[i], tg->traw));
            if (i + 1 < t->n && op_is(&t->v[i + 1], "(")) {
                for (i += 2; i < t->n && !op_is(&t->v[i], ")"); i++)
                    if (ident_like(&t->v[i]) && (nw = cren_of(tg, t->v[i].raw)))
                        TRY(set_ident(t, &t->v[i], nw));
            }
            continue;
        }
        if (is_index && !seen_on && word_is(k, "ON") && i + 1 < t->n) {
            seen_on = 1;
            i++;
            if (own && own->renamed && t->v[i].raw)
                TRY(set_ident(t, &t->v[i], own->traw));
            continue;
        }
        if (ident_like(k) && (nw = cren_of(own, k->raw)))
            TRY(set_ident(t, k, nw));
    }
done:
    return error;
}

/* Lex an object's canonical text, with its name printed as the model has it. */
static int lex_def(dctx *x, toks *t, const sm_object *o)
{
    int error;
    t->a = &x->a;
    if ((error = lex(t, o->def ? o->def : "")) < 0)
        return error;
    header(t, o->name);
    return 0;
}

static int add(dctx *x, const char *what, const strata_buf *up, const strata_buf *down,
               unsigned flags, const char *note)
{
    return strata__changes_add(x->out, what, strata_buf_cstr(up), strata_buf_cstr(down), flags,
                               note);
}

/* "sql" plus ";\n". */
static int put_stmt(strata_buf *b, const char *sql)
{
    return strata_buf_printf(b, "%s;\n", sql) < 0 ? strata__error_oom() : 0;
}

/*
 * The 12-step rebuild of table "name" (raw "raw") from "src" to "dst": a new
 * table "new_<raw>", the common columns copied, the old one dropped and the
 * new one renamed, then "idx" (index CREATE texts) created again.
 */
static int put_rebuild(dctx *x, strata_buf *b, const char *name, const char *raw, const tdef *src,
                       const tdef *dst, const char *const *idx, size_t nidx)
{
    strata_buf cols = STRATA_BUF_INIT, sel = STRATA_BUF_INIT;
    char *tmpraw = strata_arena_printf(&x->a, "new_%s", raw);
    char *tmp = tmpraw ? quote_a(&x->a, tmpraw) : NULL;
    int error = 0;

    if (!tmp)
        return strata__error_oom();
    TRY(tdef_render(b, dst, tmp));
    TRY(strata_buf_puts(b, ";\n"));
    for (size_t i = 0; i < dst->n; i++) {
        const titem *it = &dst->items[i];
        long s;
        if (!it->col || (it->attrs & A_GENERATED) || (s = find_col(src, it->col)) < 0)
            continue;
        TRY(strata_buf_puts(&cols, cols.size ? ", " : ""));
        TRY(put_quoted(&cols, it->col, 0));
        TRY(strata_buf_puts(&sel, sel.size ? ", " : ""));
        TRY(put_quoted(&sel, src->items[s].col, 0));
    }
    if (cols.size)
        TRY(strata_buf_printf(b, "INSERT INTO %s (%s) SELECT %s FROM %s;\n", tmp, cols.ptr, sel.ptr,
                              name));
    TRY(strata_buf_printf(b, "DROP TABLE %s;\nALTER TABLE %s RENAME TO %s;\n", name, tmp, name));
    for (size_t i = 0; i < nidx; i++)
        TRY(put_stmt(b, idx[i]));
done:
    strata_buf_dispose(&cols);
    strata_buf_dispose(&sel);
    return error < 0 ? strata__error_oom() : 0;
}

/* Index texts on table "ti" for a rebuild: "to_side" all its target indexes; else
 * its source indexes (after the renames), all of them or (persistent) only those
 * not dropped on their own. */
static int table_indexes(dctx *x, const tinfo *ti, int to_side, int persistent,
                         const char ***out, size_t *n)
{
    const strata_schema *m = to_side ? x->to : x->from;
    const char **v = strata_arena_alloc(&x->a, (m->count + 1) * sizeof(*v));
    *n = 0;
    *out = v;
    if (!v)
        return strata__error_oom();
    for (size_t i = 0; i < m->count; i++) {
        const sm_object *o = m->ordered[i];
        if (o->kind != SM_INDEX || owner(x, o, to_side) != ti)
            continue;
        if (to_side)
            v[(*n)++] = o->def;
        else if (!persistent || !x->xdrop[o->index])
            v[(*n)++] = x->isim[o->index];
    }
    return 0;
}

/* The reverse of one in-place step on "ti": "rev" when it restores "before"
 * exactly, else a rebuild back. */
static int put_down(dctx *x, strata_buf *down, tinfo *ti, const tdef *after, const tdef *before,
                    const tdef *rev, const char *rev_sql)
{
    strata_buf b = STRATA_BUF_INIT;
    const char **idx;
    size_t nidx;
    int error = 0, exact = 0;

    if (rev) {
        TRY(tdef_render(&b, before, NULL));
        exact = tdef_equals(rev, strata_buf_cstr(&b));
    }
    if (exact)
        TRY(strata_buf_puts(down, rev_sql));
    else {
        TRY(table_indexes(x, ti, 0, 1, &idx, &nidx));
        TRY(put_rebuild(x, down, ti->to->name, ti->traw, after, before, idx, nidx));
    }
done:
    strata_buf_dispose(&b);
    return error < 0 ? error : 0;
}

/*
 * Turn "ti"'s sim into its want with DROP COLUMN and ADD COLUMN. Returns 1
 * when that reaches the target text exactly (emitting the changes when
 * "emit"), 0 when the table needs a rebuild.
 */
static int alter_plan(dctx *x, tinfo *ti, int emit)
{
    strata_buf up = STRATA_BUF_INIT, down = STRATA_BUF_INIT;
    tdef cur, before, rev;
    int error = 0, ok = 0;
    const char *name = ti->to->name;

    TRY(tdef_copy(&x->a, &cur, &ti->sim));
    for (size_t i = 0; i < ti->sim.n; i++) {
        const titem it = ti->sim.items[i];
        long at;
        if (!it.col || find_col(&ti->want, it.col) >= 0)
            continue;
        at = find_col(&cur, it.col);
        if (at < 0 || !droppable(&x->a, &cur, (size_t)at))
            goto done;
        TRY(tdef_copy(&x->a, &before, &cur));
        del_item(&cur, (size_t)at);
        if (!emit)
            continue;
        strata_buf_clear(&up);
        strata_buf_clear(&down);
        TRY(strata_buf_printf(&up, "ALTER TABLE %s DROP COLUMN ", name));
        TRY(put_quoted(&up, it.col, 0));
        TRY(strata_buf_puts(&up, ";\n"));
        TRY(tdef_copy(&x->a, &rev, &cur));
        TRY(add_col(&x->a, &rev, &it));
        {
            char *sql = strata_arena_printf(&x->a, "ALTER TABLE %s ADD COLUMN %s;\n", name, it.text);
            if (!sql) {
                error = strata__error_oom();
                goto done;
            }
            TRY(put_down(x, &down, ti, &cur, &before, addable(&it) ? &rev : NULL, sql));
        }
        {
            char *what = strata_arena_printf(&x->a, "drop column %s.%s", name, quote_or_raw(&x->a, it.col));
            if (!what) {
                error = strata__error_oom();
                goto done;
            }
            TRY(add(x, what, &up, &down, STRATA_CHANGE_DESTRUCTIVE,
                    "the column and its data are lost"));
        }
    }
    for (size_t i = 0; i < ti->want.n; i++) {
        const titem it = ti->want.items[i];
        long at;
        if (!it.col || find_col(&ti->sim, it.col) >= 0)
            continue;
        if (!addable(&it))
            goto done;
        TRY(tdef_copy(&x->a, &before, &cur));
        TRY(add_col(&x->a, &cur, &it));
        if (!emit)
            continue;
        strata_buf_clear(&up);
        strata_buf_clear(&down);
        TRY(strata_buf_printf(&up, "ALTER TABLE %s ADD COLUMN %s;\n", name, it.text));
        TRY(tdef_copy(&x->a, &rev, &cur));
        at = find_col(&rev, it.col);
        {
            strata_buf sql = STRATA_BUF_INIT;
            int ok_drop = at >= 0 && droppable(&x->a, &cur, (size_t)at);
            if (ok_drop)
                del_item(&rev, (size_t)at);
            error = strata_buf_printf(&sql, "ALTER TABLE %s DROP COLUMN ", name);
            error |= put_quoted(&sql, it.col, 0);
            error |= strata_buf_puts(&sql, ";\n");
            if (!error)
                error = put_down(x, &down, ti, &cur, &before, ok_drop ? &rev : NULL,
                                 strata_buf_cstr(&sql));
            strata_buf_dispose(&sql);
            if (error < 0)
                goto done;
        }
        {
            char *what = strata_arena_printf(&x->a, "add column %s.%s", name, quote_or_raw(&x->a, it.col));
            if (!what) {
                error = strata__error_oom();
                goto done;
            }
            TRY(add(x, what, &up, &down, 0, NULL));
        }
    }
    ok = tdef_equals(&cur, ti->to->def);
done:
    strata_buf_dispose(&up);
    strata_buf_dispose(&down);
    return error < 0 ? error : ok;
}

static int emit_rebuild(dctx *x, tinfo *ti)
{
    strata_buf up = STRATA_BUF_INIT, down = STRATA_BUF_INIT, lost = STRATA_BUF_INIT;
    const char **idx;
    size_t nidx;
    int error = 0;
    char *what, *note;

    TRY(table_indexes(x, ti, 1, 0, &idx, &nidx));
    TRY(put_rebuild(x, &up, ti->to->name, ti->traw, &ti->sim, &ti->want, idx, nidx));
    TRY(table_indexes(x, ti, 0, 0, &idx, &nidx));
    TRY(put_rebuild(x, &down, ti->to->name, ti->traw, &ti->want, &ti->sim, idx, nidx));
    for (size_t i = 0; i < ti->sim.n; i++)
        if (ti->sim.items[i].col && find_col(&ti->want, ti->sim.items[i].col) < 0) {
            TRY(strata_buf_puts(&lost, lost.size ? ", " : ""));
            TRY(put_quoted(&lost, ti->sim.items[i].col, 0));
        }
    what = strata_arena_printf(&x->a, "rebuild table %s", ti->to->name);
    note = lost.size ? strata_arena_printf(&x->a, "SQLite cannot alter this in place: the table "
                                                  "is copied into a new one; columns lost: %s",
                                           lost.ptr)
                     : strata_arena_strdup(&x->a, "SQLite cannot alter this in place: the table "
                                                  "is copied into a new one");
    if (!what || !note) {
        error = strata__error_oom();
        goto done;
    }
    TRY(add(x, what, &up, &down, STRATA_CHANGE_RECREATE | (lost.size ? STRATA_CHANGE_DESTRUCTIVE : 0),
            note));
done:
    strata_buf_dispose(&up);
    strata_buf_dispose(&down);
    strata_buf_dispose(&lost);
    return error < 0 ? error : 0;
}

/* Split rename "spec" ("tbl=newtbl", "tbl.col=newcol", names optionally in
 * double quotes) into raw names; *col is NULL for a table rename. 0, or 1 when
 * it is no rename at all. */
static int split_rename(dctx *x, const char *spec, const char **tbl, const char **col,
                        const char **to)
{
    const char *eq, *dot = NULL;
    int inq = 0;
    char *l, *c = NULL, *r;

    if (!spec || !(eq = strchr(spec, '=')))
        return 1;
    for (const char *p = spec; p < eq; p++) {
        if (*p == '"')
            inq = !inq;
        else if (*p == '.' && !inq)
            dot = p;
    }
    l = strata_arena_strndup(&x->a, spec, (size_t)((dot ? dot : eq) - spec));
    r = strata_arena_strdup(&x->a, eq + 1);
    if (dot)
        c = strata_arena_strndup(&x->a, dot + 1, (size_t)(eq - dot - 1));
    if (l && l[0] == '"')
        l = unquote(&x->a, l, strlen(l));
    if (r && r[0] == '"')
        r = unquote(&x->a, r, strlen(r));
    if (c && c[0] == '"')
        c = unquote(&x->a, c, strlen(c));
    if (!l || !r || (dot && !c))
        return strata__error_oom();
    *tbl = l;
    *col = c;
    *to = r;
    return 0;
}

/*
 * Apply opts->renames to the table pairs: a table rename pairs source table
 * "tbl" with target table "newtbl" (a rename that is already done, or whose
 * both names exist on both sides, is ignored); a column rename is kept on its
 * table's pair. Table renames go first, whatever their order in the list.
 */
static int parse_renames(dctx *x, const strata_schema_options *opts)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t r = 0; opts && r < opts->renames_count; r++) {
            const char *tbl = NULL, *col = NULL, *nw = NULL;
            tinfo *f, *t;
            int rc = split_rename(x, opts->renames[r], &tbl, &col, &nw);
            if (rc < 0)
                return rc;
            if (rc || (pass == 0) != (col == NULL))
                continue;
            if (pass == 0) {
                const sm_object *tto;
                const char *ttraw;
                f = by_fraw(x, tbl);
                t = by_traw(x, nw);
                if (!f || !t || f == t || (f->to && t->from))
                    continue;
                tto = t->to;
                ttraw = t->traw;
                t->to = NULL;
                t->traw = NULL;
                if (f->to) {
                    /* the old name is taken again by a new table */
                    tinfo *n = &x->t[x->nt++];
                    n->to = f->to;
                    n->traw = f->traw;
                }
                f->to = tto;
                f->traw = ttraw;
                f->renamed = 1;
                continue;
            }
            t = by_fraw(x, tbl);
            if (!t || !t->to)
                t = by_traw(x, tbl);
            if (!t || !t->from || !t->to)
                continue;
            if (STRATA_ARRAY_GROW(t->cren, t->ncren, t->capcren) < 0)
                return strata__error_oom();
            t->cren[t->ncren].old = col;
            t->cren[t->ncren].new = nw;
            t->ncren++;
        }
    return 0;
}

static int has_col(dctx *x, const sm_object *o, const char *raw)
{
    for (size_t c = 0; c < o->ncols; c++) {
        const char *r = raw_of(&x->a, o->cols[c].name);
        if (r && strcasecmp(r, raw) == 0)
            return 1;
    }
    return 0;
}

/* Keep only the column renames that name a column on each side. */
static void check_col_renames(dctx *x, tinfo *ti)
{
    size_t k = 0;
    for (size_t i = 0; i < ti->ncren; i++)
        if (has_col(x, ti->from, ti->cren[i].old) && !has_col(x, ti->from, ti->cren[i].new) &&
            has_col(x, ti->to, ti->cren[i].new) && !has_col(x, ti->to, ti->cren[i].old))
            ti->cren[k++] = ti->cren[i];
    ti->ncren = k;
}

/* Work out what happens to each table (after the renames are known). */
static int plan_tables(dctx *x)
{
    int error = 0;
    for (size_t i = 0; i < x->nt; i++) {
        tinfo *ti = &x->t[i];
        toks tf = { 0 }, tt = { 0 };
        int r1, r2;
        if (!ti->from && !ti->to)
            continue;
        if (!ti->to) {
            ti->state = ST_DROP;
            ti->affected = 1;
            continue;
        }
        if (!ti->from) {
            ti->state = ST_CREATE;
            continue;
        }
        check_col_renames(x, ti);
        if ((error = lex_def(x, &tf, ti->from)) < 0 || (error = lex_def(x, &tt, ti->to)) < 0 ||
            (error = subst(x, &tf, ti, 0)) < 0) {
            toks_dispose(&tf);
            toks_dispose(&tt);
            return error;
        }
        tf.hname_text = ti->to->name;
        r1 = tdef_parse(&ti->sim, &tf);
        r2 = tdef_parse(&ti->want, &tt);
        if (r1 < 0 || r2 < 0) {
            toks_dispose(&tf);
            toks_dispose(&tt);
            return r1 < 0 ? r1 : r2;
        }
        if (!r1 || !r2) {
            /* a virtual table (or text we cannot take apart): as is, renamed, or replaced */
            char *s = render_a(&tf, 0, tf.n);
            toks_dispose(&tf);
            toks_dispose(&tt);
            if (!s)
                return strata__error_oom();
            if (strcmp(s, ti->to->def) == 0)
                ti->state = ST_NONE;
            else {
                ti->state = ST_REPLACE;
                ti->renamed = 0;
                ti->ncren = 0;
            }
            ti->affected = ti->renamed || ti->state == ST_REPLACE;
            continue;
        }
        ti->parsed = 1;
        toks_dispose(&tf);
        toks_dispose(&tt);
        if (tdef_equals(&ti->sim, ti->to->def))
            ti->state = ST_NONE;
        else {
            int in_place = alter_plan(x, ti, 0);
            if (in_place < 0)
                return in_place;
            ti->state = in_place ? ST_ALTER : ST_REBUILD;
        }
        ti->affected = ti->renamed || ti->ncren || ti->state == ST_REBUILD;
        if (ti->state == ST_ALTER)
            for (size_t c = 0; c < ti->sim.n; c++)
                if (ti->sim.items[c].col && find_col(&ti->want, ti->sim.items[c].col) < 0)
                    ti->affected = 1;
    }
    return 0;
}

/* Indexes, views and triggers: which are dropped, created, or ride with their table. */
static int plan_objects(dctx *x)
{
    const strata_schema *f = x->from, *t = x->to;
    int error = 0;

    for (size_t i = 0; i < t->count; i++) {
        const sm_object *o = t->objs[i];
        tinfo *ti = o->kind == SM_INDEX ? owner(x, o, 1) : NULL;
        x->icreate[i] = ti && ti->state == ST_REBUILD;
    }
    for (size_t i = 0; i < f->count; i++) {
        const sm_object *o = f->objs[i];
        const sm_object *p;
        tinfo *ti;
        toks tk = { 0 };
        if (o->kind != SM_INDEX)
            continue;
        ti = owner(x, o, 0);
        x->idrop[i] = !ti || ti->state == ST_DROP || ti->state == ST_REBUILD ||
                      ti->state == ST_REPLACE;
        if ((error = lex_def(x, &tk, o)) < 0 || (error = subst(x, &tk, ti, 1)) < 0) {
            toks_dispose(&tk);
            return error;
        }
        x->isim[i] = render_a(&tk, 0, tk.n);
        toks_dispose(&tk);
        if (!x->isim[i])
            return strata__error_oom();
        p = strata__model_find(t, o->key);
        x->xdrop[i] = !x->idrop[i] && (!p || x->icreate[p->index] || strcmp(x->isim[i], p->def) != 0);
    }
    /* views and triggers: affected by a changed table or object they depend on */
    for (size_t i = 0; i < f->count; i++) {
        const sm_object *o = f->ordered[i];
        const sm_object *p;
        int a = 0;
        if (o->kind == SM_TABLE) {
            x->aff[o->index] = x->by_from[o->index] && x->by_from[o->index]->affected;
            continue;
        }
        if (o->kind != SM_VIEW && o->kind != SM_TRIGGER)
            continue;
        p = strata__model_find(t, o->key);
        a = !p || strcmp(p->def, o->def) != 0;
        for (size_t d = 0; d < o->ndeps && !a; d++)
            a = x->aff[o->deps[d]->index];
        x->aff[o->index] = (char)a;
        x->xdrop[o->index] = (char)a;
    }
    for (size_t i = 0; i < t->count; i++) {
        const sm_object *o = t->objs[i];
        const sm_object *p;
        if (o->kind != SM_INDEX && o->kind != SM_VIEW && o->kind != SM_TRIGGER)
            continue;
        p = strata__model_find(f, o->key);
        x->xcreate[i] = !x->icreate[i] && (!p || x->xdrop[p->index] || x->idrop[p->index]);
    }
    return error;
}

static const char *drop_word(sm_kind k)
{
    return k == SM_INDEX ? "INDEX" : k == SM_VIEW ? "VIEW" : k == SM_TRIGGER ? "TRIGGER" : "TABLE";
}

static int emit_all(dctx *x)
{
    const strata_schema *f = x->from, *t = x->to;
    strata_buf up = STRATA_BUF_INIT, down = STRATA_BUF_INIT;
    const char **live = NULL;
    size_t nlive = 0;
    int error = 0;
    char *what;

#define WHAT(...) do { if (!(what = strata_arena_printf(&x->a, __VA_ARGS__))) { error = strata__error_oom(); goto done; } } while (0)
#define RESET() do { strata_buf_clear(&up); strata_buf_clear(&down); } while (0)

    /* 1. dependents first: triggers, views, indexes, in reverse dependency order */
    for (size_t i = f->count; i-- > 0;) {
        const sm_object *o = f->ordered[i];
        const sm_object *p;
        if (o->kind == SM_TABLE || !x->xdrop[o->index])
            continue;
        p = strata__model_find(t, o->key);
        RESET();
        TRY(strata_buf_printf(&up, "DROP %s %s;\n", drop_word(o->kind), o->name));
        TRY(put_stmt(&down, o->def));
        WHAT("drop %s %s", strata__kind_name(o->kind), o->name);
        TRY(add(x, what, &up, &down, p ? STRATA_CHANGE_RECREATE : 0,
                !p ? NULL : strcmp(p->def, o->kind == SM_INDEX ? x->isim[o->index] : o->def)
                        ? "its definition changed: dropped and created again"
                        : "it depends on a changed table: dropped and created again"));
    }
    /* 2. dropped tables, dependents before what they depend on */
    for (size_t i = f->count; i-- > 0;) {
        const sm_object *o = f->ordered[i];
        tinfo *ti = o->kind == SM_TABLE ? x->by_from[o->index] : NULL;
        if (!ti || (ti->state != ST_DROP && ti->state != ST_REPLACE))
            continue;
        RESET();
        TRY(strata_buf_printf(&up, "DROP TABLE %s;\n", o->name));
        TRY(put_stmt(&down, o->def));
        for (size_t j = 0; j < f->count; j++) {
            const sm_object *ix = f->ordered[j];
            if (ix->kind == SM_INDEX && owner(x, ix, 0) == ti)
                TRY(put_stmt(&down, ix->def));
        }
        WHAT("drop table %s", o->name);
        TRY(add(x, what, &up, &down, STRATA_CHANGE_DESTRUCTIVE |
                                        (ti->state == ST_REPLACE ? STRATA_CHANGE_RECREATE : 0),
                ti->state == ST_REPLACE ? "a virtual table cannot be altered: dropped and created "
                                          "again, its rows are lost"
                                        : "the table and its rows are lost"));
    }
    /* 3. table renames, each once its new name is free */
    live = strata_arena_alloc(&x->a, (x->nt + 1) * sizeof(*live));
    if (!live) {
        error = strata__error_oom();
        goto done;
    }
    for (size_t i = 0; i < x->nt; i++)
        if (x->t[i].from && x->t[i].state != ST_DROP && x->t[i].state != ST_REPLACE)
            live[nlive++] = x->t[i].fraw;
    for (;;) {
        int pending = 0, progress = 0;
        for (size_t i = 0; i < x->nt; i++) {
            tinfo *ti = &x->t[i];
            int busy = 0;
            size_t me = NONE;
            if (!ti->renamed || !ti->from)
                continue;
            for (size_t l = 0; l < nlive; l++) {
                if (live[l] == ti->fraw)
                    me = l;
                else if (strcasecmp(live[l], ti->traw) == 0)
                    busy = 1;
            }
            if (me == NONE)
                continue;   /* done */
            pending = 1;
            if (busy)
                continue;
            RESET();
            TRY(strata_buf_printf(&up, "ALTER TABLE %s RENAME TO %s;\n", ti->from->name, ti->to->name));
            TRY(strata_buf_printf(&down, "ALTER TABLE %s RENAME TO %s;\n", ti->to->name,
                                  ti->from->name));
            WHAT("rename table %s to %s", ti->from->name, ti->to->name);
            TRY(add(x, what, &up, &down, 0, NULL));
            live[me] = ti->traw;
            progress = 1;
        }
        if (!pending)
            break;
        if (!progress) {
            error = strata__error(STRATA_EINVALID, "diff", "the table renames form a cycle");
            strata__error_hint("rename through a temporary name in two steps");
            goto done;
        }
    }
    /* 4. tables in the target's dependency order */
    for (size_t i = 0; i < t->count; i++) {
        const sm_object *o = t->ordered[i];
        tinfo *ti = o->kind == SM_TABLE ? x->by_to[o->index] : NULL;
        if (!ti)
            continue;
        if (ti->state == ST_CREATE || ti->state == ST_REPLACE) {
            RESET();
            TRY(put_stmt(&up, o->def));
            TRY(strata_buf_printf(&down, "DROP TABLE %s;\n", o->name));
            WHAT("create table %s", o->name);
            TRY(add(x, what, &up, &down, ti->state == ST_REPLACE ? STRATA_CHANGE_RECREATE : 0, NULL));
            continue;
        }
        for (size_t c = 0; c < ti->ncren; c++) {
            RESET();
            TRY(strata_buf_printf(&up, "ALTER TABLE %s RENAME COLUMN ", o->name));
            TRY(put_quoted(&up, ti->cren[c].old, 0));
            TRY(strata_buf_puts(&up, " TO "));
            TRY(put_quoted(&up, ti->cren[c].new, 0));
            TRY(strata_buf_puts(&up, ";\n"));
            TRY(strata_buf_printf(&down, "ALTER TABLE %s RENAME COLUMN ", o->name));
            TRY(put_quoted(&down, ti->cren[c].new, 0));
            TRY(strata_buf_puts(&down, " TO "));
            TRY(put_quoted(&down, ti->cren[c].old, 0));
            TRY(strata_buf_puts(&down, ";\n"));
            WHAT("rename column %s.%s to %s", o->name, quote_or_raw(&x->a, ti->cren[c].old),
                 quote_or_raw(&x->a, ti->cren[c].new));
            TRY(add(x, what, &up, &down, 0, NULL));
        }
        if (ti->state == ST_ALTER) {
            TRY(alter_plan(x, ti, 1));
        } else if (ti->state == ST_REBUILD)
            TRY(emit_rebuild(x, ti));
    }
    /* 5. indexes, views and triggers created, in dependency order */
    for (size_t i = 0; i < t->count; i++) {
        const sm_object *o = t->ordered[i];
        if (o->kind == SM_TABLE || !x->xcreate[o->index])
            continue;
        RESET();
        TRY(put_stmt(&up, o->def));
        TRY(strata_buf_printf(&down, "DROP %s %s;\n", drop_word(o->kind), o->name));
        WHAT("create %s %s", strata__kind_name(o->kind), o->name);
        TRY(add(x, what, &up, &down,
                strata__model_find(f, o->key) ? STRATA_CHANGE_RECREATE : 0, NULL));
    }
#undef WHAT
#undef RESET
done:
    strata_buf_dispose(&up);
    strata_buf_dispose(&down);
    return error < 0 ? error : 0;
}

/*
 * The changes that turn SQLite model "from" into "to", appended to "out" in
 * the order they must run, each with its exact reverse. "opts" (may be NULL)
 * gives renames; destructive changes are flagged, not refused.
 * STRATA_EINVALID for renames that form a cycle.
 */
int strata__sqlite_diff(sm_changes *out, const strata_schema *from, const strata_schema *to,
                        const strata_schema_options *opts)
{
    dctx x = { .out = out, .from = from, .to = to };
    int error = 0;

    x.t = strata__calloc(from->count + to->count + 1, sizeof(*x.t));
    x.by_from = strata__calloc(from->count + 1, sizeof(*x.by_from));
    x.by_to = strata__calloc(to->count + 1, sizeof(*x.by_to));
    x.xdrop = strata__calloc(from->count + 1, 1);
    x.idrop = strata__calloc(from->count + 1, 1);
    x.aff = strata__calloc(from->count + 1, 1);
    x.xcreate = strata__calloc(to->count + 1, 1);
    x.icreate = strata__calloc(to->count + 1, 1);
    x.isim = strata__calloc(from->count + 1, sizeof(*x.isim));
    x.ofrom = strata__calloc(from->count + 1, sizeof(*x.ofrom));
    x.oto = strata__calloc(to->count + 1, sizeof(*x.oto));
    if (!x.t || !x.by_from || !x.by_to || !x.xdrop || !x.idrop || !x.aff || !x.xcreate ||
        !x.icreate || !x.isim || !x.ofrom || !x.oto) {
        error = strata__error_oom();
        goto done;
    }
    /* pair tables by key; renames re-pair them below */
    for (size_t i = 0; i < from->count; i++) {
        const sm_object *o = from->objs[i];
        const sm_object *p;
        tinfo *ti;
        if (o->kind != SM_TABLE)
            continue;
        ti = &x.t[x.nt++];
        ti->from = o;
        ti->fraw = raw_of(&x.a, o->name);
        if ((p = strata__model_find(to, o->key)) != NULL) {
            ti->to = p;
            ti->traw = raw_of(&x.a, p->name);
        }
        if (!ti->fraw || (p && !ti->traw)) {
            error = strata__error_oom();
            goto done;
        }
    }
    for (size_t i = 0; i < to->count; i++) {
        const sm_object *o = to->objs[i];
        tinfo *ti;
        if (o->kind != SM_TABLE || strata__model_find(from, o->key))
            continue;
        ti = &x.t[x.nt++];
        ti->to = o;
        if (!(ti->traw = raw_of(&x.a, o->name))) {
            error = strata__error_oom();
            goto done;
        }
    }
    TRY(parse_renames(&x, opts));
    for (size_t i = 0; i < x.nt; i++) {
        if (x.t[i].from)
            x.by_from[x.t[i].from->index] = &x.t[i];
        if (x.t[i].to)
            x.by_to[x.t[i].to->index] = &x.t[i];
    }
    TRY(find_owners(&x, from, x.ofrom, x.by_from));
    TRY(find_owners(&x, to, x.oto, x.by_to));
    TRY(plan_tables(&x));
    TRY(plan_objects(&x));
    TRY(emit_all(&x));
done:
    for (size_t i = 0; x.t && i < x.nt; i++)
        free(x.t[i].cren);
    free(x.t);
    free(x.by_from);
    free(x.by_to);
    free(x.xdrop);
    free(x.idrop);
    free(x.aff);
    free(x.xcreate);
    free(x.icreate);
    free(x.isim);
    free(x.ofrom);
    free(x.oto);
    strata_arena_dispose(&x.a);
    return error;
}
