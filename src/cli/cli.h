/*
 * cli.h: the strata command-line tool. The CLI parses options, makes one
 * library call per command and renders the report as text or JSON. It
 * includes only the public headers (and src/util); it holds no SQL and no
 * migration logic.
 */
#ifndef STRATA_CLI_H
#define STRATA_CLI_H

#include <stdio.h>
#include <stdlib.h>
#include "strata.h"
#include "util/util.h"

/* Exit codes: the README's table is generated from the same list. */
enum {
    CLI_EXIT_OK = 0,
    CLI_EXIT_FINDING = 1,      /* drift, verify mismatch */
    CLI_EXIT_USAGE = 2,        /* bad command line */
    CLI_EXIT_INPUT = 3,        /* bad file, config or argument value */
    CLI_EXIT_CONNECT = 4,      /* database unreachable */
    CLI_EXIT_FAILED = 5,       /* a migration failed (that step rolled back) */
    CLI_EXIT_LOCKED = 6,       /* lock wait timed out */
    CLI_EXIT_REFUSED = 7,      /* history and files disagree: nothing ran */
    CLI_EXIT_INTERNAL = 70,
    CLI_EXIT_INTERRUPTED = 130 /* SIGINT/SIGTERM: the running step was rolled back */
};

/* One option of a command (or a global one). */
typedef struct {
    const char *name;          /* long name, without "--" */
    char short_name;           /* or 0 */
    const char *arg;           /* metavariable when it takes a value ("URL"), else NULL */
    const char *help;          /* one line */
} cli_opt;

/* Parsed command line: globals plus what a command asked for. */
typedef struct {
    const char *config;        /* --config */
    const char *dir;           /* -C / --dir */
    const char *url;           /* --url */
    const char *env;           /* --env */
    const char *migrations;    /* --migrations */
    const char *format;        /* --format */
    const char *schema;        /* --schema */
    const char *wait;          /* --wait */
    int json;                  /* --json */
    int color;                 /* color on stdout */
    int color_err;             /* color on stderr */
    int quiet;                 /* -q */
    /* command options, by name; values NULL when absent, "" for flags given */
    const char *values[16];
    const cli_opt *opts;       /* the command's table */
    size_t nopts;
    char *args[64];            /* positional arguments */
    int nargs;
} cli_ctx;

typedef struct {
    const char *name;
    int (*fn)(cli_ctx *ctx);
    const char *summary;       /* one line, for strata --help */
    const char *usage;         /* "strata migrate [options]" */
    const char *description;   /* a paragraph for strata CMD --help */
    const cli_opt *opts;
    size_t nopts;
    int max_args;              /* positional arguments allowed */
} cli_cmd;

/* opt.c */
extern const cli_opt cli_global_opts[];
extern const size_t cli_global_nopts;
int cli_parse(cli_ctx *ctx, const cli_cmd *cmd, int argc, char **argv, int first);
const char *cli_value(const cli_ctx *ctx, const char *name);
int cli_flag(const cli_ctx *ctx, const char *name);
void cli_help(FILE *f, const cli_cmd *cmd);
int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* main.c */
extern const cli_cmd cli_cmds[];
extern const size_t cli_ncmds;
const cli_cmd *cli_find(const char *name);

/* exitcode.c */
int cli_exit_code(int error);

/* output.c */
int cli_open_project(strata_project **out, const cli_ctx *ctx);
int cli_fail(const cli_ctx *ctx, int error);
void cli_print_report(const cli_ctx *ctx, const char *command, const strata_report *r);
int cli_print_report_json(const cli_ctx *ctx, const char *command, const strata_report *r, int error);
int cli_on_event(const strata_event *ev, void *payload);
void cli_print_lint_json(const strata_lint_report *r);
const char *cli_color(const cli_ctx *ctx, strata_state state);
const char *cli_reset(const cli_ctx *ctx);

/* commands */
int cmd_init(cli_ctx *ctx);
int cmd_new(cli_ctx *ctx);
int cmd_status(cli_ctx *ctx);
int cmd_migrate(cli_ctx *ctx);
int cmd_plan(cli_ctx *ctx);
int cmd_down(cli_ctx *ctx);
int cmd_baseline(cli_ctx *ctx);
int cmd_repair(cli_ctx *ctx);
int cmd_verify(cli_ctx *ctx);
int cmd_wait(cli_ctx *ctx);
int cmd_lint(cli_ctx *ctx);
int cmd_inspect(cli_ctx *ctx);
int cmd_diff(cli_ctx *ctx);
int cmd_drift(cli_ctx *ctx);
int cmd_generate(cli_ctx *ctx);
int cmd_help(cli_ctx *ctx);
int cmd_version(cli_ctx *ctx);

#endif
