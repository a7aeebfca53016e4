/* cmd_status.c: strata status [--json]: one row per migration and its state. */
#include "cli.h"

int cmd_status(cli_ctx *ctx)
{
    strata_project *p = NULL;
    strata_report r = STRATA_REPORT_INIT;
    size_t counts[STRATA_STATE_OUTDATED + 1] = { 0 };
    int error;

    if ((error = cli_open_project(&p, ctx)) == 0)
        error = strata_migrate_status(&r, p);
    if (error) {
        strata_report_dispose(&r);
        strata_project_free(p);
        return cli_fail(ctx, error);
    }
    if (ctx->json) {
        cli_print_report_json(ctx, "status", &r, 0);
    } else {
        printf("%s (%s migrations in %s)\n", r.target, r.format, strata_project_migrations_dir(p));
        cli_print_report(ctx, "status", &r);
        for (size_t i = 0; i < r.count; i++)
            counts[r.rows[i].state]++;
        printf("%zu applied, %zu pending", counts[STRATA_STATE_APPLIED],
               counts[STRATA_STATE_PENDING] + counts[STRATA_STATE_OUTDATED]);
        for (int s = 0; s <= STRATA_STATE_OUTDATED; s++)
            if (counts[s] && s != STRATA_STATE_APPLIED && s != STRATA_STATE_PENDING &&
                s != STRATA_STATE_OUTDATED && s != STRATA_STATE_BASELINE)
                printf(", %zu %s%s%s", counts[s], cli_color(ctx, (strata_state)s),
                       strata_state_name((strata_state)s), cli_reset(ctx));
        printf("\n");
    }
    strata_report_dispose(&r);
    strata_project_free(p);
    return CLI_EXIT_OK;
}
