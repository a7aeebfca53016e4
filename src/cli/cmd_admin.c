/*
 * cmd_admin.c: the commands that look after the history itself:
 * baseline, repair and verify.
 */
#include "cli.h"

int cmd_baseline(cli_ctx *ctx)
{
    strata_project *p = NULL;
    int error;

    if (ctx->nargs != 1)
        return cli_usage_error(cli_find("baseline"), "strata baseline needs a VERSION"), CLI_EXIT_USAGE;
    if ((error = cli_open_project(&p, ctx)) == 0)
        error = strata_migrate_baseline(p, ctx->args[0], cli_value(ctx, "description"));
    if (error == 0 && !ctx->quiet)
        printf("baselined %s at version %s: migrations up to it count as applied\n",
               strata_project_url_redacted(p), ctx->args[0]);
    strata_project_free(p);
    return error ? cli_fail(ctx, error) : CLI_EXIT_OK;
}

int cmd_repair(cli_ctx *ctx)
{
    strata_project *p = NULL;
    strata_report r = STRATA_REPORT_INIT;
    int dry = cli_flag(ctx, "dry-run"), error;

    if ((error = cli_open_project(&p, ctx)) == 0)
        error = strata_migrate_repair(&r, p, dry);
    if (error) {
        strata_report_dispose(&r);
        strata_project_free(p);
        return cli_fail(ctx, error);
    }
    if (ctx->json) {
        cli_print_report_json(ctx, "repair", &r, 0);
    } else if (!ctx->quiet) {
        if (r.count == 0)
            printf("nothing to repair: history and files agree\n");
        for (size_t i = 0; i < r.count; i++)
            printf("%s %s %s: %s\n", dry ? "would" : "done:", r.rows[i].version ? r.rows[i].version : "R",
                   r.rows[i].name, r.rows[i].reason);
    }
    strata_report_dispose(&r);
    strata_project_free(p);
    return CLI_EXIT_OK;
}

int cmd_verify(cli_ctx *ctx)
{
    strata_project *p = NULL;
    strata_report r = STRATA_REPORT_INIT;
    int error;

    if ((error = cli_open_project(&p, ctx)) < 0)
        return cli_fail(ctx, error);
    error = strata_migrate_verify(&r, p);
    if (ctx->json) {
        cli_print_report_json(ctx, "verify", &r, error);
    } else if (error == 0 || error == STRATA_EDRIFT) {
        size_t bad = 0;
        for (size_t i = 0; i < r.count; i++) {
            const strata_row *row = &r.rows[i];
            if (row->state == STRATA_STATE_APPLIED)
                continue;
            bad++;
            printf("%s%-8s%s %s %s (%s)\n", cli_color(ctx, row->state), strata_state_name(row->state),
                   cli_reset(ctx), row->version ? row->version : "R", row->path ? row->path : row->name,
                   row->reason ? row->reason : "");
        }
        if (!bad && !ctx->quiet)
            printf("verified %zu applied migration%s: all match their files\n", r.count,
                   r.count == 1 ? "" : "s");
    }
    if (error && !(ctx->json && error == STRATA_EDRIFT))
        cli_fail(&(cli_ctx){ .color_err = ctx->color_err }, error);
    strata_report_dispose(&r);
    strata_project_free(p);
    return cli_exit_code(error);
}
