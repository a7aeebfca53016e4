/*
 * cmd_lint.c: strata lint [FILES | --pending] [--format text|json|github]:
 * findings as file:line:column: severity [id name] message, colored on a
 * terminal; as JSON; or as GitHub workflow annotations.
 */
#include <string.h>
#include "cli.h"

/* GitHub's workflow commands want %, CR and LF escaped in values. */
static void gh_escape(FILE *f, const char *s, int property)
{
    for (; s && *s; s++) {
        if (*s == '%')
            fputs("%25", f);
        else if (*s == '\r')
            fputs("%0D", f);
        else if (*s == '\n')
            fputs("%0A", f);
        else if (property && *s == ':')
            fputs("%3A", f);
        else if (property && *s == ',')
            fputs("%2C", f);
        else
            fputc(*s, f);
    }
}

static void print_text(const cli_ctx *ctx, const strata_lint_report *r)
{
    size_t ignored = 0;
    for (size_t i = 0; i < r->count; i++) {
        const strata_finding *f = &r->findings[i];
        const char *color = !ctx->color ? "" : f->suppressed ? "\033[2m"
                            : f->severity == STRATA_SEVERITY_ERROR ? "\033[31m" : "\033[33m";
        if (f->suppressed) {
            ignored++;
            printf("%s%s:%d:%d: ignored [%s %s] %s%s%s%s\n", color, f->file ? f->file : "-", f->line,
                   f->column, f->rule, f->name, f->message, f->reason ? " (reason: " : " (no reason given",
                   f->reason ? f->reason : "", ")");
            if (ctx->color)
                fputs("\033[0m", stdout);
            continue;
        }
        printf("%s:%d:%d: %s%s%s [%s %s] %s\n", f->file ? f->file : "-", f->line, f->column, color,
               strata_severity_name(f->severity), cli_reset(ctx), f->rule, f->name, f->message);
        if (f->hint)
            printf("  hint: %s\n", f->hint);
    }
    printf("%zu statement%s: %zu error%s, %zu warning%s%s", r->statements, r->statements == 1 ? "" : "s",
           r->errors, r->errors == 1 ? "" : "s", r->warnings, r->warnings == 1 ? "" : "s",
           ignored ? ", " : "\n");
    if (ignored)
        printf("%zu ignored\n", ignored);
}

static void print_github(const strata_lint_report *r)
{
    for (size_t i = 0; i < r->count; i++) {
        const strata_finding *f = &r->findings[i];
        if (f->suppressed)
            continue;
        printf("::%s file=", f->severity == STRATA_SEVERITY_ERROR ? "error" : "warning");
        gh_escape(stdout, f->file ? f->file : "", 1);
        printf(",line=%d,col=%d,title=", f->line, f->column > 0 ? f->column : 1);
        gh_escape(stdout, f->rule, 1);
        fputc(' ', stdout);
        gh_escape(stdout, f->name, 1);
        fputs("::", stdout);
        gh_escape(stdout, f->message, 0);
        if (f->hint) {
            fputs(". Fix: ", stdout);
            gh_escape(stdout, f->hint, 0);
        }
        fputc('\n', stdout);
    }
}

static int print_rules(void)
{
    size_t n;
    const strata_lint_rule *rules = strata_lint_rules(&n);
    for (size_t i = 0; i < n; i++)
        printf("%-6s %-28s %-8s %s\n", rules[i].id, rules[i].name, strata_severity_name(rules[i].severity),
               rules[i].summary);
    return CLI_EXIT_OK;
}

int cmd_lint(cli_ctx *ctx)
{
    strata_project *p = NULL;
    strata_lint_report r = STRATA_LINT_REPORT_INIT;
    const char *fmt = cli_value(ctx, "format");
    int error, code;

    if (cli_flag(ctx, "rules"))
        return print_rules();
    if (fmt && strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0 && strcmp(fmt, "github") != 0)
        return cli_usage_error(cli_find("lint"), "--format is text, json or github, not '%s'", fmt), CLI_EXIT_USAGE;
    if (ctx->json)
        fmt = "json";
    if (cli_flag(ctx, "pending") && ctx->nargs)
        return cli_usage_error(cli_find("lint"), "give FILES or --pending, not both"), CLI_EXIT_USAGE;
    if ((error = cli_open_project(&p, ctx)) < 0)
        return cli_fail(ctx, error);
    if (cli_flag(ctx, "pending")) {
        error = strata_lint_pending(&r, p);
    } else if (ctx->nargs) {
        error = strata_lint_files(&r, p, (const char *const *)ctx->args, (size_t)ctx->nargs);
    } else {
        error = strata_lint_folder(&r, p);
    }
    if (error < 0) {
        strata_lint_report_dispose(&r);
        strata_project_free(p);
        return cli_fail(ctx, error);
    }
    if (fmt && strcmp(fmt, "github") == 0)
        print_github(&r);
    else if (fmt && strcmp(fmt, "json") == 0)
        cli_print_lint_json(&r);
    else
        print_text(ctx, &r);
    code = r.errors ? CLI_EXIT_FINDING : CLI_EXIT_OK;
    strata_lint_report_dispose(&r);
    strata_project_free(p);
    return code;
}
