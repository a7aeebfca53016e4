/*
 * lint.c: the linter's engine. It reads files (migrations in any format and
 * JSON table definitions), finds the SQL that will run (the up section),
 * parses it with PostgreSQL's parser, walks the statements with the context
 * of the run (what was created earlier, whether the migration is wrapped in
 * a transaction, SET lock_timeout), applies suppression comments and the
 * [lint] configuration, and collects findings. The rules themselves live in
 * rules.c. Nothing here touches a database.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lint.h"

typedef struct {
    strata_arena arena;
    strata_finding *findings;
} report_mem;

/* ---- json helpers ---------------------------------------------------------- */

const char *strata_lint__str(strata_jv *o, const char *key)
{
    strata_jv *v = strata_jv_get(o, key);
    return strata_jv_str(v);
}

const char *strata_lint__node(strata_jv *wrapper, strata_jv **inner)
{
    if (!strata_jv_is(wrapper, STRATA_JV_OBJECT) || wrapper->n != 1)
        return NULL;
    *inner = &wrapper->u.members[0].value;
    return wrapper->u.members[0].key;
}

static void lower_copy(char *buf, size_t n, const char *s)
{
    size_t i = 0;
    for (; s && s[i] && i + 1 < n; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[i] = '\0';
}

const char *strata_lint__type_name(strata_jv *type_name, char *buf, size_t n)
{
    strata_jv *names = strata_jv_get(type_name, "names"), *last, *inner = NULL;
    buf[0] = '\0';
    if (!strata_jv_is(names, STRATA_JV_ARRAY) || strata_jv_size(names) == 0)
        return buf;
    last = strata_jv_at(names, strata_jv_size(names) - 1);
    if (strata_lint__node(last, &inner) && inner)
        lower_copy(buf, n, strata_lint__str(inner, "sval"));
    return buf;
}

const char *strata_lint__relation(strata_jv *rv, char *buf, size_t n)
{
    const char *schema = strata_lint__str(rv, "schemaname"), *name = strata_lint__str(rv, "relname");
    char tmp[256];
    if (schema)
        snprintf(tmp, sizeof(tmp), "%s.%s", schema, name ? name : "?");
    else
        snprintf(tmp, sizeof(tmp), "%s", name ? name : "?");
    lower_copy(buf, n, tmp);
    return buf;
}

/* ---- context ------------------------------------------------------------------ */

static int listed(char **list, size_t n, const strata_lint_rule *r)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(list[i], r->id) == 0 || strcasecmp(list[i], r->name) == 0 ||
            strcmp(list[i], "all") == 0)
            return 1;
    return 0;
}

void strata_lint__report(lint_ctx *ctx, int rule, long offset, const char *hint, const char *fmt, ...)
{
    const strata_lint_rule *r = &strata_lint__rules[rule];
    strata_finding *f;
    va_list ap;
    char msg[512];
    /* node locations count from the parsed chunk; inside a body, from the
     * body's own text (unusable: the statement's start stands in) */
    size_t at = offset >= 0 && !ctx->in_body ? ctx->chunk_base + (size_t)offset : ctx->stmt_offset;
    unsigned col = 0, line;

    if (ctx->severity[rule] == STRATA_SEVERITY_OFF)
        return;
    if (STRATA_ARRAY_GROW(ctx->findings, ctx->count, ctx->cap) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    line = strata_lint__line(ctx, at, &col);
    f = &ctx->findings[ctx->count++];
    memset(f, 0, sizeof(*f));
    f->rule = r->id;
    f->name = r->name;
    f->severity = ctx->severity[rule];
    f->file = ctx->file ? strata_arena_strdup(ctx->arena, ctx->file) : NULL;
    f->line = (int)line;
    f->column = ctx->in_body ? 0 : (int)col;
    f->message = ctx->in_body ? strata_arena_printf(ctx->arena, "%s (inside a function body or DO block)", msg)
                              : strata_arena_strdup(ctx->arena, msg);
    f->hint = strata_arena_strdup(ctx->arena, hint);
    f->statement = ctx->excerpt;
    if (listed(ctx->ignore, ctx->nignore, r)) {
        f->suppressed = 1;
        f->reason = ctx->ignore_reason;
    } else if (listed(ctx->ignore_file, ctx->nignore_file, r)) {
        f->suppressed = 1;
        f->reason = ctx->ignore_file_reason;
    }
}

unsigned strata_lint__line(lint_ctx *ctx, size_t offset, unsigned *column)
{
    size_t lo = 0, hi = ctx->nlines;
    if (ctx->nlines == 0) {
        if (column)
            *column = 0;
        return ctx->section_line;
    }
    /* the last line start <= offset */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ctx->line_starts[mid] <= offset)
            lo = mid;
        else
            hi = mid;
    }
    if (column)
        *column = (unsigned)(offset - ctx->line_starts[lo] + 1);
    return ctx->section_line + (unsigned)lo;
}

static size_t name_hash(const char *s)
{
    size_t h = 1469598103934665603ULL;  /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The slot holding "name", or the empty slot where it would go. */
static size_t *slot_of(lint_ctx *ctx, const char *name)
{
    size_t i = name_hash(name) & (ctx->nslots - 1);
    while (ctx->slots[i] && strcmp(ctx->tables[ctx->slots[i] - 1].name, name) != 0)
        i = (i + 1) & (ctx->nslots - 1);
    return &ctx->slots[i];
}

/* Keep the index at most half full (runs create thousands of tables). */
static int grow_slots(lint_ctx *ctx)
{
    size_t n = ctx->nslots ? ctx->nslots * 2 : 64;
    size_t *old = ctx->slots, oldn = ctx->nslots;
    if (!(ctx->slots = calloc(n, sizeof(*ctx->slots)))) {
        ctx->slots = old;
        return -1;
    }
    ctx->nslots = n;
    for (size_t i = 0; i < oldn; i++)
        if (old[i])
            *slot_of(ctx, ctx->tables[old[i] - 1].name) = old[i];
    free(old);
    return 0;
}

lint_table *strata_lint__table(lint_ctx *ctx, const char *name, int is_new)
{
    lint_table *t;
    size_t *slot;
    if ((ctx->ntables + 1) * 2 > ctx->nslots && grow_slots(ctx) < 0)
        return NULL;
    slot = slot_of(ctx, name);
    if (*slot) {
        t = &ctx->tables[*slot - 1];
        if (is_new)
            t->is_new = 1;
        return t;
    }
    if (STRATA_ARRAY_GROW(ctx->tables, ctx->ntables, ctx->tables_cap) < 0)
        return NULL;
    t = &ctx->tables[ctx->ntables++];
    memset(t, 0, sizeof(*t));
    t->name = strata_arena_strdup(ctx->arena, name);
    t->is_new = is_new;
    t->file = ctx->file ? strata_arena_strdup(ctx->arena, ctx->file) : NULL;
    *slot = ctx->ntables;
    return t;
}

int strata_lint__is_new(lint_ctx *ctx, const char *name)
{
    const char *dot = strchr(name, '.');
    if (ctx->nslots) {
        size_t *slot = slot_of(ctx, name);
        if (*slot)
            return ctx->tables[*slot - 1].is_new;
    }
    /* "public.t" and "t" are the same table as far as we can tell */
    if (dot && strncmp(name, "public.", 7) == 0)
        return strata_lint__is_new(ctx, dot + 1);
    return 0;
}

void strata_lint__add(lint_ctx *ctx, char ***list, size_t *n, const char *value, int **lines, int line)
{
    /* arena arrays grown by copying: these lists stay short */
    char **nl = strata_arena_alloc(ctx->arena, sizeof(char *) * (*n + 1));
    if (!nl)
        return;
    if (*n)
        memcpy(nl, *list, sizeof(char *) * *n);
    nl[*n] = strata_arena_strdup(ctx->arena, value);
    if (lines) {
        int *ll = strata_arena_alloc(ctx->arena, sizeof(int) * (*n + 1));
        if (!ll)
            return;
        if (*n)
            memcpy(ll, *lines, sizeof(int) * *n);
        ll[*n] = line;
        *lines = ll;
    }
    *list = nl;
    (*n)++;
}

/* ---- suppression comments -------------------------------------------------------- */

/* Parse "RULE[,RULE] reason..." after a lint-ignore directive. */
static void parse_ignore(lint_ctx *ctx, const char *s, size_t n, char ***list, size_t *count,
                         const char **reason)
{
    char buf[512];
    char *p, *rules;
    if (n >= sizeof(buf))
        n = sizeof(buf) - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    p = strata_str_trim(buf);
    rules = p;
    p += strcspn(p, " \t");
    if (*p)
        *p++ = '\0';
    for (char *r = rules; *r;) {
        size_t k = strcspn(r, ",");
        char save = r[k];
        r[k] = '\0';
        if (*r)
            strata_lint__add(ctx, list, count, r, NULL, 0);
        if (!save)
            break;
        r += k + 1;
    }
    p = strata_str_trim(p);
    *reason = *p ? strata_arena_strdup(ctx->arena, p) : NULL;
}

/* Scan the comments in [from, to) of the section for a directive. */
static void scan_comments(lint_ctx *ctx, size_t from, size_t to, const char *directive, char ***list,
                          size_t *count, const char **reason)
{
    const char *s = ctx->section;
    size_t dl = strlen(directive);
    for (size_t i = from; i < to; i++) {
        if (s[i] == '-' && i + 1 < to && s[i + 1] == '-') {
            size_t j = i + 2, end;
            while (j < to && (s[j] == ' ' || s[j] == '\t'))
                j++;
            end = j;
            while (end < to && s[end] != '\n')
                end++;
            if (end - j > dl && strncmp(s + j, directive, dl) == 0 && (s[j + dl] == ' ' || s[j + dl] == '\t'))
                parse_ignore(ctx, s + j + dl, end - j - dl, list, count, reason);
            i = end;
        }
    }
}

/* ---- statements ------------------------------------------------------------------- */

static size_t skip_noise(const char *s, size_t i, size_t end)
{
    for (;;) {
        while (i < end && isspace((unsigned char)s[i]))
            i++;
        if (i + 1 < end && s[i] == '-' && s[i + 1] == '-') {
            while (i < end && s[i] != '\n')
                i++;
        } else if (i + 1 < end && s[i] == '/' && s[i + 1] == '*') {
            const char *e = strstr(s + i + 2, "*/");
            i = e && (size_t)(e - s) < end ? (size_t)(e - s) + 2 : end;
        } else {
            return i;
        }
    }
}

/*
 * Lint one section of SQL: "section" is the text PostgreSQL will run, whose
 * first line is line "first_line" of ctx->file.
 */
/* Statements parsed per call: big enough to amortize the parser's setup,
 * small enough that the parse tree stays in cache and malloc stays cheap. */
#define CHUNK 64

static void lint_section(lint_ctx *ctx, const char *section, unsigned first_line)
{
    size_t total = strlen(section), prev_end = 0, base = 0, nspans = 0;
    strata_stmt_span *spans = NULL;
    strata_buf chunk = STRATA_BUF_INIT;
    int chunk_all = 0;          /* small section: parsed whole */
    strata_stmt_span whole;

    ctx->section = section;
    ctx->section_line = first_line;
    ctx->section_len = total;
    ctx->chunk_base = 0;
    /* line starts, so a finding's line is a binary search, not a scan */
    {
        size_t n = 1;
        for (size_t i = 0; i < total; i++)
            n += section[i] == '\n';
        ctx->line_starts = strata_arena_alloc(ctx->arena, n * sizeof(size_t));
        ctx->nlines = ctx->line_starts ? n : 0;
        if (ctx->line_starts) {
            size_t k = 0;
            ctx->line_starts[k++] = 0;
            for (size_t i = 0; i < total && k < n; i++)
                if (section[i] == '\n')
                    ctx->line_starts[k++] = i + 1;
        }
    }
    ctx->lock_timeout_set = 0;
    ctx->stmt_offset = 0;
    ctx->excerpt = NULL;
    /* file-level suppressions: the leading comments */
    ctx->ignore_file = NULL;
    ctx->nignore_file = 0;
    ctx->ignore_file_reason = NULL;
    scan_comments(ctx, 0, skip_noise(section, 0, total), "strata:lint-ignore-file", &ctx->ignore_file,
                  &ctx->nignore_file, &ctx->ignore_file_reason);
    if (total <= 16384) {
        /* one migration's worth: a single parse, no split */
        whole.offset = 0;
        whole.len = total;
        spans = &whole;
        nspans = 1;
        chunk_all = 1;
    } else if (strata_sql__split_pg(&spans, &nspans, section) < 0) {
        return;
    }
    for (size_t i = 0; i < nspans; i += CHUNK) {
        size_t j = chunk_all ? nspans : i + CHUNK < nspans ? i + CHUNK : nspans;
        size_t end = spans[j - 1].offset + spans[j - 1].len;
        strata_buf err = STRATA_BUF_INIT;
        int cursor = 0;
        char *json;
        strata_jv *root, *stmts;
        strata_arena tree = {0};

        strata_buf_clear(&chunk);
        strata_buf_put(&chunk, section + base, end - base);
        json = strata_sql__parse_json(strata_buf_cstr(&chunk), &err, &cursor);
        ctx->chunk_base = 0;
        if (!json) {
            ctx->ignore = NULL;
            ctx->nignore = 0;
            ctx->stmt_offset = spans[i].offset;
            ctx->excerpt = NULL;
            strata_lint__report(ctx, R_SYNTAX, (long)base + (cursor > 0 ? cursor - 1 : 0),
                                "fix the statement; strata reads migrations with PostgreSQL 15's parser",
                                "%s", err.ptr ? err.ptr : "syntax error");
            strata_buf_dispose(&err);
            base = prev_end = end;
            continue;
        }
        strata_buf_dispose(&err);
        root = strata_jv_parse(json, &tree);
        stmts = strata_jv_get(root, "stmts");
        /* node locations in this tree count from the chunk's start */
        ctx->chunk_base = base;
        for (size_t k = 0; k < strata_jv_size(stmts); k++) {
            strata_jv *raw = strata_jv_at(stmts, k);
            strata_jv *loc = strata_jv_get(raw, "stmt_location"), *len = strata_jv_get(raw, "stmt_len");
            size_t start = base + (loc ? (size_t)strata_jv_int(loc) : 0);
            size_t stop = len && strata_jv_int(len) ? start + (size_t)strata_jv_int(len) : end;
            size_t first;

            if (stop > total)
                stop = total;
            first = skip_noise(section, start, stop);
            ctx->stmt_offset = first;
            ctx->statements++;
            {
                size_t n = stop > first ? stop - first : 0;
                ctx->excerpt = strata_arena_strndup(ctx->arena, section + first, n > 300 ? 300 : n);
            }
            /* statement-level suppressions: comments since the previous statement */
            ctx->ignore = NULL;
            ctx->nignore = 0;
            ctx->ignore_reason = NULL;
            scan_comments(ctx, prev_end, first, "strata:lint-ignore", &ctx->ignore, &ctx->nignore,
                          &ctx->ignore_reason);
            strata_lint__statement(ctx, strata_jv_get(raw, "stmt"));
            prev_end = stop;
        }
        free(json);
        strata_arena_dispose(&tree);
        ctx->chunk_base = 0;
        base = prev_end = end;
    }
    if (!chunk_all)
        free(spans);
    strata_buf_dispose(&chunk);
}

/* Collect every "query" string of a PL/pgSQL parse tree. */
static void collect_queries(strata_jv *node, strata_buf *out)
{
    const char *key;
    strata_jv *v;
    size_t i;
    if (strata_jv_is(node, STRATA_JV_OBJECT)) {
        STRATA_JV_OBJECT_FOREACH(node, i, key, v) {
            if (strcmp(key, "query") == 0 && strata_jv_is(v, STRATA_JV_STRING)) {
                strata_buf_puts(out, strata_jv_str(v));
                strata_buf_puts(out, ";\n");
            } else {
                collect_queries(v, out);
            }
        }
    } else if (strata_jv_is(node, STRATA_JV_ARRAY)) {
        STRATA_JV_ARRAY_FOREACH(node, i, v)
            collect_queries(v, out);
    }
}

void strata_lint__body(lint_ctx *ctx, const char *create_function_sql)
{
    char *json = strata_sql__parse_plpgsql_json(create_function_sql);
    strata_buf queries = STRATA_BUF_INIT, err = STRATA_BUF_INIT;
    strata_arena arena = {0};
    char *tree;
    int cursor;

    if (!json)
        return;  /* the server will report a bad body; nothing to say here */
    collect_queries(strata_jv_parse(json, &arena), &queries);
    free(json);
    strata_arena_dispose(&arena);
    if (queries.size && (tree = strata_sql__parse_json(queries.ptr, &err, &cursor)) != NULL) {
        strata_jv *stmts = strata_jv_get(strata_jv_parse(tree, &arena), "stmts");
        int saved = ctx->in_body;
        ctx->in_body = 1;
        for (size_t i = 0; i < strata_jv_size(stmts); i++)
            strata_lint__statement(ctx, strata_jv_get(strata_jv_at(stmts, i), "stmt"));
        ctx->in_body = saved;
        free(tree);
        strata_arena_dispose(&arena);
    }
    strata_buf_dispose(&queries);
    strata_buf_dispose(&err);
}

/* ---- configuration --------------------------------------------------------------- */

static int configure(lint_ctx *ctx, const strata_project *p)
{
    for (int r = 0; r < R_COUNT; r++)
        ctx->severity[r] = strata_lint__rules[r].severity;
    ctx->index_pattern = "idx_{table}_{columns}";
    for (size_t i = 0; p && i < p->lint_count; i++) {
        const char *key = p->lint[i].key, *value = p->lint[i].value;
        int found = -1;
        strata_severity sev;
        if (strcmp(key, "index_name") == 0) {
            ctx->index_pattern = strata_arena_strdup(ctx->arena, value);
            continue;
        }
        for (int r = 0; r < R_COUNT; r++)
            if (strcasecmp(key, strata_lint__rules[r].id) == 0 || strcmp(key, strata_lint__rules[r].name) == 0)
                found = r;
        if (found < 0) {
            strata__error(STRATA_EINVALID, "lint", "[lint] in %s: unknown rule '%s'",
                          p->config_path ? p->config_path : "strata.conf", key);
            strata__error_hint("rules are listed by 'strata lint --rules'; also index_name = PATTERN");
            return STRATA_EINVALID;
        }
        if (strcmp(value, "error") == 0)
            sev = STRATA_SEVERITY_ERROR;
        else if (strcmp(value, "warning") == 0)
            sev = STRATA_SEVERITY_WARNING;
        else if (strcmp(value, "off") == 0)
            sev = STRATA_SEVERITY_OFF;
        else {
            strata__error(STRATA_EINVALID, "lint", "[lint] %s = %s: expected error, warning or off", key, value);
            return STRATA_EINVALID;
        }
        ctx->severity[found] = sev;
    }
    return 0;
}

/* ---- reports --------------------------------------------------------------------- */

static int begin(strata_lint_report *out, lint_ctx *ctx, const strata_project *p)
{
    report_mem *m;
    int error;
    memset(out, 0, sizeof(*out));
    memset(ctx, 0, sizeof(*ctx));
    if ((error = strata_sql__load()) < 0)
        return error;  /* without the parser every statement would read as a syntax error */
    m = strata__calloc(1, sizeof(*m));
    STRATA_CHECK_ALLOC(m);
    out->internal = m;
    ctx->arena = &m->arena;
    return configure(ctx, p);
}

static void end(strata_lint_report *out, lint_ctx *ctx)
{
    report_mem *m = out->internal;
    /* run-wide findings belong to no statement */
    ctx->section = "";
    ctx->section_len = 0;
    ctx->stmt_offset = 0;
    ctx->nlines = 0;
    ctx->excerpt = NULL;
    ctx->nignore = ctx->nignore_file = 0;
    ctx->in_body = 0;
    strata_lint__finish_run(ctx);
    m->findings = ctx->findings;
    out->findings = ctx->findings;
    out->count = ctx->count;
    out->statements = ctx->statements;
    for (size_t i = 0; i < ctx->count; i++) {
        if (ctx->findings[i].suppressed)
            continue;
        if (ctx->findings[i].severity == STRATA_SEVERITY_ERROR)
            out->errors++;
        else if (ctx->findings[i].severity == STRATA_SEVERITY_WARNING)
            out->warnings++;
    }
    free(ctx->tables);
    free(ctx->slots);
}

void strata_lint_report_dispose(strata_lint_report *report)
{
    report_mem *m;
    if (!report || !(m = report->internal))
        return;
    free(m->findings);
    strata_arena_dispose(&m->arena);
    free(m);
    memset(report, 0, sizeof(*report));
}

const char *strata_severity_name(strata_severity s)
{
    return s == STRATA_SEVERITY_ERROR ? "error" : s == STRATA_SEVERITY_WARNING ? "warning" : "off";
}

const strata_lint_rule *strata_lint_rules(size_t *count)
{
    *count = R_COUNT;
    return strata_lint__rules;
}

/* ---- entry points ------------------------------------------------------------------ */

int strata_lint_sql(strata_lint_report *out, const char *sql, const char *file)
{
    lint_ctx ctx;
    int error;
    strata_error_clear();
    if ((error = begin(out, &ctx, NULL)) < 0)
        return error;
    ctx.file = file;
    ctx.wrapped = 1;
    lint_section(&ctx, sql, 1);
    end(out, &ctx);
    return 0;
}

/* A migration's up section and whether strata wraps it: markers of native
 * strata and dbmate, the no-transaction directives. */
static void up_section(const char *text, const char **start, size_t *len, unsigned *first_line,
                       int *wrapped)
{
    const char *up = NULL, *down = NULL;
    unsigned line = 1, up_line = 1;
    *wrapped = 1;
    for (const char *p = text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        const char *s = p;
        while (s < p + n && (*s == ' ' || *s == '\t'))
            s++;
        if (!up && (strncmp(s, "-- strata:up", 12) == 0 || strncmp(s, "-- migrate:up", 13) == 0)) {
            up = eol ? eol + 1 : p + n;
            up_line = line + 1;
        } else if (!down && (strncmp(s, "-- strata:down", 14) == 0 || strncmp(s, "-- migrate:down", 15) == 0)) {
            down = p;
            if (up)
                break;
        }
        if (strncmp(s, "-- strata:no-transaction", 24) == 0 ||
            ((strncmp(s, "-- migrate:up", 13) == 0 || strncmp(s, "-- strata:up", 12) == 0) &&
             (memmem(s, n, "transaction:false", 17) || memmem(s, n, "no-transaction", 14))))
            *wrapped = 0;
        if (!eol)
            break;
        p = eol + 1;
        line++;
    }
    *start = up ? up : text;
    *first_line = up ? up_line : 1;
    *len = (down && down > *start ? (size_t)(down - *start) : strlen(*start));
}

/* A JSON table definition (seed 002's shape) as SQL, linted by the policy rules. */
static int lint_tabledef(lint_ctx *ctx, const char *path, const char *text)
{
    strata_buf sql = STRATA_BUF_INIT;
    int error;

    if ((error = strata__tabledef_sql(&sql, path, text)) < 0) {
        strata_buf_dispose(&sql);
        return error;
    }
    ctx->file = path;
    ctx->wrapped = 1;
    lint_section(ctx, sql.ptr, 1);
    /* the SQL is ours: findings point at the file, line 1 */
    for (size_t i = 0; i < ctx->count; i++)
        if (ctx->findings[i].file && strcmp(ctx->findings[i].file, path) == 0) {
            ctx->findings[i].line = 1;
            ctx->findings[i].column = 0;
        }
    /* ctx->section pointed into sql: findings copied what they need */
    strata_buf_dispose(&sql);
    return 0;
}

int strata_lint_files(strata_lint_report *out, strata_project *p, const char *const *files, size_t n)
{
    lint_ctx ctx;
    strata_buf text = STRATA_BUF_INIT;
    int error;

    strata_error_clear();
    if ((error = begin(out, &ctx, p)) < 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        const char *start;
        size_t len;
        unsigned first;
        if (strata_fs_read(&text, files[i]) < 0) {
            error = strata__error(errno == ENOENT ? STRATA_ENOTFOUND : STRATA_EINVALID, "lint",
                                  "cannot read %s: %s", files[i], strerror(errno));
            goto done;
        }
        if (strata_str_endswith(files[i], ".json")) {
            if ((error = lint_tabledef(&ctx, files[i], text.ptr)) < 0)
                goto done;
            continue;
        }
        ctx.file = files[i];
        up_section(text.ptr, &start, &len, &first, &ctx.wrapped);
        {
            char *section = strata_arena_strndup(ctx.arena, start, len);
            if (!section) {
                error = strata__error_oom();
                goto done;
            }
            lint_section(&ctx, section, first);
        }
    }
    end(out, &ctx);
done:
    strata_buf_dispose(&text);
    return error;
}

int strata_lint__migrations(strata_lint_report *out, strata_project *p, const char *dir,
                            const strata_migration *const *migs, size_t n)
{
    lint_ctx ctx;
    int error;
    strata_buf path = STRATA_BUF_INIT;

    if ((error = begin(out, &ctx, p)) < 0)
        return error;
    for (size_t i = 0; i < n; i++) {
        strata_path_join(&path, dir, migs[i]->path);
        ctx.file = strata_arena_strdup(ctx.arena, path.ptr);
        ctx.wrapped = !(migs[i]->flags & STRATA_MIG_NO_TRANSACTION);
        lint_section(&ctx, migs[i]->up_sql, migs[i]->up_line);
    }
    end(out, &ctx);
    strata_buf_dispose(&path);
    return 0;
}

int strata_lint_folder(strata_lint_report *out, strata_project *p)
{
    const strata_source *src = NULL;
    const strata_migration **migs;
    size_t n;
    int error;

    strata_error_clear();
    memset(out, 0, sizeof(*out));
    if ((error = strata_project_source(&src, p)) < 0)
        return error;
    n = strata_source_count(src);
    if (!(migs = strata__calloc(n + 1, sizeof(*migs))))
        return strata__error_oom();
    for (size_t i = 0; i < n; i++)
        migs[i] = strata_source_get(src, i);
    error = strata_lint__migrations(out, p, strata_source_dir(src), migs, n);
    free(migs);
    return error;
}
