/*
 * output.c: rendering reports and errors for people (aligned text, colors
 * on a terminal unless NO_COLOR) and for programs (--json, via jansson).
 * Only this file of the CLI includes jansson.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_DIM "\033[2m"
#define C_BOLD "\033[1m"
#define C_RESET "\033[0m"

int cli_open_project(strata_project **out, const cli_ctx *ctx)
{
    strata_options o = STRATA_OPTIONS_INIT;
    o.config_path = ctx->config;
    o.dir = ctx->dir;
    o.url = ctx->url;
    o.env = ctx->env;
    o.migrations_dir = ctx->migrations;
    o.format = ctx->format;
    o.history_schema = ctx->schema;
    if (ctx->wait && (o.connect_wait_ms = strata_str_duration_ms(ctx->wait)) < 0) {
        fprintf(stderr, "strata: --wait wants a duration like 30s or 2m, not '%s'\n", ctx->wait);
        *out = NULL;
        return -2;
    }
    return strata_project_open(out, &o);
}

const char *cli_color(const cli_ctx *ctx, strata_state state)
{
    if (!ctx->color)
        return "";
    switch (state) {
    case STRATA_STATE_APPLIED:
    case STRATA_STATE_BASELINE:
    case STRATA_STATE_BELOW_BASELINE: return C_GREEN;
    case STRATA_STATE_PENDING:
    case STRATA_STATE_OUTDATED:
    case STRATA_STATE_OUT_OF_ORDER: return C_YELLOW;
    case STRATA_STATE_IGNORED: return C_DIM;
    default: return C_RED;
    }
}

const char *cli_reset(const cli_ctx *ctx) { return ctx->color ? C_RESET : ""; }

/* A statement excerpt on one line, at most 200 bytes. */
static void excerpt(FILE *f, const char *s)
{
    int n = 0, space = 0;
    for (; *s && n < 200; s++) {
        if (*s == '\n' || *s == '\t' || *s == '\r' || *s == ' ') {
            space = 1;
            continue;
        }
        if (space && n) {
            fputc(' ', f);
            n++;
        }
        space = 0;
        fputc(*s, f);
        n++;
    }
    if (*s)
        fputs(" ...", f);
}

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *error_json(int error)
{
    const strata_error *e = strata_error_last();
    json_t *o = json_object();
    json_object_set_new(o, "code", json_integer(cli_exit_code(error)));
    json_object_set_new(o, "message", str_or_null(e ? e->message : "unknown error"));
    json_object_set_new(o, "hint", str_or_null(e ? e->hint : NULL));
    json_object_set_new(o, "file", str_or_null(e ? e->file : NULL));
    json_object_set_new(o, "line", e && e->line ? json_integer(e->line) : json_null());
    json_object_set_new(o, "column", e && e->column ? json_integer(e->column) : json_null());
    json_object_set_new(o, "sqlstate", str_or_null(e ? e->sqlstate : NULL));
    json_object_set_new(o, "detail", str_or_null(e ? e->detail : NULL));
    json_object_set_new(o, "statement", str_or_null(e ? e->statement : NULL));
    return o;
}

/*
 * Print the last error to stderr (and, with --json, an {"error": ...}
 * document to stdout) and return the exit code for "error".
 */
int cli_fail(const cli_ctx *ctx, int error)
{
    const strata_error *e = strata_error_last();
    if (error == -2)
        return CLI_EXIT_USAGE;  /* already said */
    const char *red = ctx->color_err ? C_RED C_BOLD : "", *reset = ctx->color_err ? C_RESET : "";

    fprintf(stderr, "%sstrata: error:%s ", red, reset);
    if (e && e->file) {
        fprintf(stderr, "%s", e->file);
        if (e->line)
            fprintf(stderr, ":%d", e->line);
        if (e->column)
            fprintf(stderr, ":%d", e->column);
        fprintf(stderr, ": ");
    }
    fprintf(stderr, "%s\n", e && e->message ? e->message : "unknown error");
    if (e && e->detail)
        fprintf(stderr, "  detail: %s\n", e->detail);
    if (e && e->statement) {
        fprintf(stderr, "  statement: ");
        excerpt(stderr, e->statement);
        fputc('\n', stderr);
    }
    if (e && e->sqlstate)
        fprintf(stderr, "  sqlstate: %s\n", e->sqlstate);
    if (e && e->hint)
        fprintf(stderr, "  hint: %s\n", e->hint);
    if (ctx->json) {
        json_t *doc = json_object();
        json_object_set_new(doc, "error", error_json(error));
        json_dumpf(doc, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(doc);
    }
    return cli_exit_code(error);
}

static json_t *row_json(const strata_row *r, int with_sql)
{
    json_t *o = json_object();
    json_object_set_new(o, "version", str_or_null(r->version));
    json_object_set_new(o, "name", str_or_null(r->name));
    json_object_set_new(o, "kind", json_string(strata_kind_name(r->kind)));
    json_object_set_new(o, "state", json_string(strata_state_name(r->state)));
    if (r->action != STRATA_ACTION_NONE) {
        json_object_set_new(o, "action", json_string(strata_action_name(r->action)));
        json_object_set_new(o, "done", json_boolean(r->done));
    }
    json_object_set_new(o, "path", str_or_null(r->path));
    json_object_set_new(o, "checksum", str_or_null(r->checksum));
    json_object_set_new(o, "applied_checksum", str_or_null(r->applied_checksum));
    json_object_set_new(o, "applied_at", str_or_null(r->applied_at));
    json_object_set_new(o, "applied_by", str_or_null(r->applied_by));
    json_object_set_new(o, "duration_ms", r->duration_ms >= 0 ? json_integer(r->duration_ms) : json_null());
    json_object_set_new(o, "env", str_or_null(r->env));
    json_object_set_new(o, "reason", str_or_null(r->reason));
    json_object_set_new(o, "note", str_or_null(r->note));
    json_object_set_new(o, "no_transaction", json_boolean(r->no_transaction));
    if (with_sql)
        json_object_set_new(o, "sql", str_or_null(r->sql));
    return o;
}

int cli_print_report_json(const cli_ctx *ctx, const char *command, const strata_report *r, int error)
{
    json_t *doc = json_object(), *rows = json_array(), *summary = json_object();
    (void)ctx;
    json_object_set_new(doc, "command", json_string(command));
    json_object_set_new(doc, "target", str_or_null(r->target));
    json_object_set_new(doc, "format", str_or_null(r->format));
    for (size_t i = 0; i < r->count; i++) {
        const strata_row *row = &r->rows[i];
        const char *key = strata_state_name(row->state);
        json_array_append_new(rows, row_json(row, row->sql != NULL));
        json_object_set_new(summary, key, json_integer(json_integer_value(json_object_get(summary, key)) + 1));
    }
    json_object_set_new(doc, "migrations", rows);
    json_object_set_new(doc, "summary", summary);
    json_object_set_new(doc, "ok", json_boolean(error == 0));
    if (error)
        json_object_set_new(doc, "error", error_json(error));
    json_dumpf(doc, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(doc);
    return 0;
}

/* "0001 create_users" or "R views" */
static void label(char *out, size_t n, const strata_row *r)
{
    snprintf(out, n, "%s %s", r->version ? r->version : r->kind == STRATA_KIND_REPEATABLE ? "R" : "-",
             r->name ? r->name : "");
}

void cli_print_report(const cli_ctx *ctx, const char *command, const strata_report *r)
{
    size_t wv = 7, wn = 4;
    (void)command;
    for (size_t i = 0; i < r->count; i++) {
        const strata_row *row = &r->rows[i];
        size_t lv = row->version ? strlen(row->version) : 1, ln = row->name ? strlen(row->name) : 0;
        if (lv > wv) wv = lv;
        if (ln > wn) wn = ln;
    }
    if (wn > 40)
        wn = 40;
    printf("%s%-*s  %-*s  %-14s  %-20s  %s%s\n", ctx->color ? C_BOLD : "", (int)wv, "VERSION",
           (int)wn, "NAME", "STATE", "APPLIED AT", "NOTE", cli_reset(ctx));
    for (size_t i = 0; i < r->count; i++) {
        const strata_row *row = &r->rows[i];
        const char *v = row->version ? row->version : row->kind == STRATA_KIND_REPEATABLE ? "R" : "-";
        printf("%-*s  %-*.*s  %s%-14s%s  %-20s  %s%s\n", (int)wv, v, (int)wn, (int)wn,
               row->name ? row->name : "", cli_color(ctx, row->state), strata_state_name(row->state),
               cli_reset(ctx), row->applied_at ? row->applied_at : "",
               row->state == STRATA_STATE_APPLIED ? (row->note ? row->note : "")
               : row->state == STRATA_STATE_FAILED && row->note ? row->note
               : row->reason ? row->reason : "",
               row->no_transaction ? " (no transaction)" : "");
    }
}

/* Progress for migrate/down: one line per step, "[3/10] applying 0003 add_email ... ok (12 ms)". */
int cli_on_event(const strata_event *ev, void *payload)
{
    const cli_ctx *ctx = payload;
    char name[256];

    if (ctx->quiet || ctx->json) {
        if (ev->type == STRATA_EVENT_INFO && !ctx->quiet)
            fprintf(stderr, "strata: %s\n", ev->message);
        return 0;
    }
    switch (ev->type) {
    case STRATA_EVENT_STEP_START:
        label(name, sizeof(name), ev->row);
        printf("[%zu/%zu] %s %s ... ", ev->index, ev->total,
               ev->row->action == STRATA_ACTION_REVERT ? "reverting" : "applying", name);
        fflush(stdout);
        break;
    case STRATA_EVENT_STEP_DONE:
        if (!ev->row->done)
            printf("skipped (%s)\n", ev->row->reason ? ev->row->reason : "not needed");
        else
            printf("%sok%s (%ld ms)\n", ctx->color ? C_GREEN : "", cli_reset(ctx), ev->row->duration_ms);
        fflush(stdout);  /* container logs see each step as it ends */
        break;
    case STRATA_EVENT_STEP_FAILED:
        printf("%sFAILED%s\n", ctx->color ? C_RED : "", cli_reset(ctx));
        fflush(stdout);
        break;
    case STRATA_EVENT_INFO:
        fprintf(stderr, "strata: %s\n", ev->message);
        break;
    }
    return 0;
}

void cli_print_lint_json(const strata_lint_report *r)
{
    json_t *doc = json_object(), *list = json_array();
    for (size_t i = 0; i < r->count; i++) {
        const strata_finding *f = &r->findings[i];
        json_t *o = json_object();
        json_object_set_new(o, "rule", json_string(f->rule));
        json_object_set_new(o, "name", json_string(f->name));
        json_object_set_new(o, "severity", json_string(strata_severity_name(f->severity)));
        json_object_set_new(o, "file", str_or_null(f->file));
        json_object_set_new(o, "line", json_integer(f->line));
        json_object_set_new(o, "column", json_integer(f->column));
        json_object_set_new(o, "message", str_or_null(f->message));
        json_object_set_new(o, "hint", str_or_null(f->hint));
        json_object_set_new(o, "statement", str_or_null(f->statement));
        json_object_set_new(o, "suppressed", json_boolean(f->suppressed));
        json_object_set_new(o, "reason", str_or_null(f->reason));
        json_array_append_new(list, o);
    }
    json_object_set_new(doc, "findings", list);
    json_object_set_new(doc, "errors", json_integer((json_int_t)r->errors));
    json_object_set_new(doc, "warnings", json_integer((json_int_t)r->warnings));
    json_object_set_new(doc, "statements", json_integer((json_int_t)r->statements));
    json_dumpf(doc, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(doc);
}
