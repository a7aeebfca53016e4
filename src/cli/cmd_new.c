/* cmd_new.c: strata new NAME [--repeatable]: create the next migration file. */
#include "cli.h"

int cmd_new(cli_ctx *ctx)
{
    strata_project *p = NULL;
    strata_buf out = STRATA_BUF_INIT;
    int error;

    if (ctx->nargs != 1)
        return cli_usage_error(cli_find("new"), "strata new needs a NAME"), CLI_EXIT_USAGE;
    if ((error = cli_open_project(&p, ctx)) == 0)
        error = strata_project_new_migration(&out, p, ctx->args[0], cli_flag(ctx, "repeatable"));
    if (error == 0 && !ctx->quiet)
        printf("created %s", strata_buf_cstr(&out));
    strata_buf_dispose(&out);
    strata_project_free(p);
    return error ? cli_fail(ctx, error) : CLI_EXIT_OK;
}
