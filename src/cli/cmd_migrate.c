/*
 * cmd_migrate.c: strata migrate (alias up) and strata down: apply or undo,
 * with a progress line per step; --dry-run prints the plan instead.
 */
#include <string.h>
#include "cli.h"

/* Fill run options from the command's flags; returns non-zero on a bad value. */
static int run_options(strata_run_options *o, cli_ctx *ctx, const char *cmd)
{
    const char *wait = cli_value(ctx, "lock-wait"), *steps = cli_value(ctx, "steps");
    const char *st = cli_value(ctx, "statement-timeout"), *lt = cli_value(ctx, "lock-timeout");
    const char *lr = cli_value(ctx, "lock-retries");
    o->to = cli_value(ctx, "to");
    o->dry_run = cli_flag(ctx, "dry-run");
    o->allow_changed = cli_flag(ctx, "allow-changed");
    o->allow_missing = cli_flag(ctx, "allow-missing");
    o->allow_out_of_order = cli_flag(ctx, "allow-out-of-order");
    o->on_event = cli_on_event;
    o->payload = ctx;
    o->no_hooks = cli_flag(ctx, "no-hooks");
    o->no_lint = cli_flag(ctx, "no-lint");
    o->single_transaction = cli_flag(ctx, "single-transaction");
    {
        const char *mode = cli_value(ctx, "lock-mode");
        if (mode && strcmp(mode, "session") == 0)
            o->lock_mode = STRATA_LOCK_SESSION;
        else if (mode && strcmp(mode, "table") == 0)
            o->lock_mode = STRATA_LOCK_TABLE;
        else if (mode)
            return cli_usage_error(cli_find(cmd), "--lock-mode is session or table, not '%s'", mode);
    }
    if (st && (o->statement_timeout_ms = strata_str_duration_ms(st)) <= 0)
        return cli_usage_error(cli_find(cmd), "--statement-timeout wants a duration like 30s or 5m, not '%s'", st);
    if (lt && (o->lock_timeout_ms = strata_str_duration_ms(lt)) <= 0)
        return cli_usage_error(cli_find(cmd), "--lock-timeout wants a duration like 2s or 500ms, not '%s'", lt);
    if (lr) {
        char *end;
        long n = strtol(lr, &end, 10);
        if (*end || n < 0 || n > 1000)
            return cli_usage_error(cli_find(cmd), "--lock-retries wants a number from 0 to 1000, not '%s'", lr);
        o->lock_retries = (int)n;
    }
    if (wait && (o->lock_wait_ms = strata_str_duration_ms(wait)) < 0)
        return cli_usage_error(cli_find(cmd), "--lock-wait wants a duration like 30s or 5m, not '%s'", wait);
    if (steps) {
        char *end;
        long n = strtol(steps, &end, 10);
        if (*end || n <= 0)
            return cli_usage_error(cli_find(cmd), "--steps wants a positive number, not '%s'", steps);
        if (o->to)
            return cli_usage_error(cli_find(cmd), "give --steps or --to, not both");
        o->steps = (int)n;
    }
    return 0;
}

void cli_print_plan(const cli_ctx *ctx, const strata_report *r, int revert);

void cli_print_plan(const cli_ctx *ctx, const strata_report *r, int revert)
{
    if (r->count == 0) {
        printf("-- nothing to %s\n", revert ? "undo" : "apply");
        return;
    }
    for (size_t i = 0; i < r->count; i++) {
        const strata_row *row = &r->rows[i];
        if (revert)
            printf("%s-- [%zu/%zu] revert %s %s (applied %s), %s%s\n", ctx->color ? "\033[1m" : "",
                   i + 1, r->count, row->version ? row->version : "R", row->name,
                   row->applied_at ? row->applied_at : "", row->no_transaction ? "no transaction"
                                                                             : "in a transaction",
                   cli_reset(ctx));
        else
            printf("%s-- [%zu/%zu] apply %s %s (%s: %s), %s%s\n", ctx->color ? "\033[1m" : "", i + 1,
                   r->count, row->version ? row->version : "R", row->name,
                   strata_state_name(row->state), row->reason ? row->reason : "",
                   row->no_transaction ? "no transaction" : "in a transaction", cli_reset(ctx));
        /* the SQL as it runs; trailing blank lines trimmed for reading */
        size_t len = row->sql ? strlen(row->sql) : 0;
        while (len && (row->sql[len - 1] == '\n' || row->sql[len - 1] == ' ' || row->sql[len - 1] == '\r'))
            len--;
        printf("%.*s\n\n", (int)len, row->sql ? row->sql : "");
    }
}

static int finish(cli_ctx *ctx, const char *cmd, strata_report *r, int error, int dry, int revert)
{
    size_t done = 0;
    for (size_t i = 0; i < r->count; i++)
        done += r->rows[i].done;
    if (ctx->json) {
        cli_print_report_json(ctx, cmd, r, error);
        if (error)
            cli_fail(&(cli_ctx){ .color_err = ctx->color_err }, error);
        return error ? cli_exit_code(error) : CLI_EXIT_OK;
    }
    if (error)
        return cli_fail(ctx, error);
    if (dry)
        cli_print_plan(ctx, r, revert);
    else if (!ctx->quiet && r->count == 0)
        printf("nothing to %s: %s is up to date\n", revert ? "undo" : "migrate", r->target);
    else if (!ctx->quiet)
        printf("%s %zu migration%s on %s\n", revert ? "reverted" : "applied", done, done == 1 ? "" : "s",
               r->target);
    return CLI_EXIT_OK;
}

typedef int (*run_fn)(strata_report *out, strata_project *p, const strata_run_options *o);

/* The shape of migrate, down and plan: options, one library call, the report. */
static int run_command(cli_ctx *ctx, const char *name, run_fn fn, int force_dry, int revert)
{
    strata_run_options o = STRATA_RUN_OPTIONS_INIT;
    strata_project *p = NULL;
    strata_report r = STRATA_REPORT_INIT;
    int error, code;

    if (run_options(&o, ctx, name))
        return CLI_EXIT_USAGE;
    if (force_dry) {
        o.dry_run = 1;
        o.on_event = NULL;
    }
    if ((error = cli_open_project(&p, ctx)) < 0)
        return cli_fail(ctx, error);
    error = fn(&r, p, &o);
    code = finish(ctx, name, &r, error, o.dry_run, revert);
    strata_report_dispose(&r);
    strata_project_free(p);
    return code;
}

int cmd_migrate(cli_ctx *ctx) { return run_command(ctx, "migrate", strata_migrate_apply, 0, 0); }
int cmd_down(cli_ctx *ctx) { return run_command(ctx, "down", strata_migrate_down, 0, 1); }
int cmd_plan(cli_ctx *ctx) { return run_command(ctx, "plan", strata_migrate_apply, 1, 0); }

int cmd_wait(cli_ctx *ctx)
{
    strata_run_options o = STRATA_RUN_OPTIONS_INIT;
    strata_project *p = NULL;
    const char *v = cli_value(ctx, "for-version");
    int error;

    o.on_event = cli_on_event;
    o.payload = ctx;
    if ((error = cli_open_project(&p, ctx)) < 0)
        return cli_fail(ctx, error);
    error = strata_migrate_wait(p, v, &o);
    if (error == 0 && !ctx->quiet)
        printf("%s is up%s%s\n", strata_project_url_redacted(p), v ? " and at version " : "", v ? v : "");
    strata_project_free(p);
    return error ? cli_fail(ctx, error) : CLI_EXIT_OK;
}
