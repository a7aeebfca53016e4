/*
 * opt.c: the option parser. Options are tables (cli_opt); the same tables
 * produce `strata CMD --help`, so help never disagrees with what is parsed.
 * Global options are accepted before or after the command name; "--name
 * value" and "--name=value" both work; "--" ends options.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

const cli_opt cli_global_opts[] = {
    { "config", 'c', "FILE", "read this config file instead of ./strata.conf" },
    { "dir", 'C', "DIR", "project folder (where strata.conf and migrations/ are)" },
    { "env", 'e', "NAME", "use [env \"NAME\"] from strata.conf (also STRATA_ENV)" },
    { "format", 0, "FMT", "migrations format: auto, native, seed, flyway, golang-migrate, dbmate, diesel" },
    { "help", 'h', NULL, "show help" },
    { "json", 0, NULL, "print JSON instead of text" },
    { "migrations", 'm', "DIR", "migrations folder (default: migrations)" },
    { "quiet", 'q', NULL, "print only errors" },
    { "schema", 0, "NAME", "PostgreSQL schema for strata's own tables (default: strata)" },
    { "url", 'u', "URL", "database URL (also DATABASE_URL); default sqlite:strata.db" },
    { "wait", 'w', "DUR", "retry the connection this long while the database starts (also STRATA_WAIT)" },
};
const size_t cli_global_nopts = sizeof(cli_global_opts) / sizeof(cli_global_opts[0]);

int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "strata: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: %s\nrun 'strata %s%s--help' for more\n",
            cmd ? cmd->usage : "strata [global options] COMMAND [options]", cmd ? cmd->name : "",
            cmd ? " " : "");
    return -2;
}

static const cli_opt *lookup(const cli_opt *opts, size_t n, const char *name, size_t len, char shortc)
{
    for (size_t i = 0; i < n; i++) {
        if (shortc ? opts[i].short_name == shortc
                   : strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
            return &opts[i];
    }
    return NULL;
}

static void set_global(cli_ctx *ctx, const char *name, const char *value)
{
    if (strcmp(name, "config") == 0) ctx->config = value;
    else if (strcmp(name, "dir") == 0) ctx->dir = value;
    else if (strcmp(name, "env") == 0) ctx->env = value;
    else if (strcmp(name, "format") == 0) ctx->format = value;
    else if (strcmp(name, "json") == 0) ctx->json = 1;
    else if (strcmp(name, "migrations") == 0) ctx->migrations = value;
    else if (strcmp(name, "quiet") == 0) ctx->quiet = 1;
    else if (strcmp(name, "schema") == 0) ctx->schema = value;
    else if (strcmp(name, "url") == 0) ctx->url = value;
    else if (strcmp(name, "wait") == 0) ctx->wait = value;
}

/*
 * Parse argv[first..argc) for command "cmd" (NULL: globals only, stop at the
 * first word). Returns -1 when --help was asked (help printed), -2 on a usage
 * error (message printed), else the index of the first unparsed word when
 * cmd is NULL, or 0.
 */
int cli_parse(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv, int first)
{
    int only_args = 0;

    if (cmd) {
        ctx->opts = cmd->opts;
        ctx->nopts = cmd->nopts;
    }
    for (int i = first; i < argc; i++) {
        char *a = argv[i];
        const cli_opt *o = NULL;
        int global = 0;
        const char *value = NULL;

        if (only_args || a[0] != '-' || a[1] == '\0') {
            if (!cmd)
                return i;
            if (ctx->nargs >= cmd->max_args || ctx->nargs >= 64) {
                /* it may be a URL typed without --url: never echo a password */
                strata_buf red = STRATA_BUF_INIT;
                strata_url_redact(&red, a);
                cli_usage_error(cmd, "unexpected argument '%s'", red.ptr);
                strata_buf_dispose(&red);
                return -2;
            }
            ctx->args[ctx->nargs++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_args = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            if (cmd)
                o = lookup(cmd->opts, cmd->nopts, name, len, 0);
            if (!o && (o = lookup(cli_global_opts, cli_global_nopts, name, len, 0)))
                global = 1;
            if (!o)
                return cli_usage_error(cmd, "unknown option '--%.*s'", (int)len, name);
            if (eq) {
                if (!o->arg)
                    return cli_usage_error(cmd, "option '--%s' takes no value", o->name);
                value = eq + 1;
            }
        } else {
            if (a[2] != '\0')
                return cli_usage_error(cmd, "unknown option '%s' (long options start with --)", a);
            if (cmd)
                o = lookup(cmd->opts, cmd->nopts, NULL, 0, a[1]);
            if (!o && (o = lookup(cli_global_opts, cli_global_nopts, NULL, 0, a[1])))
                global = 1;
            if (!o)
                return cli_usage_error(cmd, "unknown option '%s'", a);
        }
        if (o->arg && !value) {
            if (i + 1 >= argc)
                return cli_usage_error(cmd, "option '--%s' needs a value (%s)", o->name, o->arg);
            value = argv[++i];
        }
        if (global && strcmp(o->name, "help") == 0) {
            cli_help(stdout, cmd);
            return -1;
        }
        if (global)
            set_global(ctx, o->name, value);
        else
            ctx->values[o - cmd->opts] = value ? value : "";
    }
    return cmd ? 0 : argc;
}

const char *cli_value(const cli_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < ctx->nopts; i++)
        if (strcmp(ctx->opts[i].name, name) == 0)
            return ctx->values[i];
    return NULL;
}

int cli_flag(const cli_ctx *ctx, const char *name) { return cli_value(ctx, name) != NULL; }

static void print_opts(FILE *f, const cli_opt *opts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char left[64];
        if (opts[i].short_name)
            snprintf(left, sizeof(left), "-%c, --%s%s%s", opts[i].short_name, opts[i].name,
                     opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
        else
            snprintf(left, sizeof(left), "    --%s%s%s", opts[i].name, opts[i].arg ? " " : "",
                     opts[i].arg ? opts[i].arg : "");
        fprintf(f, "  %-26s %s\n", left, opts[i].help);
    }
}

void cli_help(FILE *f, const cli_cmd *cmd)
{
    if (!cmd) {
        fprintf(f, "strata %s: schema lifecycle manager for PostgreSQL and SQLite\n\n", strata_version());
        fprintf(f, "usage: strata [global options] COMMAND [options]\n\ncommands:\n");
        for (size_t i = 0; i < cli_ncmds; i++)
            fprintf(f, "  %-10s %s\n", cli_cmds[i].name, cli_cmds[i].summary);
        fprintf(f, "\nglobal options (before or after the command):\n");
        print_opts(f, cli_global_opts, cli_global_nopts);
        fprintf(f, "\nRun 'strata COMMAND --help' for a command's options; 'man strata' for the manual.\n"
                   "Exit codes: 0 ok, 1 finding, 2 usage, 3 bad input, 4 connection, 5 migration failed,\n"
                   "6 waited past a deadline, 7 refused (history and files disagree), 70 internal,\n"
                   "130 interrupted.\n");
        return;
    }
    fprintf(f, "usage: %s\n\n%s\n", cmd->usage, cmd->description);
    if (cmd->nopts) {
        fprintf(f, "\noptions:\n");
        print_opts(f, cmd->opts, cmd->nopts);
    }
    fprintf(f, "\nglobal options:\n");
    print_opts(f, cli_global_opts, cli_global_nopts);
}
